"""Turn one page of an output file into a PNG image for the preview, cached under output/.cache/thumbs by the file's digest.

A thumbnail's name holds the digest of the file it shows, so a rebuilt file gets new thumbnails
and an unchanged file keeps its own; those of files no longer in the output are pruned.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from kit.pdfium_lock import lock as pdfium_lock
from kit.writer import write_atomic

THUMBS_DIR = "thumbs"
# Widths in pixels: a page in the list, and the page in the viewer (readable on a laptop screen).
WIDTHS = {"small": 240, "large": 1400}
RASTER_SUFFIXES = (".png", ".jpg", ".jpeg")

def has_pages(path: str) -> bool:
    """Whether the preview can draw this output file (a PDF or a picture; not a calendar)."""
    return path.endswith(".pdf") or path.endswith(RASTER_SUFFIXES)


class Thumbnails:
    """The thumbnails of one output folder's files, and their page counts.

    While a build runs, each output it has rendered is still in the build's staging folder:
    `stage` says where a digest's file is until the build moves it into place, so the page can
    show the new pages before the whole build is done.
    """

    def __init__(self, cache_dir: Path):
        self.folder = cache_dir / THUMBS_DIR
        self.counts: dict[str, int] = {}
        self.staged: dict[str, Path] = {}

    def stage(self, sha: str, path: Path) -> None:
        """The file of digest `sha` is at `path` (in the staging folder) until `unstage()`."""
        self.staged[sha] = path

    def unstage(self) -> None:
        self.staged = {}

    def source(self, path: Path, sha: str) -> Path:
        """Where to read the file of digest `sha` that will be (or is) at `path`."""
        staged = self.staged.get(sha)
        return staged if staged is not None and staged.is_file() else path

    def page_count(self, path: Path, sha: str) -> int:
        """How many pages the file of this digest has (1 for a picture)."""
        if sha not in self.counts:
            if path.suffix == ".pdf":
                import pypdfium2 as pdfium

                with pdfium_lock():
                    document = pdfium.PdfDocument(str(self.source(path, sha)))
                    try:
                        self.counts[sha] = len(document)
                    finally:
                        document.close()
            else:
                self.counts[sha] = 1 if path.suffix in RASTER_SUFFIXES else 0
        return self.counts[sha]

    def image(self, path: Path, sha: str, page: int, size: str) -> Path | None:
        """The PNG of page `page` (0-based) of the file, if it still has digest `sha`; made once."""
        width = WIDTHS[size]
        cached = self.folder / f"{sha}-{page}-{width}.png"
        if cached.is_file():
            return cached
        data = _read(self.source(path, sha)) or _read(path)  # a staged file may move in place meanwhile
        # The file may have been rebuilt since the page asked: never file new pixels under an old digest.
        if data is None or hashlib.sha256(data).hexdigest() != sha:
            return None
        with pdfium_lock():
            png = _render(data, path.suffix, page, width)
        if png is None:
            return None
        write_atomic(cached, png)
        return cached

    def prune(self, keep: set[str]) -> None:
        """Delete the thumbnails of files whose digest is not in `keep`."""
        if not self.folder.is_dir():
            return
        for thumb in self.folder.glob("*.png"):
            if thumb.name.split("-", 1)[0] not in keep:
                thumb.unlink(missing_ok=True)
        self.counts = {sha: n for sha, n in self.counts.items() if sha in keep}


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _render(data: bytes, suffix: str, page: int, width: int) -> bytes | None:
    from PIL import Image

    if suffix == ".pdf":
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
        try:
            if not 0 <= page < len(document):
                return None
            pdf_page = document[page]
            image = pdf_page.render(scale=width / pdf_page.get_width()).to_pil()
            pdf_page.close()
        finally:
            document.close()
    else:
        if page != 0:
            return None
        image = Image.open(io.BytesIO(data))
        image.thumbnail((width, width * 4))
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG", compress_level=1)  # fast: these images travel over loopback
    return out.getvalue()
