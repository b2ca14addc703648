"""Turn staged or rendered files into files under the output folder: atomically, never outside it."""

from __future__ import annotations

import errno
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


def write_atomic(target: Path, data: bytes, durable: bool = True) -> bool:
    """Write through a temporary file in the same folder, then rename: readers never see half a file.

    Returns False (and writes nothing) when the file already holds exactly these bytes. `durable`:
    the bytes reach the disk before the rename (fsync); a cache, which checks what it reads back
    and can always be made again, skips it (a hundred cache files a cold build, each an fsync).
    """
    if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp creates the file private (0600); outputs are ordinary files, readable as usual.
        os.chmod(tmp, 0o666 & ~current_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def current_umask() -> int:
    """This process's umask (reading it means setting it: set back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _same_file(target: Path, staged: Path) -> bool:
    if not target.is_file() or target.stat().st_size != staged.stat().st_size:
        return False
    with target.open("rb") as a, staged.open("rb") as b:
        while True:
            block = a.read(1 << 20)
            if block != b.read(1 << 20):
                return False
            if not block:
                return True


def _unwritable(folder: Path) -> OutputError:
    return OutputError(f"{folder}: cannot write the outputs here (permission denied); "
                       f"nothing was replaced. Make the folder writable or choose another with --out")


def check_writable(out_dir: Path, relatives: list[str]) -> None:
    """Stop before rendering when an output would land in a folder kit cannot write to (or create)."""
    checked: set[Path] = set()
    for relative in relatives:
        folder = target_path(out_dir, relative).parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if folder in checked:
            continue
        checked.add(folder)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise _unwritable(folder)


def commit_files(out_dir: Path, moves: dict[str, tuple[Path, str]]) -> int:
    """Move staged files (relative path → (staged file, digest)) into place; how many changed on disk.

    Every target is checked first (inside the output folder, its folder creatable and writable),
    so a folder kit cannot write to stops the build before any output is replaced. A file whose
    bytes are already in place is left alone (its time does not move).
    """
    targets = {relative: target_path(out_dir, relative) for relative in moves}
    for folder in sorted({t.parent for t in targets.values()}):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(f"{folder}: cannot create the folder ({error.strerror}); nothing was replaced") from None
        if not os.access(folder, os.W_OK | os.X_OK):
            raise _unwritable(folder)
    for relative, target in targets.items():
        if target.is_dir():
            raise OutputError(f"{target}: a folder is in the way of an output file; move it away")
    changed = 0
    for relative, (staged, _) in moves.items():
        target = targets[relative]
        if _same_file(target, staged):
            continue
        os.chmod(staged, 0o666 & ~current_umask())
        try:
            os.replace(staged, target)
        except OSError as error:
            if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise _unwritable(target.parent) from None
            raise OutputError(f"{target}: cannot write it ({error.strerror})") from None
        changed += 1
    return changed


def remove_files(out_dir: Path, relatives: list[str]) -> None:
    """Delete the files of outputs whose content was removed, and the folders they leave empty."""
    root = out_dir.resolve()
    for relative in relatives:
        target = target_path(out_dir, relative)
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != root and root in folder.parents:
            try:
                folder.rmdir()  # only when empty
            except OSError:
                break
            folder = folder.parent


def write_all(out_dir: Path, files: dict[str, bytes]) -> int:
    """Write every file (all paths checked first); returns how many changed on disk."""
    targets = {rel: target_path(out_dir, rel) for rel in files}
    changed = 0
    for rel, data in files.items():
        changed += write_atomic(targets[rel], data)
    return changed
