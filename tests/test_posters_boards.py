"""Theme posters, debate boards and the capture sheet read back from their PDFs: where the poles print
against the deck's cards, how much of a poster is left to write on, how post-its stand out from
the drawn grounds, and what each sheet takes from the deck it serves."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from conftest import FIXTURE_KIT, pdf_pages, pdf_text
from kit.build import build
from kit.colours import contrast_ratio
from kit.content import load_kit
from kit.errors import ContentError
from kit.generators.poster import (CARDS_SHARE_MAX, POST_IT_MM, WRITING_SHARE_MIN, board_layout, layouts_of,
                                   poster_layout)
from kit.postits import MIN_NOTE_DIFFERENCE, MIN_WRITING_CONTRAST, colour_difference, lab, zone_ground
from kit.theme import MM

POST_ITS = {"#7cc4ea", "#ffe45c", "#ffa03a"}
CARD_NAMES = ["Panier maraîcher", "Crèche d'entreprise", "Vélos de service", "Salle de sport", "Repair café",
              "Jardin partagé", "Tiers-lieu", "Permanence santé", "Billetterie", "Covoiturage",
              "Conciergerie", "Bibliothèque d'objets", "Restaurant", "Garde d'enfant malade", "Échange de savoirs"]
PICTOGRAM = "images/pictograms/manger__pot-of-food.svg"
THEMES = [("Manger", "repas, courses", "#e8743b"), ("Se déplacer", "trajets, vélo", "#4361a8")]


def deck_yaml(axes: str = "[[éthique, pas éthique], [innovant, pas innovant], [militant, désengagé]]") -> str:
    cards = "\n".join(f"  - {{title: \"{name}\", image: {PICTOGRAM}}}" for name in CARD_NAMES)
    return f"title: Photos débat\nkind: photo-debate\ncolour: \"#2e7d9a\"\naxes: {axes}\nprint: [shop]\ncards:\n{cards}\n"


def themes_yaml() -> str:
    themes = "\n".join(f"  t{i}: {{label: {t}, colour: \"{c}\"}}" for i, (t, _, c) in enumerate(THEMES))
    cards = "\n".join(f"  - {{title: {t}, text: \"{h}\", image: {PICTOGRAM}, theme: t{i}}}"
                      for i, (t, h, _) in enumerate(THEMES))
    return f"title: Thèmes\nkind: themes\nsize: 90x125\nprint: [shop]\nthemes:\n{themes}\ncards:\n{cards}\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A kit whose board serves a 15-card deck and whose posters come from a theme-cards deck."""
    root = tmp_path_factory.mktemp("served") / "kit"
    (root / "images/pictograms").mkdir(parents=True)
    (root / PICTOGRAM).write_bytes((FIXTURE_KIT / PICTOGRAM).read_bytes())
    (root / "kit.yaml").write_text("title: Kit d'essai\nlanguage: fr\npaper: A4\nversion: \"1.0\"\ndate: 2019-05-20\n")
    files = {
        "content/decks/photos-debat.yaml": deck_yaml(),
        "content/decks/cartes-themes.yaml": themes_yaml(),
        "content/worksheets/plateau.yaml": "kind: debate-board\ndeck: photos-debat\n",
        "content/worksheets/affiches.yaml": "kind: theme-posters\ndeck: cartes-themes\n",
        "content/worksheets/besoins.yaml": "kind: besoins-solutions\n",
    }
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    summary = build(root, jobs=1)
    assert summary.warnings == []
    return root / "output"


def char_boxes(path: Path, page: int, text: str) -> list[tuple[float, float, float, float]]:
    """The box (left, bottom, right, top in pt) of each place `text` is printed on a page."""
    document = pdfium.PdfDocument(str(path))
    textpage = document[page].get_textpage()
    boxes = []
    searcher = textpage.search(text, match_case=True, match_whole_word=True)
    while (found := searcher.get_next()) is not None:
        start, count = found
        lefts, bottoms, rights, tops = zip(*(textpage.get_charbox(i) for i in range(start, start + count)), strict=True)
        boxes.append((min(lefts), min(bottoms), max(rights), max(tops)))
    return boxes


