"""Parallel tracks, timed steps and several leads: loader errors, clock times as data, agendas and calendar read back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar
from zoneinfo import ZoneInfo

from conftest import MINIMAL_CONFIG, pdf_text
from kit.build import build
from kit.content import load_kit
from kit.errors import ContentError
from kit.schedule import schedule
from pdf_measure import min_type_size, text_runs

ONE_TWO_FOUR = """\
    title: 1-2-4-tous
    duration: 15
    group: plénière
    steps:
      - Poser la question à tous.
      - {do: "Seul, en silence", duration: 1}
      - {do: À deux, duration: 2}
      - {do: À quatre, duration: "4 min"}
      - {do: Tous ensemble, duration: 5}
    """

SESSION = """\
    title: Session d'essai
    place: Salle de la Transfo
    days:
      - date: 2019-05-23
        start: "9:00"
        blocks:
          - format: un-deux-quatre
            lead: [Amina, Paul]
          - title: Enquête de terrain
            kind: terrain
            lead: Joana
            description: Deux salles en même temps.
            materials: [Badges visiteurs]
            tracks:
              - title: Salle d'entretien
                place: Salle 2
                lead: Amina
                size: 2 binômes
                duration: 1h
                steps:
                  - Accueillir l'agent
                  - {do: Entretien, duration: 40}
                  - {do: Remerciements, duration: 5 min}
                materials:
                  - Enregistreur
                  - worksheet: fiche
                    count: 2
              - title: Salle d'observation
                place: Hall
                lead: [Paul, Joana]
                duration: 1h30
                materials: [Carnets d'observation]
                notes: Ne pas intervenir.
          - title: Pause
            duration: 15
            kind: pause
    """

WORKSHEET = """\
    kind: fiche-service
    title: Fiche service
    """


@pytest.fixture
def tracks_kit(make_kit):
    return make_kit({
        "content/formats/un-deux-quatre.yaml": ONE_TWO_FOUR,
        "content/sessions/s.yaml": SESSION,
        "content/worksheets/fiche.yaml": WORKSHEET,
    })


def errors_of(root) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_kit(root)
    return [str(p) for p in caught.value.problems]


# -- the model and the clock -----------------------------------------------------------------------

def test_tracks_steps_and_leads_load(tracks_kit):
    session = load_kit(tracks_kit).sessions["s"]
    ones, field, pause = session.days[0].blocks
    assert ones.leads == ("Amina", "Paul")
    assert [(s.text, s.minutes) for s in ones.steps] == [
        ("Poser la question à tous.", None), ("Seul, en silence", 1), ("À deux", 2), ("À quatre", 4),
        ("Tous ensemble", 5)]
    assert field.leads == ("Joana",)
    interview, observation = field.tracks
    assert (interview.title, interview.place, interview.leads, interview.size, interview.duration) == (
        "Salle d'entretien", "Salle 2", ("Amina",), "2 binômes", 60)
    assert observation.leads == ("Paul", "Joana") and observation.kind == "terrain"
    # The block lasts as long as its longest track.
    assert field.duration == 90
    # Checklists and the print pack see the block's materials and its tracks'.
    assert [m.label for m in field.every_material] == [
        "Badges visiteurs", "Enregistreur", "fiche", "Carnets d'observation"]


def test_track_and_step_clock_times_are_data(tracks_kit):
    day, = schedule(load_kit(tracks_kit).sessions["s"])
    ones, field, pause = day.slots
    # Untimed steps take no time of their own: the first timed step starts with the block.
    assert [(s.step.text, s.start, s.end) for s in ones.steps] == [
        ("Poser la question à tous.", 540, 540), ("Seul, en silence", 540, 541), ("À deux", 541, 543),
        ("À quatre", 543, 547), ("Tous ensemble", 547, 552)]
    assert (field.start, field.end) == (555, 645)
    assert [(t.track.title, t.start, t.end) for t in field.tracks] == [
        ("Salle d'entretien", 555, 615), ("Salle d'observation", 555, 645)]
    assert [(s.step.text, s.start) for s in field.tracks[0].steps] == [
        ("Accueillir l'agent", 555), ("Entretien", 555), ("Remerciements", 595)]
    assert pause.start == 645
    # Steps without any duration have no clock time to print.
    assert field.tracks[1].steps == () and all(s.start is None for s in
                                                schedule_untimed(tracks_kit))


def schedule_untimed(root) -> tuple:
    (root / "content/formats/lent.yaml").write_text("title: Lent\nduration: 30\nsteps: [Un, Deux]\n",
                                                    encoding="utf-8")
    text = (root / "content/sessions/s.yaml").read_text(encoding="utf-8")
    (root / "content/sessions/s.yaml").write_text(text.replace("format: un-deux-quatre", "format: lent"),
                                                  encoding="utf-8")
    day, = schedule(load_kit(root).sessions["s"])
    return day.slots[0].steps


def test_a_block_without_duration_takes_its_longest_track(make_kit):
    root = make_kit({"content/sessions/s.yaml": """\
        title: S
        days:
          - date: 2019-05-23
            start: "14:00"
            blocks:
              - title: En sous-groupes
                tracks:
                  - {title: Groupe A, duration: 45}
                  - {title: Groupe B, duration: 1h}
                  - {title: Groupe C, duration: 50 min}
              - {title: Restitution, duration: 30}
        """})
    day, = schedule(load_kit(root).sessions["s"])
    assert [(s.block.title, s.start, s.end) for s in day.slots] == [
        ("En sous-groupes", 840, 900), ("Restitution", 900, 930)]


# -- mistakes ----------------------------------------------------------------------------------

def test_steps_longer_than_their_block_name_the_block_the_sum_and_the_duration(make_kit):
    root = make_kit({
        "content/formats/un-deux-quatre.yaml": ONE_TWO_FOUR,
        "content/sessions/s.yaml": """\
            title: S
            days:
              - date: 2019-05-23
                start: "9:00"
                blocks:
                  - format: un-deux-quatre
                    duration: 10
                  - title: Tour de table
                    duration: 5
                    steps:
                      - {do: Chacun se présente, duration: 4}
                      - {do: On note les attentes, duration: 3}
            """,
    })
    assert errors_of(root) == [
        'content/sessions/s.yaml:7: days[0].blocks[0].duration: expected the steps of "1-2-4-tous" to fit its '
        "10 min, got 12 min of steps (1 + 2 + 4 + 5)",
        'content/sessions/s.yaml:10: days[0].blocks[1].steps: expected the steps of "Tour de table" to fit its '
        "5 min, got 7 min of steps (4 + 3)",
    ]


def test_a_format_whose_steps_overrun_it_is_an_error_at_its_steps(make_kit):
    root = make_kit({"content/formats/f.yaml": """\
        title: F
        duration: 5
        steps:
          - {do: Long, duration: 6}
        variants:
          court:
            duration: 3
        """})
    assert errors_of(root) == [
        'content/formats/f.yaml:3: steps: expected the steps of "F" to fit its 5 min, got 6 min of steps (6)',
        'content/formats/f.yaml:7: variants.court.duration: expected the steps of "F" to fit its 3 min, '
        "got 6 min of steps (6)",
    ]


def test_bad_steps_tracks_and_leads_are_all_reported_with_their_lines(make_kit):
    root = make_kit({"content/sessions/s.yaml": """\
        title: S
        days:
          - date: 2019-05-23
            start: "9:00"
            blocks:
              - title: Atelier
                duration: 1h
                lead: {name: Amina}
                steps:
                  - {do: Seul, duration: longtemps}
                  - {duration: 2}
                  - [Seul, 1]
                  - {do: Ensemble, minutes: 3}
              - title: Terrain
                duration: 1h
                tracks:
                  - title: Salle A
                    duration: 1h30
                    lead: [Amina, {name: Paul}]
                  - place: Hall
                    kind: repas
                  - Salle C
              - title: Seul
                duration: 30
                tracks:
                  - {title: Unique}
        """})
    assert errors_of(root) == [
        "content/sessions/s.yaml:8: days[0].blocks[0].lead: expected a list of texts, got a mapping",
        'content/sessions/s.yaml:10: days[0].blocks[0].steps[0].duration: expected minutes (45, "1h30", "45 min"), '
        'got "longtemps"',
        "content/sessions/s.yaml:11: days[0].blocks[0].steps[1].do: expected text, got nothing",
        'content/sessions/s.yaml:12: days[0].blocks[0].steps[2]: expected a text or {do: "…", duration: 5}, '
        "got a list",
        'content/sessions/s.yaml:13: days[0].blocks[0].steps[3].minutes: expected a known field (do, duration), '
        'got unknown key "minutes"',
        'content/sessions/s.yaml:18: days[0].blocks[1].tracks[0].duration: expected a track to fit its block '
        '"Terrain" (60 min), got 90 min',
        "content/sessions/s.yaml:19: days[0].blocks[1].tracks[0].lead[1]: expected text, got a mapping "
        '(a " : " inside a text makes YAML read a key: put the whole text in quotes)',
        "content/sessions/s.yaml:20: days[0].blocks[1].tracks[1].title: expected text, got nothing",
        'content/sessions/s.yaml:21: days[0].blocks[1].tracks[1].kind: expected one of plénière, binômes, groupes, '
        'individuel, terrain, pause, got "repas"',
        'content/sessions/s.yaml:22: days[0].blocks[1].tracks[2]: expected a mapping of fields, got "Salle C"',
        "content/sessions/s.yaml:25: days[0].blocks[2].tracks: expected two tracks or more side by side, got one: "
        "write its fields on the block",
    ]


def test_a_track_needs_a_duration_when_its_block_has_none_and_at_most_four_tracks(make_kit):
    root = make_kit({"content/sessions/s.yaml": """\
        title: S
        days:
          - date: 2019-05-23
            start: "9:00"
            blocks:
              - title: Sous-groupes
                tracks:
                  - {title: A, duration: 30}
                  - {title: B}
                  - {title: C, duration: 30}
                  - {title: D, duration: 30}
                  - {title: E, duration: 30}
        """})
    assert errors_of(root) == [
        "content/sessions/s.yaml:7: days[0].blocks[0].tracks: expected at most 4 tracks side by side (they print "
        "as columns), got 5",
        "content/sessions/s.yaml:9: days[0].blocks[0].tracks[1].duration: expected a duration for each track "
        "when the block has none, got nothing",
    ]


# -- what prints -------------------------------------------------------------------------------

@pytest.fixture
def built(tracks_kit) -> Path:
    build(tracks_kit, jobs=1)
    return tracks_kit / "output" / "s"


def _run(runs, text):
    """The first text run that is `text` (apostrophes as typed), not merely contains it."""
    found = [r for r in runs if " ".join(r.text.replace("\u2019", "'").split()) == text]
    assert found, f"{text!r} not on the page"
    return found[0]


@pytest.mark.parametrize("name", ["programme.pdf", "deroule-animateurs.pdf"])
def test_tracks_print_side_by_side_within_their_block_row(built, name):
    runs = text_runs(built / name, 0)
    block, pause = _run(runs, "Enquête de terrain"), _run(runs, "Pause")
    interview, observation = _run(runs, "Salle d'entretien"), _run(runs, "Salle d'observation")
    # Same line, in two columns, the second well right of the first (half the content column on A4).
    assert abs(interview.box[3] - observation.box[3]) < 1
    assert observation.box[0] - interview.box[0] > 200
    # Inside the block's row: below its title, above the next block.
    assert pause.box[3] < interview.box[1] < block.box[1]
    # Each track's own place prints in its column.
    assert abs(_run(runs, "Hall").box[0] - observation.box[0]) < 1


def test_run_sheet_prints_each_steps_clock_time_and_both_leads(built):
    text = " ".join(pdf_text(built / "deroule-animateurs.pdf").split())
    for line in ("9:00 Seul, en silence (1 min)", "9:01 À deux (2 min)", "9:03 À quatre (4 min)",
                 "9:07 Tous ensemble (5 min)", "9:15 Entretien (40 min)", "9:55 Remerciements (5 min)"):
        assert line in text
    assert "Animation : Amina et Paul" in text and "Animation : Paul et Joana" in text
    assert "9:15 – 10:15" in text  # the shorter track's own times
    # The day's checklist merges the tracks' materials, naming the room that needs each.
    assert "Enregistreur — Enquête de terrain · Salle d’entretien" in text
    assert "Carnets d’observation — Enquête de terrain · Salle d’observation" in text
    assert "Fiche service ×2" in text


def test_participants_see_tracks_but_no_facilitator_details(built):
    text = pdf_text(built / "programme.pdf")
    assert "Salle d’entretien" in text and "Salle d’observation" in text and "Hall" in text
    assert "Seul, en silence" not in text and "Amina" not in text and "Ne pas intervenir" not in text


def test_calendar_has_one_event_per_track_at_the_same_time_in_its_place(built):
    calendar = Calendar.from_ical((built / "s.ics").read_bytes())
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == ["1-2-4-tous", "Enquête de terrain — Salle d’entretien",
                              "Enquête de terrain — Salle d’observation", "Pause"]
    interview = events["Enquête de terrain — Salle d’entretien"]
    observation = events["Enquête de terrain — Salle d’observation"]
    paris = ZoneInfo("Europe/Paris")
    assert interview.decoded("DTSTART") == observation.decoded("DTSTART") == dt.datetime(2019, 5, 23, 9, 15,
                                                                                          tzinfo=paris)
    assert interview.decoded("DTEND") == dt.datetime(2019, 5, 23, 10, 15, tzinfo=paris)
    assert observation.decoded("DTEND") == dt.datetime(2019, 5, 23, 10, 45, tzinfo=paris)
    assert (str(interview["LOCATION"]), str(observation["LOCATION"])) == ("Salle 2", "Hall")
    assert "Animation : Paul et Joana" in str(observation["DESCRIPTION"])
    assert "Animation : Amina et Paul" in str(events["1-2-4-tous"]["DESCRIPTION"])
    assert len({str(e["UID"]) for e in calendar.walk("VEVENT")}) == 4


def test_english_leads_are_joined_with_and(make_kit):
    root = make_kit({"content/sessions/s.yaml": """\
        title: Kick-off
        days:
          - date: 2019-05-23
            start: "9:00"
            blocks:
              - {title: Welcome, duration: 30, lead: [Amina, Paul, Joana]}
        """}, config="title: Counter\nlanguage: en\npaper: letter\nversion: '2'\ndate: 2019-05-20\n")
    build(root, jobs=1)
    # An English kit's run sheet is run-sheet.pdf (kit.file_names).
    assert "Led by: Amina, Paul and Joana" in pdf_text(root / "output" / "s" / "run-sheet.pdf")


def test_print_pack_finds_materials_named_inside_tracks_and_counts_by_the_tracks_kind(make_kit):
    from kit.generators.printpack import other_outputs, pack_parts

    session = SESSION.rstrip(" ") + """\
    participants: [Amina, Paul, Joana, Lou]
    pairs: 3
    """
    # The interview room works in pairs and names its sheet without a count.
    session = session.replace("                size: 2 binômes\n", "                size: 2 binômes\n                kind: binômes\n")
    session = session.replace("                    count: 2\n", "")
    root = make_kit({
        "content/formats/un-deux-quatre.yaml": ONE_TWO_FOUR,
        "content/sessions/s.yaml": session,
        "content/worksheets/fiche.yaml": WORKSHEET,
    })
    content = load_kit(root)
    parts = {p.path: p for p in pack_parts(content, content.sessions["s"], other_outputs(content))}
    sheet, = (p for p in parts.values() if p.path.startswith("worksheets/fiche"))
    assert (sheet.copies, sheet.why) == (3, "pack.why.pair")  # one per pair, as the track's kind says


def test_guides_named_inside_tracks_reach_the_sessions_sheets(make_kit):
    from kit.generators.session_sheets import session_guides

    guide = (Path(__file__).parent / "fixtures/comptoir/content/guides/a-la-volee.yaml").read_text(encoding="utf-8")
    root = make_kit({
        "content/formats/un-deux-quatre.yaml": ONE_TWO_FOUR,
        "content/sessions/s.yaml": SESSION.replace("                  - Enregistreur\n",
                                                   "                  - Enregistreur\n                  - guide: a-la-volee\n"),
        "content/worksheets/fiche.yaml": WORKSHEET,
        "content/guides/a-la-volee.yaml": guide,
    })
    content = load_kit(root)
    assert [g.title for g in session_guides(content, content.sessions["s"])] == ["Deux minutes à la machine à café"]


@pytest.mark.parametrize("paper, columns_apart", [("letter", 200), ("A3", 300)])
def test_tracks_stay_side_by_side_and_readable_on_letter_and_a3(make_kit, paper, columns_apart):
    root = make_kit({
        "content/formats/un-deux-quatre.yaml": ONE_TWO_FOUR,
        "content/sessions/s.yaml": SESSION,
        "content/worksheets/fiche.yaml": WORKSHEET,
    }, config=MINIMAL_CONFIG.replace("paper: A4", f"paper: {paper}"))
    build(root, jobs=1)
    sheet = next((root / "output" / "s").glob("deroule*.pdf"))
    runs = text_runs(sheet, 0)
    interview, observation = _run(runs, "Salle d'entretien"), _run(runs, "Salle d'observation")
    assert abs(interview.box[3] - observation.box[3]) < 1
    assert observation.box[0] - interview.box[0] > columns_apart
    size, where = min_type_size(sheet)
    assert size >= 8, where  # the columns' steps and facts print no smaller than the rest of the run sheet


def test_a_comma_in_a_steps_text_written_in_braces_asks_for_quotes(make_kit):
    root = make_kit({"content/formats/f.yaml": """\
        title: F
        duration: 15
        steps:
          - {do: In pairs, build on each other's ideas., duration: 2 min}
        """})
    assert errors_of(root) == [
        "content/formats/f.yaml:4: steps[0].build on each other's ideas.: expected the text in quotes when it has a "
        """comma ({do: "…, …", duration: 2}), got "build on each other's ideas." read as a field of its own""",
    ]


def test_twelve_hour_step_times_keep_clear_of_their_text(make_kit):
    root = make_kit({"content/sessions/s.yaml": """\
        title: Kick-off
        days:
          - date: 2019-05-23
            start: "9:58"
            blocks:
              - title: 1-2-4-All
                duration: 15
                steps:
                  - {do: Alone, duration: 1}
                  - {do: Pairs, duration: 2}
                  - {do: Foursomes, duration: 4}
                  - {do: Everyone, duration: 5}
        """}, config="title: Counter\nlanguage: en\nclock: 12h\nversion: '2'\ndate: 2019-05-20\n")
    build(root, jobs=1)
    sheet = next(p for p in (root / "output" / "s").glob("*.pdf") if "agenda" not in p.name)
    runs = text_runs(sheet, 0)
    for time, text in (("9:58 am", "Alone"), ("9:59 am", "Pairs"), ("10:01 am", "Foursomes"), ("10:05 am", "Everyone")):
        assert _run(runs, time).box[2] + 1 < _run(runs, text).box[0], f"{time} runs into {text}"
