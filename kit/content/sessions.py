"""Turn content/sessions/*.yaml into Session objects: days of blocks, formats resolved, materials linked.

Besides its agenda, a session may list who comes (`participants:`, with `groups:` and `pairs:`),
which counts the copies of its print pack, and the sheets made from the session itself: the
survey-strategy canvas, the method-debrief sheet and the announcement note to heads of service.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

from ruamel.yaml.comments import CommentedMap

from kit.content.fields import Fields, did_you_mean, shown
from kit.content.formats import GROUPS, Format, Step, check_steps, read_steps
from kit.content.materials import Material, read_materials

KINDS = GROUPS  # a block's kind is a group form, pause or terrain
AUDIENCES = {
    "everyone": "everyone", "tous": "everyone", "all": "everyone",
    "newcomers": "newcomers", "nouveaux": "newcomers",
    "facilitators": "facilitators", "animateurs": "facilitators", "résidents": "facilitators",
}

# Tracks print as columns of the block's row: more than this and a column is too narrow to read
# on A4 portrait.
MAX_TRACKS = 4


@dataclass(frozen=True)
class Track:
    """One of the activities a block runs side by side (an interview room beside an observation room).

    Everything left out is the block's: its kind, place, leads; its duration is the block's, or
    its own when shorter.
    """

    title: str
    duration: int
    line: int
    path: str
    kind: str | None = None
    place: str | None = None
    leads: tuple[str, ...] = ()
    size: str | None = None
    description: str | None = None
    steps: tuple[Step, ...] = ()
    notes: str | None = None
    materials: tuple[Material, ...] = ()


@dataclass(frozen=True)
class Block:
    """One agenda entry: what happens, for how long, where, led by whom, for which audience."""

    title: str
    duration: int
    file: str
    line: int
    path: str
    at: int | None = None  # fixed start, minutes since midnight
    kind: str | None = None
    place: str | None = None
    leads: tuple[str, ...] = ()
    description: str | None = None
    steps: tuple[Step, ...] = ()
    notes: str | None = None
    materials: tuple[Material, ...] = ()
    tracks: tuple[Track, ...] = ()  # what runs side by side during the block
    audience: str = "everyone"
    format: str | None = None
    variant: str | None = None
    size: str | None = None  # group size, from the format (e.g. "3 groupes de 5 à 6 personnes")
    meal: bool = False  # the day's lunch: splits it into morning and afternoon
    # The lines of `at:` and `duration:` (0 when not written here), for errors about the times.
    at_line: int = field(default=0, compare=False)
    duration_line: int = field(default=0, compare=False)

    @property
    def parts(self) -> tuple[Block | Track, ...]:
        """The block and its tracks: each has its own kind and materials (checklists, print pack)."""
        return (self, *self.tracks)

    @property
    def every_material(self) -> tuple[Material, ...]:
        """The block's materials, then its tracks'."""
        return tuple(m for part in self.parts for m in part.materials)


@dataclass(frozen=True)
class Day:
    """One day of a session: its date, start time, place and blocks in order."""

    date: dt.date
    start: int
    line: int
    path: str
    title: str | None = None
    place: str | None = None
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Glossary:
    term: str
    definition: str


@dataclass(frozen=True)
class Introduction:
    """The newcomer edition's one-page introduction to the case."""

    welcome: str | None = None
    case: str | None = None
    working_group: tuple[str, ...] = ()
    produces: str | None = None
    glossary: tuple[Glossary, ...] = ()


# A participant's role, as printed on their badge; the spellings people write.
ROLES = {
    "résident": "résident", "resident": "résident", "résidente": "résident", "residente": "résident",
    "facilitator": "résident",
    "ambassadeur": "ambassadeur", "ambassadrice": "ambassadeur", "ambassador": "ambassadeur",
    "nouveau": "nouveau", "nouvelle": "nouveau", "newcomer": "nouveau",
}
DEFAULT_ROLE = "ambassadeur"
CANVAS_ROWS = (2, 12)
CANVAS_PAPERS = {"a3": "A3", "a4": "A4", "letter": "letter"}


@dataclass(frozen=True)
class Participant:
    """Someone who takes part in the session: their name on a badge, their role."""

    name: str
    role: str = DEFAULT_ROLE   # résident | ambassadeur | nouveau
    line: int = 0


