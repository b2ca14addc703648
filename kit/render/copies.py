"""Turn one blank laid-out guide into many filled-in copies: the values written over its blank lines.

A pair's copies of a rendez-vous guide differ only by the header they carry (pair, day, site,
time) and the copy's name in the running header. Laying the whole guide out again for each copy
would repeat the same work (8 pairs, 16 copies); instead the guide is laid out once with blank
lines, the positions of those lines are read off its boxes (`blank_lines`) and that of the running
header's right slot off its page stamp's (`edition_slot`), both kept with the cached layout, and
each copy is the blank pages with a thin reportlab layer of text drawn on top (pikepdf: a form
XObject, as kit.stamps draws a page stamp). The master's objects (fonts, page contents) are
stored once in the joined file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from kit import stamps
from kit.documents import PX, LaidOut, boxes
from kit.theme import MM, RL_FONTS, register_reportlab_fonts
from kit.typography import typeset

VALUE_LIFT_MM = 1.4       # a value's baseline above its line's rule, like handwriting on a line
LAYER_NAME = "/KitCopy"   # the copy's text layer in a page's resources


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


def overlay(copies: list[tuple[FillInValues, list[tuple[float, float]]]], language: str) -> bytes:
    """The copies' text layers in one PDF (its fonts once): for each copy, a page per page of its
    blank guide (their sizes given), values on its first page."""
    from reportlab.pdfgen.canvas import Canvas

    register_reportlab_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=copies[0][1][0], invariant=1, pageCompression=1,
                    initialFontName=RL_FONTS["regular"])
    for copy, sizes in copies:
        lines, edition = copy.master.extra[0]["lines"], copy.master.stamp_extra[0]
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
    """Every copy's pages, its text layer drawn over each (a form XObject, as kit.stamps draws a
    page stamp), joined in one PDF; (bytes, pages). A master's pages are added once per copy with
    their own resources; the master's objects (fonts, page contents) and the layers' fonts are
    stored once."""
    import pikepdf

    if not copies:
        raise ValueError("no copy to fill")
    joined = pikepdf.new()
    masters: dict[int, pikepdf.Pdf] = {}
    try:
        for copy in copies:
            if id(copy.master) not in masters:
                masters[id(copy.master)] = pikepdf.open(io.BytesIO(copy.master.pdf))
        blanks = [masters[id(copy.master)] for copy in copies]
        sizes = [[(float(page.mediabox[2] - page.mediabox[0]), float(page.mediabox[3] - page.mediabox[1]))
                  for page in blank.pages] for blank in blanks]
        with pikepdf.open(io.BytesIO(overlay(list(zip(copies, sizes)), context.theme.language))) as layers:
            texts = iter(layers.pages)
            opening = joined.make_indirect(pikepdf.Stream(joined, b"q\n"))
            closing = joined.make_indirect(pikepdf.Stream(joined, f"Q\nq {LAYER_NAME} Do Q\n".encode("ascii")))
            drawn: dict[tuple[int, int], tuple[list, object]] = {}  # each master page's own drawing
            for blank in blanks:
                for number, page in enumerate(blank.pages):
                    joined.pages.append(page)
                    added = joined.pages[-1]
                    own = drawn.setdefault((id(blank), number), _as_drawn(added))
                    _draw_over(joined, added, next(texts), own, opening, closing)
        for key in ("/Title", "/Author", "/Creator"):
            if key in blanks[0].docinfo:
                joined.docinfo[key] = blanks[0].docinfo[key]
        buffer = io.BytesIO()
        joined.save(buffer, deterministic_id=True)
        return buffer.getvalue(), len(joined.pages)
    finally:
        for blank in masters.values():
            blank.close()
        joined.close()


def _draw_over(pdf, page, text, drawn, opening, closing) -> None:
    """Draw page `text` (of the layers' PDF) over `page`, after the page's own drawing (`drawn`: its
    content streams and resources as the master has them), closed in its own graphics state.

    A master's page added again is a shallow copy of the one added before (QPDF copies a foreign
    object once), text layer included: each added page is given its own content list and
    resources, made from the master's, whose entries point at the same streams, fonts, images."""
    import pikepdf

    streams, resources = drawn
    resources = pikepdf.Dictionary(resources)
    resources["/XObject"] = pikepdf.Dictionary(resources.get("/XObject", pikepdf.Dictionary()))
    page.obj.Resources = resources
    stamps.add_form(pdf, page, text, LAYER_NAME)
    page.obj.Contents = pikepdf.Array([opening, *streams, closing])


def _as_drawn(page) -> tuple[list, object]:
    """A page's content streams and resources, as they are before a layer is drawn over it."""
    import pikepdf

    contents = page.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [] if contents is None else [contents]
    return streams, page.obj.get("/Resources", pikepdf.Dictionary())
