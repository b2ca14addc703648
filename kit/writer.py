"""Turn rendered bytes into files under the output folder: atomically, never outside it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kit.errors import OutputError


def target_path(out_dir: Path, relative: str) -> Path:
    """The file an output path names, refusing any path that would land outside the output folder."""
    root = out_dir.resolve()
    target = (root / relative).resolve()
    if root not in target.parents:
        raise OutputError(f"{relative}: refusing to write outside the output folder {root}")
    return target


def write_atomic(target: Path, data: bytes) -> bool:
    """Write through a temporary file in the same folder, then rename: readers never see half a file.

    Returns False (and writes nothing) when the file already holds exactly these bytes.
    """
    if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp creates the file private (0600); outputs are ordinary files, readable as usual.
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_all(out_dir: Path, files: dict[str, bytes]) -> int:
    """Write every file (all paths checked first); returns how many changed on disk."""
    targets = {rel: target_path(out_dir, rel) for rel in files}
    changed = 0
    for rel, data in files.items():
        changed += write_atomic(targets[rel], data)
    return changed
