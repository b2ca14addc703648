"""Turn a request's URL path and Host header into a yes or no: which output file may be served, which host may ask.

The preview serves files from one folder only. A URL names a file of the output folder by its
path relative to it; anything that could lead elsewhere is refused outright rather than cleaned
up: `..` or `.` segments, hidden names (output/.cache holds the manifest, staging and caches),
backslashes, NUL bytes, empty segments, and links whose target lies outside the folder. A
folder is never listed.

The Host check defeats DNS rebinding: a page of another site whose name the attacker re-points
to 127.0.0.1 still sends its own name as Host. A local name or an IP literal cannot be such a
name, so only those (and the name given with --host) are let in.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})


def output_file(out_dir: Path, url_path: str) -> Path | None:
    """The file of `out_dir` that a decoded URL path names, or None if it must not be served."""
    if not url_path or "\\" in url_path or "\x00" in url_path:
        return None
    segments = url_path.split("/")
    if any(not s or s.startswith(".") for s in segments):
        return None
    root = out_dir.resolve()
    try:
        target = root.joinpath(*segments).resolve(strict=True)
        target.relative_to(root)
    except (OSError, ValueError, RuntimeError):  # missing, outside, or a link loop
        return None
    # A link inside the folder may still point into a hidden folder of it (.cache).
    if any(part.startswith(".") for part in target.relative_to(root).parts):
        return None
    return target if target.is_file() else None


def host_name(header: str) -> str:
    """The name part of a Host header: `localhost:8000` → `localhost`, `[::1]:80` → `::1`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else ""
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def host_allowed(header: str | None, extra_names: frozenset[str] = frozenset()) -> bool:
    """Whether a request's Host header names this machine directly (no DNS name of someone else's)."""
    if not header:
        return False
    name = host_name(header).rstrip(".")
    if name in LOCAL_NAMES or name in extra_names:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the preview on this machine."""
    if host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
