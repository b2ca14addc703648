"""Bad inputs answered in plain words: each a content error at its own line, never a traceback,
nothing read outside the kit (issue 9, one test or more per class)."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from kit.cli import main
from kit.content import load_kit
from kit.content.fields import Problems, parse_clock
from kit.content.sessions import Block, Day, Session
from kit.errors import ContentError
from kit.schedule import check_session, clock, schedule_day

FORMAT = "title: Dérive créative\nduration: 1h15\n"


def errors_of(root) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_kit(root)
    return [str(p) for p in caught.value.problems]


def session(blocks: str, start: str = "9:00") -> str:
    """A one-day session file whose blocks start on line 6."""
    return f'title: S\ndays:\n  - date: 2019-05-23\n    start: "{start}"\n    blocks:\n{blocks}'


# ------------------------------------------------------------------ class 3: no traceback


@pytest.mark.parametrize("text, expected", [
    ("title: F\ndate: 2019-02-30\n", 'content/formats/f.yaml:2: expected a date that exists (2019-05-23), got "2019-02-30"'),
    ("title: F\nduration: !!int abc\n", 'content/formats/f.yaml:2: expected a whole number, got "abc"'),
    ("title: F\nnotes: a\x00b\n", "content/formats/f.yaml:2: expected text, got the control character U+0000: delete it"),
    ("title: F\nsteps: " + "[" * 3000 + "]" * 3000 + "\n",
     "content/formats/f.yaml:2: expected at most 64 levels of lists and mappings, got more"),
    ("title: F\nduration: 99999999h\n", 'content/formats/f.yaml:2: duration: expected a duration of at most 24 h, got "99999999h"'),
    ("title: F\nduration: " + "9" * 5000 + "\n", 'content/formats/f.yaml:2: expected a whole number, got "99999999999999999999999999999999999999999999999999999999999…"'),
])
def test_values_python_cannot_build_are_errors_at_their_line(make_kit, text, expected):
    root = make_kit({"content/formats/f.yaml": text})
    assert errors_of(root) == [expected]


def test_a_day_past_midnight_is_an_error_at_the_duration_line(make_kit):
    root = make_kit({"content/sessions/s.yaml": session(
        '      - title: Veillée\n        at: "22:00"\n        duration: 3h\n')})
    assert errors_of(root) == [
        'content/sessions/s.yaml:8: days[0].blocks[0].duration: expected the day to end by midnight, '
        'got "Veillée" from 22:00 to 1:00 the next day']


def test_cli_answers_every_class_3_input_without_traceback(make_kit):
    root = make_kit({
        "content/formats/a.yaml": "title: A\nduration: !!int abc\n",
        "content/formats/b.yaml": b"title: B\nnotes: caf\xe9\n",
        "content/sessions/s.yaml": session('      - {title: A, at: "23:30", duration: 2h}\n'),
    })
    result = CliRunner().invoke(main, ["check", "--kit", str(root)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "3 errors in the content" in result.output


# ------------------------------------------------------------------ class 5: the right line


def test_a_byte_that_is_not_utf8_is_reported_at_its_own_line(make_kit):
    root = make_kit({"content/formats/f.yaml": b"title: F\nduration: 45\nnotes: caf\xe9 noir\n"})
    assert errors_of(root) == ["content/formats/f.yaml:3: expected UTF-8 text, got a byte 0xe9 that is not (column 11)"]


def test_a_byte_that_is_not_utf8_in_a_csv_is_reported_at_its_own_line(make_kit):
    root = make_kit({
        "content/decks/d.yaml": "title: D\nkind: blank-page\ncards: d.csv\n",
        "content/decks/d.csv": b"titre;texte\nUn service;ok\nUn autre;caf\xe9\n",
    })
    assert errors_of(root) == [
        'content/decks/d.csv:3: expected UTF-8 text (save it as "CSV UTF-8"), got a byte 0xe9 that is not (column 13)']


def test_an_overlap_is_blamed_at_the_at_line(make_kit):
    root = make_kit({"content/sessions/s.yaml": session(
        "      - title: Photos débat\n        duration: 4h\n"
        "      - title: Déjeuner\n        kind: pause\n        duration: 1h\n        at: \"12:30\"\n")})
    assert errors_of(root) == [
        'content/sessions/s.yaml:11: days[0].blocks[1].at: expected "Photos débat" (9:00–13:00) to end by the '
        'fixed start of "Déjeuner" (at 12:30), got an overlap of 30 min']


# ------------------------------------------------------------------ class 6: nothing silently accepted


def test_a_session_without_days_is_an_error(make_kit):
    root = make_kit({"content/sessions/s.yaml": "title: S\ndays: []\n"})
    assert errors_of(root) == ['content/sessions/s.yaml:2: days: expected at least one day (date:, start:, blocks:), got none']


# ------------------------------------------------------------------ plain words


def test_one_misspelled_key_gives_one_error(make_kit):
    root = make_kit({"content/sessions/s.yaml": session("      - titel: Accueil\n        duration: 30\n")})
    (problem,) = errors_of(root)
    assert problem.startswith("content/sessions/s.yaml:6: days[0].blocks[0].titel: expected a known field")
    assert problem.endswith('got unknown key "titel" (did you mean "title"?)')


@pytest.mark.parametrize("line, advice", [
    ("title: Tour rapide : une minute: chacun", 'a ": " inside a text, which YAML reads as a key: put the whole text in quotes'),
    ("title: Un titre\n\tnotes: x", "a tab: indent with spaces only"),
    ("title: *important*", 'a text starting with "*", which YAML reads as a reference: put the whole text in quotes'),
    ("title: '@dupont", "a quote that is never closed: end the text with the same quote"),
    ("title: A\ntitle: B", 'the key "title" twice in the same place: keep one'),
])
def test_yaml_wording_is_translated_into_what_to_do(make_kit, line, advice):
    root = make_kit({"content/formats/f.yaml": f"{line}\n"})
    (problem,) = errors_of(root)
    assert advice in problem and "mapping values" not in problem


# ------------------------------------------------------------------ schedule semantics


def block(title, duration, at=None, kind=None, audience="everyone", line=1, meal=False):
    return Block(title=title, duration=duration, file="content/sessions/s.yaml", line=line,
                 path=f"days[0].blocks[{line}]", at=at, kind=kind, audience=audience, meal=meal)


def day(*blocks, start="9:00"):
    return Day(date=dt.date(2019, 5, 23), start=parse_clock(start), line=3, path="days[0]", blocks=blocks)


def test_a_newcomer_block_running_past_the_start_does_not_move_everyone_else():
    schedule = schedule_day(day(block("Accueil des nouveaux", 45, at=parse_clock("8:30"), audience="newcomers", line=6),
                                block("Ouverture", 15, line=9), block("Dérive", 60, line=11)))
    assert [clock(s.start) for s in schedule.slots] == ["8:30", "9:00", "9:15"]
    problems = Problems()
    check_session(Session(id="s", title="S", file="content/sessions/s.yaml", days=(schedule.day,)), problems)
    (error,) = [str(p) for p in problems.errors]
    assert error.startswith('content/sessions/s.yaml:6: days[0].blocks[6].at: expected "Accueil des nouveaux" '
                            '(8:30–9:15, newcomers only) to end by the start of "Ouverture" (9:00), got an overlap of 15 min')


def test_a_facilitator_block_in_the_middle_never_moves_the_programme():
    schedule = schedule_day(day(block("Ouverture", 30), block("Point résidents", 30, audience="facilitators"),
                                block("Dérive", 60, at=parse_clock("10:00"))))
    everyone = schedule.for_audiences(frozenset({"everyone"}))
    assert [clock(s.start) for s in everyone.slots] == ["9:00", "10:00"]
    assert schedule.conflicts == ()


def test_the_marked_meal_is_lunch_even_with_an_earlier_break():
    schedule = schedule_day(day(block("Atelier", 90), block("Café", 15, kind="pause"), block("Atelier 2", 60),
                                block("Repas", 60, meal=True), block("Après-midi", 240), start="10:00"))
    assert clock(schedule.lunch.start) == "12:45"
    assert [(h.name, h.minutes) for h in schedule.half_days()] == [("morning", 165), ("afternoon", 240)]


def test_without_a_marked_meal_the_longest_pause_in_the_window_is_lunch():
    schedule = schedule_day(day(block("Atelier", 90), block("Café", 15, kind="pause"), block("Atelier 2", 60),
                                block("Déjeuner", 60, kind="pause"), block("Après-midi", 240), start="10:00"))
    assert (schedule.lunch.block.title, clock(schedule.lunch.start)) == ("Déjeuner", "12:45")


def test_meal_is_read_from_the_block(make_kit):
    root = make_kit({"content/sessions/s.yaml": session(
        "      - {title: Atelier, duration: 2h}\n      - {title: Repas, duration: 1h, meal: true}\n"
        "      - {title: Fin, duration: 1h}\n")})
    from kit.schedule import schedule

    (today,) = schedule(load_kit(root).sessions["s"])
    assert today.lunch.block.title == "Repas"


# ------------------------------------------------------------------ class 1: nothing read outside the kit

PICTOGRAM = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
             'width="10" height="10">{}</svg>')
STARTERS = "title: D\nkind: image-starters\ncards:\n  - title: Une carte\n    image: images/p.svg\n"


def deck_with_pictogram(make_kit, svg: str, extra: dict | None = None):
    return make_kit({"content/decks/d.yaml": STARTERS, "images/p.svg": svg, **(extra or {})})


def test_a_content_file_linked_from_outside_the_kit_is_not_read(make_kit, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("title: Le secret\nduration: 45\n")
    root = make_kit({})
    (root / "content" / "formats").mkdir(parents=True)
    (root / "content" / "formats" / "f.yaml").symlink_to(secret)
    result = CliRunner().invoke(main, ["check", "--kit", str(root)])
    assert result.exit_code == 1
    assert "content/formats/f.yaml: expected a file inside the kit folder, got a link that leads outside it" in result.output
    assert "secret" not in result.output.replace("content/formats/f.yaml", "")


def test_an_image_linked_from_outside_the_kit_is_refused(make_kit, tmp_path):
    outside = tmp_path / "outside.svg"
    outside.write_text(PICTOGRAM.format('<rect width="5" height="5"/>'))
    root = make_kit({"content/decks/d.yaml": STARTERS})
    (root / "images").mkdir()
    (root / "images" / "p.svg").symlink_to(outside)
    (problem,) = errors_of(root)
    assert problem.startswith("content/decks/d.yaml:5: cards[0].image: expected an image file inside the kit")


@pytest.mark.parametrize("body, found", [
    ('<use xlink:href="../../secret.svg#a"/>', 'a reference to "../../secret.svg#a" (line 1)'),
    ('<use href="file:///etc/passwd"/>', 'a reference to "file:///etc/passwd" (line 1)'),
    ('<use xlink:href="http://example.org/p.svg#a"/>', 'a reference to "http://example.org/p.svg#a"'),
    ('<rect width="5" height="5" style="fill: url(/etc/x.svg#g)"/>', "url(/etc/x.svg#g)"),
    ('<style>@import url(../../x.css);</style>', "a CSS @import"),
])
def test_an_svg_reaching_outside_the_kit_is_refused_at_the_line_naming_it(make_kit, body, found):
    root = deck_with_pictogram(make_kit, PICTOGRAM.format(body))
    (problem,) = errors_of(root)
    assert problem.startswith("content/decks/d.yaml:5: cards[0].image: expected an SVG that reads")
    assert found in problem


def test_an_svg_with_an_external_dtd_or_entity_is_refused(make_kit):
    dtd = '<?xml version="1.0"?>\n<!DOCTYPE svg SYSTEM "../../secret.dtd">\n' + PICTOGRAM.format("")
    entity = ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY s SYSTEM "file:///etc/hostname">]>\n'
              + PICTOGRAM.format("<text>&s;</text>"))
    for svg, found in ((dtd, 'an external DTD "../../secret.dtd"'), (entity, 'an external entity "s"')):
        (problem,) = errors_of(deck_with_pictogram(make_kit, svg))
        assert found in problem


def test_the_usual_svg_doctype_and_a_use_of_another_kit_svg_are_fine(make_kit):
    svg = ('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
           '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
           + PICTOGRAM.format('<use xlink:href="shapes/disc.svg#d"/><rect width="5" height="5" fill="url(#g)"/>'))
    root = deck_with_pictogram(make_kit, svg, {"images/shapes/disc.svg": PICTOGRAM.format('<circle id="d" r="4"/>')})
    assert load_kit(root).of("decks")["d"].cards[0].image == "images/p.svg"


def test_an_svg_using_a_kit_svg_that_reaches_outside_is_refused(make_kit):
    root = deck_with_pictogram(make_kit, PICTOGRAM.format('<use xlink:href="other.svg#d"/>'),
                               {"images/other.svg": PICTOGRAM.format('<use xlink:href="../../x.svg#d"/>')})
    (problem,) = errors_of(root)
    assert 'a reference to "../../x.svg#d"' in problem and '(used by "images/p.svg", line 1)' in problem


# ------------------------------------------------------------------ class 2: ids become file names


def test_a_pair_id_that_is_a_path_is_an_error_at_its_line(make_kit):
    root = make_kit({"content/field/terrain.yaml": """\
        title: Terrain
        date: 2019-05-24
        sites:
          mairie: {name: Mairie, mode: rendez-vous}
        pairs:
          ../decks/starters-images: [Véronique, Mehdi]
        slots:
          - {time: "9:00", until: "10:00", site: mairie, pair: ../decks/starters-images}
        """})
    problems = errors_of(root)
    assert problems[0] == ('content/field/terrain.yaml:6: pairs: expected a name of letters, digits and hyphens '
                           '("session-08"), got "../decks/starters-images" (a pair\'s id becomes a file name)')


def test_a_file_name_that_is_not_an_id_is_an_error(make_kit):
    root = make_kit({"content/formats/dérive créative.yaml": FORMAT})
    assert errors_of(root) == [
        'content/formats/dérive créative.yaml: (file name): expected a name of letters, digits and hyphens '
        '("session-08"), got "dérive créative": rename the file']


# ------------------------------------------------------------------ class 3 and 7: images


def test_a_symlink_loop_in_images_is_an_error(make_kit):
    root = make_kit({"content/decks/d.yaml": STARTERS})
    (root / "images").mkdir()
    (root / "images" / "p.svg").symlink_to(root / "images" / "p.svg")
    (problem,) = errors_of(root)
    assert problem.endswith('expected an image file, got a link that leads back to itself (a symlink loop) "images/p.svg"')


def test_an_svg_embedding_a_raster_image_is_refused(make_kit):
    root = deck_with_pictogram(make_kit, PICTOGRAM.format(
        '<image width="10" height="10" xlink:href="data:image/png;base64,iVBORw0KGgo="/>'))
    (problem,) = errors_of(root)
    assert "expected an SVG pictogram of vector shapes, got an embedded image (<image>, line 1)" in problem


@pytest.mark.parametrize("body", ['<path d="M 0 0 L 1e999 5 Z"/>', '<text font-size="abc">x</text>'])
def test_an_svg_that_cannot_be_drawn_is_found_without_building(tmp_path, body):
    # kit check runs it through the deck and poster generators' checks (it needs reportlab).
    from kit.images import drawing_problem

    svg = tmp_path / "p.svg"
    svg.write_text(PICTOGRAM.format(body))
    problem = drawing_problem(svg, "images/p.svg", tmp_path)
    assert problem.startswith("expected an SVG that can be drawn, got one that fails to draw (ValueError")
    assert problem.endswith('"images/p.svg"')
    svg.write_text(PICTOGRAM.format('<rect width="5" height="5"/>'))
    assert drawing_problem(svg, "images/p.svg", tmp_path) is None


def test_a_damaged_photo_fails_kit_check(make_kit):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, "JPEG")
    root = make_kit({"content/decks/d.yaml": STARTERS.replace("p.svg", "photo.jpg"),
                     "images/photo.jpg": buffer.getvalue()[:len(buffer.getvalue()) // 2]})
    result = CliRunner().invoke(main, ["check", "--kit", str(root)])
    assert result.exit_code == 1
    assert 'card 1 (“Une carte”), image: expected a readable image, got a damaged file "images/photo.jpg"' in result.output


# ------------------------------------------------------------------ class 6 and plain words: one file, one story


def test_x_yaml_and_x_yml_defining_the_same_id_is_an_error(make_kit):
    root = make_kit({"content/formats/f.yaml": FORMAT, "content/formats/f.yml": FORMAT})
    assert errors_of(root) == [
        'content/formats/f.yml: (file name): expected one file for the id "f", got this one and f.yaml: keep one']


def test_a_syntax_error_is_not_followed_by_errors_that_only_follow_from_it(make_kit):
    root = make_kit({
        "content/formats/derive.yaml": "title: Dérive\nsteps: [un, deux\n",
        "content/guides/g.yaml": "title: G\nmode: rendez-vous\nsections: [\n",
        "content/sessions/s.yaml": session("      - format: derive\n        materials: [{guide: g}]\n"),
    })
    assert [p.split(":")[0] for p in errors_of(root)] == ["content/formats/derive.yaml", "content/guides/g.yaml"]


@pytest.mark.parametrize("files, hint", [
    ({"content/decks/d.yaml": "title: D\nkind: blank-page\nsize: pokr\ncards: [Un service]\n"}, '(did you mean "poker"?)'),
    ({"content/decks/d.yaml": "title: D\nkind: blank-page\ncolour: primery\ncards: [Un service]\n"}, '(did you mean "primary"?)'),
    ({"content/decks/d.yaml": "title: D\nkind: blank-pag\ncards: [Un service]\n"}, '(did you mean "blank-page"?)'),
    ({"content/worksheets/w.yaml": "kind: debate-board\ntitle: W\ncard: tarrot\naxes: [[a, b]]\n"}, '(did you mean "tarot"?)'),
    ({"content/formats/f.yaml": "title: F\nduration: 45\nvariants: {page-blanche: {}}\n",
      "content/sessions/s.yaml": session("      - {format: f, variant: page-blache}\n")}, '(did you mean "page-blanche"?)'),
])
def test_a_value_chosen_from_a_list_gets_a_did_you_mean(make_kit, files, hint):
    (problem,) = errors_of(make_kit(files))
    assert problem.endswith(hint)


@pytest.mark.parametrize("written, offset", [("-1,5", -1.5), ("\"−1,5\"", -1.5), ("0,5", 0.5), ("2", 2.0), ("-0.5", -0.5)])
def test_back_offsets_are_read_as_the_calibration_sheet_prints_them(make_kit, written, offset):
    from conftest import MINIMAL_CONFIG

    # Block style, as the docs write it: in a flow mapping ({x: -1,5}) the comma separates entries.
    root = make_kit({}, config=MINIMAL_CONFIG + f"print:\n  back_offset:\n    x: {written}\n    y: 0\n")
    assert load_kit(root).config.printing.back_offset_mm == (offset, 0.0)


def test_a_back_offset_beyond_what_a_printer_needs_is_an_error(make_kit):
    from conftest import MINIMAL_CONFIG

    root = make_kit({}, config=MINIMAL_CONFIG + "print:\n  back_offset: {x: 1e999, y: 0}\n")
    assert errors_of(root) == ['kit.yaml:8: print.back_offset.x: expected a number from -20 to 20 (1.5 or "1,5"), got inf']


# ------------------------------------------------------------------ missing glyphs


def test_a_character_the_fonts_lack_is_a_warning_naming_file_line_and_character(make_kit):
    root = make_kit({"content/decks/d.yaml": "title: D\nkind: blank-page\ncards:\n  - title: Un service\n"
                                             "    text: On mange ensemble 🍲 le midi\n  - Et si… → « ensemble » ?\n"})
    content = load_kit(root)
    assert [str(w) for w in content.warnings] == [
        'content/decks/d.yaml:5: cards[0].text: expected characters kit\'s fonts can draw, got "🍲" '
        "(U+1F372 pot of food), which would print as blanks: remove them, or use a picture as the image"]


def test_the_default_kit_has_no_character_the_fonts_lack(fixture_kit):
    assert not [w for w in load_kit(fixture_kit).warnings if "fonts can draw" in w.message]


def test_kit_prints_positions_people_read(make_kit):
    root = make_kit({"content/sessions/s.yaml": session(
        "      - {title: Accueil, duration: 30}\n      - {title: Pause, duration: beaucoup, kind: pause}\n")})
    result = CliRunner().invoke(main, ["check", "--kit", str(root)])
    assert ('content/sessions/s.yaml:7: day 1, block 2 (“Pause”), duration: expected minutes (45, "1h30", "45 min"), '
            'got "beaucoup"') in result.output
    # The exact path stays the data: what tools and tests compare.
    assert errors_of(root) == ['content/sessions/s.yaml:7: days[0].blocks[1].duration: expected minutes '
                               '(45, "1h30", "45 min"), got "beaucoup"']


@pytest.mark.parametrize("files, expected", [
    ({"content/formats/f.yaml": "title: F\nmaterials:\n  - Feutres : trois par groupe\n"},
     'content/formats/f.yaml:3: materials[0]: expected a text or a reference (deck: NAME), got a mapping '
     '(a " : " inside a text makes YAML read a key: put the whole text in quotes)'),
    ({"content/decks/d.yaml": "title: D\nkind: blank-page\ncards:\n  - Et si : on mutualisait\n"},
     'content/decks/d.yaml:4: cards[0].Et si: expected a known field (back, count, focus, image, text, theme, title), '
     'got unknown key "Et si" (a " : " inside a text makes YAML read a key: put the whole text in quotes)'),
])
def test_a_colon_in_any_text_gets_the_quotes_advice_once(make_kit, files, expected):
    assert errors_of(make_kit(files)) == [expected]


def test_an_unreadable_kit_yaml_is_one_error(make_kit):
    root = make_kit({}, config="title: K\ndate: 2019-02-30\n")
    assert errors_of(root) == ['kit.yaml:2: expected a date that exists (2019-05-23), got "2019-02-30"']
