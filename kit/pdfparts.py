"""Turn parts of a document into one PDF: a long run of reportlab pages written a few sheets at a time,
in flat memory, and laid-out documents joined with one outline (`join_documents`); and the size of
each page of a PDF as a viewer shows it (`page_sizes`).

reportlab keeps every page of a canvas (and every photo it placed) in memory until it saves, then
builds the whole file in memory once more: a 500-card deck held a quarter of a gigabyte. A
`PartedCanvas` draws like a canvas, but every `pages_per_part` pages it saves what it has to a
part file and starts a fresh canvas; `save()` joins the parts with qpdf (pikepdf), which copies
each part's streams from its file as it writes, so memory stays that of one part whatever the
deck's length. The first part carries the document's settings (title, viewer preferences); the
joined file has a deterministic /ID, so the same content gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

# A canvas's settings that last from page to page (reportlab keeps them on the canvas, not the page):
# each is made again on every new part, so no page of a later part loses its boxes or size.
LASTING = ("setPageSize", "setTrimBox", "setBleedBox", "setCropBox", "setArtBox", "setPageRotation")

# Enough pages that fonts (embedded once per part) cost little, few enough that a part stays small:
# 12 pages are 6 home sheets and their backs, 54 poker cards.
PAGES_PER_PART = 12


class PartedCanvas:
    """A reportlab canvas that writes itself to `target` in parts; use it as the canvas it wraps.

    `open_canvas(path)` makes a new canvas that saves to `path`; every part is opened by it, so
    each has the same page size, fonts and settings. A part is opened when the first thing is
    drawn after the previous one was saved, so no part is ever empty.
    """

    def __init__(self, target: Path, open_canvas: Callable[[Path], Any], pages_per_part: int = PAGES_PER_PART):
        object.__setattr__(self, "_state", {"target": target, "open": open_canvas, "per_part": pages_per_part,
                                            "parts": [], "pages": 0, "lasting": {}, "canvas": None})
        self._current()

    def _current(self):
        state = self._state
        if state["canvas"] is None:
            part = state["target"].with_name(f".{state['target'].name}.part{len(state['parts']):04d}")
            state["parts"].append(part)
            state["canvas"] = state["open"](part)
            for name, args in state["lasting"].items():
                getattr(state["canvas"], name)(*args)
        return state["canvas"]

    def __getattr__(self, name: str):
        attribute = getattr(self._current(), name)
        if name not in LASTING:
            return attribute

        def lasting(*args):
            self._state["lasting"][name] = args  # made again on every later part
            return attribute(*args)
        return lasting

    def __setattr__(self, name: str, value) -> None:
        setattr(self._current(), name, value)

    def showPage(self) -> None:  # noqa: N802 — reportlab's name
        state = self._state
        self._current().showPage()
        state["pages"] += 1
        if state["pages"] % state["per_part"] == 0:
            state["canvas"].save()
            state["canvas"] = None

    def save(self) -> None:
        state = self._state
        if state["canvas"] is not None:
            state["canvas"].save()
            state["canvas"] = None
        try:
            join(state["parts"], state["target"])
        finally:
            for part in state["parts"]:
                part.unlink(missing_ok=True)


def join(parts: list[Path], target: Path) -> None:
    """One PDF of the parts' pages, in order, streamed from the part files by qpdf."""
    import pikepdf

    parts = [p for p in parts if p.exists()]
    with pikepdf.open(parts[0]) as first:
        others = [pikepdf.open(p) for p in parts[1:]]
        try:
            for other in others:
                first.pages.extend(other.pages)
            first.save(target, deterministic_id=True, compress_streams=True,
                       object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        finally:
            for other in others:
                other.close()


def join_documents(pdfs: list[bytes], outline: list) -> bytes:
    """One PDF of several laid-out documents' pages, in order, with one outline over them all.

    `outline` is weasyprint's bookmark tree of the joined pages (kit.documents makes it from each
    part's bookmarks): [(title, (page index, x, y), children, "open" | "closed")], points from the
    page's top-left corner. Each part embeds its own font subsets; the first part's catalogue
    (language, viewer settings) is the joined file's. Deterministic: same parts, same bytes."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdfs[0])) as joined:
        others = [pikepdf.open(io.BytesIO(pdf)) for pdf in pdfs[1:]]
        try:
            for other in others:
                joined.pages.extend(other.pages)
            if "/Outlines" in joined.Root:
                del joined.Root.Outlines
            if outline:
                heights = [float(page.mediabox[3]) for page in joined.pages]
                with joined.open_outline() as tree:
                    tree.root.extend(_outline_items(outline, heights))
            out = io.BytesIO()
            joined.save(out, deterministic_id=True)
            return out.getvalue()
        finally:
            for other in others:
                other.close()


def page_sizes(path) -> list[tuple[float, float]]:
    """Each page's size in points as a viewer shows it: its CropBox within its MediaBox, turned by
    its /Rotate (qpdf gives each page those it inherits from the page tree), which is what pdfium
    reports.

    Read with qpdf, which every render process has imported already, rather than pdfium: the print
    list and the binder read their parts' sizes, and pdfium's import was a twentieth of a second
    more on the way to a small rebuild's last file. Only the page dictionaries are read."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        return [_shown_size(page) for page in pdf.pages]


def _shown_size(page) -> tuple[float, float]:
    media, crop = _box(page.mediabox), _box(page.cropbox)  # (cropbox: the MediaBox when it has none)
    left, bottom = max(media[0], crop[0]), max(media[1], crop[1])  # the visible region: clipped
    right, top = min(media[2], crop[2]), min(media[3], crop[3])
    width, height = max(right - left, 0.0), max(top - bottom, 0.0)
    return (height, width) if page.rotation % 180 else (width, height)


def _box(value) -> tuple[float, float, float, float]:
    """A PDF rectangle as (left, bottom, right, top), its corners given in either order."""
    x1, y1, x2, y2 = (float(v) for v in value)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _outline_items(subtrees: list, heights: list[float]) -> list:
    from pikepdf import OutlineItem, PageLocation

    items = []
    for title, (page, x, y), children, state in subtrees:
        item = OutlineItem(title, page, PageLocation.XYZ, left=x, top=heights[page] - y, zoom=0)
        item.is_closed = state == "closed"
        item.children.extend(_outline_items(children, heights))
        items.append(item)
    return items
