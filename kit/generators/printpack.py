"""Turn a session's printed outputs into its print pack: the print list and the binder.

- `<session>/a-imprimer.pdf` (`print-list.pdf` in English): one page listing every file to print
  for the session (paper, duplex edge, scale 100 %, copies, pages, a tick box), in print order.
- `<session>/classeur.pdf` (`binder.pdf`): one PDF with everything printed at home on the kit's
  paper, each copy of each part starting on a recto (a blank verso follows an odd page count),
  so that one duplex print job does it. A3 sheets, print-shop files and the note to send are
  listed apart.

Both are made from other outputs (the engine renders those first) and read their files back:
page counts and paper sizes are the files' own. Which files and how many copies come from the
session: its `participants:` (by role), `groups:` and `pairs:`, and the materials of its blocks.
A session without `participants:` has no print pack.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from pathlib import Path

from kit.content import Content, session_files
from kit.content.sessions import Session
from kit.documents import Stamp, base_context, render_html, render_pdf
from kit.generators import GENERATORS, RenderContext, Rendered, register
from kit.file_names import named
from kit.generators.agenda import edition_path
from kit.generators.deck import calibration_path
from kit.generators.deck import output_path as deck_path
from kit.generators.guide import pair_copies_path
from kit.generators.session_sheets import session_sheet_path
from kit.labels import Labels
from kit.outputs import DOCUMENT_SETTINGS, FILE_NAME_SETTINGS, Output, needs
from kit.plan import printed_files
from kit.theme import MM, PAPER_MM

# The name key (kit.file_names) of each file of the pack.
PACK_FILES = {"list": "print-list", "binder": "binder"}
PACK_KINDS = ("print-list", "binder")
LIST_TEMPLATE = "printpack-list.html.j2"

# Where a part is printed.
BINDER, APART, SHOP, SEND = "binder", "apart", "shop", "send"
PLACES = (BINDER, APART, SHOP, SEND)
POCKET_CARDS_PER_SHEET = 4
PAPER_TOLERANCE_MM = 2.0


def pack_path(session: Session, what: str, config=None) -> str:
    return f"{session.id}/{named(config, PACK_FILES[what])}"


@dataclass(frozen=True)
class Part:
    """A file of a session's print pack: what it is, how many copies and why, where it is printed."""

    path: str
    title: str
    copies: int
    why: str                  # a label key ("pack.why.pair")
    place: str                # binder | apart | shop | send
    sides: str | None = None  # forced: deck sheets follow the printer's duplex ("long", "short", "none")


@dataclass(frozen=True)
class Row:
    """A part as the print list prints it: with its file's pages and paper, read back."""

    part: Part
    pages: int
    paper: str                # "A4", "A3", "letter", or a size in mm ("69×94")
    sides: str                # simplex | long | short | none | shop | send
    place: str


def other_outputs(content: Content) -> list[Output]:
    """Every output of the kit except the print packs themselves (what a pack may be made from)."""
    return [o for kind, generator in GENERATORS.items() if kind not in PACK_KINDS
            for o in generator.outputs(content)]