def pixels(path: Path, page: int, dpi: int = 20):
    document = pdfium.PdfDocument(str(path))
    return document[page].render(scale=dpi / 72).to_pil().convert("RGB")


def hex_of(rgb) -> str:
    return "#" + "".join(f"{v:02x}" for v in rgb)


# ------------------------------------------------------------------------------- the debate board

def test_the_board_reads_its_poles_as_the_cards_do(built):
    """On the deck's cards each axis runs from its first pole (left) to the second (right); on the
    assembled board the lying axis does the same, the upright one runs from the first pole on top."""
    deck = built / "decks/photos-debat-imprimeur.pdf"
    board = built / "worksheets/plateau.pdf"
    card_order = []
    for first, second in (("éthique", "pas éthique"), ("innovant", "pas innovant"), ("militant", "désengagé")):
        left = min(b[0] for b in char_boxes(deck, 0, first) if not any(
            b2[0] <= b[0] <= b2[2] and b2[1] == b[1] for b2 in char_boxes(deck, 0, second) if b2 != b))
        right = max(b[0] for b in char_boxes(deck, 0, second))
        card_order.append(left < right)
    assert card_order == [True, True, True]

    layout = layouts_of(load_kit(built.parent).of("worksheets")["plateau"])[0]
    def on_board(page_in_board: int, text: str):
        sheet = page_in_board
        offset = layout.offsets[sheet]
        return [(b[0] + offset, b[1]) for b in char_boxes(board, page_in_board, text)]

    poles = {name: [p for s in range(layout.sheets) for p in on_board(s, name)]
             for name in ("innovant", "pas innovant", "éthique", "pas éthique")}
    innovant = [p for p in poles["innovant"] if p not in [(x + 0, y) for x, y in poles["pas innovant"]]]
    # "pas innovant" also holds "innovant": the lone one is the left pole.
    left_pole = min(x for x, _ in innovant)
    right_pole = max(x for x, _ in poles["pas innovant"])
    assert left_pole < layout.field.centre[0] < right_pole
    top_pole = max(y for _, y in poles["éthique"])
    bottom_pole = min(y for _, y in poles["pas éthique"])
    assert top_pole > layout.field.centre[1] > bottom_pole
    # The second board is the deck's third axis, as a track.
    second = built / "worksheets/plateau.pdf"
    texts = pdf_pages(second)
    assert "militant" in texts[layout.sheets] and "désengagé" in " ".join(texts[layout.sheets:])
    assert "innovant" not in " ".join(texts[layout.sheets:])


def test_the_board_has_room_for_every_card_of_its_deck_and_their_conditions(built):
    board = built / "worksheets/plateau.pdf"
    sheet = load_kit(built.parent).of("worksheets")["plateau"]
    assert sheet.axes[0].pole == "éthique" and sheet.card_mm == (63.0, 88.0) and sheet.card_count == 15
    for layout in layouts_of(sheet):
        assert layout.capacity >= 15 and layout.cards_share(15) <= CARDS_SHARE_MAX
        # An open field: no card cells; the centre zone sits where the axes cross.
        assert layout.centre[:2] == pytest.approx(layout.field.centre)
        assert len(layout.rows) == 15 and all(row.h >= 14 * MM for row in layout.rows)
    reader = PdfReader(str(board))
    # 15 poker cards do not fit one A3 with room to move them: each board is two A3 sheets, portrait.
    assert [(round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM)) for p in reader.pages] \
        == [(297, 420)] * 4
    text = re.sub(r"\s+", " ", pdf_text(board).replace("\u00a0", " ").replace("\u202f", " "))
    assert "Cartes « Photos débat » : 15 cartes" in text
    assert "À quelle condition… ?" in text and "Ça dépend…" in text
    for name in CARD_NAMES:
        assert name.replace("'", "’") in text.replace("'", "’")
    assert "couper ici" in text and "feuille 1 / 2" in text
    assert "une case" not in text  # no cells any more


