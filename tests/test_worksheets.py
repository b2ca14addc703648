"""Worksheets: loading mistakes at their line, then each sheet read back from its PDF (sizes, text, colours)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import FIXTURE_KIT, copy_fixture_kit, pdf_pages, pdf_text
from kit.build import build
from kit.content import load_kit
from kit.content.worksheets import Axis
from kit.errors import ContentError
from kit.generators import GENERATORS, RenderContext
from kit.generators.poster import BOARD_MARGIN_MM, POSTER_MARGIN_MM, board_layout, poster_layout
from kit.generators.worksheet import SERVICE_ROWS, full_layout, half_layout
from kit.theme import MM, Theme

PICTOGRAM = "images/pictograms/manger__pot-of-food.svg"
SHEET_KINDS = ("service-sheet", "needs-sheet", "theme-posters", "debate-board")


def size_mm(page) -> tuple[int, int]:
    box = page.mediabox
    return round(float(box.width) / MM), round(float(box.height) / MM)


def render(root: Path, out: Path, kinds=SHEET_KINDS) -> tuple[dict[str, Path], list[str]]:
    """Render the worksheet outputs of a kit; their files by path, and the warnings."""
    content = load_kit(root)
    context = RenderContext(Theme.from_config(content.config), root, out / ".cache")
    files, warnings = {}, []
    for kind in kinds:
        generator = GENERATORS[kind]
        for output in generator.outputs(content):
            rendered = generator.render(output, content, context)
            warnings.extend(rendered.warnings)
            for path, data in rendered.files.items():
                target = out / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                files[path] = target
    return files, warnings


def errors_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_kit(root)
    return [str(p) for p in caught.value.problems]


def fill_colours(path: Path) -> set[str]:
    """Every fill colour the PDF's pages set (the `r g b rg` operators), as #rrggbb."""
    found = set()
    for page in PdfReader(str(path)).pages:
        stream = page.get_contents().get_data().decode("latin-1")
        for r, g, b in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", stream):
            found.add("#" + "".join(f"{round(float(v) * 255):02x}" for v in (r, g, b)))
    return found


# ------------------------------------------------------------------------------- loading

def test_unknown_kind_is_an_error_with_a_hint(make_kit):
    root = make_kit({"content/worksheets/f.yaml": "title: Fiche\nkind: fiche-servise\n"})
    (error,) = errors_of(root)
    assert error.startswith("content/worksheets/f.yaml:2: kind: expected one of fiche-service")
    assert 'got "fiche-servise" (did you mean "fiche-service"?)' in error


def test_a_missing_pictogram_is_an_error_at_its_line(make_kit):
    root = make_kit({
        "content/worksheets/p.yaml": f"""\
            kind: theme-posters
            themes:
              - title: Manger
                pictogram: {PICTOGRAM}
              - title: Se déplacer
                pictogram: images/pictograms/tram.svg
            """,
        PICTOGRAM: (FIXTURE_KIT / PICTOGRAM).read_bytes(),
    })
    (error,) = errors_of(root)
    assert error.startswith('content/worksheets/p.yaml:6: themes[1].pictogram: expected an existing image file, '
                            'got "images/pictograms/tram.svg"')


def test_zone_notes_must_be_known_colours_and_axes_two_poles(make_kit):
    root = make_kit({
        "content/worksheets/b.yaml": """\
            kind: besoins-solutions
            zones:
              - title: Besoins
                notes: [blue, green]
            """,
        "content/worksheets/d.yaml": """\
            kind: debate-board
            card: huge
            axes:
              - [éthique, pas éthique]
              - [innovant]
            """,
    })
    assert errors_of(root) == [
        'content/worksheets/b.yaml:4: zones[0].notes[1]: expected a post-it colour (blue, yellow, orange), got "green"',
        'content/worksheets/d.yaml:2: card: expected a card size ("poker", "tarot", "70x120"), got "huge"',
        'content/worksheets/d.yaml:5: axes[1]: expected two poles ([éthique, pas éthique]), got a list',
    ]


def test_a_bare_needs_sheet_gets_the_seed_legend_in_the_kit_language(make_kit):
    content = load_kit(make_kit({"content/worksheets/b.yaml": "kind: besoins-solutions\n"}))
    sheet = content.of("worksheets")["b"]
    assert sheet.paper == "A3" and sheet.title == "Des besoins aux solutions"
    assert [(z.title, [n.name for n in z.notes]) for z in sheet.zones] == [
        ("Besoins", ["bleu", "jaune"]), ("Pistes de services", ["orange"])]
    english = load_kit(make_kit({"content/worksheets/b.yaml": "kind: besoins-solutions\n"},
                                config="title: Test kit\nlanguage: en\n", name="en"))
    assert [z.title for z in english.of("worksheets")["b"].zones] == ["Needs", "Service leads"]


# ------------------------------------------------------------------------------- geometry as data

