"""Turn a document's page stamp (its running header and footer) into marks drawn over its laid-out pages.

Every weasyprint document prints the same frame: kit title and document title at the top left, the
edition at the top right, version and date at the bottom left, "page n / m" at the bottom right.
Laid out with the body, that frame made the body's layout depend on it: editing a session's title
or the kit's version laid out again every page that only printed it in the margin.

So kit lays a document out in two parts (kit.documents):
- the body: the HTML without its stamp sheet and <title>, which is all that decides where its
  boxes go (a page's margin boxes never move its content), cached by that HTML;
- the stamp: the same head (paper, stamp and shared sheets, title) over as many empty pages of
  the same names, so the margin boxes, "page n / m" included, land where they would have;
then draws the stamp's pages over the body's (pikepdf Form XObjects) and gives the body the title.
The pixels are those of the document laid out whole.

The margin boxes get their widths here, from the texts' advance widths in Inter: weasyprint's
automatic margin-box widths measure each text's min- and max-content width, word by word, on every
page, more than a tenth of a second for a five-page document. Shared out in proportion to the
texts' widths, two texts that fit side by side each fit in its box, as they would with automatic
widths; two that do not wrap, each in its share.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cache

from kit.theme import FONT_DIR

# base.html.j2 writes the stamp in a style element of its own, after the page's paper size.
_STAMP_SHEET = re.compile(r'<style id="kit-stamp">.*?</style>\n?', re.S)
_TITLE = re.compile(r"<title>.*?</title>\n?", re.S)
_BODY = re.compile(r"<body[^>]*>", re.S)

# What "page n / m" is measured as: the widest a count under a hundred pages prints.
PAGE_COUNT_SAMPLE = "88 / 88"
# The name the stamp's form XObject takes in a page's resources, numbered by page: weasyprint may
# give all the pages of a document one resource dictionary.
STAMP_NAME = "/KitStamp{number}"
# The name of a piece laid out apart and drawn on a body's first page (drawn_under_first_page).
PIECE_NAME = "/KitPiece"


@dataclass(frozen=True)
class Parts:
    """One document's HTML as laid out in two parts: `body` (what decides its layout) and `stamp`,
    its head up to <body ...> with the stamp and title, or None when it has no stamp sheet."""

    body: str
    stamp: str | None


def split(html: str) -> Parts:
    """The body to lay out (no stamp sheet, no <title>) and the head its stamp is laid out with."""
    if _STAMP_SHEET.search(html) is None:
        return Parts(html, None)
    body = _TITLE.sub("", _STAMP_SHEET.sub("", html, count=1), count=1)
    opening = _BODY.search(html)
    if opening is None:
        return Parts(html, None)
    return Parts(body, html[:opening.end()])


def stamp_html(head: str, page_names: list[str]) -> str:
    """The stamp document: `head`, then one empty block per page of the body, each on a page of the
    name the body's page had (a named page may have margins of its own, and so its margin boxes)."""
    blocks = []
    for number, name in enumerate(page_names):
        style = f"page: {name or 'auto'};" + (" break-before: page;" if number else "")
        blocks.append(f'<div style="{style}"></div>')
    return head + "".join(blocks) + "</body></html>"


def stamped(body_pdf: bytes, stamp_pdf: bytes) -> bytes:
    """The body's pages with the stamp's pages drawn over them, one for one, and the stamp's title.

    Each stamp page becomes a form XObject of a fixed name drawn last on its page (pikepdf's own
    overlay names it at random, which would change the bytes from build to build): the same two
    PDFs give the same bytes, and qpdf's /ID is made from the content."""
    import pikepdf

    with pikepdf.open(io.BytesIO(body_pdf)) as body, pikepdf.open(io.BytesIO(stamp_pdf)) as stamp:
        if len(body.pages) != len(stamp.pages):
            raise ValueError(f"the stamp has {len(stamp.pages)} pages, the body {len(body.pages)}")
        for number, (page, marks) in enumerate(zip(body.pages, stamp.pages), start=1):
            name = add_form(body, page, marks, STAMP_NAME.format(number=number))
            # The body's drawing is closed in its own graphics state, so the stamp starts from the page's.
            page.contents_add(pikepdf.Stream(body, b"q\n"), prepend=True)
            page.contents_add(pikepdf.Stream(body, f"Q\nq {name} Do Q\n".encode("ascii")))
        title = stamp.docinfo.get("/Title")
        if title is not None:
            body.docinfo["/Title"] = title
        out = io.BytesIO()
        body.save(out, deterministic_id=True)
        return out.getvalue()


def drawn_under_first_page(body_pdf: bytes, piece_pdf: bytes) -> bytes:
    """The body with the first page of `piece` (a part of its first page laid out alone: an
    agenda's title) drawn on its first page, before the body's own drawing: a text read off the
    page (copied, searched) begins with it, as it would laid out with the body."""
    import pikepdf

    with pikepdf.open(io.BytesIO(body_pdf)) as body, pikepdf.open(io.BytesIO(piece_pdf)) as piece:
        page = body.pages[0]
        name = add_form(body, page, piece.pages[0], PIECE_NAME)
        page.contents_add(pikepdf.Stream(body, f"q {name} Do Q\n".encode("ascii")), prepend=True)
        out = io.BytesIO()
        body.save(out, deterministic_id=True)
        return out.getvalue()


def add_form(body, page, marks, name: str) -> str:
    """Put page `marks` (of another PDF) in `page`'s resources as a form XObject named `name`."""
    import pikepdf

    # To a hundredth of a point: reportlab writes a page's size rounded to four decimals.
    if any(abs(float(a) - float(b)) > 0.01 for a, b in zip(page.mediabox, marks.mediabox)):
        raise ValueError(f"a page of {list(marks.mediabox)} over a page of {list(page.mediabox)}")
    form = body.copy_foreign(marks.as_form_xobject())
    if "/Resources" not in page.obj:
        page.obj.Resources = pikepdf.Dictionary()
    if "/XObject" not in page.obj.Resources:
        page.obj.Resources.XObject = pikepdf.Dictionary()
    page.obj.Resources.XObject[name] = form
    return name


def side_widths(left: str, right: str) -> tuple[float, float]:
    """The widths, in per cent of the page's width between its margins, of the left and the right
    margin boxes of one side, in proportion to their texts' widths (both in one face and size)."""
    wide_left, wide_right = text_width(left), text_width(right)
    if wide_left + wide_right == 0:
        return 50.0, 50.0
    share = int(100_000 * wide_left / (wide_left + wide_right)) / 1000  # never more than 100 % together
    return share, round(100 - share, 3)


def text_width(text: str) -> int:
    """The advance width of `text` in Inter Regular, in font units (no kerning: a little wider)."""
    advances, fallback = _advances()
    return sum(advances.get(ord(character), fallback) for character in text)


@cache
def _advances() -> tuple[dict[int, int], int]:
    from fontTools.ttLib import TTFont

    font = TTFont(FONT_DIR / "Inter-Regular.ttf", lazy=True)
    metrics = font["hmtx"].metrics
    advances = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
    return advances, metrics[".notdef"][0]