def pack_parts(content: Content, session: Session, outputs: list[Output]) -> list[Part]:
    """The files a session prints, in print order (badges, agendas, then materials by first use),
    each once with the most copies any block asks for: pure data, from the content and the plan."""
    labels = Labels(content.config.language)
    config = content.config
    duplex = content.config.printing.duplex
    by_path = {o.path: o for o in outputs}
    printed = printed_files(outputs)
    parts: dict[str, Part] = {}

    def add(path: str, title: str, copies: int, why: str, place: str, sides: str | None = None) -> None:
        if path not in by_path:
            return
        if path in parts:
            if copies > parts[path].copies:
                parts[path] = replace(parts[path], copies=copies, why=why)
            return
        parts[path] = Part(path, title, max(1, copies), why, place, sides)

    residents = len(session.with_role("résident"))
    # Badges go into holders, one side each: never a badge on the back of another.
    add(session_sheet_path(session, "badges", config), labels("pack.badges"), 1, "pack.why.badges", BINDER,
        "simplex")
    add(edition_path(session, "facilitators", config), labels("edition.facilitators"), residents or 1, "pack.why.residents", BINDER)
    add(edition_path(session, "participants", config), labels("edition.participants"), len(session.with_role("ambassadeur")),
        "pack.why.ambassadors", BINDER)
    add(edition_path(session, "newcomers", config), labels("edition.newcomers"), len(session.with_role("nouveau")),
        "pack.why.newcomers", BINDER)
    add(session_sheet_path(session, "canvas", config), labels("pack.canvas.title"), session.group_count,
        "pack.why.group", BINDER)

    decks_at_home = False
    for day in session.days:
        # A block's tracks count their copies by their own kind (a pairs' room beside a plenary one).
        for part in (part for block in day.blocks for part in block.parts):
            if part.kind == "binômes":
                usual = (session.pair_count, "pack.why.pair")
            elif part.kind == "groupes":
                usual = (session.group_count, "pack.why.group")
            else:
                usual = (1, "pack.why.one")
            for material in part.materials:
                item = content.of(material.kind).get(material.ref) if material.kind else None
                if item is None:
                    continue
                title = getattr(item, "title", None) or material.ref
                asked = (material.count, "pack.why.count") if material.count else None
                if material.kind == "decks":
                    copies, why = asked or (session.group_count, "pack.why.group")
                    home, fold = deck_path(item, "home", config), deck_path(item, "fold", config)
                    if home in by_path and duplex == "long":
                        add(home, title, copies, why, BINDER, "long")
                    elif home in by_path and duplex == "short":
                        add(home, title, copies, why, APART, "short")
                    elif fold in by_path:
                        add(fold, title, copies, why, APART, "simplex")
                    else:
                        add(home, title, copies, why, APART, duplex)
                    decks_at_home = decks_at_home or home in by_path or fold in by_path
                    add(deck_path(item, "shop", config), title, copies, why, SHOP, "shop")
                elif material.kind == "guides":
                    for path in printed.get(item.file, ()):
                        if getattr(item, "mode", "") == "à la volée":
                            sheets = -(-len(session.participants) // POCKET_CARDS_PER_SHEET)
                            add(path, labels("guide.pocket"), sheets, "pack.why.pocket", BINDER)
                        else:
                            copies, why = asked or usual
                            add(path, title, copies, why, BINDER)
                elif material.kind == "field":
                    copies_of = {pair_copies_path(item.id, pair, config): pair for pair in item.pairs}
                    for path in printed.get(item.file, ()):
                        if path in copies_of:
                            add(path, labels("guide.copy", pair=copies_of[path]), 1, "pack.why.pair_copies", BINDER)
                        elif by_path[path].kind == "field-missions":
                            add(path, labels("field.missions"), 1, "pack.why.missions", BINDER)
                        else:
                            add(path, labels("field.overview"), residents or 1, "pack.why.residents", BINDER)
                else:  # worksheets: the blank sheet (the first file made from it), one-sided to write on
                    files = printed.get(item.file, ())
                    if files:
                        wall = getattr(item, "kind", "") == "theme-posters"
                        copies, why = asked or ((1, "pack.why.wall") if wall else usual)
                        add(files[0], title, copies, why, BINDER, "simplex")

    add(session_sheet_path(session, "debrief", config), labels("pack.debrief.title"), 1, "pack.why.one", BINDER)
    if decks_at_home:
        add(calibration_path(config), labels("deck.calibration"), 1, "pack.why.calibration", APART, duplex)
    add(session_sheet_path(session, "note", config), labels("pack.note"), 1, "pack.why.send", SEND, "send")
    return list(parts.values())


def paper_name(width_pt: float, height_pt: float) -> str:
    """The kit's name for a page size (either orientation), or its size in mm ("69×94": a card
    with its bleed, for the print shop)."""
    size = sorted((width_pt / MM, height_pt / MM))
    for name, (w, h) in PAPER_MM.items():
        if abs(size[0] - w) <= PAPER_TOLERANCE_MM and abs(size[1] - h) <= PAPER_TOLERANCE_MM:
            return name
    return f"{width_pt / MM:.0f}×{height_pt / MM:.0f}"


def read_rows(parts: list[Part], paper: str, locate) -> list[Row]:
    """Each part with its file's pages and paper, read back (`locate(path)` says where the file is);
    a part whose sheets are not the kit's paper (A3) leaves the binder for the list's "apart"."""
    from kit.pdfparts import page_sizes

    rows = []
    for part in parts:
        every = page_sizes(locate(part.path))
        pages, sizes = len(every), {paper_name(*size) for size in every}
        found = sizes.pop() if len(sizes) == 1 else " / ".join(sorted(sizes))
        place = APART if part.place == BINDER and found != paper else part.place
        sides = part.sides or ("long" if pages > 1 else "simplex")
        rows.append(Row(part, pages, found, sides, place))
    return rows


@dataclass(frozen=True)
class BinderEntry:
    """One copy of one part in the binder: where it starts (1-based), its pages, and the blank
    versos it takes: after every page of a one-sided part, else after an odd last page."""

    path: str
    copy: int
    first_page: int
    pages: int
    simplex: bool = False

    @property
    def blanks_after(self) -> tuple[int, ...]:
        """The part's pages (1-based) followed by a blank verso."""
        if self.simplex:
            return tuple(range(1, self.pages + 1))
        return (self.pages,) if self.pages % 2 else ()

    @property
    def length(self) -> int:
        return self.pages + len(self.blanks_after)


def binder_layout(parts: list[tuple[str, int, int, bool]]) -> tuple[list[BinderEntry], int]:
    """(path, pages, copies, one-sided) in order → each copy's place in the binder, and the binder's
    page count. Every copy starts on a recto (an odd page), and a one-sided part prints every page
    on a recto."""
    entries, page = [], 1
    for path, pages, copies, simplex in parts:
        for copy in range(1, copies + 1):
            entry = BinderEntry(path, copy, page, pages, simplex)
            entries.append(entry)
            page += entry.length
    return entries, page - 1


LIST_PAGES = 1  # the print list is one page; it opens the binder, with its blank verso


def binder_parts(rows: list[Row], list_path: str) -> list[tuple[str, int, int, bool]]:
    return [(list_path, LIST_PAGES, 1, False)] + [(r.part.path, r.pages, r.part.copies, r.sides == "simplex")
                                                   for r in rows if r.place == BINDER]


class _PackGenerator:
    renderers = ("weasyprint", "pikepdf")

    def packs(self, content: Content):
        """(session, its parts) of each session that lists participants."""
        sessions = [s for s in content.sessions.values() if s.participants]
        if not sessions:
            return []
        outputs = other_outputs(content)
        return [(session, pack_parts(content, session, outputs)) for session in sessions]

    @staticmethod
    def files(content: Content, session: Session) -> list[str]:
        """What decides the parts and their copies: the session, its formats, the items its materials name."""
        return list(session_files(content, session))


@register
class PrintListGenerator(_PackGenerator):
    """The session's print list: one page, each file with its paper, sides, scale, copies, a tick box."""

    kind = "print-list"

    def outputs(self, content: Content) -> list[Output]:
        result = []
        for session, parts in self.packs(content):
            # It counts the parts' pages and names their paper: an edit that keeps those renders it not again.
            inputs = needs(files=self.files(content, session), templates=[LIST_TEMPLATE],
                           settings=(*DOCUMENT_SETTINGS, *FILE_NAME_SETTINGS, "print.duplex"), language=content.config.language,
                           shapes=[p.path for p in parts])
            result.append(Output(self.kind, pack_path(session, "list", content.config), session.id,
                                 (session.file,), "list", inputs=inputs))
        return result

    def render(self, output: Output, content: Content, context: RenderContext) -> Rendered:
        session = content.sessions[output.subject]
        parts = pack_parts(content, session, other_outputs(content))
        rows = read_rows(parts, content.config.paper, context.made)
        html = render_html(LIST_TEMPLATE, list_context(session, rows, content, context))
        pdf, pages = render_pdf(html, context)
        return Rendered({output.path: pdf}, pages)


def list_context(session: Session, rows: list[Row], content: Content, context: RenderContext) -> dict:
    labels = Labels(content.config.language)
    config = content.config
    binder = pack_path(session, "binder", config)
    _, total = binder_layout(binder_parts(rows, pack_path(session, "list", config)))
    stamp = Stamp(kit_title=config.title, document=session.title, edition=labels("pack.list"),
                  version=config.version, date=labels.date(config.date, weekday=False))
    sections = [(place, [r for r in rows if r.place == place]) for place in PLACES]
    return {**base_context(context.theme, stamp), "session": session, "config": config,
            "binder": binder, "binder_pages": total, "binder_sheets": total // 2,
            "sections": [(place, section) for place, section in sections if section],
            "paper_label": {"letter": "Letter"}.get(config.paper, config.paper)}


def terminal_lines(content: Content, session_id: str, out_dir: Path) -> list[str]:
    """The print list as `kit build --session` prints it, read from the files in the output folder;
    nothing for a session without participants (it has no print pack)."""
    session = content.sessions.get(session_id)
    if session is None or not session.participants:
        return []
    labels = Labels(content.config.language)
    config = content.config
    parts = pack_parts(content, session, other_outputs(content))
    rows = read_rows(parts, content.config.paper, lambda path: out_dir / path)
    binder = pack_path(session, "binder", config)
    _, total = binder_layout(binder_parts(rows, pack_path(session, "list", config)))
    width = max(len(r.part.path) for r in rows + [Row(Part(binder, "", 1, "", BINDER), 0, "", "", BINDER)])
    lines = [labels("pack.list.terminal", session=session.id, file=pack_path(session, "list", config))]
    actual_size = labels("unit.percent", value="100")

    def line(path: str, paper: str, sides: str, copies: int, pages: int, scale: str = actual_size) -> str:
        return f"  [ ] {path.ljust(width)}  {paper:<6} {sides:<24} {scale:<5}  ×{copies:<3} {pages:>3} p."

    lines.append(labels("pack.list.binder"))
    lines.append(line(binder, content.config.paper, labels("pack.sides.long"), 1, total))
    for place in PLACES:
        section = [r for r in rows if r.place == place]
        if not section:
            continue
        lines.append(labels({BINDER: "pack.list.inside", APART: "pack.list.apart", SHOP: "pack.list.shop",
                             SEND: "pack.list.send"}[place]))
        for r in section:
            lines.append(line(r.part.path, r.paper, labels(f"pack.sides.{r.sides}"), r.part.copies, r.pages,
                              "" if r.sides == "send" else actual_size) + f"  ({labels(r.part.why)})")
    return lines


@register
class BinderGenerator(_PackGenerator):
    """The session's binder: the print list, then every part printed at home, each copy on a recto."""

    kind = "binder"

    def outputs(self, content: Content) -> list[Output]:
        result = []
        for session, parts in self.packs(content):
            made_from = [pack_path(session, "list", content.config)] + [p.path for p in parts if p.place == BINDER]
            inputs = needs(files=self.files(content, session), settings=("paper", "print.duplex"), fonts=False,
                           outputs=made_from)
            result.append(Output(self.kind, pack_path(session, "binder", content.config), session.id,
                                 (session.file,), "binder", inputs=inputs))
        return result

    def render(self, output: Output, content: Content, context: RenderContext) -> Rendered:
        import pikepdf  # qpdf copies the parts' pages as they are (pypdf parsed them all: 10× slower)

        session = content.sessions[output.subject]
        language = content.config.language
        rows = read_rows(pack_parts(content, session, other_outputs(content)), content.config.paper, context.made)
        list_path = pack_path(session, "list", content.config)
        binder = pikepdf.new()
        sources = {list_path: pikepdf.open(context.made(list_path))}
        try:
            # The list counts itself as one page; one of two pages fills the same sheet.
            parts = [(list_path, len(sources[list_path].pages), 1, False), *binder_parts(rows, list_path)[1:]]
            entries, total = binder_layout(parts)
            for entry in entries:
                source = sources.get(entry.path) or sources.setdefault(entry.path, pikepdf.open(context.made(entry.path)))
                for number, page in enumerate(source.pages[:entry.pages], start=1):
                    binder.pages.append(page)
                    if number in entry.blanks_after:
                        box = page.mediabox
                        binder.add_blank_page(page_size=(float(box[2] - box[0]), float(box[3] - box[1])))
            binder.docinfo["/Title"] = f"{session.title} — {Labels(language)('pack.list.binder')}"
            buffer = io.BytesIO()
            binder.save(buffer, deterministic_id=True, compress_streams=True,
                        object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        finally:
            for source in sources.values():
                source.close()
            binder.close()
        return Rendered({output.path: buffer.getvalue()}, total)


def print_list_for(kit_root: Path, out_dir: Path, session_id: str) -> list[str]:
    """The print list of a session as text lines, after a build (what `kit build --session` shows)."""
    from kit.content import load_kit

    return terminal_lines(load_kit(kit_root), session_id, out_dir)