@pytest.mark.parametrize("layout", [full_layout("A4"), half_layout("A4")], ids=["A4", "A5"])
def test_service_sheet_rows_fill_the_page_without_running_over(layout):
    heights = layout.row_heights()
    used = layout.header_mm + layout.footer_mm + sum(heights) + layout.gap_mm * (len(heights) - 1)
    assert layout.height_mm - 5 < used < layout.height_mm
    # "How it works" has the most room, and every field but the name has lines to write on.
    assert max(heights) == heights[[keys for keys, _ in SERVICE_ROWS].index(("how",))]
    assert all(layout.writing_lines(h) >= 2 for h in heights[1:])
    assert half_layout("A4").width_mm == pytest.approx(297 / 2 - 2 * 9)  # an A5 half, less its padding


def test_debate_board_is_an_open_field_inside_the_page_margins():
    axes = (Axis("éthique", "pas éthique"), Axis("innovant", "pas innovant"))
    layout = board_layout("A3", (63.0, 88.0), axes)
    width, height = layout.sheet
    assert (round(width / MM), round(height / MM)) == (420, 297) and layout.sheets == 1
    margin = BOARD_MARGIN_MM * MM
    printed = layout.printed(0)
    for part in (layout.field, layout.conditions, layout.title, *layout.rows):
        assert printed.x - 0.01 <= part.x and part.right <= printed.right + 0.01
        assert printed.y - 0.01 <= part.y and part.top <= printed.top + 0.01
    assert printed.x == margin and not layout.field.overlaps(layout.conditions)
    # The centre zone is where the axes cross, inside the field.
    cx, cy, radius = layout.centre
    assert (cx, cy) == pytest.approx(layout.field.centre)
    assert layout.field.x < cx - radius and cx + radius < layout.field.right


def test_poster_zones_sit_below_the_band_inside_the_margins():
    layout = poster_layout("A3", 2)
    width, height = layout.page
    assert (round(width / MM), round(height / MM)) == (297, 420)
    needs, leads = layout.zones
    assert needs.label.top < layout.header.y and leads.label.top < needs.ground.y  # needs first, then leads
    margin = POSTER_MARGIN_MM * MM
    assert all(margin - 0.01 <= z.ground.x and z.ground.right <= width - margin + 0.01 for z in layout.zones)
    assert not needs.ground.overlaps(leads.ground) and layout.writing_share >= 0.75


# ------------------------------------------------------------------------------- the fixture kit's sheets

@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    root = copy_fixture_kit(tmp_path_factory.mktemp("kit"))
    out = tmp_path_factory.mktemp("worksheets")
    files, warnings = render(root, out)
    return files, warnings


def test_the_fixture_kit_sheets_and_paths(sheets):
    files, warnings = sheets
    assert sorted(files) == [
        "worksheets/affiches-themes.pdf",
        "worksheets/besoins-solutions.pdf",
        "worksheets/fiche-service-a5.pdf",
        "worksheets/fiche-service-exemples.pdf",
        "worksheets/fiche-service.pdf",
        "worksheets/plateau-photos-debat.pdf",
    ]
    assert warnings == []


def test_blank_service_sheet_is_one_a4_page_with_every_field(sheets):
    files, _ = sheets
    reader = PdfReader(str(files["worksheets/fiche-service.pdf"]))
    assert len(reader.pages) == 1 and size_mm(reader.pages[0]) == (210, 297)
    text = pdf_text(files["worksheets/fiche-service.pdf"])
    for label in ("NOM DU SERVICE", "POUR QUI ?", "LE BESOIN AUQUEL IL RÉPOND", "COMMENT ÇA MARCHE ?",
                  "TYPOLOGIE", "ORGANISATION", "MODÈLE", "PARTENAIRES", "Imaginé par :"):
        assert label in text
    assert "version 1.0" in text


def test_two_up_sheet_is_two_a5_halves_on_a4_with_a_cut_line(sheets):
    files, _ = sheets
    path = files["worksheets/fiche-service-a5.pdf"]
    reader = PdfReader(str(path))
    assert len(reader.pages) == 1 and size_mm(reader.pages[0]) == (297, 210)
    text = pdf_text(path)
    assert text.count("Fiche service") >= 2 and text.count("NOM DU SERVICE") == 2
    assert "couper ici" in text
    # The halves: each field label appears once in the left half and once in the right one.
    positions = []
    reader.pages[0].extract_text(visitor_text=lambda t, cm, tm, *_: positions.append((t, tm[4])) if "NOM DU SERVICE" in t else None)
    xs = sorted(x / MM for _, x in positions)
    assert len(xs) == 2 and xs[0] < 148.5 < xs[1]


def test_filled_examples_one_page_each(sheets):
    files, _ = sheets
    pages = pdf_pages(files["worksheets/fiche-service-exemples.pdf"])
    assert len(pages) == 3
    for page, name in zip(pages, ("Le panier du vendredi", "La bourse aux coups de main", "Le relais du mercredi"), strict=True):
        assert name in page and "Exemple" in page
    assert "Amicale des agents" in pages[0]


