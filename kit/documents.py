"""Turn a jinja2 template and its data into a PDF through weasyprint, reading only kit and package files.

Every flowing-text document (agendas, run sheets, guides, worksheets) goes through here: one
jinja2 environment (autoescaped, with the typography and Markdown filters), one restricted URL
fetcher (no network, no file outside the kit folder and the kit package), one base stylesheet
with the theme's fonts, colours, page size and running header/footer.

Laying out is the costly part of a document, so its result is cached under output/.cache/layout,
keyed by the HTML itself and checked against every file the layout fetched: an edit that does
not change a document's HTML costs no layout, and two workers asking for one layout at once lay
it out once. The style sheet a template's documents share is parsed once per process (kit's warm
process parses them all before any build), kit's fonts registered once per build. A document's
running header and footer are laid out apart from its body and drawn over it (kit.stamps), and a
document made of parts that each begin a page (an agenda's days) is laid out part by part: an
edit lays out again only the part, or the margins, it changes; a document whose last block is
laid out apart (a guide's change list, render_with_tail) shares the rest's layout with another
document (the pairs' blank master). weasyprint is imported only to lay out.
"""

from __future__ import annotations

import hashlib
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup

from kit import stamps, ua_sheet
from kit.digests import bytes_digest, file_sha256
from kit.markup import plain, to_html
from kit.theme import Theme, font_face_css
from kit.typography import typeset

try:
    import fcntl
except ImportError:  # Windows has none: there two workers may lay out the same document twice
    fcntl = None

PACKAGE_DIR = Path(__file__).parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"


PX = 0.75  # weasyprint's CSS pixel in PDF points

# Bump when what kit does to a laid-out document changes (a cached PDF from before is then unused).
LAYOUT_CACHE_VERSION = "2"
LAYOUT_DIR = "layout"
TEMPLATE_CODE_DIR = "templates"  # the templates compiled to Python code (jinja2's bytecode cache)


@cache
def _weasyprint():
    """weasyprint, imported on first layout, with kit's font subsetting installed (kit.pdffonts)."""
    from kit.weasyprint_import import import_weasyprint

    weasyprint = import_weasyprint()
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    from kit import pdffonts

    pdffonts.install()

    class KitURLFetcher(URLFetcher):
        """A fetcher that serves file: URLs under the allowed folders and data: URLs, and refuses the rest.

        Refusal is fatal, so a template or content that points outside the kit fails the build
        loudly instead of printing a page with a hole in it. Every file read is remembered, so a
        cached layout is used again only while those files are unchanged.
        """

        def __init__(self, roots: tuple[Path, ...]):
            super().__init__(allowed_protocols=("file", "data"))
            self.roots = tuple(r.resolve() for r in roots)
            self.read: dict[str, str] = {}

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme != "file":
                raise FatalURLFetchingError(f"refusing to fetch {url}: kit reads nothing from the network")
            path = Path(unquote(parts.path)).resolve()
            if not any(path == root or root in path.parents for root in self.roots):
                raise FatalURLFetchingError(f"refusing to read {path}: outside the kit folder")
            body = path.read_bytes()
            self.read[str(path)] = bytes_digest(body)
            return URLFetcherResponse(url, body=body)

    return weasyprint, KitURLFetcher


def url_fetcher(kit_root: Path):
    """The restricted fetcher for documents of this kit (kit folder and kit package only)."""
    return _weasyprint()[1]((kit_root, PACKAGE_DIR))


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["clock"] = _clock
    env.filters["css"] = css_string
    env.globals["side_widths"] = stamps.side_widths
    env.globals["page_count_sample"] = stamps.PAGE_COUNT_SAMPLE
    return env


