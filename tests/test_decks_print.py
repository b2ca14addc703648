"""Home printing that forgives, read back from the PDFs: gutters and bleed, backs without a frame,
light backs, type no smaller than 8 pt, text on colour at 4.5:1, narrow French spaces, fold-over
files for every deck, captions that fit or are warned about."""

from __future__ import annotations

import io
from collections import Counter

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from conftest import FIXTURE_KIT, outputs_of
from kit.colours import MIN_CONTRAST, contrast_ratio
from kit.content import load_kit
from kit.generators import GENERATORS, RenderContext
from kit.imposition import (CROP_MARK_MIN_LENGTH_MM, MM, SHEET_MARGIN_MM, caption_box, fold_over, grid,
                            mm_to_pt)
from kit.theme import PAPER_MM, Theme
from test_decks_render import PICTOGRAM, config, starters

A4, LETTER = mm_to_pt(PAPER_MM["A4"]), mm_to_pt(PAPER_MM["letter"])
POKER = mm_to_pt((63.0, 88.0))
MIN_PT = 8.0


def render(root, subject, edition):
    content = load_kit(root)
    output = next(o for o in outputs_of(content) if o.subject == subject and o.edition == edition)
    context = RenderContext(theme=Theme.from_config(content.config), kit_root=root.resolve(),
                            cache_dir=root / "output" / ".cache")
    rendered = GENERATORS["deck"].render(output, content, context)
    return rendered.files[output.path]


def kit_with(make_kit, deck: str, **settings):
    text = config(**{k: v for k, v in settings.items() if k in ("paper", "duplex")})
    extra = "".join(f"  {k}: {v}\n" for k, v in settings.items() if k in ("gutter", "backs"))
    return make_kit({"content/decks/essai.yaml": deck, PICTOGRAM: (FIXTURE_KIT / PICTOGRAM).read_bytes()},
                    config=text + extra)


# ------------------------------------------------------------------------------- geometry

@pytest.mark.parametrize("paper, gutters_mm", [(A4, (2.0, 3.0)), (LETTER, (3.0, 0.1))])
def test_home_sheets_keep_nine_poker_cards_with_a_gutter_as_wide_as_the_paper_allows(paper, gutters_mm):
    sheet = grid(paper, POKER, gutter_mm=3)
    assert sheet.per_sheet == grid(paper, POKER).per_sheet == 9
    assert [round(g / MM, 3) for g in sheet.gutter] == list(gutters_mm)
    first, right, below = sheet.fronts[0], sheet.fronts[1], sheet.fronts[3]
    assert right.x - first.right == pytest.approx(sheet.gutter[0])
    assert first.y - below.top == pytest.approx(sheet.gutter[1])
    # Each card's colour covers half the gutter: neighbours' bleeds meet, never overlap.
    bleeds = sheet.bleeds
    assert bleeds[0].right == pytest.approx(bleeds[1].x) and bleeds[0].y == pytest.approx(bleeds[3].top)
    margin = SHEET_MARGIN_MM * MM
    for mark in sheet.marks:
        assert not any(mark.crosses(box) for box in bleeds)  # marks stay outside the colour
        assert mark.length >= CROP_MARK_MIN_LENGTH_MM * MM - 1e-6
        assert min(mark.x1, mark.x2) >= margin - 1e-6 and min(mark.y1, mark.y2) >= margin - 1e-6
    # Two cut lines per gutter, one mark each at both ends of the grid.
    xs = {round(m.x1, 3) for m in sheet.marks if m.x1 == m.x2}
    assert len(xs) == 6


def test_no_gutter_gives_the_butted_sheet():
    assert grid(A4, POKER, gutter_mm=0) == grid(A4, POKER)


def test_fold_over_sheets_have_the_gutter_too():
    sheet = fold_over(A4, POKER, gutter_mm=3)
    assert sheet.per_sheet == fold_over(A4, POKER).per_sheet
    assert sheet.gutter[1] == pytest.approx(3 * MM)


# ------------------------------------------------------------------------------ from PDFs

def _page(pdf: bytes, index: int, dpi: int = 150):
    return pdfium.PdfDocument(pdf)[index].render(scale=dpi / 72).to_pil().convert("RGB")


def _pixel(image, x_pt, y_pt, page_h, dpi=150):
    scale = dpi / 72
    return image.getpixel((round(x_pt * scale), round((page_h - y_pt) * scale)))


