"""Turn content/sessions/*.yaml into Session objects: days of blocks, formats resolved, materials linked."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

from kit.content.fields import Fields, did_you_mean
from kit.content.formats import GROUPS, Format
from kit.content.materials import Material, read_materials

KINDS = GROUPS  # a block's kind is a group form, pause or terrain
AUDIENCES = {
    "everyone": "everyone", "tous": "everyone", "all": "everyone",
    "newcomers": "newcomers", "nouveaux": "newcomers",
    "facilitators": "facilitators", "animateurs": "facilitators", "résidents": "facilitators",
}


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
    lead: str | None = None
    description: str | None = None
    steps: tuple[str, ...] = ()
    notes: str | None = None
    materials: tuple[Material, ...] = ()
    audience: str = "everyone"
    format: str | None = None
    variant: str | None = None
    size: str | None = None  # group size, from the format (e.g. "3 groupes de 5 à 6 personnes")
    meal: bool = False  # the day's lunch: splits it into morning and afternoon
    # The lines of `at:` and `duration:` (0 when not written here), for errors about the times.
    at_line: int = field(default=0, compare=False)
    duration_line: int = field(default=0, compare=False)


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
    )
    doc.done()
    return session


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
    duration = doc.minutes("duration", required=inherited_duration is None and not broken_ref,
                           default=inherited_duration)
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
    notes = doc.text("notes")
    inherited_notes = [n for n in ((fmt.notes if fmt else None), (variant.notes if variant else None)) if n]
    block = Block(
        title=title or ref or "?",
        duration=duration or 0,
        file=doc.file,
        line=doc.line,
        path=doc.path,
        at=doc.clock("at"),
        kind=doc.choice("kind", KINDS, default=fmt.group if fmt else None),
        place=doc.text("place") or day_place,
        lead=doc.text("lead"),
        description=description,
        steps=tuple(doc.texts("steps")) or (variant.steps if variant and variant.steps else (fmt.steps if fmt else ())),
        notes="\n\n".join([*([notes] if notes else []), *inherited_notes]) or None,
        materials=tuple(materials),
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