def use_template_cache(cache_dir: Path | None) -> None:
    """Keep the templates this process compiles under the build's cache folder, and load those a
    process before it compiled (jinja2's FileSystemBytecodeCache, keyed by each template's text):
    compiling a document's templates cost a new render process about a tenth of a second of its
    first render, in each process of each build. Written atomically, read by every worker."""
    if cache_dir is None:
        return
    folder = cache_dir / TEMPLATE_CODE_DIR
    env = environment()
    current = env.bytecode_cache
    if isinstance(current, jinja2.FileSystemBytecodeCache) and current.directory == str(folder):
        return
    try:
        folder.mkdir(exist_ok=True)  # (in the build's cache folder, which the build made)
    except OSError:  # an output folder kit cannot write to: the build says so; templates compile as before
        return
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


@jinja2.pass_context
def _clock(context, minutes: int) -> str:
    """`{{ minutes|clock }}`: the time as the document's labels print it (the kit's clock: 24 h or 12 h)."""
    return context["L"].time(minutes)


@dataclass(frozen=True)
class Stamp:
    """What the running header and footer of a document say."""

    kit_title: str
    document: str        # e.g. the session title
    edition: str         # e.g. "Déroulé animateurs"
    version: str
    date: str


def base_context(theme: Theme, stamp: Stamp) -> dict:
    """The names every template may use: labels, filters bound to the language, the theme CSS."""
    labels = theme.labels
    language = theme.language
    return {
        "L": labels,
        "lang": language,
        "md": lambda text: to_html(text, language),
        "md_inline": lambda text: to_html(text, language, inline=True),
        "t": lambda text: typeset(text or "", language),
        "plain": lambda text: plain(text, language),
        "length": labels.length,
        "stamp": stamp,
        "theme": theme,
        "paper": theme.paper,
        "font_faces": font_face_css(),
    }


def render_html(template: str, context: dict) -> str:
    return environment().get_template(template).render(**context)


def layout_document(html: str, kit_root: Path, fetcher=None):
    """The laid-out weasyprint Document of one HTML string (its boxes can be read back)."""
    fetcher = fetcher or url_fetcher(kit_root)
    base_url = kit_root.resolve().as_uri() + "/"
    html, sheets, font_config = _style_sheets(html, base_url, fetcher)
    return ua_sheet.html_class()(string=html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=sheets, font_config=font_config)


# base.html.j2's style elements: the document's paper, its page stamp and page numbers, kit's
# fonts, the theme's colours, the template's sheet and the document's own additions to it.
_KIT_STYLE = re.compile(r'<style id="kit-(page|stamp|pages|fonts|theme|shared|own)">(.*?)</style>', re.S)
_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)")
_ABSOLUTE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_SHARED_SHEETS_KEPT = 64  # distinct shared sheets kept per process (templates, themes, papers); then cleared


class _SharedSheets:
    """What every document of a build shares: one FontConfiguration (kit's fonts registered once)
    and the parsed sheets that declare fonts or read files, each with the files its parsing read."""

    def __init__(self, font_config):
        self.font_config = font_config
        self.sheets: dict[tuple[str | None, str], tuple[Any, dict[str, str]]] = {}

    def usable(self) -> bool:
        # The fonts a FontConfiguration registered live in a temporary folder, which a build
        # deletes when it ends: a later build in this process starts again.
        folder = getattr(self.font_config, "_folder", None)
        return folder is None or Path(folder).is_dir()


_shared: _SharedSheets | None = None

# The sheets that stand alone (a template's: base.css and its `css` block; the theme's colours, a
# paper size, a template's additions) by their text, for the process and every build in it: they
# declare no font and fetch nothing, so one parsed before any build (kit's warm process,
# parse_template_sheets) serves every fork of it.
_standalone_sheets: dict[str, Any] = {}


def _stands_alone(text: str) -> bool:
    """Whether a sheet's parse depends on nothing but its text: no font to register, no file to read."""
    return "@font-face" not in text and "url(" not in text


