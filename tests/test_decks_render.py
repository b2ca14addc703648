"""Deck outputs read back from the PDFs: sizes, pages, cards, boxes, fonts, photo resolution, duplex backs."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageOps
from pypdf import PdfReader

from conftest import outputs_of, FIXTURE_KIT, compare_golden
from kit.build import build
from kit.content import load_kit
from kit.generators import GENERATORS, RenderContext
from kit.generators.deck import home_plan
from kit.imposition import MM, Rect, grid, mm_to_pt
from kit.theme import PAPER_MM, Theme

PICTOGRAM = "images/pictograms/manger__pot-of-food.svg"
A4 = tuple(v * MM for v in PAPER_MM["A4"])
POKER = mm_to_pt((63.0, 88.0))
TOLERANCE_PT = 0.05

CONFIG = """\
title: Kit d'essai
organisation: La Transfo
language: fr
paper: {paper}
version: "2.3"
date: 2019-05-20
print:
  duplex: {duplex}
  back_offset: {{x: {dx}, y: {dy}}}
  greyscale: {grey}
"""


def config(paper="A4", duplex="long", dx=0, dy=0, grey="false") -> str:
    return CONFIG.format(paper=paper, duplex=duplex, dx=dx, dy=dy, grey=grey)


def render(root: Path, subject: str, edition: str):
    """Render one output of a kit in memory: (Rendered, Output)."""
    content = load_kit(root)
    output = next(o for o in outputs_of(content) if o.subject == subject and o.edition == edition)
    context = RenderContext(theme=Theme.from_config(content.config), kit_root=root.resolve(),
                            cache_dir=root / "output" / ".cache")
    return GENERATORS["deck"].render(output, content, context), output


def pdf_of(rendered, output) -> PdfReader:
    return PdfReader(io.BytesIO(rendered.files[output.path]))


def page_texts(reader: PdfReader) -> list[str]:
    return [(p.extract_text() or "").replace("\u00a0", " ").replace("\u202f", " ") for p in reader.pages]


def starters(count: int, back_texts: bool = False) -> str:
    cards = "\n".join(
        f"  - title: Carte {i:02d}\n    image: {PICTOGRAM}" + (f"\n    back: Dos {i:02d}" if back_texts else "")
        for i in range(1, count + 1))
    return f"title: Essai\nkind: image-starters\nprint: [home, fold, shop, png]\npng_dpi: 100\ncards:\n{cards}\n"


@pytest.fixture
def starter_kit(make_kit):
    def make(count=11, back_texts=False, **settings):
        return make_kit({"content/decks/essai.yaml": starters(count, back_texts),
                         PICTOGRAM: (FIXTURE_KIT / PICTOGRAM).read_bytes()}, config=config(**settings))
    return make


# ------------------------------------------------------------------------------------ plan

def test_a_kit_plans_home_and_shop_for_every_deck_fold_png_and_calibration_once(fixture_kit):
    paths = sorted(o.path for o in outputs_of(load_kit(fixture_kit)) if o.kind == "deck")
    assert paths == sorted([
        "decks/starters-images.pdf", "decks/starters-images-imprimeur.pdf",
        "decks/page-blanche.pdf", "decks/page-blanche-imprimeur.pdf",
        "decks/photos-debat.pdf", "decks/photos-debat-imprimeur.pdf",
        "decks/cartes-themes.pdf", "decks/cartes-themes-imprimeur.pdf", "decks/cartes-themes-pliage.pdf",
        "decks/png/cartes-themes", "decks/calibration.pdf",
    ])


def test_a_deck_built_from_its_csv_file_alone(fixture_kit):
    summary = build(fixture_kit, only=["content/decks/page-blanche.csv"], jobs=1)
    assert sorted(summary.files) == ["decks/page-blanche-imprimeur.pdf", "decks/page-blanche.pdf"]


# ------------------------------------------------------------------------------- home print

@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_home_print_puts_nine_poker_cards_a_sheet_each_followed_by_its_backs(starter_kit, paper):
    rendered, output = render(starter_kit(count=11, paper=paper), "essai", "home")
    reader = pdf_of(rendered, output)
    width, height = (v * MM for v in PAPER_MM[paper])
    assert len(reader.pages) == rendered.pages == 4  # 9 + 2 cards: two sheets, each with its backs
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(width, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(height, abs=0.01)
    texts = page_texts(reader)
    fronts = [re.findall(r"Carte \d\d", t) for t in texts[0::2]]
    assert fronts == [[f"Carte {i:02d}" for i in range(1, 10)], ["Carte 10", "Carte 11"]]
    assert [t.count("Essai") for t in texts[1::2]] == [9, 2]  # one back per card, the deck's title on it


def test_home_print_asks_for_duplex_and_actual_size(starter_kit):
    for duplex, name in (("long", "/DuplexFlipLongEdge"), ("short", "/DuplexFlipShortEdge"), ("none", "/Simplex")):
        rendered, output = render(starter_kit(duplex=duplex), "essai", "home")
        preferences = pdf_of(rendered, output).trailer["/Root"]["/ViewerPreferences"]
        assert preferences["/Duplex"] == name
        assert preferences["/PrintScaling"] == "/None"


@pytest.mark.parametrize("duplex", ["long", "short"])
def test_backs_are_the_mirror_of_fronts_plus_the_offset(make_kit, duplex):
    root = make_kit({"content/decks/essai.yaml": starters(5), PICTOGRAM: (FIXTURE_KIT / PICTOGRAM).read_bytes()},
                    config=config(duplex=duplex, dx=1.5, dy=-0.5))
    content = load_kit(root)
    (sheet,) = home_plan(content.of("decks")["essai"], content.config, A4)
    for front, back in zip(sheet.fronts, sheet.backs, strict=True):
        mirrored = (Rect(A4[0] - front.right, front.y, front.w, front.h) if duplex == "long"
                    else Rect(front.x, A4[1] - front.top, front.w, front.h))
        assert back.x == pytest.approx(mirrored.x + 1.5 * MM) and back.y == pytest.approx(mirrored.y - 0.5 * MM)
    assert sheet.back_rotation == (0 if duplex == "long" else 180)


def _text_centre(page, text: str) -> tuple[float, float]:
    """Where a text is on a PDF page (pdfium), as the centre of its first and last characters."""
    textpage = page.get_textpage()
    searcher = textpage.search(text)
    found = searcher.get_next()
    assert found, f"{text!r} not on the page"
    index, count = found
    left, bottom, _, _ = textpage.get_charbox(index)
    _, _, right, top = textpage.get_charbox(index + count - 1)
    return (left + right) / 2, (bottom + top) / 2


def _inside(point, box: Rect) -> bool:
    return box.x <= point[0] <= box.right and box.y <= point[1] <= box.top


def test_each_back_is_printed_behind_its_own_front(starter_kit):
    """Read back from the PDF: card i's title is in front box i, its back text in back box i (the mirror)."""
    root = starter_kit(count=4, back_texts=True)
    rendered, output = render(root, "essai", "home")
    content = load_kit(root)
    (sheet,) = home_plan(content.of("decks")["essai"], content.config, A4)
    document = pdfium.PdfDocument(rendered.files[output.path])
    front_page, back_page = document[0], document[1]
    for number, (front, back) in enumerate(zip(sheet.fronts, sheet.backs, strict=True), start=1):
        assert _inside(_text_centre(front_page, f"Carte {number:02d}"), front)
        assert _inside(_text_centre(back_page, f"Dos {number:02d}"), back)
        assert back.x == pytest.approx(A4[0] - front.right)