def test_a_board_on_one_sheet_for_a_small_deck():
    layout = board_layout("A3", (63.0, 88.0), (), cards=6)
    assert layout.sheets == 1 and layout.sheet == pytest.approx((420 * MM, 297 * MM))


def test_the_board_takes_its_axes_only_from_its_deck(make_kit):
    root = make_kit({
        "content/decks/photos-debat.yaml": deck_yaml(),
        "content/decks/themes.yaml": themes_yaml(),
        PICTOGRAM: (FIXTURE_KIT / PICTOGRAM).read_bytes(),
        "content/worksheets/a.yaml": "kind: debate-board\ndeck: photos-debat\naxes: [[éthique, pas éthique]]\n",
        "content/worksheets/b.yaml": "kind: debate-board\ndeck: photo-debat\n",
        "content/worksheets/c.yaml": "kind: debate-board\ndeck: themes\n",
        "content/worksheets/d.yaml": "kind: theme-posters\ndeck: photos-debat\n",
    })
    with pytest.raises(ContentError) as caught:
        load_kit(root)
    errors = [str(p) for p in caught.value.problems]
    assert errors[0].startswith("content/worksheets/a.yaml:3: axes: expected no `axes` beside `deck: photos-debat`")
    assert errors[1] == ('content/worksheets/b.yaml:2: deck: expected a deck of content/decks/ (photos-debat, '
                         'themes), got "photo-debat" (did you mean "photos-debat"?)')
    assert errors[2] == 'content/worksheets/c.yaml:2: deck: expected a photo-debate deck, got "themes", a themes deck'
    assert errors[3] == ('content/worksheets/d.yaml:2: deck: expected a themes deck, got "photos-debat", '
                         'a photo-debate deck')


def test_editing_the_deck_axes_renders_the_board_again(built, tmp_path):
    import shutil

    root = tmp_path / "kit"
    shutil.copytree(built.parent, root)
    deck = root / "content/decks/photos-debat.yaml"
    deck.write_text(deck.read_text().replace("[militant, désengagé]", "[désengagé, militant]"))
    summary = build(root, jobs=1)
    paths = {r.path for r in summary.of("rendered")}
    assert "worksheets/plateau.pdf" in paths and "worksheets/affiches.pdf" not in paths


# ------------------------------------------------------------------------------- theme posters

def test_posters_leave_three_quarters_of_the_sheet_to_write_on(built):
    """Measured on the rendered page: the pixels of the zones' ground, over the whole sheet."""
    layout = poster_layout("A3", 2)
    assert layout.writing_share >= WRITING_SHARE_MIN
    assert all(zone.notes_flat >= 6 for zone in layout.zones)  # 76 mm post-its, flat: three times two
    assert POST_IT_MM == 76.0
    path = built / "worksheets/affiches.pdf"
    dpi = 20
    for page in range(2):
        image = pixels(path, page, dpi)
        height = image.height
        for zone in layout.zones:  # each zone's ground is left free: white paper inside its frame
            g = zone.ground
            inner = image.crop((round((g.x + 2 * MM) / 72 * dpi), round(height - (g.top - 2 * MM) / 72 * dpi),
                                round((g.right - 2 * MM) / 72 * dpi), round(height - (g.y + 2 * MM) / 72 * dpi)))
            counts = Counter(inner.get_flattened_data())
            assert counts[(255, 255, 255)] / (inner.width * inner.height) > 0.99


