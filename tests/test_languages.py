"""Kits for other places: an English kit prints English separators, units, clock and file names;
the calendar follows kit.yaml's time zone; file names can be set in kit.yaml."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from zoneinfo import ZoneInfo

import pytest

from conftest import MINIMAL_CONFIG, pdf_text, write_kit
from kit.build import build
from kit.content import load_kit
from kit.errors import ContentError
from kit.file_names import FILE_NAMES, name_problem
from kit.generators import GENERATORS
from kit.labels import LANGUAGES, Labels, language_file
from kit.plan import plan
from kit.project import load_config

ENGLISH_CONFIG = """\
title: Service counter
organisation: The Lab
language: en
timezone: America/New_York
version: "2"
date: 2019-05-20
"""

ENGLISH_KIT = {
    "content/sessions/s.yaml": """\
        title: Kick-off
        participants:
          - {name: Joana, role: résident}
          - Amina
          - Paul
        groups: 1
        days:
          - date: 2019-05-23
            start: "9:00"
            blocks:
              - title: Welcome
                duration: 90
                lead: Joana
                materials:
                  - deck: ideas
                  - guide: corridor
                  - guide: sit-down
              - {title: Lunch, at: "12:30", duration: 1h, kind: pause}
              - {title: Wrap-up, duration: 45}
        """,
    "content/guides/corridor.yaml": """\
        title: Two minutes in the corridor
        mode: on the fly
        duration: 2
        hook: Hello! We are listening to how people juggle work and home.
        questions:
          - ask: When did work and home last clash?
            probes: [Tell us about it.]
            listen: [working hours, the commute]
          - ask: What do you keep putting off?
            probes: [What stops you?]
          - ask: What have you already tried?
            probes: [Who with?]
        """,
    "content/guides/sit-down.yaml": """\
        title: A sit-down interview
        mode: rendez-vous
        duration: 45
        sections:
          - title: Daily life
            goal: Understand one working day.
            time: 15
            questions:
              - ask: Tell us about yesterday.
                probes: [When did you have to rush?]
        """,
    "content/decks/ideas.yaml": """\
        title: Ideas
        kind: blank-page
        cards:
          - title: My idea
            text: A service for whom?
          - title: Another idea
            text: What would it change?
        """,
}

# What French typography or French words would leave in an English kit's printed labels.
FRENCH_MARKS = {"\u202f": "narrow no-break space", " :": "space before a colon", "«": "guillemet",
                "»": "guillemet", "100 %": "spaced percent", " ;": "space before a semicolon"}


@pytest.fixture(scope="module")
def english_kit(tmp_path_factory):
    root = write_kit(tmp_path_factory.mktemp("english") / "kit", ENGLISH_KIT, ENGLISH_CONFIG)
    build(root, jobs=1)
    out = root / "output"
    return out, {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts}


# -- labels -----------------------------------------------------------------------------------

def test_times_durations_and_numbers_follow_the_language():
    french, english = Labels("fr"), Labels("en")
    assert [french.time(m) for m in (9 * 60, 12 * 60 + 30, 14 * 60 + 5)] == ["9:00", "12:30", "14:05"]
    assert [english.time(m) for m in (0, 9 * 60, 12 * 60 + 30, 14 * 60 + 5)] == [
        "12:00\u00a0am", "9:00\u00a0am", "12:30\u00a0pm", "2:05\u00a0pm"]
    assert Labels("en", "24h").time(14 * 60) == "14:00" and Labels("fr", "12h").time(14 * 60) == "2:00\u00a0pm"
    assert [french.length(m) for m in (45, 60, 90)] == ["45\u00a0min", "1\u00a0h", "1\u00a0h\u00a030"]
    assert english.length(90) == "1\u00a0h\u00a030\u00a0min"
    assert (french.decimal(-1.5, signed=True), english.decimal(-1.5, signed=True)) == ("\u22121,5", "\u22121.5")
    assert (french.colon("Durée"), english.colon("Duration")) == ("Durée\u202f:", "Duration:")


def test_every_language_names_every_output_file():
    for language in LANGUAGES:
        names = language_file(language)["files"]
        assert set(names) == set(FILE_NAMES), language
        assert {key: name_problem(key, name) for key, name in names.items() if name_problem(key, name)} == {}


# -- an English kit ---------------------------------------------------------------------------

def test_an_english_kit_writes_english_file_names(english_kit):
    _, files = english_kit
    assert {"s/agenda.pdf", "s/run-sheet.pdf", "s/print-list.pdf", "s/binder.pdf", "s/badges.pdf", "s/s.ics",
            "guides/pocket-cards.pdf", "guides/sit-down.pdf", "decks/ideas.pdf", "decks/ideas-fold.pdf",
            "decks/ideas-print-shop.pdf", "decks/calibration.pdf"} <= files
    french = {name.format(session="s", deck="ideas", sheet="x", pair="1")
              for name in language_file("fr")["files"].values()} - {
        name.format(session="s", deck="ideas", sheet="x", pair="1") for name in language_file("en")["files"].values()}
    assert {path for path in files if path.rsplit("/", 1)[-1] in french} == set()


def test_an_english_kit_prints_no_french_separators_or_units(english_kit):
    out, files = english_kit
    found = {}
    for path in sorted(p for p in files if p.endswith(".pdf")):
        text = pdf_text(out / path)
        for mark, what in FRENCH_MARKS.items():
            if mark in text:
                at = text.index(mark)
                found.setdefault(path, []).append(f"{what}: {text[max(0, at - 30):at + 10]!r}")
    assert found == {}


def test_english_labels_take_their_colon_without_a_space(english_kit):
    out, _ = english_kit
    assert "Listen for:" in pdf_text(out / "guides/pocket-cards.pdf")
    assert "2 MIN" in pdf_text(out / "guides/pocket-cards.pdf").replace("\u00a0", " ")
    assert "Goal:" in pdf_text(out / "guides/sit-down.pdf")
    calibration = pdf_text(out / "decks/calibration.pdf")
    assert "\u22121.5" in calibration and "\u22121,5" not in calibration


def test_an_english_agenda_prints_a_12_hour_clock(english_kit):
    out, _ = english_kit
    text = pdf_text(out / "s/agenda.pdf").replace("\u00a0", " ")
    assert "9:00 am" in text and "12:30 pm" in text and "1:30 pm" in text
    assert not re.search(r"\b1[3-9]:\d\d\b", text)
    run_sheet = pdf_text(out / "s/run-sheet.pdf").replace("\u00a0", " ")
    assert "Duration: 1 h 30 min" in run_sheet
    assert "guides/pocket-cards.pdf" in run_sheet  # the checklist names the files as written


def test_the_print_list_names_the_english_files(english_kit):
    out, _ = english_kit
    text = pdf_text(out / "s/print-list.pdf")
    assert "s/run-sheet.pdf" in text and "decks/ideas-print-shop.pdf" in text and "s/binder.pdf" in text
    assert "100%" in text


def test_the_calendar_is_in_the_kits_time_zone(english_kit):
    from icalendar import Calendar

    out, _ = english_kit
    calendar = Calendar.from_ical((out / "s/s.ics").read_bytes())
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert str(calendar["X-WR-TIMEZONE"]) == "America/New_York"
    first = calendar.walk("VEVENT")[0]
    assert first["DTSTART"].params["TZID"] == "America/New_York"
    start = first.decoded("DTSTART")
    assert start == dt.datetime(2019, 5, 23, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    assert start.astimezone(dt.timezone.utc).hour == 13  # 9:00 in New York (EDT) is 13:00 UTC


# -- kit.yaml -----------------------------------------------------------------------------------

def config_errors(make_kit, lines: str) -> list[str]:
    root = make_kit({}, config=MINIMAL_CONFIG + lines)
    with pytest.raises(ContentError) as caught:
        load_config(root)
    return [str(problem) for problem in caught.value.problems]


def test_a_wrong_time_zone_is_an_error_with_a_guess(make_kit):
    errors = config_errors(make_kit, "timezone: Europe/Pari\n")
    assert errors == ['kit.yaml:7: timezone: expected an IANA time zone such as Europe/Paris, got "Europe/Pari" '
                      '(did you mean "Europe/Paris"?)']
    assert config_errors(make_kit, "timezone: Mars/Olympus\n")[0].endswith('got "Mars/Olympus"')


def test_the_time_zone_and_clock_default_by_place_and_language(make_kit):
    config = load_config(make_kit({}))
    assert (config.timezone, config.clock_style) == ("Europe/Paris", "24h")
    english = load_config(make_kit({}, config=MINIMAL_CONFIG.replace("language: fr", "language: en"), name="en"))
    assert english.clock_style == "12h"
    set_24 = load_config(make_kit({}, config=MINIMAL_CONFIG.replace("language: fr", "language: en") + "clock: 24h\n",
                                  name="en24"))
    assert set_24.clock_style == "24h"
    assert config_errors(make_kit, "clock: 13h\n") == ['kit.yaml:7: clock: expected one of 24h, 12h, got "13h"']
    written = load_config(make_kit({}, config=MINIMAL_CONFIG + "clock: 12 h\n", name="spaced"))
    assert written.clock_style == "12h"


def test_a_24_hour_clock_in_an_english_kit(make_kit):
    root = make_kit({"content/sessions/s.yaml": ENGLISH_KIT["content/sessions/s.yaml"].split("        participants")[0]
                     + "        days:\n          - date: 2019-05-23\n            start: '13:00'\n"
                       "            blocks: [{title: Welcome, duration: 30}]\n"},
                    config=ENGLISH_CONFIG + "clock: 24h\n")
    build(root, jobs=1)
    text = pdf_text(root / "output/s/agenda.pdf")
    assert "13:00" in text and "13:30" in text and " pm" not in text.replace("\u00a0", " ")


def test_file_names_set_in_kit_yaml(make_kit):
    root = make_kit({"content/sessions/s.yaml": "title: S\ndays:\n  - date: 2019-05-23\n    start: '9:00'\n"
                                                "    blocks: [{title: Welcome, duration: 30}]\n",
                     "content/decks/d.yaml": textwrap.dedent(ENGLISH_KIT["content/decks/ideas.yaml"])},
                    config=MINIMAL_CONFIG + "file_names:\n  run-sheet: equipe.pdf\n  deck-fold: '{deck}-plie.pdf'\n")
    paths = {o.path for o in plan(load_kit(root), GENERATORS)}
    assert {"s/equipe.pdf", "s/programme.pdf", "decks/d-plie.pdf", "decks/d-imprimeur.pdf"} <= paths
    assert "s/deroule-animateurs.pdf" not in paths and "decks/d-pliage.pdf" not in paths


@pytest.mark.parametrize("lines, start, end", [
    ("file_names:\n  run-sheets: x.pdf\n", "kit.yaml:8: file_names.run-sheets: expected a known field (",
     'got unknown key "run-sheets" (did you mean "run-sheet"?)'),
    ("file_names:\n  deck-fold: plie.pdf\n",
     "kit.yaml:8: file_names.deck-fold: expected a name with {deck} in it (one file per item)", 'got "plie.pdf"'),
    ("file_names:\n  agenda: team/agenda.pdf\n",
     "kit.yaml:8: file_names.agenda: expected a plain file name (no folder, no leading dot or space)",
     'got "team/agenda.pdf"'),
    ("file_names:\n  agenda: deroule-animateurs.pdf\n",
     'kit.yaml:8: file_names.agenda: expected a name no other file of its folder has, got "deroule-animateurs.pdf"',
     "which is the run-sheet's name"),
    ("file_names:\n  deck-fold: '{deck}.PDF'\n",
     'kit.yaml:8: file_names.deck-fold: expected a name no other file of its folder has', "each item's own file"),
    ("file_names:\n  calendar: '{session}.pdf'\n",
     "kit.yaml:8: file_names.calendar: expected a file name ending in .ics", 'got "{session}.pdf"'),
])
def test_wrong_file_names_are_errors(make_kit, lines, start, end):
    (found,) = config_errors(make_kit, lines)
    assert found.startswith(start) and found.endswith(end), found


def test_french_file_names_are_unchanged(make_kit):
    root = make_kit({"content/sessions/s.yaml": "title: S\ndays:\n  - date: 2019-05-23\n    start: '9:00'\n"
                                                "    blocks: [{title: Welcome, duration: 30}]\n",
                     "content/decks/d.yaml": textwrap.dedent(ENGLISH_KIT["content/decks/ideas.yaml"])})
    paths = {o.path for o in plan(load_kit(root), GENERATORS)}
    assert {"s/programme.pdf", "s/deroule-animateurs.pdf", "s/s.ics", "decks/d.pdf", "decks/d-pliage.pdf",
            "decks/d-imprimeur.pdf", "decks/calibration.pdf"} <= paths
