"""Turn content/formats/*.yaml into Format objects: workshop activities and their variants."""

from __future__ import annotations

from dataclasses import dataclass, field

from kit.content.fields import Fields
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


@dataclass(frozen=True)
class Variant:
    """A named way of running a format (e.g. dérive créative *page blanche*); unset fields inherit."""

    name: str
    title: str | None = None
    description: str | None = None
    duration: int | None = None
    steps: tuple[str, ...] = ()
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
    steps: tuple[str, ...] = ()
    notes: str | None = None
    materials: tuple[Material, ...] = ()
    variants: dict[str, Variant] = field(default_factory=dict)


def load_format(doc: Fields, ident: str) -> Format:
    variants = {}
    for name, entry in doc.named("variants"):
        variants[name] = Variant(
            name=name,
            title=entry.text("title"),
            description=entry.text("description"),
            duration=entry.minutes("duration"),
            steps=tuple(entry.texts("steps")),
            notes=entry.text("notes"),
            materials=read_materials(entry),
        )
        entry.done()
    result = Format(
        id=ident,
        title=doc.text("title", required=True, default=ident),
        file=doc.file,
        purpose=doc.text("purpose"),
        description=doc.text("description"),
        duration=doc.minutes("duration"),
        group=doc.choice("group", GROUPS),
        size=doc.text("size"),
        steps=tuple(doc.texts("steps")),
        notes=doc.text("notes"),
        materials=read_materials(doc) or (),
        variants=variants,
    )
    doc.done()
    return result
