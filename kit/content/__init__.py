"""Turn a kit folder's content files into one validated Content model, or every mistake at once.

Content kinds are loaded in the order of `KINDS`: a kind may refer to the kinds loaded before it
(sessions refer to formats; materials refer to decks, guides, worksheets and field plans and are
checked last, once everything is loaded).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from kit.content.decks import load_deck
from kit.content.fields import Fields, Problems, check_id, load_yaml
from kit.content.formats import load_format
from kit.content.guides import load_guide
from kit.content.field_plan import load_field_plan
from kit.content.worksheets import load_worksheet
from kit.content.sessions import load_session
from kit.errors import ContentError, Problem

if TYPE_CHECKING:  # kit.project reads kit.yaml with kit.content.fields: import it lazily, no cycle
    from kit.project import KitConfig

CONTENT_DIR = "content"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Content:
    """Everything a kit holds, validated: the config and each kind's items by id."""

    config: "KitConfig"
    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    # Ids of the files that could not be read (syntax errors...): references to them are not
    # reported again, the file's own error says it all.
    broken: dict[str, set[str]] = field(default_factory=dict)

    def of(self, kind: str) -> dict[str, Any]:
        return self.items.get(kind, {})

    @property
    def formats(self) -> dict[str, Any]:
        return self.of("formats")

    @property
    def sessions(self) -> dict[str, Any]:
        return self.of("sessions")


# A loader reads one file's top mapping (with the file's stem as the item's id) into a model
# object; it gets the content loaded so far for cross-references.
Loader = Callable[[Fields, str, Content], Any]


@dataclass(frozen=True)
class ContentKind:
    folder: str
    load: Loader


# The explicit list of content kinds, in loading order. A new kind is one module and one line here.
KINDS: list[ContentKind] = [
    ContentKind("formats", lambda doc, ident, content: load_format(doc, ident)),
    ContentKind("guides", lambda doc, ident, content: load_guide(doc, ident)),
    ContentKind("field", lambda doc, ident, content: load_field_plan(doc, ident, content.of("guides"),
                                                                     content.broken.get("guides", set()))),
    ContentKind("decks", lambda doc, ident, content: load_deck(doc, ident, content)),
    # After the decks: a debate board takes its axes and cards from its deck, theme posters their
    # themes from the theme cards (written once, in the deck).
    ContentKind("worksheets", lambda doc, ident, content: load_worksheet(doc, ident, content.config, content.of("decks"),
                                                                         content.broken.get("decks", set()))),
    ContentKind("sessions", lambda doc, ident, content: load_session(doc, ident, content.formats,
                                                                     content.broken.get("formats", set()))),
]


def content_files(root: Path, folder: str) -> list[Path]:
    base = root / CONTENT_DIR / folder
    if not base.is_dir():
        return []
    # is_file() is False for a link loop: kept here so that load_kit reports it, not skipped.
    return sorted(p for p in base.iterdir()
                  if p.suffix in YAML_SUFFIXES and (p.is_file() or p.is_symlink()) and not p.name.startswith("."))


def _readable_content_file(root: Path, path: Path, name: str, ident: str, files: list[Path],
                           problems: Problems) -> bool:
    """Whether a content file may be read: inside the kit, named as an id, the only file of its id."""
    from kit.project import resolved_inside

    if resolved_inside(root, path) is None:
        problems.error(name, 0, "", "expected a file inside the kit folder, got a link that leads outside it "
                                    "(or around in a loop)")
        return False
    wrong = check_id(ident)
    if wrong:
        problems.error(name, 0, "(file name)", f"{wrong}: rename the file")
        return False
    twins = [p.name for p in files if p.stem == ident and p != path]
    if twins and path.suffix != YAML_SUFFIXES[0]:
        problems.error(name, 0, "(file name)", f'expected one file for the id "{ident}", got this one and '
                                               f'{", ".join(twins)}: keep one')
        return False
    return True


def load_kit(root: Path) -> Content:
    """Read kit.yaml and every content file; raise ContentError with all mistakes of the kit."""
    from kit.project import read_config

    problems = Problems()
    config = read_config(root, problems)
    content = Content(config=config)
    for kind in KINDS:
        loaded: dict[str, Any] = {}
        broken: set[str] = set()
        files = content_files(root, kind.folder)
        for path in files:
            name = f"{CONTENT_DIR}/{kind.folder}/{path.name}"
            ident = path.stem
            if not _readable_content_file(root, path, name, ident, files, problems):
                broken.add(ident)
                continue
            errors_before = len(problems.errors)
            data = load_yaml(path, name, problems)
            if data is None and len(problems.errors) > errors_before:
                broken.add(ident)  # unreadable or not YAML, already reported
                continue
            doc = Fields(data, name, "", problems)
            loaded[ident] = kind.load(doc, ident, content)
        content.items[kind.folder] = loaded
        content.broken[kind.folder] = broken
    check_materials(content, problems)
    from kit.schedule import check_session

    for session in content.sessions.values():
        check_session(session, problems)
    if problems.errors:
        raise ContentError(problems.errors)
    content.warnings = sorted(problems.warnings)
    return content


def all_materials(content: Content):
    """Every Material of the kit, from formats, their variants and session blocks."""
    for fmt in content.formats.values():
        yield from fmt.materials
        for variant in fmt.variants.values():
            yield from variant.materials or ()
    for session in content.sessions.values():
        for day in session.days:
            for block in day.blocks:
                yield from block.every_material


def check_materials(content: Content, problems: Problems) -> None:
    """A material naming a deck, guide, worksheet or field plan must name one the kit has."""
    for material in all_materials(content):
        if material.kind is None:
            continue
        known = content.of(material.kind)
        if material.ref in known or material.ref in content.broken.get(material.kind, ()):
            continue  # found, or in a file whose own error is already reported
        singular = material.kind.rstrip("s")
        names = ", ".join(sorted(known)) or "none yet"
        guess = difflib.get_close_matches(material.ref or "", sorted(known), n=1)
        hint = f' (did you mean "{guess[0]}"?)' if guess else ""
        problems.error(material.file, material.line, "materials",
                       f'expected a {singular} of content/{material.kind}/ ({names}), got "{material.ref}"{hint}')


def session_files(content: Content, session) -> tuple[str, ...]:
    """The kit files a session's material comes from: the session, its formats, and the decks,
    guides, field plans and worksheets its materials name (with their spreadsheets)."""
    blocks = [block for day in session.days for block in day.blocks]
    files = {content.formats[block.format].file for block in blocks if block.format}
    for material in (m for block in blocks for m in block.every_material if m.kind):
        item = content.of(material.kind).get(material.ref)
        if getattr(item, "file", None):
            files.add(item.file)
    return (session.file, *sorted(files))
