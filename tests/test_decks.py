"""Deck content: the fixture kit's decks, spreadsheets giving the same cards as YAML, every mistake placed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from conftest import FIXTURE_KIT
from kit.cards.text import TextStyle, fit, keep_last_words, paragraphs_of
from kit.cli import main
from kit.content import load_kit
from kit.errors import ContentError
from kit.typography import NBSP

PICTOGRAM = "images/pictograms/manger__pot-of-food.svg"


def errors_of(root) -> list[str]:
    """Every content error `kit check` reports: the loader's and the generators' checks (text fit)."""
    from kit.build import Engine

    with pytest.raises(ContentError) as caught:
        Engine(root).check()
    return [str(p) for p in caught.value.problems]


def deck_kit(make_kit, deck: str, extra: dict | None = None, config: str | None = None):
    files = {"content/decks/essai.yaml": deck, PICTOGRAM: (FIXTURE_KIT / PICTOGRAM).read_bytes(), **(extra or {})}
    return make_kit(files, config=config) if config else make_kit(files)


# ------------------------------------------------------------------------------ fixture kit

def test_the_fixture_kit_has_the_four_decks_of_the_seed(fixture_kit):
    decks = load_kit(fixture_kit).of("decks")
    assert {d: (decks[d].kind, len(decks[d].cards)) for d in decks} == {
        "starters-images": ("image-starters", 48),
        "page-blanche": ("blank-page", 18),
        "photos-debat": ("photo-debate", 15),
        "cartes-themes": ("themes", 6),
    }
    assert [(a.left, a.right) for a in decks["photos-debat"].axes] == [
        ("éthique", "pas éthique"), ("innovant", "pas innovant"), ("militant", "désengagé")]
    assert [c.title for c in decks["cartes-themes"].cards] == [
        "Manger", "Se divertir", "Se déplacer", "Se cultiver", "Échanger des savoir-faire", "Mutualiser des compétences"]
    assert decks["page-blanche"].cards_file == "content/decks/page-blanche.csv"
    assert "Panier maraîcher" in [c.title for c in decks["photos-debat"].cards]


def test_image_starters_use_every_pictogram_once_with_its_theme(fixture_kit):
    deck = load_kit(fixture_kit).of("decks")["starters-images"]
    manifest = json.loads((fixture_kit / "images/pictograms/manifest.json").read_text(encoding="utf-8"))
    expected = {f"images/pictograms/{e['file']}.svg": e["theme"] for e in manifest}
    assert {c.image: c.theme for c in deck.cards} == expected
    assert len(deck.themes) == 12
    assert all(c.title and c.title[0].isupper() for c in deck.cards)


# ------------------------------------------------------------------------------ spreadsheets

DECK_YAML = """\
title: Essai
kind: image-starters
cards:
  - title: Le plat qui mijote
    text: Et si le repas était prêt ?
    image: images/pictograms/manger__pot-of-food.svg
    focus: [0.5, 0.3]
    theme: manger
    count: 2
  - title: Le panier
    image: images/pictograms/manger__pot-of-food.svg
    back: Un dos à part
