"""Content mistakes: exact messages, right line numbers, all of them at once, exit code 1."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kit.cli import main
from kit.content import load_kit
from kit.errors import ContentError

FORMAT = """\
title: Dérive créative
duration: 1h15
group: binômes
variants:
  page-blanche:
    title: Dérive créative — page blanche
"""


def errors_of(root) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_kit(root)
    return [str(p) for p in caught.value.problems]


def test_several_broken_files_report_every_mistake_with_its_line(make_kit):
    root = make_kit({
        "content/formats/derive-creative.yaml": FORMAT,
        "content/sessions/session-08.yaml": """\
            title: Session 8
            days:
              - date: 2019-05-23
                start: "9:00"
                blocks:
                  - title: Accueil
                    duration: 30
                  - format: derive-creative
                    variant: page-blanche
                  - title: Photos débat
                    duration: beaucoup
                  - title: Déjeuner
                    at: "midi"
                    duration: 1h
                    kind: repas
            """,
        "content/sessions/session-09.yaml": """\
            title: Session 9
            days:
              - date: 2019-06-20
                start: "9:00"
                blocks:
                  - format: derive-creatve
                  - title: Atelier
                    duraton: 45
            """,
    })
    assert errors_of(root) == [
        'content/sessions/session-08.yaml:11: days[0].blocks[2].duration: expected minutes (45, "1h30", "45 min"), got "beaucoup"',
        'content/sessions/session-08.yaml:13: days[0].blocks[3].at: expected a time of day ("9:00", "12:30", "14h"), got "midi"',
        'content/sessions/session-08.yaml:15: days[0].blocks[3].kind: expected one of plénière, binômes, groupes, individuel, terrain, pause, got "repas"',
        'content/sessions/session-09.yaml:6: days[0].blocks[0].format: expected a known format (derive-creative), got "derive-creatve" (did you mean "derive-creative"?)',
        'content/sessions/session-09.yaml:8: days[0].blocks[1].duraton: expected a known field (at, audience, description, duration, format, kind, lead, materials, meal, notes, place, steps, title, tracks, variant), got unknown key "duraton" (did you mean "duration"?)',
    ]


def test_yaml_syntax_error_names_the_line_where_the_list_opened(make_kit):
    root = make_kit({"content/formats/photos.yaml": "title: Photos débat\nsteps: [un, deux\nduration: 45\n"})
    (problem,) = errors_of(root)
    assert problem.startswith("content/formats/photos.yaml:2: expected valid YAML, got a list in [ ] that is not closed")


def test_a_french_colon_in_a_list_item_gets_a_hint(make_kit):
    root = make_kit({"content/formats/f.yaml": "title: F\nsteps:\n  - Tour rapide : une minute chacun\n"})
    assert errors_of(root) == [
        'content/formats/f.yaml:3: steps[0]: expected text, got a mapping '
        '(a " : " inside a text makes YAML read a key: put the whole text in quotes)'
    ]


def test_unknown_variant_lists_the_known_ones(make_kit):
    root = make_kit({
        "content/formats/derive-creative.yaml": FORMAT,
        "content/sessions/s.yaml": """\
            title: S
            days:
              - date: 2019-05-23
                start: "9:00"
                blocks:
                  - format: derive-creative
                    variant: avec-photos
            """,
    })
    assert errors_of(root) == [
        'content/sessions/s.yaml:7: days[0].blocks[0].variant: expected a variant of derive-creative (page-blanche), got "avec-photos"'
    ]


def test_kit_yaml_mistakes(make_kit):
    root = make_kit({}, config="""\
        title: Kit
        language: de
        paper: A5
        theme:
          primary: blue
        """)
    assert errors_of(root) == [
        'kit.yaml:2: language: expected one of fr, en, got "de"',
        'kit.yaml:3: paper: expected one of A4, letter, A3, got "A5"',
        'kit.yaml:5: theme.primary: expected a colour like "#1d4e89", got "blue"',
    ]


def test_material_reference_to_unknown_deck(make_kit):
    root = make_kit({
        "content/sessions/s.yaml": """\
            title: S
            days:
              - date: 2019-05-23
                start: "9:00"
                blocks:
                  - title: Atelier
                    duration: 45
                    materials:
                      - Feutres
                      - deck: cartes-inconnues
            """,
    })
    (problem,) = errors_of(root)
    assert problem.startswith('content/sessions/s.yaml:10: materials: expected a deck of content/decks/')
    assert problem.endswith('got "cartes-inconnues"')


def test_cli_prints_all_errors_without_traceback_and_exits_1(make_kit):
    root = make_kit({"content/sessions/s.yaml": "title: S\ndays:\n  - date: 23 mai\n    start: 9:00\n    blocks: []\n"})
    result = CliRunner().invoke(main, ["check", "--kit", str(root)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert 'content/sessions/s.yaml:3: day 1, date: expected a date (2019-05-23), got "23 mai"' in result.output
    assert "1 error in the content; nothing was written." in result.output


def test_cli_usage_errors_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["build", "--kit", str(tmp_path)])
    assert result.exit_code == 2
    assert "no kit.yaml here" in result.output
    assert CliRunner().invoke(main, ["build", "--nope"]).exit_code == 2


def test_a_version_keeps_its_trailing_zero(make_kit):
    root = make_kit({}, config="title: Kit\nversion: 1.10\n")
    assert load_kit(root).config.version == "1.10"