def test_crop_marks_are_outside_every_card_and_thick_enough(starter_kit):
    rendered, output = render(starter_kit(count=9), "essai", "home")
    page = pdf_of(rendered, output).pages[0]
    stream = page.get_contents().get_data().decode("latin-1")
    # Marks are the black strokes drawn last on a front sheet: their width is set just before them.
    marks_width = re.findall(r"0 0 0 RG\s+([\d.]+) w\s+n [-\d. ]+ m [-\d. ]+ l S", stream)
    assert marks_width and all(float(w) >= 0.25 for w in marks_width)
    sheet = grid(A4, POKER)
    assert sheet.marks and not any(m.crosses(box) for m in sheet.marks for box in sheet.fronts)


# ---------------------------------------------------------------------------------- fonts

def test_fonts_are_embedded_inter(starter_kit):
    rendered, output = render(starter_kit(count=2), "essai", "home")
    fonts = []
    for page in pdf_of(rendered, output).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
            fonts.append((str(font["/BaseFont"]), "/FontFile2" in descriptor))
    assert fonts and all("Inter" in name and embedded for name, embedded in fonts)


# ------------------------------------------------------------------------------ print shop

def test_print_shop_pages_are_trim_plus_bleed_with_trim_and_bleed_boxes(starter_kit):
    rendered, output = render(starter_kit(count=3), "essai", "shop")
    reader = pdf_of(rendered, output)
    assert len(reader.pages) == 6  # front and back of each card
    bleed = 3 * MM
    for page in reader.pages:
        assert [float(v) for v in page.mediabox] == pytest.approx([0, 0, POKER[0] + 2 * bleed, POKER[1] + 2 * bleed])
        assert [float(v) for v in page.bleedbox] == pytest.approx([0, 0, POKER[0] + 2 * bleed, POKER[1] + 2 * bleed])
        assert [float(v) for v in page.trimbox] == pytest.approx([bleed, bleed, bleed + POKER[0], bleed + POKER[1]])
    assert re.findall(r"Carte \d\d", "".join(page_texts(reader))) == ["Carte 01", "Carte 02", "Carte 03"]