"""
ROWS = [
    ["titre", "texte", "image", "focus", "thème", "exemplaires", "dos"],
    ["Le plat qui mijote", "Et si le repas était prêt ?", PICTOGRAM, "0.5, 0.3", "manger", "2", ""],
    ["Le panier", "", PICTOGRAM, "", "", "", "Un dos à part"],
]


def _csv(rows, sep=";") -> str:
    return "\n".join(sep.join(row) for row in rows) + "\n"


def _xlsx(rows) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([int(v) if v.isdigit() else (v or None) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cards(root):
    return load_kit(root).of("decks")["essai"].cards


@pytest.mark.parametrize("name, data", [
    ("cartes.csv", _csv(ROWS)),
    ("cartes.csv", _csv(ROWS, sep=",").replace("0.5, 0.3", '"0.5, 0.3"').replace("prêt ?", "prêt ?")),
    ("cartes.xlsx", _xlsx(ROWS)),
])
def test_spreadsheet_cards_equal_the_yaml_cards(make_kit, tmp_path, name, data):
    yaml_root = make_kit({"content/decks/essai.yaml": DECK_YAML, PICTOGRAM: (FIXTURE_KIT / PICTOGRAM).read_bytes()}, name="yaml")
    sheet_root = make_kit({
        "content/decks/essai.yaml": "title: Essai\nkind: image-starters\ncards: " + name + "\n",
        "content/decks/" + name: data,
        PICTOGRAM: (FIXTURE_KIT / PICTOGRAM).read_bytes(),
    }, name="sheet")
    from_yaml, from_sheet = _cards(yaml_root), _cards(sheet_root)
    assert len(from_yaml) == 2
    assert from_sheet == from_yaml
    assert from_sheet[0].focus == (0.5, 0.3) and from_sheet[0].count == 2


def test_csv_mistakes_name_file_row_and_column(make_kit):
    rows = [
        ["titre", "texte", "couleur", "nombre"],
        ["Bon", "", "", "1"],
        ["", "Pas de titre", "", ""],
        ["Mauvais nombre", "", "", "deux"],
    ]
    root = deck_kit(make_kit, "title: Essai\nkind: blank-page\ncards: cartes.csv\n",
                    {"content/decks/cartes.csv": _csv(rows)})
    # A header no card field has stops the file there: its rows would only repeat the mistake.
    assert errors_of(root) == [
        'content/decks/cartes.csv:1:3: header: expected a card field (title, text, image, focus, theme, count, back), '
        'got "couleur"',
    ]
    rows[0][2] = "dos"
    (root / "content/decks/cartes.csv").write_text(_csv(rows), encoding="utf-8")
    assert errors_of(root) == [
        'content/decks/cartes.csv:3:1: cards[1].title (column A "titre"): expected text, got nothing',
        'content/decks/cartes.csv:4:4: cards[2].count (column D "nombre"): expected a whole number from 1 to 99, got "deux"',
    ]


def test_xlsx_mistakes_name_file_row_and_column(make_kit):
    rows = [["title", "focus"], ["Carte", "2, 3"]]
    root = deck_kit(make_kit, "title: Essai\nkind: blank-page\ncards: cartes.xlsx\n",
                    {"content/decks/cartes.xlsx": _xlsx(rows)})
    assert errors_of(root) == [
        'content/decks/cartes.xlsx:2:2: cards[0].focus (column B "focus"): expected a focal point [x, y] from 0 to 1 '
        '(e.g. [0.5, 0.3]), got a list',
    ]


def test_missing_or_foreign_spreadsheet_is_a_mistake_of_the_deck(make_kit):
    root = deck_kit(make_kit, "title: Essai\nkind: blank-page\ncards: absent.csv\n")
    assert errors_of(root) == [
        'content/decks/essai.yaml:3: cards: expected a spreadsheet beside the deck file, got "absent.csv", '
        "which does not exist (looked for content/decks/absent.csv)"]
    root = deck_kit(make_kit, "title: Essai\nkind: blank-page\ncards: ../../kit.yaml\n", config=None)
    assert "expected a list of cards or a .csv or .xlsx file" in errors_of(root)[0]


# ------------------------------------------------------------------------------ bad images

BOMB_LIMIT = 1000


def _bad_images(tmp_path: Path) -> dict[str, bytes | str]:
    outside = tmp_path / "outside.png"
    Image.new("RGB", (10, 10)).save(outside)
    import io

    big = io.BytesIO()
    Image.new("RGB", (100, 100)).save(big, "PNG")
    return {
        "images/cassee.jpg": b"\xff\xd8\xff\xe0 not really a jpeg",
        "images/enorme.png": big.getvalue(),
    }


@pytest.mark.parametrize("image, expected", [
    ("https://example.org/photo.jpg", 'got a URL "https://example.org/photo.jpg"'),
    ("../outside.png", 'got a path that leaves the kit "../outside.png"'),
    ("/etc/passwd", 'got an absolute path "/etc/passwd"'),
    ("images/absente.jpg", 'got "images/absente.jpg", which does not exist'),
    ("images/cassee.jpg", 'got a damaged or unknown file "images/cassee.jpg"'),
    ("images/enorme.png", "got 100×100 = 10 000 pixels in \"images/enorme.png\""),
])
def test_each_bad_image_is_an_error_at_the_card_line(make_kit, tmp_path, monkeypatch, image, expected):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", BOMB_LIMIT)
    deck = f"""\
        title: Essai
        kind: photo-debate
        axes: [[éthique, pas éthique]]
        cards:
          - title: Bonne carte
            image: {PICTOGRAM}
          - title: Mauvaise carte
            image: "{image}"
        """
    root = deck_kit(make_kit, deck, _bad_images(tmp_path))
    errors = errors_of(root)
    assert len(errors) == 1, errors
    assert errors[0].startswith("content/decks/essai.yaml:8: cards[1].image: expected ")
    assert expected in errors[0]


def test_kit_check_prints_the_image_error_and_exits_1(make_kit):
    root = deck_kit(make_kit, "title: Essai\nkind: image-starters\ncards:\n  - title: A\n    image: images/a.jpg\n")
    result = CliRunner().invoke(main, ["check", "--kit", str(root)])
    assert result.exit_code == 1
    assert 'content/decks/essai.yaml:5: card 1 (“A”), image: expected an existing image file, got "images/a.jpg"' in result.output


# ------------------------------------------------------------------------------ text fitting

def test_an_overflowing_text_is_an_error_saying_how_much_is_over(make_kit):
    long_text = " ".join(["Une phrase beaucoup trop longue pour une carte de poker."] * 8)
    deck = f"""\
        title: Essai
        kind: image-starters
        cards:
          - title: Le plat qui mijote
            image: {PICTOGRAM}
          - title: Trop bavarde
            image: {PICTOGRAM}
            text: {long_text}
        """
    errors = errors_of(deck_kit(make_kit, deck))
    assert len(errors) == 1
    assert errors[0].startswith("content/decks/essai.yaml:8: cards[1].text: expected a text that fits its box at 8 pt "
                                "(the smallest size), got ")
    assert "mm over (about " in errors[0] and "shorten it by about" in errors[0]


def test_a_word_too_wide_for_the_card_is_an_error(make_kit):
    deck = "title: Essai\nkind: themes\ncards:\n  - title: Anticonstitutionnellementissimement\n"
    assert errors_of(deck_kit(make_kit, deck)) == [
        'content/decks/essai.yaml:4: cards[0].title: expected words that fit the card\'s width at 13 pt, got '
        '"Anticonstitutionnellementissimement" too wide; shorten it or use a larger card size']


def test_text_shrinks_step_by_step_before_failing():
    style = TextStyle(size=12, minimum=7)
    words = paragraphs_of("Un service pour gagner une heure dans sa semaine", "fr")
    roomy, tight = fit(words, style, 150, 100), fit(words, style, 150, 20)
    assert roomy.size == 12 and roomy.fits
    assert 7 <= tight.size < 12 and tight.fits
    assert not fit(words, style, 150, 5).fits


def test_a_short_last_word_stays_with_the_word_before():
    assert keep_last_words("Et si on mutualisait les outils") == f"Et si on mutualisait les{NBSP}outils"
    assert keep_last_words("Un <b>service</b> pour tous<br/>et pour vous") == (
        f"Un <b>service</b> pour{NBSP}tous<br/>et pour{NBSP}vous")
    assert keep_last_words("Anticonstitutionnellement") == "Anticonstitutionnellement"


def test_french_typography_in_card_text():
    ((markup, _),) = paragraphs_of('Un "comptoir" : pourquoi ?', "fr")
    # reportlab breaks lines at a narrow no-break space: cards use the no-break space instead.
    assert markup == f"Un «{NBSP}comptoir{NBSP}»{NBSP}: pourquoi{NBSP}?"


# ------------------------------------------------------------------------------ deck settings

def test_deck_setting_mistakes_are_all_reported(make_kit):
    deck = f"""\
        title: Essai
        kind: photo-debat
        size: 63 par 88
        colour: bleu
        print: [home, imprimante]
        axes: [[éthique]]
        themes:
          manger: {{label: Manger, colour: "#e8743b"}}
        cards:
          - title: Sans image
            theme: boire
          - title: Avec
            image: {PICTOGRAM}
            focus: [2, 0]
        """
    assert errors_of(deck_kit(make_kit, deck)) == [
        'content/decks/essai.yaml:2: kind: expected one of image-starters, blank-page, photo-debate, themes, '
        'got "photo-debat" (did you mean "photo-debate"?)',
        'content/decks/essai.yaml:3: size: expected a card size (poker, tarot, A6, A7, square or "WxH" in mm, e.g. "63x88"), '
        'got "63 par 88"',
        'content/decks/essai.yaml:4: colour: expected a theme colour (primary, accent, ink, muted, light, pause, terrain) '
        'or a colour like "#1d4e89", got "bleu"',
        'content/decks/essai.yaml:5: print[1]: expected one of home, fold, shop, png, got "imprimante" (did you mean "imprimeur"?)',
        'content/decks/essai.yaml:6: axes[0]: expected two ends like [éthique, pas éthique], got a list',
        # The misspelled kind is checked as the kind it most likely means.
        'content/decks/essai.yaml:10: cards[0].image: expected an image on a photo-debate card, got nothing',
        'content/decks/essai.yaml:11: cards[0].theme: expected one of the deck\'s themes (manger), got "boire"',
        'content/decks/essai.yaml:14: cards[1].focus: expected a focal point [x, y] from 0 to 1 (e.g. [0.5, 0.3]), got a list',
    ]


def test_kind_rules_for_images_and_axes(make_kit):
    deck = f"""\
        title: Essai
        kind: blank-page
        axes: [[éthique, pas éthique]]
        cards:
          - title: Un service pour…
            image: {PICTOGRAM}
          - Et si on mutualisait…
        """
    assert errors_of(deck_kit(make_kit, deck)) == [
        "content/decks/essai.yaml:3: axes: expected axes only on a photo-debate deck, got them on a blank-page deck",
        f'content/decks/essai.yaml:6: cards[0].image: expected no image on a blank-page card, got "{PICTOGRAM}"',
    ]


def test_card_sizes_by_name_or_millimetres(make_kit):
    for size, expected in (("tarot", (70.0, 120.0)), ("A7", (74.0, 105.0)), ("90x125", (90.0, 125.0))):
        root = deck_kit(make_kit, f"title: Essai\nkind: blank-page\nsize: {size}\ncards: [Un service pour…]\n")
        assert load_kit(root).of("decks")["essai"].size_mm == expected


def test_a_session_material_may_name_a_deck(make_kit):
    root = deck_kit(make_kit, "title: Essai\nkind: blank-page\ncards: [Un service pour…]\n", {
        "content/formats/derive.yaml": "title: Dérive\nmaterials:\n  - deck: essai\n  - deck: essais\n",
    })
    assert errors_of(root) == [
        'content/formats/derive.yaml:4: materials: expected a deck of content/decks/ (essai), got "essais" '
        '(did you mean "essai"?)']


def test_a_card_too_large_for_the_paper_is_an_error(make_kit):
    deck = "title: Essai\nkind: blank-page\nsize: 200x280\nprint: [shop, fold]\ncards: [Un service pour…]\n"
    assert errors_of(deck_kit(make_kit, deck)) == [
        "content/decks/essai.yaml:3: size: expected a card that fits A4 paper for the fold print (with its margins "
        "and crop marks), got 200 × 280 mm; use a smaller size or drop fold from print:"]
