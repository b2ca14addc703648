"""Turn one page of an output file into a PNG image for the preview, cached under output/.cache/thumbs by the file's digest.

A thumbnail's name holds the digest of the file it shows, so a rebuilt file gets new thumbnails
and an unchanged file keeps its own; those of files no longer in the output are pruned.
"""

from __future__ import annotations

import hashlib
import io
import threading
from pathlib import Path

from kit.writer import write_atomic

THUMBS_DIR = "thumbs"
# Widths in pixels: a page in the list, and the page in the viewer (readable on a laptop screen).
WIDTHS = {"small": 240, "large": 1400}
RASTER_SUFFIXES = (".png", ".jpg", ".jpeg")

# pdfium is not thread-safe, and the build itself calls it (deck PNGs are rasterised from their
# PDF): every use of it in this process, the build's included, holds this lock.
PDFIUM = threading.Lock()


def has_pages(path: str) -> bool:
    """Whether the preview can draw this output file (a PDF or a picture; not a calendar)."""
    return path.endswith(".pdf") or path.endswith(RASTER_SUFFIXES)


class Thumbnails:
    """The thumbnails of one output folder's files, and their page counts."""

    def __init__(self, cache_dir: Path):
        self.folder = cache_dir / THUMBS_DIR
        self.counts: dict[str, int] = {}

    def page_count(self, path: Path, sha: str) -> int:
        """How many pages the file of this digest has (1 for a picture); call with PDFIUM held."""
        if sha not in self.counts:
            if path.suffix == ".pdf":
                import pypdfium2 as pdfium

                document = pdfium.PdfDocument(str(path))
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
        data = path.read_bytes()
        # The file may have been rebuilt since the page asked: never file new pixels under an old digest.
        if hashlib.sha256(data).hexdigest() != sha:
            return None
        with PDFIUM:
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
