"""Turn content/formats/*.yaml into Format objects: workshop activities and their variants."""

from __future__ import annotations

from dataclasses import dataclass, field

from ruamel.yaml.comments import CommentedMap

from kit.content.fields import Fields, as_written, clipped, shown, text_hint
from kit.content.materials import Material, read_materials

# Group forms a format runs in; a block shows its format's form as its kind.
GROUPS = {
    "plénière": "plénière", "pleniere": "plénière", "plenary": "plénière",
    "binômes": "binômes", "binomes": "binômes", "pairs": "binômes",
    "groupes": "groupes", "groups": "groupes",
    "individuel": "individuel", "solo": "individuel",
    "terrain": "terrain", "field": "terrain",
    "pause": "pause", "break": "pause",
}

# The keys of a step written as a mapping (`- {do: "Seul, en silence", duration: 1}`).
STEP_KEYS = ("do", "duration")


@dataclass(frozen=True)
class Step:
    """One step of an activity; `minutes` when the facilitator timed it (1-2-4-All: 1, 2, 4, 5)."""

    text: str
    minutes: int | None = None
    line: int = 0


def read_steps(doc: Fields, key: str = "steps") -> tuple[Step, ...]:
    """A `steps:` list: plain texts, or {do: text, duration: minutes}; () when absent."""
    value = doc.data.get(key)
    if not isinstance(value, list):
        # A single text is a list of one; texts() says what else is wrong.
        return tuple(Step(text, None, doc.key_line(key)) for text in doc.texts(key))
    steps = []
    for index, item, line, path in doc.items(key):
        if isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip():
            text = as_written(item).strip()
            doc.check_glyphs(key, text, line, path)
            steps.append(Step(text, None, line))
        elif isinstance(item, CommentedMap) and (set(item) & set(STEP_KEYS) or len(item) > 1):
            entry = Fields(item, doc.file, path, doc.problems, line)
            text = entry.text("do", required=True)
            minutes = entry.minutes("duration")
            for key, value in item.items():
                if isinstance(key, str) and key not in STEP_KEYS and value is None:
                    # `{do: In pairs, build on ideas}`: YAML ends the text at the comma and reads
                    # the rest as a key of its own. Say that, not "unknown key".
                    entry.asked.add(key)
                    entry.error(key, f'expected the text in quotes when it has a comma ({{do: "…, …", duration: 2}}), '
                                     f'got "{clipped(key)}" read as a field of its own')
            entry.done()
            if text:
                steps.append(Step(text, minutes, line))
        else:
            # A one-key mapping is most likely a text with " : " in it: the hint says so.
            expected = "text" if isinstance(item, CommentedMap) or not isinstance(item, list) \
                else 'a text or {do: "…", duration: 5}'
            doc.problems.error(doc.file, line, path, f"expected {expected}, got {shown(item)}{text_hint(item)}")
    return tuple(steps)


def steps_minutes(steps: tuple[Step, ...]) -> int:
    """How long the timed steps take together; a step without a duration takes none of its own."""
    return sum(step.minutes or 0 for step in steps)


def check_steps(doc: Fields, key: str, steps: tuple[Step, ...], minutes: int | None, what: str) -> None:
    """The timed steps must fit the duration of what they belong to (a block, a track, a format)."""
    total = steps_minutes(steps)
    if minutes and total > minutes:
        parts = " + ".join(str(step.minutes) for step in steps if step.minutes)
        doc.error(key, f"expected the steps of {what} to fit its {minutes} min, got {total} min of steps ({parts})")


@dataclass(frozen=True)
class Variant:
    """A named way of running a format (e.g. dérive créative *page blanche*); unset fields inherit."""

    name: str
    title: str | None = None
    description: str | None = None
    duration: int | None = None
    steps: tuple[Step, ...] = ()
    notes: str | None = None
    materials: tuple[Material, ...] | None = None


@dataclass(frozen=True)
class Format:
    """A workshop activity: purpose, default duration, group form, steps, notes, materials."""

    id: str
    title: str
    file: str
    line: int = 1
    purpose: str | None = None
    description: str | None = None
    duration: int | None = None
    group: str | None = None
    size: str | None = None
    steps: tuple[Step, ...] = ()
    notes: str | None = None
    materials: tuple[Material, ...] = ()
    variants: dict[str, Variant] = field(default_factory=dict)


def load_format(doc: Fields, ident: str) -> Format:
    duration = doc.minutes("duration")
    steps = read_steps(doc)
    title = doc.text("title", required=True, default=ident)
    check_steps(doc, "steps", steps, duration, f'"{title}"')
    variants = {}
    for name, entry in doc.named("variants"):
        variant = variants[name] = Variant(
            name=name,
            title=entry.text("title"),
            description=entry.text("description"),
            duration=entry.minutes("duration"),
            steps=read_steps(entry),
            notes=entry.text("notes"),
            materials=read_materials(entry),
        )
        # A variant that changes neither its steps nor its duration was checked with the format.
        if variant.steps or variant.duration:
            check_steps(entry, "steps" if variant.steps else "duration", variant.steps or steps,
                        variant.duration or duration, f'"{variant.title or title}"')
        entry.done()
    result = Format(
        id=ident,
        title=title,
        file=doc.file,
        purpose=doc.text("purpose"),
        description=doc.text("description"),
        duration=duration,
        group=doc.choice("group", GROUPS),
        size=doc.text("size"),
        steps=steps,
        notes=doc.text("notes"),
        materials=read_materials(doc) or (),
        variants=variants,
    )
    doc.done()
    return result