def _standalone_sheet(text: str):
    """The parsed sheet of this text, parsed once per process."""
    sheet = _standalone_sheets.get(text)
    if sheet is None:
        if len(_standalone_sheets) >= _SHARED_SHEETS_KEPT:
            _standalone_sheets.clear()
        weasyprint, fetcher = _weasyprint()
        sheet = _standalone_sheets[text] = weasyprint.CSS(string=text, url_fetcher=fetcher((PACKAGE_DIR,)))
    return sheet


def _style_sheets(html: str, base_url: str, fetcher):
    """`html` without kit's style elements, and those as parsed weasyprint sheets, in their order,
    with the FontConfiguration they use.

    Parsing a document's CSS (kit's fonts, the theme, base.css, the template's own) took a tenth of
    a second per document. Kit's fonts are the same text for every document: parsed once per build
    (their files registered once), by a render process's warm-up. The theme's colours and a
    template's sheet are the same for every document of a build or a template: parsed once per
    process, a template's not at all in a fork of kit's warm process. Each is given to weasyprint
    as a user sheet, in the order the document had them, above which nothing but kit's own style
    attributes sit: the cascade is unchanged and so are the bytes. HTML without them (a test's) is
    laid out as it is.
    """
    global _shared
    found = list(_KIT_STYLE.finditer(html))
    if not found:
        return html, None, None
    weasyprint, _ = _weasyprint()
    if _shared is None or not _shared.usable():
        from weasyprint.text.fonts import FontConfiguration

        _shared = _SharedSheets(FontConfiguration())
    font_config = _shared.font_config
    sheets = []
    for match in found:
        kind, text = match.groups()
        if not text.strip():  # (a template adds nothing of its own to most documents)
            continue
        if kind in ("stamp", "pages"):  # this document's alone
            sheets.append(weasyprint.CSS(string=text, base_url=base_url, url_fetcher=fetcher,
                                         font_config=font_config))
            continue
        if _stands_alone(text):  # a template's sheet, the theme's colours, a paper size: they recur
            sheets.append(_standalone_sheet(text))
            continue
        # Kit's fonts, or a sheet that reads files: once per build, the files it read kept with each layout.
        # Where every url() is absolute (kit's fonts), the sheet is the same whatever the document's folder.
        absolute = all(_ABSOLUTE.match(url) for url in _URL.findall(text))
        key = (None if absolute else base_url, text)
        if key not in _shared.sheets:
            if len(_shared.sheets) >= _SHARED_SHEETS_KEPT:
                _shared.sheets.clear()
            own = type(fetcher)(fetcher.roots)
            _shared.sheets[key] = (weasyprint.CSS(string=text, base_url=base_url, url_fetcher=own,
                                                  font_config=font_config), own.read)
        sheet, read = _shared.sheets[key]
        fetcher.read.update(read)  # a cached layout stays tied to the files the sheet read
        sheets.append(sheet)
    return _KIT_STYLE.sub("", html), sheets, font_config


def template_sheet_text(name: str) -> str | None:
    """The text of a template's sheet (base.css, then its `css` block) as its documents have it in
    their kit-shared style element; None when its `css` block reads the document's data."""
    templates = environment()
    template, base = templates.get_template(name), templates.get_template("base.html.j2")
    block = template.blocks.get("css") or base.blocks["css"]
    try:
        return "\n" + templates.get_template("base.css").render() + "".join(block(template.new_context({})))
    except jinja2.UndefinedError:
        return None


def parse_template_sheets() -> int:
    """Parse every template's sheet now (kit's warm process, before any build); how many."""
    texts = {text for name in environment().list_templates(extensions=["j2"])
             if (text := template_sheet_text(name)) is not None}
    for text in texts:
        _standalone_sheet(text)
    return len(texts)


@dataclass(frozen=True)
class LaidOut:
    """A document's PDF, its page count and what was read off its boxes while it was laid out."""

    pdf: bytes
    pages: int
    extra: Any = None
    page_names: tuple[tuple[str, ...], ...] = ()  # each document's pages' names (CSS named pages)
    stamp_extra: Any = None  # what was read off the page stamp's boxes (its margin boxes)
    bookmarks: tuple = ()  # each page's weasyprint bookmarks: (level, label, (x, y), state)