def test_print_shop_backgrounds_run_into_the_bleed(make_kit):
    deck = f"""\
        title: Thèmes
        kind: themes
        colour: "#e8743b"
        back: {{colour: "#1d4e89"}}
        cards:
          - title: Manger
            image: {PICTOGRAM}
        """
    root = make_kit({"content/decks/essai.yaml": deck, PICTOGRAM: (FIXTURE_KIT / PICTOGRAM).read_bytes()})
    rendered, output = render(root, "essai", "shop")
    document = pdfium.PdfDocument(rendered.files[output.path])
    for index, colour in ((0, (0xe8, 0x74, 0x3b)), (1, (0x1d, 0x4e, 0x89))):
        image = document[index].render(scale=1).to_pil().convert("RGB")
        for corner in ((1, 1), (image.width - 2, 1), (1, image.height - 2), (image.width - 2, image.height - 2)):
            assert all(abs(a - b) <= 2 for a, b in zip(image.getpixel(corner), colour, strict=True))


# ---------------------------------------------------------------------------------- photos

def _photo(size: tuple[int, int]) -> bytes:
    image = Image.new("RGB", size, "#88aacc")
    ImageDraw.Draw(image).ellipse([size[0] // 3, size[1] // 3, size[0] // 2, size[1] // 2], fill="#ee4422")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


PHOTO_DECK = """\
title: Photos
kind: photo-debate
axes: [[éthique, pas éthique], [innovant, pas innovant], [militant, désengagé]]
print: [shop, home]
cards:
  - title: Grande photo
    image: images/grande.jpg
    focus: [0.3, 0.4]
  - title: Petite photo
    image: images/petite.jpg
"""


def _placed_images(page) -> list[tuple[float, float, int, int]]:
    """(width pt, height pt, width px, height px) of every image drawn on a page."""
    stream = page.get_contents().get_data().decode("latin-1")
    xobjects = page["/Resources"]["/XObject"]
    placed = []
    for w, h, name in re.findall(r"([\d.]+) 0 0 ([\d.]+) [-\d.]+ [-\d.]+ cm\s*/(\S+) Do", stream):
        image = xobjects["/" + name].get_object()
        if image.get("/Subtype") == "/Image":
            placed.append((float(w), float(h), int(image["/Width"]), int(image["/Height"])))
    return placed


def test_photos_print_at_300_dpi_or_warn_naming_card_and_image(make_kit):
    root = make_kit({"content/decks/photos.yaml": PHOTO_DECK, "images/grande.jpg": _photo((3000, 2000)),
                     "images/petite.jpg": _photo((300, 200))})
    rendered, output = render(root, "photos", "shop")
    reader = pdf_of(rendered, output)
    (big,) = _placed_images(reader.pages[0])
    (small,) = _placed_images(reader.pages[2])
    for w_pt, h_pt, w_px, h_px in (big,):
        # Prepared to exactly 300 dpi at the printed size (one pixel of rounding either way).
        assert w_px >= math.floor(w_pt / 72 * 300) and h_px >= math.floor(h_pt / 72 * 300)
    assert small[2] / (small[0] / 72) < 200
    # The deck's check says it, once, naming the card and the image: kit check and kit build alike.
    from kit.build import Engine

    _, (warning,) = Engine(root).check()
    assert warning.startswith("content/decks/photos.yaml:10: card 2 (“Petite photo”), image: image images/petite.jpg: "
                              "expected at least 200 dpi")
    assert "got 110 dpi" in warning  # 300 px over the 69 mm of the photo and its bleed
    assert build(root, jobs=1).warnings == [warning]
    assert rendered.warnings == []


def test_photos_are_prepared_once_and_cached(make_kit):
    root = make_kit({"content/decks/photos.yaml": PHOTO_DECK, "images/grande.jpg": _photo((3000, 2000)),
                     "images/petite.jpg": _photo((300, 200))})
    build(root, jobs=1)
    cached = sorted((root / "output" / ".cache" / "images").glob("*.jpg"))
    assert len(cached) == 2  # one per photo, shared by the home and shop outputs
    stamps = [p.stat().st_mtime_ns for p in cached]
    build(root, jobs=1)
    assert [p.stat().st_mtime_ns for p in cached] == stamps


# ------------------------------------------------------------------------- fold, PNG, grey

def test_fold_over_sheets_hold_fronts_and_backs_on_one_side(starter_kit):
    rendered, output = render(starter_kit(count=5), "essai", "fold")
    reader = pdf_of(rendered, output)
    texts = page_texts(reader)
    assert output.path == "decks/essai-pliage.pdf"
    assert sum(len(re.findall(r"Carte \d\d", t)) for t in texts) == 5
    assert sum(t.count("plier ici") for t in texts) == len(reader.pages)
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/Simplex"


def test_png_export_gives_each_card_at_the_chosen_dpi(starter_kit):
    rendered, _ = render(starter_kit(count=3), "essai", "png")
    assert sorted(rendered.files) == [f"decks/png/essai/0{i}-carte-0{i}.png" for i in (1, 2, 3)]
    image = Image.open(io.BytesIO(rendered.files["decks/png/essai/01-carte-01.png"]))
    expected = (63 / 25.4 * 100, 88 / 25.4 * 100)
    assert all(abs(got - want) <= 1 for got, want in zip(image.size, expected, strict=True))


def test_greyscale_prints_no_colour(make_kit):
    root = make_kit({"content/decks/essai.yaml": starters(3), PICTOGRAM: (FIXTURE_KIT / PICTOGRAM).read_bytes()},
                    config=config(grey="true"))
    rendered, output = render(root, "essai", "home")
    image = pdfium.PdfDocument(rendered.files[output.path])[0].render(scale=0.5).to_pil().convert("RGB")
    channels = image.split()
    spread = max(ImageChops.difference(channels[0], channels[1]).getextrema()[1],
                 ImageChops.difference(channels[1], channels[2]).getextrema()[1])
    assert spread <= 3


def test_calibration_sheet_has_a_front_and_a_back(starter_kit):
    rendered, output = render(starter_kit(count=1, dx=1.5), "calibration", "calibration")
    reader = pdf_of(rendered, output)
    texts = page_texts(reader)
    assert len(reader.pages) == 2
    front = texts[0]
    assert "Calibrage recto verso" in front and "Décalage actuel : x = +1,5 mm, y = 0 mm" in front
    assert "X — gauche / droite" in front and "Y — haut / bas" in front
    numbers = re.findall(r"^[+\u2212]?\d+(?:,\d+)?$", front, re.MULTILINE)
    # the x row is centred on the current offset: −1,5 … +4,5; the y column on 0: +3 … −3
    assert {"\u22121,5", "+1,5", "+4,5", "+3", "0", "\u22123"} <= set(numbers) and len(numbers) == 26
    assert "back_offset: {x: …, y: …}" in front  # what to type stays YAML: no French space before its colons
    assert texts[1].strip() == ""  # the back has lines only


def _text_runs(page) -> list[tuple[str, float, float]]:
    """(text, baseline y, font size) of every run a page draws."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            runs.append((text.strip(), tm[5] * cm[3] + cm[5], size * tm[3] * cm[3]))

    page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize("paper", ["A4", "letter"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_calibration_steps_fit_above_the_scales_at_full_size(make_kit, paper, language):
    from kit.render.decks import CALIBRATION_TEXT_PT
    from kit.imposition import calibration

    root = make_kit({"content/decks/essai.yaml": starters(1), PICTOGRAM: (FIXTURE_KIT / PICTOGRAM).read_bytes()},
                    config=config(paper=paper).replace("language: fr", f"language: {language}"))
    rendered, output = render(root, "calibration", "calibration")
    runs = _text_runs(pdf_of(rendered, output).pages[0])
    last_step = next(run for run in runs if run[0].startswith("7."))
    assert last_step[2] == pytest.approx(CALIBRATION_TEXT_PT)
    sheet = calibration(tuple(v * MM for v in PAPER_MM[paper]), "long")
    assert last_step[1] > sheet.note.y  # above the note's bottom, so clear of the x row's heading


def _ink_centre(image: Image.Image, box: tuple[int, int, int, int], along_x: bool) -> float:
    """The mean position of dark pixels across a line inside the box: its centre, in pixels."""
    crop = image.crop(box).point(lambda v: 255 if v < 128 else 0)
    width, height = crop.size
    pixels = crop.load()
    positions = [(i if along_x else j) for i in range(width) for j in range(height) if pixels[i, j]]
    return sum(positions) / len(positions)


@pytest.mark.parametrize("duplex, dx", [("long", 0), ("long", 1.5), ("short", -0.5)])
def test_calibration_back_lines_merge_with_the_front_ones_in_one_cell_per_scale(starter_kit, duplex, dx):
    """Seen through the paper from a printer that shifts nothing, the back lies on the front in the cells of 0 only.

    Whatever offset the sheet was printed with (the x row is centred on it), a printer needing
    none merges the lines in the cell that reads 0; the cells beside it show two lines 0.5 mm apart.
    """
    from kit.imposition import calibration

    dpi = 200
    rendered, output = render(starter_kit(count=1, duplex=duplex, dx=dx), "calibration", "calibration")
    pdf = rendered.files[output.path]
    front = _sheet_png(pdf, 0, dpi).convert("L")
    back = _sheet_png(pdf, 1, dpi).convert("L")
    seen = ImageOps.mirror(back) if duplex == "long" else ImageOps.flip(back)
    sheet = calibration(A4, duplex, (dx, 0))
    scale, height = dpi / 72, A4[1]
    half_mm = 0.5 * MM * scale
    for cells, along_x in ((sheet.x_cells, True), (sheet.y_cells, False)):
        zero = next(index for index, cell in enumerate(cells) if cell.number.text == "0")
        for index in (zero - 1, zero, zero + 1):
            cell = cells[index]
            line = cell.front
            # a window on the front line's middle half, the cell's whole width across it
            if along_x:
                mid_y = (line.y1 + line.y2) / 2
                box = (cell.box.x, mid_y - line.length / 4, cell.box.right, mid_y + line.length / 4)
            else:
                mid_x = (line.x1 + line.x2) / 2
                box = (mid_x - line.length / 4, cell.box.y, mid_x + line.length / 4, cell.box.top)
            pixels = (round(box[0] * scale), round((height - box[3]) * scale),
                      round(box[2] * scale), round((height - box[1]) * scale))
            apart = abs(_ink_centre(front, pixels, along_x) - _ink_centre(seen, pixels, along_x))
            assert apart == pytest.approx(0 if index == zero else half_mm, abs=1), cell.number.text


# ---------------------------------------------------------------------------------- golden

def _sheet_png(pdf: bytes, index: int, dpi: int = 40) -> Image.Image:
    return pdfium.PdfDocument(pdf)[index].render(scale=dpi / 72).to_pil().convert("RGB")


def test_golden_front_sheet_of_the_image_starters(fixture_kit):
    rendered, output = render(fixture_kit, "starters-images", "home")
    compare_golden(_sheet_png(rendered.files[output.path], 0), "deck-starters-front.png")


def test_golden_photo_debate_card(fixture_kit):
    rendered, output = render(fixture_kit, "photos-debat", "shop")
    compare_golden(_sheet_png(rendered.files[output.path], 0, dpi=100), "deck-photos-debat-card.png")


def test_back_sheet_mirrored_lies_on_the_front_sheet(starter_kit):
    """Hold the back page against the light: mirrored, each card's back covers its front's place."""
    rendered, output = render(starter_kit(count=5), "essai", "home")
    front = _sheet_png(rendered.files[output.path], 0).convert("L")
    back = ImageOps.mirror(_sheet_png(rendered.files[output.path], 1).convert("L"))
    front_ink = front.point(lambda v: 255 if v < 250 else 0).getbbox()
    back_ink = back.point(lambda v: 255 if v < 250 else 0).getbbox()
    sheet = grid(A4, POKER, gutter_mm=3)
    scale = 40 / 72
    cards = sheet.bleeds[:5]  # each card's colour runs into half the gutter around it
    left, top = min(r.x for r in cards) * scale, (A4[1] - max(r.top for r in cards)) * scale
    right = max(r.right for r in cards) * scale
    assert back_ink[0] == pytest.approx(left, abs=1.5) and back_ink[2] == pytest.approx(right, abs=1.5)
    assert back_ink[1] == pytest.approx(top, abs=1.5)
    assert front_ink[1] <= back_ink[1]  # the front has its caption and marks beyond the cards