def test_posters_take_title_examples_pictogram_and_colour_from_the_theme_cards(built):
    path = built / "worksheets/affiches.pdf"
    pages = pdf_pages(path)
    assert len(pages) == 2
    for page, (title, hint, colour) in zip(pages, THEMES, strict=True):
        assert title in page and hint in page
    from kit.colours import text_on

    for page, (_, _, colour) in enumerate(THEMES):
        image = pixels(path, page, dpi=30)
        band = image.getpixel((int(150 * 30 / 25.4), int(10 * 30 / 25.4)))  # inside the band, right of the title
        assert contrast_ratio(hex_of(band), text_on(colour, "#1d2733")[0]) < 1.05


def test_post_its_stand_out_from_the_drawn_grounds(built):
    """The ground colour as drawn (read from the pixels) against each post-it colour the PDF prints."""
    for name in ("affiches", "besoins"):
        path = built / f"worksheets/{name}.pdf"
        image = pixels(path, 0)
        ground = hex_of(Counter(image.get_flattened_data()).most_common(1)[0][0])  # the zones' ground, and paper
        drawn = set()
        for page in PdfReader(str(path)).pages:
            stream = page.get_contents().get_data().decode("latin-1")
            for r, g, b in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|scn)", stream):
                drawn.add("#" + "".join(f"{round(float(v) * 255):02x}" for v in (r, g, b)))
        notes = POST_ITS & drawn if name == "affiches" else POST_ITS
        assert notes == POST_ITS
        for note in notes:
            assert colour_difference(note, ground) >= MIN_NOTE_DIFFERENCE, (name, note, ground)
        assert contrast_ratio("#000000", ground) >= MIN_WRITING_CONTRAST - 0.1


def test_grounds_are_neutral_and_the_lightest_every_note_stands_out_from():
    # The old zones were pale tints of their own notes: a hue of their own, which a ground never has.
    pale_orange = "#fff0e2"
    assert max(abs(lab(pale_orange)[1]), abs(lab(pale_orange)[2])) > 5
    ground = zone_ground(tuple(POST_ITS))
    assert ground == "#ffffff"                       # the default notes all stand out from paper: no ink
    assert all(colour_difference(n, ground) >= MIN_NOTE_DIFFERENCE for n in POST_ITS)
    assert zone_ground(("#111111",)) == "#ffffff"   # a dark note reads on the paper too
    light = zone_ground(("#f4f4f4",))                # a near-white note needs a grey ground
    assert light != "#ffffff" and colour_difference("#f4f4f4", light) >= MIN_NOTE_DIFFERENCE
    # A white note wants a darker ground, a mid-grey one a lighter or a much darker one, and a
    # black marker must still read: no ground serves both.
    assert zone_ground(("#ffffff", "#808080")) is None


def test_each_colour_has_one_meaning_stated_once(built):
    for name in ("besoins", "affiches"):
        text = re.sub(r"\s+", " ", pdf_pages(built / f"worksheets/{name}.pdf")[0].replace("\u202f", " "))
        assert "bleu ou jaune" not in text
        for meaning in ("un besoin entendu, dit par la personne rencontrée",
                        "un besoin observé par le binôme, sans qu’on le lui dise", "une piste de service"):
            assert text.count(meaning) == 1, (name, meaning)


def test_a_note_colour_no_ground_can_carry_is_a_warning(make_kit, tmp_path):
    root = make_kit({
        PICTOGRAM: (FIXTURE_KIT / PICTOGRAM).read_bytes(),
        "content/worksheets/p.yaml": f"""\
            kind: theme-posters
            notes:
              blue: {{colour: "#ffffff"}}
              orange: {{colour: "#808080"}}
            themes:
              - {{title: Manger, pictogram: {PICTOGRAM}, colour: "#e8743b"}}
            """})
    summary = build(root, tmp_path / "out", jobs=1)
    (warning,) = summary.warnings
    assert warning.startswith("content/worksheets/p.yaml:1: notes: expected post-it colours that all stand out")