class LayoutCache:
    """Finished PDFs by the digest of their HTML, valid while every file their layout read is unchanged."""

    def __init__(self, cache_dir: Path | None, wait: bool = True):
        self.folder = cache_dir / LAYOUT_DIR if cache_dir else None
        self.wait = wait  # False: a layout another process holds raises LayoutBusy (claim)

    @staticmethod
    def key(html: str, kit_root: Path) -> str:
        import weasyprint

        from kit import pdffonts

        digest = hashlib.sha256()
        for part in (LAYOUT_CACHE_VERSION, weasyprint.__version__, Path(pdffonts.__file__).read_text(),
                     str(kit_root.resolve()), html):
            digest.update(part.encode("utf-8") + b"\0")
        return digest.hexdigest()

    def get(self, key: str) -> LaidOut | None:
        if self.folder is None:
            return None
        try:
            meta = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            for path, sha in meta["read"].items():
                if _current(Path(path)) != sha:
                    return None
            pdf = (self.folder / f"{key}.pdf").read_bytes()
            if bytes_digest(pdf) != meta["pdf"]:
                return None
            return LaidOut(pdf, meta["pages"], meta.get("extra"),
                           tuple(tuple(names) for names in meta["page_names"]),
                           bookmarks=_frozen_bookmarks(meta["bookmarks"]))
        except (OSError, ValueError, KeyError):
            return None

    @contextmanager
    def claim(self, key: str):
        """Hold this layout for this process: another worker asking for the same layout at the same
        time (the per-pair copies of one guide lay out the same blank master) waits, then finds it
        in the cache, instead of laying it out a second time. One that is not to wait (`wait`) is
        told at once, with LayoutBusy: a worker then renders another output meanwhile."""
        if self.folder is None or fcntl is None:
            yield
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        lock = self.folder / f"{key}.lock"
        with open(lock, "a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX if self.wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                from kit.outputs import LayoutBusy

                raise LayoutBusy(key) from None
            try:
                yield
            finally:
                # Whoever waited on this file finds the layout cached once it gets the lock.
                lock.unlink(missing_ok=True)
                fcntl.flock(handle, fcntl.LOCK_UN)

    def put(self, key: str, laid_out: LaidOut, read: dict[str, str]) -> None:
        if self.folder is None:
            return
        from kit.writer import write_atomic

        self.folder.mkdir(parents=True, exist_ok=True)
        # Not synced to disk (write_atomic's `durable`): the entry names its PDF's digest, so a PDF
        # a crash left unwritten is never used.
        write_atomic(self.folder / f"{key}.pdf", laid_out.pdf, durable=False)
        meta = {"pages": laid_out.pages, "extra": laid_out.extra, "read": read, "page_names": laid_out.page_names,
                "bookmarks": laid_out.bookmarks, "pdf": bytes_digest(laid_out.pdf)}
        write_atomic(self.folder / f"{key}.json", json.dumps(meta, sort_keys=True).encode("utf-8"), durable=False)


def _frozen_bookmarks(pages) -> tuple:
    """Each page's bookmarks, as weasyprint gives them or as the cache's JSON kept them, in tuples."""
    return tuple(tuple((level, label, tuple(point), state) for level, label, point, state in marks)
                 for marks in pages)


def _current(path: Path) -> str:
    try:
        return file_sha256(path)
    except OSError:
        return "missing"


def render_document(htmls: list[str], context, inspect: Callable[[Any], Any] | None = None,
                    inspect_stamp: Callable[[Any], Any] | None = None) -> LaidOut:
    """Lay out one or several HTML documents (each its own "page n / m") into one PDF, through the
    layout cache; `inspect(document)` reads what it needs off the body's boxes, `inspect_stamp` off
    the page stamp's (both kept in the cache too).

    A document's body and its page stamp are laid out apart and the stamp drawn over the body
    (kit.stamps): an edit that only changes what the running header or footer prints (a title, the
    version, the date) lays out the stamp's few lines, not the body again."""
    kit_root, cache = _root_and_cache(context)
    parts = [stamps.split(html) for html in htmls]
    body = _cached_layout([part.body for part in parts], kit_root, inspect, cache)
    if all(part.stamp is None for part in parts):
        return body
    heads = [part.stamp or _PLAIN_HEAD for part in parts]
    stamped = _stamped(body, heads, kit_root, cache, inspect_stamp)
    return stamped or _cached_layout(htmls, kit_root, inspect, cache)  # (not expected) laid out whole


def render_parts(parts: list[str], context, piece: tuple[int, LaidOut] | None = None) -> LaidOut:
    """Lay out one document made of parts, each beginning a page (an agenda's welcome, then each of
    its days): each part's body is laid out and cached alone, so an edit lays out again only the
    parts that print it; the pages are joined, with one outline, and stamped as one document
    ("page n / m" over them all). `piece`: (a part's index, a piece laid out alone, `lay_out_piece`)
    drawn on that part's first page, its bookmarks first (an agenda's title: its first day keeps
    blank lines where it goes, so a new title lays out the title alone, not the day again)."""
    if len(parts) == 1 and piece is None:
        return render_document(parts, context)
    kit_root, cache = _root_and_cache(context)
    split = [stamps.split(html) for html in parts]
    bodies = [_cached_layout([part.body], kit_root, None, cache) for part in split]
    if piece is not None:
        index, drawn = piece
        under = bodies[index]
        bookmarks = (tuple(drawn.bookmarks[0]) + tuple(under.bookmarks[0]), *under.bookmarks[1:])
        bodies[index] = replace(under, pdf=stamps.drawn_on(under.pdf, drawn.pdf, under=True), bookmarks=bookmarks)
    bookmarks = tuple(page for body in bodies for page in body.bookmarks)
    names = tuple(name for body in bodies for name in body.page_names[0])
    return _joined_and_stamped([body.pdf for body in bodies], bookmarks, names, None, split[0].stamp, kit_root, cache)


def _joined_and_stamped(pdfs: list[bytes], bookmarks: tuple, names: tuple[str, ...], extra, stamp: str | None,
                        kit_root: Path, cache: LayoutCache) -> LaidOut:
    """Laid-out pages made one document (render_parts, render_with_tail): joined with one outline
    from each page's bookmarks, then stamped as one ("page n / m" over them all) if `stamp`."""
    from kit.pdfparts import join_documents

    body = LaidOut(join_documents(pdfs, _outline(bookmarks)), len(bookmarks), extra, (names,), bookmarks=bookmarks)
    if stamp is None:
        return body
    stamped = _stamped(body, [stamp], kit_root, cache, None)
    if stamped is None:
        raise RuntimeError(f"the page stamp of a document joined from parts has not its {body.pages} pages")
    return stamped


def boxes(box):
    """A laid-out box and every box inside it, depth first (what generators read off a layout)."""
    yield box
    for child in getattr(box, "children", ()):
        yield from boxes(child)


def lay_out_piece(html: str, context, inspect: Callable[[Any], Any] | None = None) -> LaidOut:
    """A part of a page laid out alone, without the page stamp (one page; cached like a body), to
    be drawn on a body's page (render_parts' `piece`); `inspect` reads what it needs off its boxes."""
    kit_root, cache = _root_and_cache(context)
    return _cached_layout([stamps.split(html).body], kit_root, inspect, cache)


def render_with_tail(html: str, tail_html: str, whole_html: Callable[[], str], context,
                     inspect: Callable[[Any], dict]) -> LaidOut:
    """One document whose last block (a guide's change list, `tail_html`'s body) is laid out apart
    from the rest (`html`): the rest is then the very layout another document makes (the pairs'
    blank master, cached once for both). `inspect` reads the rest's boxes into a dict holding its
    flow_end under "end". The tail goes where weasyprint puts it in `whole_html()`: after the
    last block, its margins collapsed with that block's, when it fits on that page; else at the
    top of a page of its own. A tail of several pages, or a rest without its mark, is laid out whole."""
    kit_root, cache = _root_and_cache(context)
    part = stamps.split(html)
    body = _cached_layout([part.body], kit_root, inspect, cache)
    tail = _cached_layout([stamps.split(tail_html).body], kit_root, tail_block, cache)
    end, block = (body.extra[0] or {}).get("end"), tail.extra[0]
    if end is None or block is None or tail.pages != 1:
        return render_document([whole_html()], context)
    # The mark stands where the flow goes on: below the last block's own collapsed margins.
    top = end["y"] - _collapsed(end["margins"]) + _collapsed([*end["margins"], block["margin_top"]])
    on_page = top + block["height"] <= end["bottom"] * (1 + 1e-9)  # weasyprint's own test
    if not on_page:
        top = end["top"]  # margins adjoining an unforced page break are truncated
    shift = top - block["top"]  # CSS pixels down the page
    page = end["page"] if on_page else body.pages
    marks = tuple((level, label, (x, y + shift), state) for level, label, (x, y), state in tail.bookmarks[0])
    bookmarks = list(body.bookmarks) + ([] if on_page else [()])
    bookmarks[page] = tuple(bookmarks[page]) + marks
    names = tuple(body.page_names[0]) + (() if on_page else (tail.page_names[0][0],))
    pdf = stamps.drawn_on(body.pdf, tail.pdf, page, shift * PX)
    return _joined_and_stamped([pdf], tuple(bookmarks), names, body.extra, part.stamp, kit_root, cache)


def flow_end(document) -> dict | None:
    """Where a document's flow ends, read off its last page's `.flow-end` mark (a box placed
    absolutely after the last block: at that block's bottom border edge and its margins): in CSS
    pixels from the page's top, the mark's top (`y`), the last block's bottom margins, which
    collapse with those of what would follow (`margins`), and the page's content area (`top`,
    `bottom`). None without the mark."""
    page_box = document.pages[-1]._page_box
    found = _with_parent(page_box, "flow-end")
    if found is None:
        return None
    mark, parent = found
    margins = []
    box = parent
    while True:  # the last block in the flow, then its own last block, while their margins adjoin
        blocks = [child for child in getattr(box, "children", ()) if child is not mark
                  and _is_block(child) and child.is_in_normal_flow()]
        if not blocks:
            break
        box = blocks[-1]
        margins.append(box.margin_bottom)
        if box.padding_bottom or box.border_bottom_width or box.style["height"] != "auto":
            break
    return {"page": len(document.pages) - 1, "y": mark.position_y, "margins": margins,
            "top": page_box.content_box_y(), "bottom": page_box.content_box_y() + page_box.height}


def tail_block(document) -> dict | None:
    """The first block of a document laid out alone (a tail, render_with_tail): in CSS pixels from
    the page's top, its border edge's top and height, and its top margin. None if it has none."""
    body = _with_parent(document.pages[0]._page_box, None, tag="body")
    blocks = [child for child in (body[0].children if body else ()) if _is_block(child) and child.is_in_normal_flow()]
    if not blocks:
        return None
    block = blocks[0]
    return {"top": block.border_box_y(), "height": block.border_height(), "margin_top": block.margin_top}


def _with_parent(root, css_class: str | None, tag: str | None = None):
    """The first box under `root` of an element with this class (or tag), and its parent box."""
    stack = [(root, None)]
    while stack:
        box, parent = stack.pop()
        element = getattr(box, "element", None)
        if element is not None and getattr(box, "element_tag", None) is not None and (
                (tag is not None and box.element_tag == tag)
                or (css_class is not None and css_class in (element.get("class") or "").split())):
            return box, parent
        stack.extend((child, box) for child in reversed(getattr(box, "children", ())))
    return None


def _is_block(box) -> bool:
    from weasyprint.formatting_structure import boxes as weasyprint_boxes

    return isinstance(box, weasyprint_boxes.BlockLevelBox)


def _collapsed(margins: list[float]) -> float:
    """Adjoining margins collapsed into one (CSS 2.1, 8.3.1): the largest positive plus the most negative."""
    return max([0.0, *margins]) + min([0.0, *margins])


def _stamped(body: LaidOut, heads: list[str], kit_root: Path, cache: LayoutCache, inspect_stamp) -> LaidOut | None:
    """`body` with its page stamp drawn over it: the stamp of each of its documents (`heads`, one
    per document), laid out over pages of the same names: its frame over one page of each name and
    its numbers over every page (kit.stamps), or whole over every page when that is as many pages
    (a one-page document's stamp, in one layout, costs less than in two). `inspect_stamp` reads the
    frame. None if the pages do not match."""
    names = [list(names) for names in body.page_names]
    in_two = body.pages > sum(len(set(n)) for n in names) and all(stamps.in_two(head) for head in heads)
    frame_html = stamps.frame_html if in_two else stamps.stamp_html
    frames = _cached_layout([frame_html(head, n) for head, n in zip(heads, names, strict=True)],
                            kit_root, inspect_stamp, cache)
    numbers = _cached_layout([stamps.numbers_html(head, n) for head, n in zip(heads, names, strict=True)],
                             kit_root, None, cache) if in_two else None
    framing = stamps.frame_pages(names) if in_two else list(range(body.pages))
    if frames.pages != max(framing, default=-1) + 1 or (numbers is not None and numbers.pages != body.pages):
        return None
    pdf = stamps.stamped(body.pdf, frames.pdf, framing, numbers.pdf if numbers is not None else None)
    return LaidOut(pdf, body.pages, body.extra, body.page_names, frames.extra, body.bookmarks)


def _outline(bookmarks: tuple) -> list:
    """weasyprint's bookmark tree of joined pages from each page's bookmarks, in PDF points from the
    page's top-left corner (kit.pdfparts.join_documents turns them up, with each page's height)."""
    from types import SimpleNamespace

    weasyprint, _ = _weasyprint()
    pages = [SimpleNamespace(bookmarks=marks) for marks in bookmarks]
    return weasyprint.Document.make_bookmark_tree(SimpleNamespace(pages=pages), scale=PX)


def _root_and_cache(context) -> tuple[Path, LayoutCache]:
    """The kit folder and layout cache of a RenderContext (or of a bare kit folder: no cache)."""
    return getattr(context, "kit_root", context), LayoutCache(getattr(context, "cache_dir", None),
                                                              getattr(context, "wait_for_layouts", True))


# The head of a document without a stamp, when another document joined with it has one.
_PLAIN_HEAD = "<!DOCTYPE html><html><head></head><body>"


def _cached_layout(htmls: list[str], kit_root: Path, inspect, cache: LayoutCache) -> LaidOut:
    # What reads the boxes is part of the key: what it read is kept with the layout.
    reader = f"{inspect.__module__}.{inspect.__qualname__}" if inspect is not None else ""
    key = cache.key("\0".join(htmls) + "\0" + reader, kit_root)
    found = cache.get(key)
    if found is not None:
        return found
    with cache.claim(key):
        found = cache.get(key)  # laid out by another worker while this one waited
        if found is not None:
            return found
        return _lay_out(htmls, kit_root, inspect, cache, key)


def _lay_out(htmls: list[str], kit_root: Path, inspect, cache: LayoutCache, key: str) -> LaidOut:
    fetcher = url_fetcher(kit_root)
    documents = [layout_document(html, kit_root, fetcher) for html in htmls]
    extra = [inspect(d) for d in documents] if inspect else None
    pages = [page for document in documents for page in document.pages]
    document = documents[0] if len(documents) == 1 else documents[0].copy(pages)
    names = tuple(tuple(_page_name(page) for page in d.pages) for d in documents)
    laid_out = LaidOut(document.write_pdf(), len(pages), extra, names,
                       bookmarks=_frozen_bookmarks(page.bookmarks for page in pages))
    cache.put(key, laid_out, fetcher.read)
    return laid_out


def _page_name(page) -> str:
    """The CSS page name a laid-out page was made with ("" for none): its stamp page takes it."""
    page_type = getattr(getattr(page, "_page_box", None), "page_type", None)
    return getattr(page_type, "name", "") or ""


def render_pdf(html: str, context) -> tuple[bytes, int]:
    """The PDF bytes and page count of one HTML document, resolving images against the kit folder.

    `context` is the RenderContext (its cache folder holds laid-out documents), or a kit folder.
    """
    laid_out = render_document([html], context)
    return laid_out.pdf, laid_out.pages


def render_joined(htmls: list[str], context) -> tuple[bytes, int]:
    """Several documents laid out alone (each its own "page n / m"), their pages joined in one PDF."""
    laid_out = render_document(htmls, context)
    return laid_out.pdf, laid_out.pages


def css_string(text: str) -> Markup:
    """A quoted CSS string for running headers and footers, safe inside a <style> element."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
               .replace("<", "\\3c ").replace(">", "\\3e "))
    return Markup(f'"{escaped}"')



_warmed: set[str] = set()  # what warm_up has done in this process: "pango", "dictionaries", "fonts"


def warm_up(fonts: bool = True, dictionaries: bool = False) -> None:
    """Lay out a line or two, thrown away: a new render process pays the first use of pango,
    fontconfig, the templates and kit's fonts while the build is still loading the content. Each
    once per process, and not again in a fork of a process that did (kit.warm).

    Kit's fonts only when `fonts`, inside a build: weasyprint copies the files of @font-face fonts
    into a temporary folder, which kit.build.TemporaryFolder puts under the output folder while it
    builds (kit's warm process, which builds nothing, warms up in the system's own sans-serif).
    They are registered in the font configuration the build's documents then share.

    The hyphenation dictionaries of every language kit prints (pyphen's, kept for the process) only
    when `dictionaries`: in kit's warm process, which has the time. A render worker, whose warm-up
    the build waits for, loads a language's the first time one of its documents hyphenates (a
    tenth of a second, once; a French kit never loads the English one)."""
    _, fetcher = _weasyprint()
    if "pango" not in _warmed:
        _warmed.add("pango")
        environment().get_template("base.html.j2")
        stamps.text_width("")  # the fonts' advance widths, which every page stamp is measured with
        if not fonts:  # (with them, their own line warms pango up)
            html = "<style>body { font-family: sans-serif }</style><p>Été <b>gras</b> <i>italique</i></p>"
            ua_sheet.html_class()(string=html, url_fetcher=fetcher((PACKAGE_DIR,))).render().write_pdf()
    if dictionaries and "dictionaries" not in _warmed:
        _warmed.add("dictionaries")
        import pyphen

        from kit.labels import LANGUAGES

        for language in LANGUAGES:
            pyphen.Pyphen(lang=language)
    if fonts and "fonts" not in _warmed:
        _warmed.add("fonts")
        html = (f'<style id="kit-fonts">\n{font_face_css()}\n</style><style>body {{ font-family: Inter }}</style>'
                "<p>Été <b>gras</b> <i>italique</i> <b><i>gras italique</i></b> <span style='font-weight: 600'>"
                "demi-gras</span></p>")
        layout_document(html, PACKAGE_DIR).write_pdf()
