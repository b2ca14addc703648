"""Turn an output's declared inputs into digests: what the engine compares to know what changed.

A file's digest is the SHA-256 of its bytes, remembered with its size, modification time and
inode (the way git's index and ninja do), so a build that changed nothing reads no file twice:
it only looks at each file's stat. Settings, labels and derived values are digested from their
text; a template from itself and everything it includes; `code` from kit's Python files.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Callable

PACKAGE_DIR = Path(__file__).parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
FONT_DIR = PACKAGE_DIR / "fonts"
# A template names the others it uses in these tags; CSS files are included as templates.
TEMPLATE_REFERENCE = re.compile(r"{%-?\s*(?:extends|include|import|from)\s+[\"']([^\"']+)[\"']")


def text_digest(text: str) -> str:
    return bytes_digest(text.encode("utf-8"))


def bytes_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stat_mark(stat: os.stat_result) -> list[int]:
    """What tells one version of a file from another without reading it: size, mtime, inode and
    ctime. ctime too: any write changes it and no tool sets it back (a copy that keeps the size and
    the modification time is still seen)."""
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns]


class FileDigests:
    """SHA-256 of files, recomputed only when a file's size, mtime, inode or ctime moved.

    `known` is what a previous build stored (path → [size, mtime_ns, inode, ctime_ns, digest]); after a
    build, `known` holds every file looked at, ready to be stored again.
    """

    def __init__(self, known: dict[str, list] | None = None):
        self.known: dict[str, list] = dict(known or {})
        self.seen: dict[str, str] = {}

    def __call__(self, path: Path) -> str:
        key = str(path)
        if key in self.seen:
            return self.seen[key]
        try:
            stat = path.stat()
        except OSError:
            digest = "missing"
        else:
            mark = stat_mark(stat)
            cached = self.known.get(key)
            if cached and cached[:4] == mark:
                digest = cached[4]
            else:
                digest = file_sha256(path)
                self.known[key] = [*mark, digest]
        self.seen[key] = digest
        return digest

    def forget_seen(self) -> None:
        """Start a new build: look at every file's stat again (a watcher's next round)."""
        self.seen.clear()


def shape_digest(files: dict[str, Path]) -> str:
    """One digest of the pages of an output's files: how many and their sizes (to 0.01 pt) for a
    PDF, the bytes of any other file. An edit that keeps it changes nothing a print list shows."""
    parts = []
    for relative, path in sorted(files.items()):
        if path.suffix.lower() != ".pdf":
            parts.append(f"{relative}={file_sha256(path)}")
            continue
        from kit.pdfparts import page_sizes

        parts.append(f"{relative}:" + ",".join("%.2fx%.2f" % size for size in page_sizes(path)))
    return text_digest("\n".join(parts))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def template_closure(name: str, seen: set[str] | None = None) -> list[str]:
    """A template and every template it extends or includes, each once, in a stable order."""
    seen = set() if seen is None else seen
    if name in seen:
        return []
    seen.add(name)
    found = [name]
    path = TEMPLATE_DIR / name
    if path.is_file():
        for reference in TEMPLATE_REFERENCE.findall(path.read_text(encoding="utf-8")):
            found += template_closure(reference, seen)
    return found


class Digester:
    """Digests of input keys for one build: files of the kit and the package, settings, values.

    `settings` gives a kit.yaml setting's value as text; `printed` the PDFs made from a content
    file; `outputs` the digest of an output already rendered (for outputs made from outputs), and
    `shapes` the digest of its pages and their sizes.
    """

    def __init__(self, kit_root: Path, files: FileDigests, settings: Callable[[str], str],
                 printed: dict[str, tuple[str, ...]] | None = None,
                 outputs: Callable[[str], str] | None = None, shapes: Callable[[str], str] | None = None):
        self.kit_root = kit_root
        self.files = files
        self.settings = settings
        self.printed = printed or {}
        self.outputs = outputs or (lambda path: "unknown")
        self.shapes = shapes or (lambda path: "unknown")
        self._memo: dict[str, str] = {}

    def __call__(self, key: str) -> str:
        # Not memoised: known only once that output has been rendered.
        if key.startswith("output:"):
            return self.outputs(key[len("output:"):])
        if key.startswith("shape:"):
            return self.shapes(key[len("shape:"):])
        if key not in self._memo:
            self._memo[key] = self._digest(key)
        return self._memo[key]

    def _digest(self, key: str) -> str:
        kind, _, rest = key.partition(":")
        if kind == "file":
            return self.files(self.kit_root / rest)
        if kind == "config":
            return text_digest(self.settings(rest))
        if kind == "template":
            return text_digest("".join(f"{name}={self.files(TEMPLATE_DIR / name)};" for name in template_closure(rest)))
        if kind == "fonts":
            return text_digest("".join(f"{p.name}={self.files(p)};" for p in sorted(FONT_DIR.glob("*.ttf"))))
        if kind == "labels":
            from kit.labels import table_text

            return text_digest(table_text(rest))
        if kind == "code":
            return code_digest(self.files)
        if kind == "printed":
            return text_digest("\n".join(self.printed.get(rest, ())))
        if kind == "value":
            return text_digest(rest)
        raise ValueError(f"unknown input key {key!r}")


# kit's modules that print nothing: the command line and the preview server. Changing them
# renders nothing again.
NOT_PRINTING = ("cli.py", "__main__.py", "serve")


def code_files() -> list[Path]:
    return sorted(p for p in PACKAGE_DIR.rglob("*.py")
                  if "__pycache__" not in p.parts and p.relative_to(PACKAGE_DIR).parts[0] not in NOT_PRINTING)


def code_digest(files: FileDigests) -> str:
    """kit's version as its code: a change to any of its modules renders every output again."""
    from kit import __version__

    parts = [__version__] + [f"{p.relative_to(PACKAGE_DIR).as_posix()}={files(p)}" for p in code_files()]
    return text_digest(";".join(parts))


def package_digest(files: FileDigests) -> str:
    """kit's own side of every output: its code, templates, fonts and printed words."""
    parts = [code_digest(files)] + [f"{p.name}={files(p)}" for p in sorted(TEMPLATE_DIR.iterdir())]
    parts += [f"{p.name}={files(p)}" for p in sorted(FONT_DIR.glob("*.ttf"))]
    # The printed words are data files, not modules: the code digest does not see them.
    parts += [f"labels/{p.name}={files(p)}" for p in sorted((PACKAGE_DIR / "labels").glob("*.toml"))]
    return text_digest(";".join(parts))


def tree_snapshot(root: Path, folders: tuple[str, ...], extra: tuple[str, ...], files: FileDigests) -> str:
    """One digest of every file in the given folders of the kit (and the extra files): when it is
    unchanged, nothing the kit holds has changed, so a build can answer without loading content."""
    parts = []
    for name in extra:
        parts.append(f"{name}={files(root / name)}")
    for folder in folders:
        base = root / folder
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for filename in sorted(filenames):
                path = Path(dirpath) / filename
                parts.append(f"{path.relative_to(root).as_posix()}={files(path)}")
    return text_digest("\n".join(parts))
