"""Turn one blank laid-out guide into many filled-in copies: the values written over its blank lines.

A pair's copies of a rendez-vous guide differ only by the header they carry (pair, day, site,
time) and the copy's name in the running header. Laying the whole guide out again for each copy
would repeat the same work (8 pairs, 16 copies); instead the guide is laid out once with blank
lines, the positions of those lines are read off its boxes (`blank_lines`) and that of the running
header's right slot off its page stamp's (`edition_slot`), both kept with the cached layout, and
each copy is the blank pages with a thin reportlab layer of text merged on top (pypdf). Identical
objects (fonts, page contents) are stored once in the joined file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from kit.documents import PX, LaidOut, boxes
from kit.theme import MM, RL_FONTS, register_reportlab_fonts
from kit.typography import typeset

VALUE_LIFT_MM = 1.4       # a value's baseline above its line's rule, like handwriting on a line


@dataclass(frozen=True)
class FillInValues:
    """One copy: the blank guide it is made from, its header values (in the fill-in order) and its name."""

    master: LaidOut
    values: list[str]
    edition: str


def _colour(style_colour) -> str:
    r, g, b = (round(c * 255) for c in tuple(style_colour)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def blank_lines(document) -> list[dict]:
    """Where the first page's blank fill-in lines are, in points from the page's bottom-left corner,
    with the type they are set in."""
    page = document.pages[0]
    height_pt = page.height * PX
    lines = []
    for box in boxes(page._page_box):
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        if "line" in classes and "blank" in classes:
            style = box.style
            lines.append({"x": box.content_box_x() * PX, "width": box.width * PX,
                          "bottom": height_pt - (box.content_box_y() + box.height) * PX,
                          "size": style["font_size"] * PX, "colour": _colour(style["color"]),
                          "weight": style["font_weight"]})
    return lines


def edition_slot(document) -> dict | None:
    """Where the running header's right slot ends and its baseline is, read off the first page of
    the page stamp (kit.stamps), with the type it is set in."""
    page = document.pages[0]
    height_pt = page.height * PX
    edition = None
    for box in boxes(page._page_box):
        if getattr(box, "at_keyword", None) == "@top-right":
            style = box.style
            baseline = None
            for inner in boxes(box):
                if type(inner).__name__ == "LineBox":
                    baseline = height_pt - (inner.position_y + inner.baseline) * PX
                    break
            edition = {"right": (box.content_box_x() + box.width) * PX, "baseline": baseline,
                       "size": style["font_size"] * PX, "colour": _colour(style["color"])}
    return edition


def _font(weight: int) -> str:
    return RL_FONTS["bold"] if weight >= 700 else RL_FONTS["semibold"] if weight >= 600 else RL_FONTS["regular"]


def overlay(copy: FillInValues, sizes: list[tuple[float, float]], language: str) -> bytes:
    """The copy's text layer: a page per page of the blank guide, values on its first page."""
    from reportlab.pdfgen.canvas import Canvas

    register_reportlab_fonts()
    lines, edition = copy.master.extra[0], copy.master.stamp_extra[0]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=sizes[0], invariant=1, pageCompression=1, initialFontName=RL_FONTS["regular"])
    for number, size in enumerate(sizes):
        canvas.setPageSize(size)
        if number == 0:
            for line, value in zip(lines, copy.values):
                if value:
                    canvas.setFillColor(line["colour"])
                    canvas.setFont(_font(line["weight"]), line["size"])
                    canvas.drawString(line["x"], line["bottom"] + VALUE_LIFT_MM * MM, typeset(value, language))
        if edition and edition["baseline"] is not None:
            canvas.setFillColor(edition["colour"])
            canvas.setFont(RL_FONTS["regular"], edition["size"])
            canvas.drawRightString(edition["right"], edition["baseline"], typeset(copy.edition, language))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def fill_copies(copies: list[FillInValues], context) -> tuple[bytes, int]:
    """Every copy's pages, text layer merged, joined in one PDF; (bytes, pages)."""
    from pypdf import PdfReader, PdfWriter

    language = context.theme.language
    writer = PdfWriter()
    for copy in copies:
        blank = PdfReader(io.BytesIO(copy.master.pdf))  # a reader per copy: its pages are cloned anew
        sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in blank.pages]
        layer = PdfReader(io.BytesIO(overlay(copy, sizes, language)))
        for page, text in zip(blank.pages, layer.pages):
            added = writer.add_page(page)
            added.merge_page(text)
        if writer.metadata is None and blank.metadata:
            writer.add_metadata({k: v for k, v in blank.metadata.items() if k in ("/Title", "/Author", "/Creator")})
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue(), len(writer.pages)