def test_needs_sheet_legend_and_colours_printed_as_set(sheets):
    files, _ = sheets
    path = files["worksheets/besoins-solutions.pdf"]
    reader = PdfReader(str(path))
    assert len(reader.pages) == 1 and size_mm(reader.pages[0]) == (420, 297)
    text = re.sub(r"\s+", " ", pdf_text(path))
    assert "bleu : un besoin entendu" in text.replace("\u202f", " ")
    assert "orange : une piste de service" in text.replace("\u202f", " ")
    assert "bleu ou jaune" not in text
    assert "D’abord les besoins, ensuite seulement les solutions." in text
    assert {"#7cc4ea", "#ffe45c", "#ffa03a"} <= fill_colours(path)


def test_theme_posters_one_a3_page_per_theme_with_its_title(sheets):
    files, _ = sheets
    path = files["worksheets/affiches-themes.pdf"]
    reader = PdfReader(str(path))
    assert [size_mm(p) for p in reader.pages] == [(297, 420)] * 6
    titles = ["Manger", "Se divertir", "Se déplacer", "Se cultiver", "Échanger des savoir-faire",
              "Mutualiser des compétences"]
    for page, title in zip(pdf_pages(path), titles, strict=True):
        assert title in re.sub(r"\s+", " ", page.replace("\u00a0", " "))
        assert "Besoins" in page and "Pistes de services" in page
    # Pictograms stay vector: no raster image on any poster.
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        assert not any(xobjects[name].get_object().get("/Subtype") == "/Image" for name in xobjects)


@pytest.mark.parametrize("name", ["affiches-themes", "plateau-photos-debat", "fiche-service-a5"])
def test_sheets_use_only_the_embedded_kit_font(sheets, name):
    files, _ = sheets
    for page in PdfReader(str(files[f"worksheets/{name}.pdf"])).pages:
        fonts = page["/Resources"].get("/Font", {})
        names = [str(fonts[key].get_object()["/BaseFont"]) for key in fonts]
        assert names and all("Inter" in n for n in names), names


def test_debate_board_draws_the_three_axes(sheets):
    files, _ = sheets
    path = files["worksheets/plateau-photos-debat.pdf"]
    reader = PdfReader(str(path))
    assert [size_mm(p) for p in reader.pages] == [(420, 297)] * 2
    first, second = pdf_pages(path)
    for pole in ("éthique", "pas éthique", "innovant", "pas innovant"):
        assert pole in first.replace("\n", " ")
    assert "militant" in second and "désengagé" in second and "innovant" not in second
    assert "Plateau 1 / 2" in first and "À quelle condition" in first


def test_an_example_too_long_for_its_box_is_a_warning(make_kit, tmp_path):
    long_text = " ".join(["Une phrase qui ne finit pas et qui déborde de sa case."] * 12)
    root = make_kit({"content/worksheets/f.yaml": f"""\
        kind: fiche-service
        services:
          - name: Court
          - name: Bavard
            typology: {long_text}
        """})
    from kit.build import Engine

    _, warnings = Engine(root, tmp_path / "out").check()  # kit check lays the examples out, as the build does
    assert warnings == [w for w in build(root, tmp_path / "out", jobs=1).warnings]
    assert len(warnings) == 1
    assert warnings[0].startswith("content/worksheets/f.yaml:4: service 2, typology: expected a text that fits")
    assert len(PdfReader(str(tmp_path / "out/worksheets/f-exemples.pdf")).pages) == 2


def test_english_labels(make_kit, tmp_path):
    root = make_kit({"content/worksheets/b.yaml": "kind: besoins-solutions\npaper: A4\n",
                     "content/worksheets/f.yaml": "kind: fiche-service\n"},
                    config="title: Test kit\nlanguage: en\npaper: A4\n")
    files, _ = render(root, tmp_path / "out", kinds=("needs-sheet", "service-sheet"))
    needs = re.sub(r"\s+", " ", pdf_text(files["worksheets/b.pdf"]))
    assert "blue: a need heard" in needs and "orange: a service lead" in needs
    assert size_mm(PdfReader(str(files["worksheets/b.pdf"])).pages[0]) == (297, 210)
    assert "FOR WHOM?" in pdf_text(files["worksheets/f.pdf"])


def test_a_png_pictogram_on_a_poster_is_drawn_at_print_resolution(make_kit):
    import io as _io

    from PIL import Image as _Image
    from pypdf import PdfReader as _Reader

    from kit.build import build as _build

    png = _io.BytesIO()
    _Image.new("RGBA", (1400, 1400), (232, 116, 59, 255)).save(png, "PNG")
    root = make_kit({
        "images/soleil.png": png.getvalue(),
        "content/worksheets/affiches.yaml": """\
            kind: theme-posters
            title: Thèmes
            paper: A3
            themes:
              - {title: Manger, pictogram: images/soleil.png}
            """,
    })
    summary = _build(root, jobs=1)
    assert summary.warnings == []
    page = _Reader(str(root / "output/worksheets/affiches.pdf")).pages[0]
    (image,) = page.images
    assert image.image.size[0] >= 200  # the disc's pictogram at print resolution, never upscaled
