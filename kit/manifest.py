"""Turn what the last build made into a file under output/.cache, and back: per output, the digest of
each input it read and of each file it wrote, so the next build knows what is up to date and why not.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

MANIFEST_NAME = "manifest.json"
# What is known of the kit's files rather than of the outputs, kept apart so that it outlives a
# deleted manifest: their digests by stat (kit.digests.FileDigests), and the photos checked whole,
# beside the prepared photos (kit.images.CACHE_SUBDIR).
STAT_FILE = "digests.json"
DECODED_FILE = "images/decoded.json"
FORMAT = 2  # a manifest of another format is ignored: everything renders once


@dataclass
class FileRecord:
    """One file an output wrote: its digest, and the size and time it had when written."""

    sha256: str
    size: int
    mtime_ns: int


@dataclass
class Entry:
    """What the manifest keeps of one output."""

    kind: str
    identity: str                      # kind, subject, edition and options, as text
    inputs: dict[str, str]             # input key → digest
    files: dict[str, FileRecord]       # path under output/ → record
    pages: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    subject: str = ""                  # the plan's subject and edition (what `kit build` names after it)
    edition: str = ""
    shape: str = ""                    # kit.digests.shape_digest of its files, when an output reads it
    cost: float = 0.0                  # processor seconds of its costly renders lately (the engine's order)

    @property
    def digest(self) -> str:
        """One digest of what the output's files hold, for outputs made from it."""
        from kit.digests import text_digest

        return text_digest(";".join(f"{p}={r.sha256}" for p, r in sorted(self.files.items())))


@dataclass
class Manifest:
    """Every output of the last builds, the file digests seen, checks' results and the kit's snapshot."""

    entries: dict[str, Entry] = field(default_factory=dict)
    stat: dict[str, list] = field(default_factory=dict)      # kit.digests.FileDigests.known (STAT_FILE)
    checks: dict[str, dict] = field(default_factory=dict)    # check name → {digest, errors, warnings}
    snapshot: str = ""        # the digest of everything the kit holds, when the last build covered it all
    warnings: list[str] = field(default_factory=list)       # the content's own warnings at that snapshot
    decoded: dict[str, list] = field(default_factory=dict)   # kit.images.decoded (DECODED_FILE)

    @classmethod
    def load(cls, cache_dir: Path) -> "Manifest":
        """The manifest of the last build, or an empty one (none yet, another format, unreadable);
        what is known of the kit's files either way."""
        known = {"stat": _load_json(cache_dir / STAT_FILE), "decoded": _load_json(cache_dir / DECODED_FILE)}
        try:
            data = json.loads((cache_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(**known)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls(**known)
        try:
            entries = {path: Entry(**{**raw, "files": {p: FileRecord(**r) for p, r in raw["files"].items()}})
                       for path, raw in data["entries"].items()}
            return cls(entries=entries, checks=data.get("checks", {}), snapshot=data.get("snapshot", ""),
                       warnings=data.get("warnings", []), **known)
        except (KeyError, TypeError):
            return cls(**known)

    def save(self, cache_dir: Path) -> None:
        """Write the manifest atomically (a temporary file renamed over the old one)."""
        from kit.writer import write_atomic

        data = {"format": FORMAT, "snapshot": self.snapshot, "warnings": self.warnings,
                "entries": {path: asdict(entry) for path, entry in sorted(self.entries.items())},
                "checks": self.checks}
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(cache_dir / MANIFEST_NAME, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        self.save_known(cache_dir)

    def save_known(self, cache_dir: Path) -> None:
        """Write what is known of the kit's files, where it changed (a build with nothing to do
        may still have read a file again: its stat moved, its bytes did not)."""
        from kit.writer import write_atomic

        for name, known in ((STAT_FILE, self.stat), (DECODED_FILE, self.decoded)):
            text = json.dumps(known, sort_keys=True).encode("utf-8")
            if text != _read(cache_dir / name):
                (cache_dir / name).parent.mkdir(parents=True, exist_ok=True)
                write_atomic(cache_dir / name, text)

    def intact(self, out_dir: Path, path: str) -> bool:
        """Whether every file of an output is on disk as it was written (nobody deleted or edited it)."""
        entry = self.entries.get(path)
        if entry is None:
            return False
        for relative, record in entry.files.items():
            try:
                stat = os.stat(out_dir / relative)
            except OSError:
                return False
            if stat.st_size != record.size or stat.st_mtime_ns != record.mtime_ns:
                return False
        return True


# How a changed input is named in "rendered because …".
def describe(key: str) -> str:
    kind, _, rest = key.partition(":")
    if kind == "file":
        return rest
    if kind == "config":
        return f"kit.yaml {rest}"
    if kind == "template":
        return f"template {rest}"
    if kind == "labels":
        return f"{rest} labels"
    if kind == "printed":
        return f"the files printed from {rest}"
    if kind == "output":
        return f"output/{rest}"
    if kind == "shape":
        return f"the pages of output/{rest}"
    if kind == "value":
        return rest.partition("=")[0]
    return {"fonts": "the fonts", "code": "kit's code"}.get(key, key)


def reason(previous: Entry | None, identity: str, inputs: dict[str, str], intact: bool) -> str | None:
    """Why an output must be rendered, or None when it is up to date."""
    if previous is None:
        return "new output"
    if previous.identity != identity:
        return "its settings changed"
    changed = [key for key, digest in inputs.items() if previous.inputs.get(key) != digest]
    # A derived value changes its key, not its digest: a key that disappeared was changed too.
    changed += [key for key in previous.inputs if key not in inputs and key.startswith("value:")]
    if changed:
        names = list(dict.fromkeys(describe(key) for key in changed))
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        return f"{shown} changed"
    if not intact:
        return "its file was missing or changed on disk"
    return None


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _load_json(path: Path) -> dict[str, list]:
    try:
        known = json.loads(_read(path) or b"{}")
    except ValueError:
        return {}
    return known if isinstance(known, dict) else {}
