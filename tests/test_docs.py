"""Turn the loaders' own questions into a check of docs/content.md: every accepted field is documented.

The loaders read content through `Fields`; after reading a mapping they call `done()`, which
rejects any key nobody asked for. So the keys a mapping accepts are exactly the `asked` set its
`done()` sees. This test loads the default kit (and a small kit for the branches the default kit
does not take) while recording, for each mapping, its file, its field path and those keys, and
for each `choice()` the spellings it accepts. Each key must then appear as a code span
(`` `name` ``) in the section of docs/content.md that documents that mapping, and each accepted
spelling in the chapter of its content kind: a new field without its line in the docs fails here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kit.content import load_kit
from kit.content import decks as deck_module
from kit.content import worksheets as worksheet_module
from kit.content.fields import Fields
from kit.imposition import CARD_SIZES_MM
from kit.project import DEFAULT_COLOURS

DOC = Path(__file__).resolve().parent.parent / "docs" / "content.md"

# Which heading of docs/content.md documents the mapping at a field path, per content folder.
# Paths are normalised: list indices become "[]", the names of named entries (variants, sites...)
# become "*". A key may be documented under any of the headings listed.
SECTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("kit.yaml", ""): ("kit.yaml",),
    ("kit.yaml", "theme"): ("Theme colours",),
    ("kit.yaml", "print"): ("Print settings",),
    ("kit.yaml", "print.back_offset"): ("Print settings",),
    ("kit.yaml", "file_names"): ("File names",),
    ("formats", ""): ("Formats",),
    ("formats", "variants.*"): ("Variants",),
    ("formats", "materials[]"): ("Materials",),
    ("formats", "variants.*.materials[]"): ("Materials",),
    ("sessions", ""): ("Sessions",),
    ("sessions", "days[]"): ("Days",),
    ("sessions", "days[].blocks[]"): ("Blocks",),
    ("sessions", "days[].blocks[].materials[]"): ("Materials",),
    ("sessions", "days[].blocks[].tracks[]"): ("Tracks",),
    ("sessions", "days[].blocks[].tracks[].materials[]"): ("Materials",),
    ("formats", "steps[]"): ("Steps",),
    ("formats", "variants.*.steps[]"): ("Steps",),
    ("sessions", "days[].blocks[].steps[]"): ("Steps",),
    ("sessions", "days[].blocks[].tracks[].steps[]"): ("Steps",),
    ("sessions", "newcomers"): ("Newcomer introduction",),
    ("sessions", "participants[]"): ("Participants",),
    ("sessions", "strategy_canvas"): ("Strategy canvas",),
    ("sessions", "debrief_sheet"): ("Debrief sheet",),
    ("sessions", "announcement"): ("Announcement",),
    ("decks", ""): ("Decks",),
    ("decks", "back"): ("Card backs",),
    ("decks", "themes.*"): ("Deck themes",),
    ("decks", "cards[]"): ("Cards",),
    ("guides", ""): ("Guides",),
    ("guides", "warmup"): ("Sections and warm-up",),
    ("guides", "sections[]"): ("Sections and warm-up",),
    ("guides", "questions[]"): ("Questions",),
    ("guides", "warmup.questions[]"): ("Questions",),
    ("guides", "sections[].questions[]"): ("Questions",),
    ("field", ""): ("Field plans",),
    ("field", "sites.*"): ("Sites",),
    ("field", "pairs.*"): ("Pairs",),
    ("field", "slots[]"): ("Slots",),
    ("field", "departure"): ("Travel times",),
    ("guides", "changes[]"): ("Changes after a debrief",),
    # A worksheet's top-level keys: the fields every sheet has, or those of its kind.
    ("worksheets", "fiche-service"): ("Worksheets", "Service sheet (fiche-service)"),
    ("worksheets", "besoins-solutions"): ("Worksheets", "Capture sheet (besoins-solutions)"),
    ("worksheets", "theme-posters"): ("Worksheets", "Theme posters (theme-posters)"),
    ("worksheets", "debate-board"): ("Worksheets", "Debate board (debate-board)"),
    ("worksheets", "services[]"): ("Service examples",),
    ("worksheets", "notes.*"): ("Post-it colours",),
    ("worksheets", "zones[]"): ("Zones",),
    ("worksheets", "themes[]"): ("Poster themes",),
}

# Mappings read without `done()`: their keys are the user's own names, not fields, so any key is
# accepted and none can be listed. Each is named here with the reason, never skipped in silence.
FREE_KEYS: dict[tuple[str, str], str] = {
    ("field", "sites.*.travel"): "a site's travel: mapping is keyed by the ids of other sites (and default:), "
                                 "checked against the plan's sites",
    ("sessions", "newcomers.glossary"): "the glossary's keys are the terms it defines (binôme, ambassadeur…)",
    ("worksheets", "notes"): "post-it colour keys are names the user picks; blue, yellow and orange, "
                             "the defaults, are checked below as documented values",
    ("field", "pairs.*"): "a pair written as a list ([Véronique, Mehdi]) is read through a stand-in "
                          "{members: list}; `members` itself is checked from the mapping form",
}

# Parents whose entries are named by the user (variants.avec-images, sites.mediatheque-malraux...).
NAMED_PARENTS = {"variants", "themes", "sites", "pairs", "notes"}

# Accepted values that are not read through `Fields.choice`: the module tables, each with the
# heading whose own section must list them all.
TABLES: list[tuple[str, str, tuple[str, ...]]] = [
    ("Card sizes", "decks size", tuple(CARD_SIZES_MM)),
    ("Print outputs", "decks print", tuple(deck_module.PRINTS)),
    ("Cards from a spreadsheet", "spreadsheet headers", tuple(deck_module.HEADER_ALIASES)),
    ("Theme colours", "theme roles (kit.yaml theme:, deck colour:)", tuple(DEFAULT_COLOURS)),
    ("Post-it colours", "default post-it colours", tuple(worksheet_module.POST_IT_COLOURS)),
]

# A small kit that takes the branches the default kit does not: a pair written as a mapping,
# a post-it colour given a name of its own.
EXTRA_KIT = {
    # The kit.yaml settings the default kit leaves out: a place, a clock and file names.
    "kit.yaml": """\
        title: Essai
        timezone: America/New_York
        clock: 12h
        file_names: {run-sheet: equipe.pdf}
        """,
    "content/field/essai.yaml": """\
        title: Essai
        date: 2019-05-24
        sites:
          mairie:
            name: Mairie de quartier
            mode: rendez-vous
        pairs:
          b1:
            members: [Véronique, Mehdi]
          b2: [Pascale, Hélène]   # the list form, now that the default kit's pairs have phones
        slots:
          - {time: "9:00", until: "10:00", site: mairie, pair: b1}
          - {time: "10:00", until: "11:00", site: mairie, pair: b2}
        """,
    # Timed steps in a format, its variant, a block and a track; a block of tracks.
    "content/formats/un-deux-quatre.yaml": """\
        title: 1-2-4-tous
        duration: 15
        steps: [{do: Seul, duration: 1}, {do: À deux, duration: 2}]
        variants:
          court:
            steps: [{do: Seul, duration: 1}]
        """,
    "content/sessions/paralleles.yaml": """\
        title: Pistes
        days:
          - date: 2019-05-23
            start: "9:00"
            blocks:
              - title: Tour de table
                duration: 10
                steps: [{do: Chacun se présente, duration: 5}]
              - title: Terrain
                tracks:
                  - {title: Salle A, duration: 1h, steps: [{do: Entretien, duration: 40}], materials: [Carnet]}
                  - {title: Salle B, duration: 1h30, place: Hall, lead: [Amina, Paul], size: 2, kind: binômes,
                     description: Observer, notes: Sans intervenir}
        """,
    "content/worksheets/capture.yaml": """\
        kind: besoins-solutions
        notes:
          orange: {name: abricot, colour: "#ffa03a"}
        """,
}


@dataclass
class Recording:
    """What the loaders asked while loading: keys per mapping, spellings per choice."""

    mappings: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)  # file, path, keys
    choices: list[tuple[str, str, str, tuple[str, ...]]] = field(default_factory=list)  # file, path, key, spellings
    created: list[Fields] = field(default_factory=list)
    finished: set[int] = field(default_factory=set)


@pytest.fixture
def recording(monkeypatch) -> Recording:
    record = Recording()
    original_init, original_done, original_choice = Fields.__init__, Fields.done, Fields.choice

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        record.created.append(self)

    def done(self):
        record.mappings.append((self.file, self.path, frozenset(self.asked)))
        record.finished.add(id(self))
        return original_done(self)

    def choice(self, key, choices, *args, **kwargs):
        table = choices if isinstance(choices, dict) else {c: c for c in choices}
        spellings = tuple(dict.fromkeys([*map(str, table), *map(str, table.values())]))
        record.choices.append((self.file, self.path, key, spellings))
        return original_choice(self, key, choices, *args, **kwargs)

    monkeypatch.setattr(Fields, "__init__", init)
    monkeypatch.setattr(Fields, "done", done)
    monkeypatch.setattr(Fields, "choice", choice)
    return record


def folder_of(file: str) -> str:
    """The content folder of a file as Fields names it ("content/decks/page-blanche.csv:3" → "decks")."""
    parts = file.split(":")[0].split("/")
    return parts[1] if parts[0] == "content" and len(parts) > 2 else parts[-1]


def normalised(path: str) -> str:
    """ "days[0].blocks[2]" → "days[].blocks[]"; "variants.avec-images" → "variants.*"."""
    path = re.sub(r"\[\d+\]", "[]", path)
    segments = path.split(".") if path else []
    result = []
    for index, segment in enumerate(segments):
        parent = segments[index - 1] if index else None
        result.append("*" if parent in NAMED_PARENTS and not segment.endswith("[]") else segment)
    return ".".join(result)


def sections(markdown: str) -> tuple[dict[str, str], dict[str, str]]:
    """Each heading's own text (to the next heading) and each chapter's text (## to the next ##).

    Fenced code blocks are dropped first: a key shown only in a YAML example is not documented.
    Headings are named by their text without backticks.
    """
    text = re.sub(r"^```.*?^```", "", markdown, flags=re.S | re.M)
    own: dict[str, str] = {}
    chapters: dict[str, str] = {"": ""}  # "": the text before the first chapter
    parts = re.split(r"^(#{2,3}) (.+)$", text, flags=re.M)
    chapter = ""
    for level, title, body in zip(parts[1::3], parts[2::3], parts[3::3], strict=True):
        name = title.replace("`", "").strip()
        own[name] = body
        if level == "##":
            chapter = name
            chapters[chapter] = ""
        chapters[chapter] += body
    return own, chapters


def spans(text: str) -> set[str]:
    return {s.strip() for s in re.findall(r"`([^`\n]+)`", text)}


def load_all(roots: list[Path]) -> dict[str, str]:
    """Load each kit (the recording fixture listening); return each worksheet file's kind."""
    kinds: dict[str, str] = {}
    for root in roots:
        content = load_kit(root)
        for sheet in content.of("worksheets").values():
            kinds[sheet.file] = sheet.kind
    return kinds


def undocumented(markdown: str, recording: Recording, kinds: dict[str, str]) -> list[str]:
    """Every recorded key, choice spelling and table value that the docs do not show where expected."""
    own, chapters = sections(markdown)
    chapter_of: dict[str, str] = {}  # heading → its chapter
    current = ""
    for name in own:
        current = name if name in chapters else current
        chapter_of[name] = current

    def headings_for(file: str, path: str) -> tuple[str, ...] | None:
        folder, where = folder_of(file), normalised(path)
        if folder == "worksheets" and where == "":
            where = kinds.get(file, where)  # a sheet's top-level keys depend on its kind
        return SECTIONS.get((folder, where))

    # One line per missing name and place, with the first file that asked for it as the example.
    missing: dict[tuple[str, ...], str] = {}
    for file, path, keys in recording.mappings:
        headings = headings_for(file, path)
        place = (folder_of(file), normalised(path))
        if headings is None:
            missing.setdefault(place, f"{file}: {path or '(top)'}: no section for {place} in SECTIONS")
            continue
        documented = set().union(*(spans(own.get(h, "")) for h in headings))
        for key in sorted(keys - documented):
            missing.setdefault((*place, key), f"{file}: {path or '(top)'}: `{key}` expected under "
                               + " or ".join(f'"{h}"' for h in headings))

    # A choice is matched without case, as the loader matches it.
    for file, path, key, spellings in recording.choices:
        headings = headings_for(file, path) or ()
        text = "".join(chapters.get(chapter_of.get(h, ""), "") for h in dict.fromkeys(headings))
        documented = {s.lower() for s in spans(text)}
        for spelling in spellings:
            if spelling.lower() not in documented:
                missing.setdefault((folder_of(file), normalised(path), key, spelling),
                                   f"{file}: {path or '(top)'}.{key}: accepts `{spelling}`, expected in the chapter of "
                                   + " or ".join(f'"{h}"' for h in headings))

    for heading, what, values in TABLES:
        documented = {s.lower() for s in spans(own.get(heading, ""))}
        for value in values:
            if value.lower() not in documented:
                missing.setdefault((heading, value), f"{what}: `{value}` expected under \"{heading}\"")
    return sorted(missing.values())


def test_every_accepted_field_and_value_is_documented(default_kit, make_kit, recording):
    kinds = load_all([default_kit, make_kit(EXTRA_KIT, name="extra")])
    missing = undocumented(DOC.read_text(encoding="utf-8"), recording, kinds)
    assert not missing, "docs/content.md misses:\n" + "\n".join(missing)


def test_mappings_that_accept_any_key_are_named(default_kit, make_kit, recording):
    """A mapping read without done() accepts any key: each one must be listed in FREE_KEYS with a reason."""
    load_all([default_kit, make_kit(EXTRA_KIT, name="extra")])
    free = {(folder_of(f.file), normalised(f.path)) for f in recording.created
            if f.asked and id(f) not in recording.finished}
    assert not free - set(FREE_KEYS), f"mappings that accept any key, not listed in FREE_KEYS: {sorted(free - set(FREE_KEYS))}"
    assert not set(FREE_KEYS) - free, f"FREE_KEYS entries no loader reads any more: {sorted(set(FREE_KEYS) - free)}"


def test_the_recording_sees_deep_fields_and_spreadsheet_columns(default_kit, recording):
    load_all([default_kit])
    seen = {(folder_of(f), normalised(p), k) for f, p, keys in recording.mappings for k in keys}
    assert ("decks", "cards[]", "focus") in seen
    assert ("guides", "sections[].questions[]", "probes") in seen
    assert ("kit.yaml", "print.back_offset", "x") in seen
    assert any(f.endswith(".csv:2") for f, _, _ in recording.mappings)  # a spreadsheet row, as Fields


@pytest.mark.parametrize("name, heading", [("png_dpi", "Decks"), ("focus", "Cards"), ("until", "Slots"),
                                           ("pleniere", "Formats")])
def test_a_name_left_out_of_the_docs_is_caught(default_kit, recording, name, heading):
    """The check can fail: the docs with one field or value taken out of its section are refused."""
    text = DOC.read_text(encoding="utf-8")
    own, _ = sections(text)
    assert name in spans(own[heading]), f"`{name}` should be documented under \"{heading}\""
    kinds = load_all([default_kit])
    assert not any(f"`{name}`" in line for line in undocumented(text, recording, kinds))
    stripped = text.replace(f"`{name}`", name.replace("_", " "))
    assert any(f"`{name}`" in line for line in undocumented(stripped, recording, kinds))


def test_every_output_path_is_documented(default_kit):
    """Each file the default kit's plan writes matches a path of "All outputs" (<deck> etc. standing for ids)."""
    from kit.generators import GENERATORS
    from kit.plan import plan

    own, _ = sections(DOC.read_text(encoding="utf-8"))
    patterns = [re.compile(re.sub(r"<[a-z]+>", "[^/]+", re.escape(span).replace(r"\<", "<").replace(r"\>", ">"))
                           .rstrip("/") + "/?")
                for span in spans(own["All outputs"]) if "<" in span or "/" in span]
    paths = [output.path for output in plan(load_kit(default_kit), GENERATORS)]
    assert paths
    undocumented_paths = [path for path in paths if not any(p.fullmatch(path) for p in patterns)]
    assert not undocumented_paths, f'outputs missing from "All outputs" in docs/content.md: {undocumented_paths}'