@dataclass(frozen=True)
class StrategyCanvas:
    """The survey-strategy canvas: whom to meet, where, why, how (à la volée or rendez-vous)."""

    line: int = 0
    title: str | None = None
    profiles: tuple[str, ...] = ()  # prompts printed in the "whom" column
    rows: int = 6
    paper: str = "A3"


@dataclass(frozen=True)
class DebriefSheet:
    """The method-debrief capture sheet: each exercise, then what to change in each guide."""

    line: int = 0
    title: str | None = None


@dataclass(frozen=True)
class Announcement:
    """The note that tells heads of service the survey is coming, without any service idea in it."""

    line: int = 0
    to: str | None = None
    sender: str | None = None     # `from:` in YAML
    date: dt.date | None = None
    text: str | None = None
    text_line: int = 0


@dataclass(frozen=True)
class Session:
    """A workshop session: the agenda from which participant, facilitator and newcomer editions come."""

    id: str
    title: str
    file: str
    days: tuple[Day, ...]
    subtitle: str | None = None
    case: str | None = None
    place: str | None = None
    goal: str | None = None
    introduction: Introduction | None = None
    leads: tuple[str, ...] = field(default=())
    participants: tuple[Participant, ...] = ()
    groups: int | None = None
    pairs: int | None = None
    strategy_canvas: StrategyCanvas | None = None
    debrief_sheet: DebriefSheet | None = None
    announcement: Announcement | None = None

    def with_role(self, role: str) -> tuple[Participant, ...]:
        return tuple(p for p in self.participants if p.role == role)

    @property
    def pair_count(self) -> int:
        """How many pairs work at once: `pairs:`, or the ambassadors and newcomers two by two."""
        if self.pairs:
            return self.pairs
        return max(1, -(-(len(self.participants) - len(self.with_role("résident"))) // 2))

    @property
    def group_count(self) -> int:
        return self.groups or 1


def load_session(doc: Fields, ident: str, formats: dict[str, Format], broken: set[str] = frozenset()) -> Session:
    """Read one session file; `broken` names the formats whose files could not be read (already reported)."""
    days = []
    session_place = doc.text("place")
    if doc.has("days") and isinstance(doc.data.get("days"), list) and not doc.data["days"]:
        doc.error("days", "expected at least one day (date:, start:, blocks:), got none")
    for day_doc in doc.records("days", required=True):
        day_place = day_doc.text("place") or session_place
        blocks = tuple(
            block for block_doc in day_doc.records("blocks", required=True)
            if (block := _load_block(block_doc, formats, day_place, broken)) is not None
        )
        days.append(Day(
            date=day_doc.date("date", required=True, default=dt.date(2000, 1, 1)),
            start=day_doc.clock("start", required=True, default=9 * 60),
            line=day_doc.line,
            path=day_doc.path,
            title=day_doc.text("title"),
            place=day_place,
            blocks=blocks,
        ))
        day_doc.done()
    intro = None
    intro_doc = doc.mapping("newcomers")
    if intro_doc:
        glossary = []
        gloss = intro_doc.mapping("glossary")
        if gloss:
            for term in list(gloss.data):
                definition = gloss.text(str(term), required=True)
                glossary.append(Glossary(str(term), definition or ""))
        intro = Introduction(
            welcome=intro_doc.text("welcome"),
            case=intro_doc.text("case"),
            working_group=tuple(intro_doc.texts("working_group")),
            produces=intro_doc.text("produces"),
            glossary=tuple(glossary),
        )
        intro_doc.done()
    session = Session(
        id=ident,
        title=doc.text("title", required=True, default=ident),
        file=doc.file,
        days=tuple(days),
        subtitle=doc.text("subtitle"),
        case=doc.text("case"),
        place=session_place,
        goal=doc.text("goal"),
        introduction=intro,
        leads=tuple(doc.texts("leads")),
        participants=_load_participants(doc),
        groups=doc.integer("groups", minimum=1, maximum=50),
        pairs=doc.integer("pairs", minimum=1, maximum=50),
        strategy_canvas=_load_canvas(doc),
        debrief_sheet=_load_debrief(doc),
        announcement=_load_announcement(doc),
    )
    doc.done()
    return session


def _load_participants(doc: Fields) -> tuple[Participant, ...]:
    """`participants:` lists names (an ambassador) or mappings {name, role}; a name twice is a mistake."""
    result: list[Participant] = []
    seen: dict[str, int] = {}
    for index, item, line, path in doc.items("participants"):
        if isinstance(item, (str, int)) and not isinstance(item, bool) and str(item).strip():
            participant = Participant(str(item).strip(), DEFAULT_ROLE, line)
        elif isinstance(item, CommentedMap):
            entry = Fields(item, doc.file, path, doc.problems, line)
            name = entry.text("name", required=True)
            role = entry.choice("role", ROLES, default=DEFAULT_ROLE)
            entry.done()
            if not name:
                continue
            participant = Participant(name, role, line)
        else:
            doc.problems.error(doc.file, line, path, f"expected a name or {{name: …, role: …}}, got {shown(item)}")
            continue
        key = participant.name.casefold()
        if key in seen:
            doc.problems.error(doc.file, line, path, f'expected each participant once, got "{participant.name}" '
                                                     f"again (first at line {seen[key]}): add an initial to tell them apart")
            continue
        seen[key] = line
        result.append(participant)
    return tuple(result)


def _switched(doc: Fields, key: str) -> Fields | None | bool:
    """A sheet written `key: true` (the defaults), as a mapping of its settings, or absent/false."""
    value = doc.data.get(key)
    if isinstance(value, bool) or value is None:
        return doc.boolean(key, default=False)
    return doc.mapping(key)


def _load_canvas(doc: Fields) -> StrategyCanvas | None:
    entry = _switched(doc, "strategy_canvas")
    if entry is True:
        return StrategyCanvas(doc.key_line("strategy_canvas"))
    if not entry:
        return None
    canvas = StrategyCanvas(
        line=doc.key_line("strategy_canvas"),
        title=entry.text("title"),
        profiles=tuple(entry.texts("profiles")),
        rows=entry.integer("rows", minimum=CANVAS_ROWS[0], maximum=CANVAS_ROWS[1], default=6),
        paper=entry.choice("paper", CANVAS_PAPERS, default="A3"),
    )
    entry.done()
    return canvas


def _load_debrief(doc: Fields) -> DebriefSheet | None:
    entry = _switched(doc, "debrief_sheet")
    if entry is True:
        return DebriefSheet(doc.key_line("debrief_sheet"))
    if not entry:
        return None
    sheet = DebriefSheet(doc.key_line("debrief_sheet"), title=entry.text("title"))
    entry.done()
    return sheet


def _load_announcement(doc: Fields) -> Announcement | None:
    entry = doc.mapping("announcement")
    if entry is None:
        return None
    note = Announcement(
        line=doc.key_line("announcement"),
        to=entry.text("to"),
        sender=entry.text("from"),
        date=entry.date("date"),
        text=entry.text("text", required=True),
        text_line=entry.key_line("text") if entry.has("text") else doc.key_line("announcement"),
    )
    entry.done()
    return note


def _load_block(doc: Fields, formats: dict[str, Format], day_place: str | None,
                broken: set[str] = frozenset()) -> Block | None:
    ref = doc.text("format")
    variant_name = doc.text("variant")
    fmt = None
    variant = None
    if ref is not None:
        fmt = formats.get(ref)
        if fmt is None and ref in broken:
            pass  # the format's own file error says it all
        elif fmt is None:
            known = ", ".join(sorted(formats)) or "none"
            guess = difflib.get_close_matches(ref, sorted(formats), n=1)
            hint = f' (did you mean "{guess[0]}"?)' if guess else ""
            doc.error("format", f'expected a known format ({known}), got "{ref}"{hint}')
        elif variant_name is not None:
            variant = fmt.variants.get(variant_name)
            if variant is None:
                known = ", ".join(sorted(fmt.variants)) or "none"
                doc.error("variant", f'expected a variant of {ref} ({known}), got "{variant_name}"'
                                     f"{did_you_mean(variant_name, fmt.variants)}")
    elif variant_name is not None:
        doc.error("variant", 'expected a "format:" beside it, got a variant alone')

    inherited_title = (variant.title if variant and variant.title else None) or (fmt.title if fmt else None)
    inherited_duration = (variant.duration if variant else None) or (fmt.duration if fmt else None)
    broken_ref = ref is not None and fmt is None  # already reported; do not pile errors on it
    title = doc.text("title", required=ref is None, default=inherited_title)
    # A block of tracks may leave its duration to them: it lasts as long as its longest track.
    has_tracks = isinstance(doc.data.get("tracks"), list) and bool(doc.data["tracks"])
    duration = doc.minutes("duration", required=inherited_duration is None and not broken_ref and not has_tracks,
                           default=inherited_duration)
    kind = doc.choice("kind", KINDS, default=fmt.group if fmt else None)
    place = doc.text("place") or day_place
    leads = tuple(doc.texts("lead"))
    tracks = _load_tracks(doc, title or ref or "?", duration, kind, place, leads)
    if tracks and not duration and all(track.duration for track in tracks):
        duration = max(track.duration for track in tracks)
    own_materials = read_materials(doc)
    if own_materials is not None:
        materials = own_materials
    elif variant and variant.materials is not None:
        materials = variant.materials
    else:
        materials = fmt.materials if fmt else ()
    description = doc.text("description")
    if description is None and variant and variant.description:
        description = variant.description
    if description is None and fmt:
        description = fmt.description or fmt.purpose
    own_steps = read_steps(doc)
    steps = own_steps or (variant.steps if variant and variant.steps else (fmt.steps if fmt else ()))
    if own_steps or doc.has("duration"):
        # Inherited steps with an inherited duration were checked with their format.
        check_steps(doc, "steps" if own_steps else "duration", steps, duration, f'"{title or ref}"')
    notes = doc.text("notes")
    inherited_notes = [n for n in ((fmt.notes if fmt else None), (variant.notes if variant else None)) if n]
    block = Block(
        title=title or ref or "?",
        duration=duration or 0,
        file=doc.file,
        line=doc.line,
        path=doc.path,
        at=doc.clock("at"),
        kind=kind,
        place=place,
        leads=leads,
        description=description,
        steps=steps,
        notes="\n\n".join([*([notes] if notes else []), *inherited_notes]) or None,
        materials=tuple(materials),
        tracks=tracks,
        audience=doc.choice("audience", AUDIENCES, default="everyone"),
        format=fmt.id if fmt else None,
        variant=variant.name if variant else None,
        size=fmt.size if fmt else None,
        meal=doc.boolean("meal", default=False),
        at_line=doc.key_line("at") if doc.has("at") else 0,
        duration_line=doc.key_line("duration") if doc.has("duration") else 0,
    )
    doc.done()
    return block if duration else None


def _load_tracks(doc: Fields, block_title: str, duration: int | None, kind: str | None, place: str | None,
                 leads: tuple[str, ...]) -> tuple[Track, ...]:
    """A block's `tracks:`: two to MAX_TRACKS activities at the same time, each fitting the block."""
    if not doc.has("tracks"):
        return ()
    tracks = []
    for entry in doc.records("tracks"):
        title = entry.text("title", required=True)
        own = entry.minutes("duration")
        if own is None and duration is None and not entry.has("duration"):
            entry.problems.error(entry.file, entry.line, entry.field("duration"),
                                 "expected a duration for each track when the block has none, got nothing")
        if own and duration and own > duration:
            entry.error("duration", f'expected a track to fit its block "{block_title}" ({duration} min), '
                                    f"got {own} min")
            own = None
        track_duration = own or duration or 0
        steps = read_steps(entry)
        check_steps(entry, "steps", steps, track_duration, f'"{title}"')
        materials = read_materials(entry)
        tracks.append(Track(
            title=title or "?",
            duration=track_duration,
            line=entry.line,
            path=entry.path,
            kind=entry.choice("kind", KINDS, default=kind),
            place=entry.text("place") or place,
            leads=tuple(entry.texts("lead")) or leads,
            size=entry.text("size"),
            description=entry.text("description"),
            steps=steps,
            notes=entry.text("notes"),
            materials=materials or (),
        ))
        entry.done()
    count = len(doc.data["tracks"]) if isinstance(doc.data["tracks"], list) else 0
    if count == 1:
        doc.error("tracks", "expected two tracks or more side by side, got one: write its fields on the block")
    elif count > MAX_TRACKS:
        doc.error("tracks", f"expected at most {MAX_TRACKS} tracks side by side (they print as columns), "
                            f"got {count}")
    return tuple(tracks)