def test_a_cut_half_a_gutter_off_the_line_shows_the_cards_own_colour(make_kit):
    """The starter's theme band at the bottom of card 1: 0.7 mm below its trim (in the gutter) the
    band's colour, 0.7 mm above the next card's top its own pale panel, not the band."""
    pdf = render(kit_with(make_kit, starters(9)), "essai", "home")
    sheet = grid(A4, POKER, gutter_mm=3)
    front = _page(pdf, 0)
    card, below = sheet.fronts[0], sheet.fronts[3]
    x = card.x + card.w / 2
    band = _pixel(front, x, card.y + 2 * MM, A4[1])
    assert _pixel(front, x, card.y - 0.7 * MM, A4[1]) == band
    assert _pixel(front, x, below.top + 0.7 * MM, A4[1]) == _pixel(front, x, below.top - 2 * MM, A4[1]) != band
    # Left of the first column and right of the last: the card's own colour too.
    assert _pixel(front, card.x - 0.5 * MM, card.y + 2 * MM, A4[1]) == band


def _strokes(page) -> list[str]:
    ops = []
    page.extract_text(visitor_operand_before=lambda op, args, cm, tm: ops.append(op) if op in (b"S", b"s", b"B", b"b", b"B*", b"b*", "S", "s", "B", "b") else None)
    return ops


@pytest.mark.parametrize("backs", ["full", "light"])
def test_backs_have_no_frame_and_light_backs_save_ink(make_kit, backs):
    pdf = render(kit_with(make_kit, starters(9), backs=backs), "essai", "home")
    reader = PdfReader(io.BytesIO(pdf))
    assert _strokes(reader.pages[1]) == []  # no line at all on a back page, so none near a trim
    image = _page(pdf, 1, dpi=30).convert("L")
    inked = sum(1 for v in image.tobytes() if v < 235) / (image.width * image.height)
    if backs == "full":
        assert inked > 0.6
    else:
        assert inked < 0.3
    text = reader.pages[1].extract_text()
    assert text.count("Essai") == 9


def _runs(page):
    """(text, size, fill colour as #rrggbb, x, y) of every text run drawn on a page."""
    runs, state = [], {"fill": "#000000"}

    def before(op, args, cm, tm):
        if op in (b"rg", "rg") and len(args) == 3:
            state["fill"] = "#" + "".join(f"{round(float(v) * 255):02x}" for v in args)
        if op in (b"g", "g") and len(args) == 1:
            level = round(float(args[0]) * 255)
            state["fill"] = f"#{level:02x}{level:02x}{level:02x}"

    def text(t, cm, tm, font, size):
        if t.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (abs(tm[0] * cm[0] + tm[1] * cm[2]) ** 2 + abs(tm[0] * cm[1] + tm[1] * cm[3]) ** 2) ** 0.5
            runs.append((t.strip(), size * scale, state["fill"], x, y))

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return runs


FIXTURE_DECKS = ["starters-images", "page-blanche", "photos-debat", "cartes-themes"]


@pytest.fixture(scope="module")
def fixture_pdfs(tmp_path_factory):
    from conftest import copy_fixture_kit

    root = copy_fixture_kit(tmp_path_factory.mktemp("fixture") / "kit")
    found = {}
    for deck in FIXTURE_DECKS:
        for edition in ("home", "fold", "shop"):
            try:
                found[(deck, edition)] = render(root, deck, edition)
            except StopIteration:
                continue
    return found


def test_nothing_on_cards_or_sheets_is_printed_below_8_pt(fixture_pdfs):
    sizes = Counter()
    for (deck, edition), pdf in fixture_pdfs.items():
        for page in PdfReader(io.BytesIO(pdf)).pages[:2]:
            for text, size, *_ in _runs(page):
                sizes[round(size, 2)] += 1
                assert size >= MIN_PT - 0.01, (deck, edition, text, size)
    assert min(sizes) == pytest.approx(MIN_PT)  # the smallest texts sit at the floor


def test_text_on_colour_reaches_4_5_to_1_measured_from_the_drawn_colours(fixture_pdfs):
    """Each text run's fill colour against the colour drawn under it (the most common pixel of
    a strip just under the run's baseline, where the glyphs leave the background bare)."""
    dpi, checked = 100, 0
    for deck in FIXTURE_DECKS:
        pdf = fixture_pdfs[(deck, "shop")]
        reader = PdfReader(io.BytesIO(pdf))
        for index in range(0, min(len(reader.pages), 12), 2):  # fronts
            for back in (0, 1):
                page_index = index + back
                page = reader.pages[page_index]
                height = float(page.mediabox.height)
                image = _page(pdf, page_index, dpi)
                for text, size, fill, x, y in _runs(page):
                    scale = dpi / 72
                    box = (round(x * scale), round((height - y + size * 0.05) * scale),
                           round((x + size * 2) * scale), round((height - y + size * 0.25) * scale))
                    crop = image.crop(box)
                    if crop.width < 1 or crop.height < 1:
                        continue
                    background = "#%02x%02x%02x" % Counter(zip(*[iter(crop.tobytes())] * 3, strict=True)).most_common(1)[0][0]
                    if background == fill:
                        continue  # a strip inside a glyph's descender; nothing to judge
                    checked += 1
                    assert contrast_ratio(fill, background) >= MIN_CONTRAST - 0.05, (deck, text, fill, background)
    assert checked > 50


