"""Turn a session into its agenda PDFs: participant programme, facilitator run sheet, newcomer edition.

The three editions share one template and one view of the schedule; an edition only decides
which blocks show (by audience) and which details print (notes, leads, materials checklist).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kit.content import Content, session_files
from kit.content.materials import Material
from kit.content.sessions import Block, Session
from kit.documents import Stamp, base_context, boxes, lay_out_piece, render_html, render_parts
from kit.file_names import named
from kit.generators import RenderContext, Rendered, register
from kit.labels import Labels
from kit.outputs import Output, needs
from kit.schedule import DaySchedule, TimedStep, TrackSlot, schedule

TEMPLATE = "agenda.html.j2"


@dataclass(frozen=True)
class Edition:
    """Who an agenda edition is for: the audiences it shows and what it prints."""

    name: str  # its file is named by NAME_KEYS below, in the kit's language
    audiences: frozenset[str]
    facilitator_details: bool = False
    introduction: bool = False


EDITIONS = {
    "participants": Edition("participants", frozenset({"everyone"})),
    "facilitators": Edition("facilitators", frozenset({"everyone", "newcomers", "facilitators"}),
                            facilitator_details=True),
    "newcomers": Edition("newcomers", frozenset({"everyone", "newcomers"}), introduction=True),
}

# Each edition's name key (kit.file_names): a French kit's programme.pdf is an English kit's agenda.pdf.
NAME_KEYS = {"participants": "agenda", "facilitators": "run-sheet", "newcomers": "newcomer-agenda"}


def edition_path(session: Session, edition: str, config=None) -> str:
    return f"{session.id}/{named(config, NAME_KEYS[edition])}"


@dataclass
class MaterialLine:
    """A material as printed: its label, how many, and the kit file that provides it."""

    label: str
    count: int | None = None
    output: str | None = None
    blocks: list[str] = field(default_factory=list)


@dataclass
class TrackColumn:
    """One track of a block as printed: a column of the block's row, with its times and materials."""

    slot: TrackSlot
    leads: str = ""
    materials: list[MaterialLine] = field(default_factory=list)


@dataclass
class Row:
    """One line of a day's agenda: a half-day heading, free time, or a block."""

    type: str  # "half" | "free" | "block"
    start: int = 0
    end: int = 0
    label: str = ""
    block: Block | None = None
    leads: str = ""
    materials: list[MaterialLine] = field(default_factory=list)
    steps: tuple[TimedStep, ...] = ()
    tracks: list[TrackColumn] = field(default_factory=list)


def material_line(material: Material, content: Content, printed: dict[str, tuple[str, ...]]) -> MaterialLine:
    if material.kind is None:
        return MaterialLine(material.label, material.count)
    item = content.of(material.kind).get(material.ref)
    title = material.label if material.label != material.ref else (getattr(item, "title", None) or material.ref)
    outputs = printed.get(getattr(item, "file", ""), [])
    return MaterialLine(title, material.count, output=outputs[0] if outputs else None)


def day_rows(day: DaySchedule, labels: Labels, content: Content, printed: dict[str, tuple[str, ...]]) -> list[Row]:
    """The printed lines of a day as one edition sees it: half-day headings, free time, blocks."""
    rows: list[Row] = []
    current_half = None
    for slot in day.slots:
        half = day.half_of(slot)
        if half in ("morning", "afternoon") and half != current_half:
            rows.append(Row("half", slot.start, slot.end, labels(half)))
            current_half = half
        if slot.free_before:
            rows.append(Row("free", slot.start - slot.free_before, slot.start, labels("free")))
        tracks = [TrackColumn(track, labels.names(track.track.leads),
                              [material_line(m, content, printed) for m in track.track.materials])
                  for track in slot.tracks]
        rows.append(Row("block", slot.start, slot.end, block=slot.block, leads=labels.names(slot.block.leads),
                        materials=[material_line(m, content, printed) for m in slot.block.materials],
                        steps=slot.steps, tracks=tracks))
    return rows


def checklist(day: DaySchedule, content: Content, printed: dict[str, tuple[str, ...]]) -> list[MaterialLine]:
    """The materials of a day's blocks and their tracks, each once, with the blocks that need it
    (a track's as "block · track", so that the right room gets it)."""
    lines: dict[str, MaterialLine] = {}
    for slot in day.slots:
        for part in slot.block.parts:
            where = slot.block.title if part is slot.block else f"{slot.block.title} · {part.title}"
            for material in part.materials:
                line = lines.get(material.key)
                if line is None:
                    line = lines[material.key] = material_line(material, content, printed)
                elif material.count:
                    line.count = max(line.count or 0, material.count)
                if where not in line.blocks:
                    line.blocks.append(where)
    return list(lines.values())


