"""Property-based tests of the loaders: whatever YAML or CSV a user writes, kit answers with its own
ContentError (or loads it), never with another exception.

Hypothesis builds content files from the words kit knows (field names, kinds, sizes, times...)
mixed with arbitrary values (control characters, huge numbers, nested lists, dates that do not
exist), so the random files reach deep into every loader instead of failing at the first key.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
import textwrap
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import write_kit
from kit.content import load_kit
from kit.errors import ContentError

MINIMAL_CONFIG = "title: Kit\nlanguage: fr\npaper: A4\n"
PICTOGRAM = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5"/></svg>'

# Every field name a loader asks for, so random mappings hit real fields at every depth.
KEYS = [
    "title", "subtitle", "purpose", "description", "duration", "group", "size", "steps", "notes", "materials",
    "variants", "variant", "format", "at", "kind", "place", "lead", "audience", "meal", "days", "date", "start",
    "blocks", "newcomers", "welcome", "case", "working_group", "produces", "glossary", "goal", "leads",
    "deck", "guide", "worksheet", "field", "label", "count", "colour", "themes", "axes", "back", "print",
    "png_dpi", "cards", "text", "image", "focus", "theme", "mode", "version", "hook", "questions", "ask",
    "probes", "listen", "heard", "intro", "consent", "warmup", "sections", "time", "closing", "debrief",
    "changes", "reminder", "sites", "pairs", "slots", "name", "address", "contact", "members", "site", "pair",
    "until", "meeting", "paper", "services", "zones", "prompt", "pictogram", "hint", "card", "two_up",
    "instructions", "language", "organisation", "theme", "primary", "accent", "duplex", "back_offset",
    "x", "y", "greyscale", "titel",
]
# Values kit gives a meaning to, right and wrong, beside arbitrary ones.
WORDS = [
    "9:00", "12:30", "24:00", "9h30", "45", "1h30", "0", "-5", "99999999h", "2019-05-23", "2019-02-30",
    "poker", "pokr", "tarot", "63x88", "0x0", "10000x10000", "pause", "binômes", "newcomers", "everyone",
    "image-starters", "blank-page", "photo-debate", "themes", "rendez-vous", "à la volée", "fiche-service",
    "besoins-solutions", "theme-posters", "debate-board", "home", "fold", "shop", "png", "primary", "#e8743b",
    "images/p.svg", "images/missing.png", "../outside.svg", "/etc/passwd", "http://example.org/x.png",
    "cards.csv", "../cards.csv", "f", "s", "g", "d", "w", "p", "-1,5", "−1,5", "1e999", "", " ", " : ",
    "a\x00b", "\t", "*", "&", "[", "{", "A4", "letter", "long", "none", "b1", "../x",
]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(WORDS), st.text(max_size=30),
    st.dates(),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=10))
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(keys, children, max_size=6),
    ),
    max_leaves=25,
)
documents = st.dictionaries(st.sampled_from(KEYS), values, min_size=1, max_size=10)


def dump(document) -> str:
    out = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    yaml.dump(document, out)
    return out.getvalue()


def load_or_content_error(files: dict[str, str | bytes], config: str = MINIMAL_CONFIG) -> None:
    """Write a kit of `files` and load it: loading may fail only with a ContentError."""
    root = Path(tempfile.mkdtemp(prefix="kit-property-"))
    try:
        write_kit(root, {"images/p.svg": PICTOGRAM, **files}, config, as_is=True)
        try:
            load_kit(root)
        except ContentError as error:
            assert error.problems and error.report()
    finally:
        shutil.rmtree(root, ignore_errors=True)


# 60 examples a test keeps the suite quick; KIT_PROPERTY_EXAMPLES=2000 digs deeper before a release.
EXAMPLES = int(os.environ.get("KIT_PROPERTY_EXAMPLES", "60"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FOLDERS = ["formats", "sessions", "decks", "guides", "field", "worksheets"]


@PROPERTY
@given(folder=st.sampled_from(FOLDERS), document=documents)
def test_any_yaml_mapping_is_loaded_or_answered_with_content_errors(folder, document):
    load_or_content_error({f"content/{folder}/x.yaml": dump(document)})


@PROPERTY
@given(document=documents)
def test_any_kit_yaml_is_loaded_or_answered_with_content_errors(document):
    load_or_content_error({}, config=dump({"title": "Kit", **document}))


@PROPERTY
@given(folder=st.sampled_from(FOLDERS), text=st.text(max_size=200))
def test_any_text_is_loaded_or_answered_with_content_errors(folder, text):
    load_or_content_error({f"content/{folder}/x.yaml": text})


@PROPERTY
@given(folder=st.sampled_from(FOLDERS), data=st.binary(max_size=200))
def test_any_bytes_are_loaded_or_answered_with_content_errors(folder, data):
    load_or_content_error({f"content/{folder}/x.yaml": data})


SESSION = textwrap.dedent("""\
    title: S
    days:
      - date: {date}
        start: {start}
        blocks:
          - {{title: A, duration: {duration}, at: {at}, audience: {audience}, meal: {meal}}}
          - {{title: B, duration: {duration2}, kind: pause}}
    """)


@PROPERTY
@given(date=st.sampled_from(WORDS), start=st.sampled_from(WORDS), duration=st.sampled_from(WORDS + ["1440", "1441"]),
       at=st.sampled_from(WORDS), audience=st.sampled_from(WORDS), meal=st.sampled_from(WORDS + ["true"]),
       duration2=st.integers(min_value=-10, max_value=5000))
def test_any_session_values_are_loaded_or_answered_with_content_errors(date, start, duration, at, audience, meal, duration2):
    quote = lambda value: '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
    text = SESSION.format(date=quote(date), start=quote(start), duration=quote(duration), at=quote(at),
                          audience=quote(audience), meal=quote(meal), duration2=duration2)
    load_or_content_error({"content/sessions/s.yaml": text})


cells = st.one_of(st.sampled_from(WORDS), st.text(max_size=20))


@PROPERTY
@given(header=st.lists(st.one_of(st.sampled_from(["titre", "texte", "image", "focus", "thème", "copies", "dos",
                                                  "title", "count", "nom"]), cells), min_size=1, max_size=5),
       rows=st.lists(st.lists(cells, max_size=6), max_size=6),
       delimiter=st.sampled_from([",", ";", "\t"]),
       kind=st.sampled_from(["blank-page", "image-starters", "themes", "photo-debate"]))
def test_any_csv_cards_are_loaded_or_answered_with_content_errors(header, rows, delimiter, kind):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    deck = f"title: D\nkind: {kind}\naxes: [[a, b]]\ncards: cards.csv\n" if kind == "photo-debate" else \
        f"title: D\nkind: {kind}\ncards: cards.csv\n"
    load_or_content_error({"content/decks/d.yaml": deck, "content/decks/cards.csv": out.getvalue()})


@PROPERTY
@given(data=st.binary(max_size=300))
def test_any_csv_bytes_are_loaded_or_answered_with_content_errors(data):
    load_or_content_error({"content/decks/d.yaml": "title: D\nkind: blank-page\ncards: cards.csv\n",
                           "content/decks/cards.csv": data})
