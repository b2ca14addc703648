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

The stamp itself is laid out in two documents: its frame (the header and footer texts, which print
the same on every page of one name) over one page per page name, and its page numbers ("page n /
m", base.html.j2's kit-pages sheet) over every page, without the title. An edit of a title lays
out one page of frame, not every page of the stamp; the numbers are found in the layout cache. A
stamp whose texts could differ from page to page (a counter, a :first or :left page) is laid out
whole, one page per page, and so is the stamp of a document with a page of each name only (one
page: two layouts would cost more than one).

The margin boxes get their widths here, from the texts' advance widths in Inter: weasyprint's
automatic margin-box widths measure each text's min- and max-content width, word by word, on every
page, more than a tenth of a second for a five-page document. Shared out in proportion to the
texts' widths, two texts that fit side by side each fit in its box, as they would with automatic
widths; two that do not wrap, each in its share.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from kit.theme import FONT_DIR

# base.html.j2 writes the stamp in style elements of its own, after the page's paper size: its
# frame (kit-stamp), then its page numbers (kit-pages).
_STAMP_SHEET = re.compile(r'<style id="kit-stamp">.*?</style>\n?', re.S)
_PAGES_SHEET = re.compile(r'<style id="kit-pages">.*?</style>\n?', re.S)
# What makes a margin box print otherwise on one page than on another of the same name.
_PAGE_DEPENDENT = re.compile(r"counter\(\s*pages?\s*\)|@page[^{]*:(first|left|right|blank)", re.I)
_TITLE = re.compile(r"<title>.*?</title>\n?", re.S)
_BODY = re.compile(r"<body[^>]*>", re.S)

# What "page n / m" is measured as: the widest a count under a hundred pages prints.
PAGE_COUNT_SAMPLE = "88 / 88"
# The names the stamp's form XObjects take in a page's resources, numbered by page (its numbers)
# and by frame: weasyprint may give all the pages of a document one resource dictionary.
STAMP_NAME = "/KitStamp{number}"
FRAME_NAME = "/KitFrame{number}"
# The name of a piece laid out apart and drawn on a body's page (drawn_on).
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
    body = _TITLE.sub("", _PAGES_SHEET.sub("", _STAMP_SHEET.sub("", html, count=1), count=1), count=1)
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


def in_two(head: str) -> bool:
    """Whether this stamp is laid out as a frame and page numbers: its frame prints the same on
    every page of one name (no counter in it, no :first, :left… page)."""
    return _PAGES_SHEET.search(head) is not None and _PAGE_DEPENDENT.search(_PAGES_SHEET.sub("", head)) is None


def frame_html(head: str, page_names: list[str]) -> str:
    """The stamp's frame: `head` without its page numbers, over one page of each name, in order."""
    return stamp_html(_PAGES_SHEET.sub("", head, count=1), list(dict.fromkeys(page_names)))


def numbers_html(head: str, page_names: list[str]) -> str:
    """The stamp's page numbers: `head` without its frame and title, over every page."""
    return stamp_html(_TITLE.sub("", _STAMP_SHEET.sub("", head, count=1), count=1), page_names)


def frame_pages(page_names: list[list[str]]) -> list[int]:
    """For each page of documents laid out one after the other, the page of their frames (each
    document's frame_html, one after the other) drawn on it."""
    result, offset = [], 0
    for names in page_names:
        distinct = list(dict.fromkeys(names))
        result += [offset + distinct.index(name) for name in names]
        offset += len(distinct)
    return result


def stamped(body_pdf: bytes, frames_pdf: bytes, frames_of_pages: list[int], numbers_pdf: bytes | None = None) -> bytes:
    """The body's pages with their stamp drawn over them, and the stamp's title: on each page the
    frame page `frames_of_pages` names (one page may frame several), then its page of `numbers`.

    Each becomes a form XObject of a fixed name drawn last on its page (pikepdf's own overlay names
    it at random, which would change the bytes from build to build): the same PDFs give the same
    bytes, and qpdf's /ID is made from the content. A frame drawn on several pages is stored once."""
    import pikepdf

    with contextlib.ExitStack() as stack:
        body = stack.enter_context(pikepdf.open(io.BytesIO(body_pdf)))
        frames = stack.enter_context(pikepdf.open(io.BytesIO(frames_pdf)))
        numbers = stack.enter_context(pikepdf.open(io.BytesIO(numbers_pdf))) if numbers_pdf is not None else None
        stamp_pages = len(numbers.pages) if numbers is not None else len(frames_of_pages)
        if len(frames_of_pages) != len(body.pages) or stamp_pages != len(body.pages):
            raise ValueError(f"the stamp has {stamp_pages} pages, the body {len(body.pages)}")
        forms: dict[int, Any] = {}
        for number, (page, frame) in enumerate(zip(body.pages, frames_of_pages, strict=True), start=1):
            if frame not in forms:
                forms[frame] = form_of(body, page, frames.pages[frame])
            drawn = [put_form(page, FRAME_NAME.format(number=frame + 1), forms[frame])]
            if numbers is not None:
                drawn.append(add_form(body, page, numbers.pages[number - 1], STAMP_NAME.format(number=number)))
            # The body's drawing is closed in its own graphics state, so the stamp starts from the page's.
            page.contents_add(pikepdf.Stream(body, b"q\n"), prepend=True)
            page.contents_add(pikepdf.Stream(body, ("Q\n" + "".join(f"q {name} Do Q\n" for name in drawn)).encode("ascii")))
        title = frames.docinfo.get("/Title")
        if title is not None:
            body.docinfo["/Title"] = title
        out = io.BytesIO()
        body.save(out, deterministic_id=True)
        return out.getvalue()


def drawn_on(body_pdf: bytes, piece_pdf: bytes, number: int = 0, down: float = 0.0, under: bool = False) -> bytes:
    """The body with the first page of `piece` (a part of a page laid out alone) drawn on its page
    `number` (from 0), moved `down` points, so that a text read off the page (copied, searched)
    comes where it would laid out with the body: `under` its own drawing, first (an agenda's title),
    or over it, last (a guide's change list, after its last block). `number` one past the last
    page: on a new page of the piece's size."""
    import pikepdf

    with pikepdf.open(io.BytesIO(body_pdf)) as body, pikepdf.open(io.BytesIO(piece_pdf)) as piece:
        marks = piece.pages[0]
        if number == len(body.pages):
            box = [float(v) for v in marks.mediabox]
            body.add_blank_page(page_size=(box[2] - box[0], box[3] - box[1]))
        page = body.pages[number]
        name = add_form(body, page, marks, PIECE_NAME)
        moved = f"1 0 0 1 0 {-down:.6f} cm " if down else ""
        if under:
            page.contents_add(pikepdf.Stream(body, f"q {moved}{name} Do Q\n".encode("ascii")), prepend=True)
        else:  # the body's drawing closed in its own graphics state, the piece from the page's
            page.contents_add(pikepdf.Stream(body, b"q\n"), prepend=True)
            page.contents_add(pikepdf.Stream(body, f"Q\nq {moved}{name} Do Q\n".encode("ascii")))
        out = io.BytesIO()
        body.save(out, deterministic_id=True)
        return out.getvalue()


def add_form(body, page, marks, name: str) -> str:
    """Put page `marks` (of another PDF) in `page`'s resources as a form XObject named `name`."""
    return put_form(page, name, form_of(body, page, marks))


def form_of(body, page, marks):
    """Page `marks` (of another PDF) as a form XObject of `body`, to draw over `page`, of its size."""
    # To a hundredth of a point: reportlab writes a page's size rounded to four decimals.
    if any(abs(float(a) - float(b)) > 0.01 for a, b in zip(page.mediabox, marks.mediabox, strict=True)):
        raise ValueError(f"a page of {list(marks.mediabox)} over a page of {list(page.mediabox)}")
    return body.copy_foreign(marks.as_form_xobject())


def put_form(page, name: str, form) -> str:
    """Name `form` in `page`'s resources."""
    import pikepdf

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
