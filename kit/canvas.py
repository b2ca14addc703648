"""Turn reportlab into kit's drawing surface: reproducible PDFs, embedded Inter, crop marks in black.

Every generator that draws with exact geometry (card decks, pocket guides, posters, boards)
opens its canvas here, so they share the same rules: no dates or random ids in the bytes (a
rebuild of the same content gives the same file), Inter as the initial font (reportlab would
otherwise list an unembedded Helvetica, which print shops reject), no ASCII85 for images, no
"fit to page" suggested to the viewer, and one way of drawing crop marks.
"""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from kit.imposition import CROP_MARK_WIDTH_PT, CropMark
from kit.images import configure_reportlab
from kit.theme import RL_FONTS, register_reportlab_fonts

REGISTRATION = "#000000"  # crop marks print in full black whatever the theme (and in greyscale)


def new_canvas(buffer: io.BytesIO | str, size: tuple[float, float], title: str, config) -> Canvas:
    """A reportlab canvas with reproducible bytes and the kit's metadata."""
    register_reportlab_fonts()
    configure_reportlab()
    canvas = Canvas(buffer, pagesize=size, invariant=1, pageCompression=1, initialFontName=RL_FONTS["regular"])
    canvas.setTitle(title)
    canvas.setAuthor(config.organisation or config.title)
    canvas.setSubject(config.title)
    canvas.setCreator("kit")
    # Sheets must print at actual size: a viewer must not propose to shrink them to fit.
    canvas.setViewerPreference("PrintScaling", "None")
    return canvas


def open_document(target, size: tuple[float, float], title: str, config):
    """The canvas of one output and what `close_document` needs: written straight to `target` a few
    sheets at a time (kit.pdfparts: flat memory however long the deck), or kept in memory when the
    output is rendered outside a build (no target)."""
    if target is None:
        buffer = io.BytesIO()
        return new_canvas(buffer, size, title, config), buffer
    from kit.pdfparts import PartedCanvas

    return PartedCanvas(target, lambda part: new_canvas(str(part), size, title, config)), None


def close_document(canvas, buffer, path: str, pages: int):
    """Save the document opened by `open_document`: its Rendered (bytes in memory, or the staged file)."""
    from kit.outputs import Rendered

    canvas.save()
    if buffer is None:
        return Rendered(files={}, pages=pages, written=(path,))
    return Rendered(files={path: buffer.getvalue()}, pages=pages)


def draw_marks(canvas: Canvas, marks: tuple[CropMark, ...]) -> None:
    """Crop marks (or a fold line) as thin black strokes, outside the trim by construction."""
    canvas.saveState()
    canvas.setStrokeColor(REGISTRATION)
    canvas.setLineWidth(CROP_MARK_WIDTH_PT)
    for mark in marks:
        canvas.line(mark.x1, mark.y1, mark.x2, mark.y2)
    canvas.restoreState()