def agenda_context(session: Session, edition: Edition, content: Content, context: RenderContext) -> dict:
    config = content.config
    labels = Labels(config.language)
    stamp = Stamp(kit_title=config.title, document=session.title,
                  edition=labels(f"edition.{edition.name}"), version=config.version,
                  date=labels.date(config.date, weekday=False))
    printed = context.printed
    days = []
    for number, whole_day in enumerate(schedule(session), start=1):
        day = whole_day.for_audiences(edition.audiences)
        days.append({
            "number": number,
            "day": day.day,
            "date": labels.date(day.day.date),
            "start": day.start,
            "end": day.end,
            "halves": day.half_days(),
            "rows": day_rows(day, labels, content, printed),
            "checklist": checklist(day, content, printed) if edition.facilitator_details else [],
        })
    return {
        **base_context(context.theme, stamp),
        "session": session,
        "edition": edition,
        "days": days,
        "config": config,
        "intro": session.introduction if edition.introduction else None,
        "part": None,  # the whole agenda; or "welcome", or a day's index: that part alone; or "title"
        "title_lines": None,  # lines kept blank for the title, drawn apart (AgendaGenerator.render)
    }


@register
class AgendaGenerator:
    """The three agenda editions of every session, in output/<session>/."""

    kind = "agenda"
    renderers = ("weasyprint",)

    def outputs(self, content: Content) -> list[Output]:
        result = []
        for session in content.sessions.values():
            sources = self.sources(session, content)
            inputs = self.inputs(session, content)
            for edition in EDITIONS.values():
                if edition.introduction and not self.has_newcomers(session):
                    continue
                result.append(Output(self.kind, edition_path(session, edition.name, content.config), session.id,
                                     sources, edition.name, inputs=inputs))
        return result

    @staticmethod
    def inputs(session: Session, content: Content) -> tuple[str, ...]:
        """The session and its formats; of the decks, guides and sheets it names, only what prints:
        their titles and the files a checklist tells to print (their questions or cards do not)."""
        formats = [content.formats[b.format].file for day in session.days for b in day.blocks
                   if b.format in content.formats]
        named = {}
        for material in (m for day in session.days for b in day.blocks for m in b.every_material if m.kind):
            item = content.of(material.kind).get(material.ref)
            if item is not None:
                named[f"{material.kind}/{material.ref}"] = (getattr(item, "title", "") or "", item.file)
        titles = "; ".join(f"{key}: {title}" for key, (title, _) in sorted(named.items()))
        return needs(files=[session.file, *formats], templates=[TEMPLATE], language=content.config.language,
                     printed=sorted(file for _, file in named.values()), values={"material titles": titles})

    @staticmethod
    def has_newcomers(session: Session) -> bool:
        return session.introduction is not None or any(
            block.audience == "newcomers" for day in session.days for block in day.blocks)

    @staticmethod
    def sources(session: Session, content: Content) -> tuple[str, ...]:
        """The session, its formats, and the kit content its materials name (their titles print)."""
        return session_files(content, session)

    def render(self, output: Output, content: Content, context: RenderContext) -> Rendered:
        session = content.sessions[output.subject]
        edition = EDITIONS[output.edition]
        data = agenda_context(session, edition, content, context)
        # Laid out part by part (the welcome, then each day, each beginning a page), so an edit of
        # one day lays out that day again, not the others.
        parts = (["welcome"] if data["intro"] else []) + list(range(len(data["days"])))
        # The session's title is laid out alone and drawn on the first day's first page, which
        # keeps as many blank lines for it: a title edit lays out the title, not the day again.
        piece, lines = None, None
        if data["days"]:
            title = lay_out_piece(render_html(TEMPLATE, {**data, "part": "title"}), context, inspect=title_lines)
            piece, lines = (parts.index(0), title), title.extra[0]
        htmls = [render_html(TEMPLATE, {**data, "part": part, "title_lines": lines}) for part in parts]
        laid_out = render_parts(htmls, context, piece=piece)
        return Rendered({output.path: laid_out.pdf}, laid_out.pages)


def title_lines(document) -> int:
    """How many lines the session's title (the first h1) takes in its piece."""
    for box in boxes(document.pages[0]._page_box):
        if getattr(box, "element_tag", None) == "h1":
            return max(1, sum(1 for child in getattr(box, "children", ()) if type(child).__name__ == "LineBox"))
    return 1