def test_the_orange_accent_band_gets_dark_ink_and_a_mid_pink_is_darkened():
    from kit.colours import WHITE, text_on

    ink = "#1f2328"
    assert contrast_ratio("#e8743b", WHITE) < MIN_CONTRAST  # the issue: white on the accent, 3.0:1
    assert text_on("#e8743b", ink) == ("#e8743b", ink)
    background, text = text_on("#d64f93", ink)
    assert text == WHITE and background != "#d64f93" and contrast_ratio(background, WHITE) >= MIN_CONTRAST
    assert text_on("#1d4e89", ink) == ("#1d4e89", WHITE)


def test_french_punctuation_gets_a_narrow_space_on_cards(make_kit):
    deck = (f"title: Essai\nkind: image-starters\ncards:\n  - title: Le plat\n    image: {PICTOGRAM}\n"
            f"    text: \"Et si le repas était prêt ?\"\n")
    pdf = render(kit_with(make_kit, deck), "essai", "shop")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    spaces = []

    def text(t, cm, tm, font, size):
        if t in ("\u00a0", " "):  # pypdf reads the no-break space back as a space
            spaces.append(size)

    page.extract_text(visitor_text=text)
    runs = [r for r in _runs(page) if "repas" in r[0]]
    assert runs and spaces
    assert spaces[0] == pytest.approx(runs[0][1] * 0.6458, abs=0.02)  # Inter's narrow space, 0.18 em


def test_every_deck_gets_a_fold_over_file_by_default(make_kit, default_kit):
    deck = starters(3).replace("print: [home, fold, shop, png]\n", "")
    paths = {o.path for o in outputs_of(load_kit(kit_with(make_kit, deck)))}
    assert "decks/essai-pliage.pdf" in paths
    shipped = load_kit(default_kit)
    folds = {o.subject for o in outputs_of(shipped) if o.kind == "deck" and o.edition == "fold"}
    assert folds == set(shipped.of("decks"))


def test_theme_cards_print_their_theme_when_it_is_not_their_title(make_kit):
    deck = (f"title: Thèmes\nkind: themes\nthemes:\n  manger: {{label: Manger, colour: \"#e8743b\"}}\ncards:\n"
            f"  - title: Le repas du midi\n    image: {PICTOGRAM}\n    theme: manger\n"
            f"  - title: Manger\n    image: {PICTOGRAM}\n    theme: manger\n")
    pdf = render(kit_with(make_kit, deck), "essai", "shop")
    texts = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]
    assert "Manger" in texts[0] and "Le repas du midi" in texts[0]
    assert texts[2].count("Manger") == 1  # not twice when it is the title


def test_letter_sheets_place_their_caption_beside_the_cards_in_brief_where_the_full_one_has_no_room(make_kit):
    from kit.build import Engine

    root = kit_with(make_kit, starters(9), paper="letter")
    sheet = grid(LETTER, POKER, gutter_mm=3)
    place = caption_box(sheet, False, 150)
    assert place is None or place.rotation == 90  # no room above or below: beside the middle row
    pdf = render(root, "essai", "home")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace("\u202f", " ").replace("\u00a0", " ")
    assert "Essai — feuille 1/1 — recto" in text
    # The full hint is longer than the middle row: its brief wording prints instead, and nothing is warned.
    assert "Imprimer à 100 %" not in text and "À 100 % (taille réelle) · recto verso bord long" in text
    _, warnings = Engine(root).check()
    assert not [w for w in warnings if "caption" in w]
    pdf = render(kit_with(make_kit, starters(9), paper="A4"), "essai", "home")
    a4 = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace("\u202f", " ").replace("\u00a0", " ")
    assert "Imprimer à 100 % (taille réelle, sans « ajuster »), recto verso bord long" in a4


def test_the_fixture_kit_on_letter_prints_every_caption(fixture_kit):
    """Letter leaves no strip above or below poker and tarot cards: every sheet caption still prints,
    in brief where it must, and none is warned about."""
    from kit.build import Engine

    config = fixture_kit / "kit.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("paper: A4", "paper: letter"), encoding="utf-8")
    _, warnings = Engine(fixture_kit).check()
    assert not [w for w in warnings if "caption" in w], warnings
