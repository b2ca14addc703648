"""Tests for kit/images.py: path checks, orientation, focal crop, print resolution, cache, SVG pictograms."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from conftest import FIXTURE_KIT
import kit.content  # noqa: F401  (loads kit.project without the content ↔ project import cycle)
from kit import images
from kit.images import (
    IMAGE_SUFFIXES,
    MIN_DPI,
    PRINT_DPI,
    UnreadableImage,
    configure_reportlab,
    crop_to_fill,
    draw_prepared,
    draw_svg,
    locate,
    prepare,
    print_pixels,
    planned_dpi,
    resolution_problem,
    svg_drawing,
)
from kit.project import KitConfig

PICTOGRAMS = FIXTURE_KIT / "images" / "pictograms"
POKER_MM = (63.0, 88.0)
RED = (230, 20, 20)
BLUE = (20, 40, 220)
WHITE = (255, 255, 255)


@pytest.fixture
def kit_root(tmp_path: Path) -> Path:
    root = tmp_path / "kit"
    (root / "images").mkdir(parents=True)
    return root


@pytest.fixture
def config(kit_root: Path) -> KitConfig:
    return KitConfig(root=kit_root, title="Kit d'essai")


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def save(image: Image.Image, path: Path, **options) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **options)
    return path


def count_near(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 60) -> int:
    """How many pixels are close to `colour`."""
    data = image.convert("RGB").tobytes()
    pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
    return sum(1 for px in pixels if all(abs(a - b) <= tolerance for a, b in zip(px, colour, strict=True)))


# --------------------------------------------------------------------------- locate

def test_locate_accepts_a_good_photo_and_a_pictogram(config, kit_root):
    save(Image.new("RGB", (40, 30), RED), kit_root / "images" / "photo.jpg")
    (kit_root / "images" / "icon.svg").write_text((PICTOGRAMS / "loisirs__kite.svg").read_text())
    assert locate(config, "images/photo.jpg") == ((kit_root / "images" / "photo.jpg").resolve(), None)
    path, problem = locate(config, "images/icon.svg")
    assert problem is None and path.name == "icon.svg"


def test_locate_gives_each_bad_path_its_own_message(config, kit_root, tmp_path, monkeypatch):
    pictures = kit_root / "images"
    (pictures / "corrupt.jpg").write_bytes(b"this is not a JPEG at all" * 10)
    (pictures / "broken.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0')
    (pictures / "notes.txt").write_text("une liste")
    save(Image.new("RGB", (10, 10), RED), pictures / "really-ppm.png", format="PPM")
    save(Image.new("RGB", (40, 40), RED), pictures / "big.png")  # 1600 px: between the limit and twice it
    save(Image.new("RGB", (100, 100), RED), pictures / "huge.png")  # 10 000 px: above twice the limit
    save(Image.new("RGB", (10, 10), RED), tmp_path / "outside.jpg")
    (pictures / "link.jpg").symlink_to(tmp_path / "outside.jpg")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)

    cases = {
        "https://example.org/photo.jpg": "a URL",
        "../outside.jpg": "leaves the kit",
        "images/../../outside.jpg": "leaves the kit",
        str(tmp_path / "outside.jpg"): "absolute path",
        "images/link.jpg": "link that leads outside",
        "images/missing.jpg": "does not exist",
        "images": "a folder",
        "images/notes.txt": '".txt" file',
        "images/corrupt.jpg": "damaged or unknown file",
        "images/broken.svg": "XML that cannot be read",
        "images/really-ppm.png": "got a PPM file",
        "images/big.png": "at most 1 000 pixels (Pillow's safety limit), got 40×40",
        "images/huge.png": "at most 1 000 pixels (Pillow's safety limit), got 100×100",
        "": "got nothing",
    }
    messages = {}
    for relative, expected in cases.items():
        path, message = locate(config, relative)
        assert path is None, relative
        assert message.startswith("expected "), message
        assert expected in message, (relative, message)
        if relative:
            assert relative in message, message  # names what the content said
        messages[relative] = message
    # Distinct kinds of mistake give distinct wordings.
    kinds = {m.split(", got ")[1].split('"')[0] for m in messages.values()}
    assert len(kinds) >= 11


def test_locate_suggests_a_close_name_for_a_typo(config, kit_root):
    save(Image.new("RGB", (10, 10), RED), kit_root / "images" / "panier.jpg")
    _, message = locate(config, "images/panier.jpeg")
    assert 'did you mean "panier.jpg"' in message


def test_locate_accepts_windows_separators(config, kit_root):
    save(Image.new("RGB", (10, 10), RED), kit_root / "images" / "photo.png")
    path, problem = locate(config, "images\\photo.png")
    assert problem is None and path.name == "photo.png"


def test_every_suffix_is_lower_case_with_a_dot():
    assert all(s.startswith(".") and s == s.lower() for s in IMAGE_SUFFIXES)
    assert {".jpg", ".jpeg", ".png", ".webp", ".svg"} <= IMAGE_SUFFIXES


# --------------------------------------------------------------------------- geometry as data

def test_crop_to_fill_centres_on_the_focus_and_stays_inside():
    crop = crop_to_fill((3000, 2000), (70.0, 70.0), (0.5, 0.5))
    assert (crop.left, crop.top, crop.width, crop.height) == (500, 0, 2000, 2000)
    crop = crop_to_fill((3000, 2000), (70.0, 70.0), (0.0, 0.0))
    assert (crop.left, crop.top) == (0, 0)
    crop = crop_to_fill((3000, 2000), (70.0, 70.0), (1.0, 1.0))
    assert (crop.left + crop.width, crop.top + crop.height) == (3000, 2000)
    tall = crop_to_fill((3000, 2000), POKER_MM, (0.5, 0.5))
    assert tall.height == 2000 and tall.width == round(2000 * 63 / 88)


def test_print_pixels_of_a_poker_card():
    assert print_pixels(POKER_MM, PRINT_DPI) == (744, 1039)


# --------------------------------------------------------------------------- prepare

def test_a_large_photo_is_resampled_to_exactly_300_dpi(tmp_path, cache):
    source = save(Image.linear_gradient("L").resize((3000, 2000)).convert("RGB"), tmp_path / "big.jpg")
    prepared = prepare(source, POKER_MM, cache_dir=cache)
    assert prepared.pixels == (744, 1039)
    assert prepared.path.suffix == ".jpg"
    assert prepared.path.parent == cache / "images"
    with Image.open(prepared.path) as out:
        assert out.size == (744, 1039) and out.mode == "RGB"
    # Effective dpi is measured on the source crop: 2000 px over 88 mm.
    assert prepared.effective_dpi == pytest.approx(min(1432 / (63 / 25.4), 2000 / (88 / 25.4)))
    assert not prepared.low_resolution


def test_a_small_photo_is_not_upscaled_and_is_flagged(tmp_path, cache):
    source = save(Image.new("RGB", (300, 400), RED), tmp_path / "small.jpg")
    prepared = prepare(source, POKER_MM, cache_dir=cache)
    assert prepared.pixels == (286, 400)  # the crop's own pixels
    assert prepared.effective_dpi == pytest.approx(286 / (63 / 25.4))
    assert prepared.effective_dpi < MIN_DPI and prepared.low_resolution
    assert planned_dpi(source, POKER_MM, (0.5, 0.5)) == pytest.approx(prepared.effective_dpi)  # what checks warn
    warning = resolution_problem("decks/photos.yaml", 12, "cards[3].image", "images/small.jpg", POKER_MM,
                                 prepared.effective_dpi)
    assert str(warning).startswith("decks/photos.yaml:12: cards[3].image: image images/small.jpg: expected at least "
                                   "200 dpi at the printed size (63×88 mm), got 115 dpi")


def test_exif_orientation_is_applied(tmp_path, cache):
    # Stored landscape: top half red, bottom half blue; orientation 6 means "turn a quarter clockwise".
    raw = Image.new("RGB", (400, 200), BLUE)
    raw.paste(RED, (0, 0, 400, 100))
    exif = Image.Exif()
    exif[0x0112] = 6
    source = save(raw, tmp_path / "phone.jpg", exif=exif.tobytes())
    prepared = prepare(source, (200 * 25.4 / 150, 400 * 25.4 / 150), cache_dir=cache)
    # Portrait after orientation: the whole 200×400 image fills a portrait box at 150 dpi.
    assert prepared.effective_dpi == pytest.approx(150)
    with Image.open(prepared.path) as out:
        assert out.width < out.height
        left = out.getpixel((out.width // 4, out.height // 2))
        right = out.getpixel((3 * out.width // 4, out.height // 2))
    assert right[0] > 200 and left[2] > 200  # the stored top is now on the right


def test_the_focal_point_keeps_its_region_in_the_crop(tmp_path, cache):
    picture = Image.new("RGB", (900, 600), WHITE)
    picture.paste(RED, (790, 490, 850, 550))  # a red dot near the bottom-right corner
    source = save(picture, tmp_path / "dot.png")
    square = (30.0, 30.0)
    centred = prepare(source, square, cache_dir=cache)
    focused = prepare(source, square, focus=(0.91, 0.87), cache_dir=cache)
    with Image.open(centred.path) as out:
        assert count_near(out, RED) == 0
    with Image.open(focused.path) as out:
        assert count_near(out, RED) > 0
        # The window is clamped to the right and bottom edges (x 300..900, y 0..600): the dot's
        # centre (820, 520) lands at (520, 520) of 600.
        red, green, _ = out.getpixel((round(out.width * 520 / 600), round(out.height * 520 / 600)))
        assert red > 200 and green < 80
    assert focused.path != centred.path


def test_png_with_transparency_stays_png_and_opaque_png_becomes_jpeg(tmp_path, cache):
    clear = Image.new("RGBA", (800, 800), (0, 0, 0, 0))
    clear.paste((*RED, 255), (200, 200, 600, 600))
    with_alpha = prepare(save(clear, tmp_path / "logo.png"), (40.0, 40.0), cache_dir=cache)
    assert with_alpha.path.suffix == ".png"
    with Image.open(with_alpha.path) as out:
        assert out.mode == "RGBA" and out.getextrema()[3][0] == 0
    opaque = prepare(save(Image.new("RGBA", (800, 800), (*BLUE, 255)), tmp_path / "flat.png"), (40.0, 40.0), cache_dir=cache)
    assert opaque.path.suffix == ".jpg"


def test_palette_and_cmyk_sources_become_rgb(tmp_path, cache):
    gif = save(Image.new("RGB", (500, 500), RED).convert("P"), tmp_path / "palette.gif")
    cmyk = save(Image.new("CMYK", (500, 500), (0, 255, 255, 0)), tmp_path / "press.jpg")
    for source in (gif, cmyk):
        prepared = prepare(source, (30.0, 30.0), cache_dir=cache)
        with Image.open(prepared.path) as out:
            assert out.mode == "RGB"
            assert out.getpixel((10, 10))[0] > 200  # still red


def test_greyscale_gives_mode_l(tmp_path, cache):
    source = save(Image.new("RGB", (1200, 1200), RED), tmp_path / "red.jpg")
    prepared = prepare(source, (40.0, 40.0), cache_dir=cache, greyscale=True)
    with Image.open(prepared.path) as out:
        assert out.mode == "L"
    colour = prepare(source, (40.0, 40.0), cache_dir=cache)
    assert colour.path != prepared.path


def test_a_cache_hit_does_no_decoding(tmp_path, cache, monkeypatch):
    source = save(Image.linear_gradient("L").resize((2000, 1500)).convert("RGB"), tmp_path / "photo.jpg")
    first = prepare(source, POKER_MM, focus=(0.3, 0.6), cache_dir=cache)
    written = first.path.stat().st_mtime_ns

    def refuse(*args, **kwargs):
        raise AssertionError("the cache hit decoded the image")

    monkeypatch.setattr(Image, "open", refuse)
    monkeypatch.setattr(Image.Image, "resize", refuse)
    images._DIGESTS.clear()  # a new process: the source is hashed again, not decoded
    second = prepare(source, POKER_MM, focus=(0.3, 0.6), cache_dir=cache)
    assert second == first
    assert second.path.stat().st_mtime_ns == written


def test_a_changed_source_misses_the_cache_even_with_its_old_size_and_mtime(tmp_path, cache):
    source = save(Image.new("RGB", (600, 600), RED), tmp_path / "photo.tif")  # uncompressed: same size
    before = source.stat()
    first = prepare(source, (30.0, 30.0), cache_dir=cache)
    save(Image.new("RGB", (600, 600), BLUE), source)
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` or an unzip would
    assert source.stat().st_size == before.st_size and source.stat().st_mtime_ns == before.st_mtime_ns
    images._DIGESTS.clear()  # a new build: only the on-disk index remains
    second = prepare(source, (30.0, 30.0), cache_dir=cache)
    assert second.path != first.path
    with Image.open(second.path) as out:
        assert out.getpixel((5, 5))[2] > 200


def test_a_warm_build_reads_no_source_bytes(tmp_path, cache, monkeypatch):
    source = save(Image.new("RGB", (600, 600), RED), tmp_path / "photo.jpg")
    first = prepare(source, (30.0, 30.0), cache_dir=cache)
    images._DIGESTS.clear()

    def refuse(self):
        raise AssertionError(f"read {self} again")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert prepare(source, (30.0, 30.0), cache_dir=cache) == first


def test_cache_writes_leave_no_temporary_files(tmp_path, cache):
    source = save(Image.new("RGB", (600, 600), RED), tmp_path / "photo.jpg")
    prepare(source, (30.0, 30.0), cache_dir=cache)
    names = sorted(p.name for p in (cache / "images").iterdir() if p.is_file())
    assert len(names) == 2 and names[0].endswith(".jpg") and names[1].endswith(".json")
    assert not [p for p in cache.rglob("*") if p.name.endswith(".tmp")]
    assert len(list((cache / "images" / "sources").iterdir())) == 1


def test_a_truncated_jpeg_is_an_unreadable_image(tmp_path, cache):
    buffer = io.BytesIO()
    Image.effect_noise((800, 800), 60).convert("RGB").save(buffer, "JPEG")
    source = tmp_path / "cut.jpg"
    source.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(UnreadableImage) as caught:
        prepare(source, (30.0, 30.0), cache_dir=cache)
    assert caught.value.message.startswith("expected a readable image") and "cut.jpg" in caught.value.message


# --------------------------------------------------------------------------- SVG pictograms

def drawn_on_a_page(drawing) -> bytes:
    """The PDF of a page with `drawing` (an svg_drawing or a pictogram) drawn in a box by draw_svg."""
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(100, 100), invariant=1)
    draw_svg(canvas, drawing, (10, 10, 80, 80))
    canvas.save()
    return out.getvalue()


def test_svg_drawing_of_a_pictogram_has_a_sane_size():
    drawing = svg_drawing(PICTOGRAMS / "manger__baguette-bread.svg")
    assert 10 <= drawing.width <= 100 and drawing.width == drawing.height  # a 32×32 viewBox
    assert drawing.contents
    assert svg_drawing(PICTOGRAMS / "manger__baguette-bread.svg") is drawing  # parsed once, shared


def test_a_shared_pictogram_draws_the_same_every_time():
    """The parsed drawing is shared by every card that draws it: drawing it must leave it as it was."""
    import pickle

    from svglib.svglib import svg2rlg

    drawn = drawn_on_a_page
    source = PICTOGRAMS / "loisirs__game-die.svg"
    shared = svg_drawing(source)
    before = pickle.dumps(shared)
    first, second = drawn(shared), drawn(shared)
    assert pickle.dumps(shared) == before
    fresh = svg2rlg(str(source))
    fresh.initialFontName = shared.initialFontName
    assert first == second == drawn(fresh)


def test_a_pictogram_is_drawn_once_and_its_operators_written_again_as_renderpdf_would():
    """draw_svg writes the operators renderPDF wrote for the drawing the first time (kit.images._operators):
    the same bytes as renderPDF drawing it there, whatever the page's colours; a drawing that names a
    resource of its document (a text's font) is drawn by renderPDF every time."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.shapes import Drawing, Rect, String
    from reportlab.pdfgen.canvas import Canvas

    from kit import images

    def page(draw) -> bytes:
        out = io.BytesIO()
        canvas = Canvas(out, pagesize=(100, 100), invariant=1)
        canvas.setFillColorRGB(1, 0, 0)  # a colour left set by what the card drew before
        canvas.setStrokeColorRGB(0, 0, 1)
        draw(canvas)
        canvas.save()
        return out.getvalue()

    def by_renderpdf(drawing, box=(10, 10, 80, 80)):
        def draw(canvas):
            x, y, w, h = box
            scale = min(w / drawing.width, h / drawing.height)
            canvas.saveState()
            canvas.translate(x + (w - drawing.width * scale) / 2, y + (h - drawing.height * scale) / 2)
            canvas.scale(scale, scale)
            renderPDF.draw(drawing, canvas, 0, 0)
            canvas.restoreState()
        return draw

    pictogram = svg_drawing(PICTOGRAMS / "manger__baguette-bread.svg")
    replayed = page(lambda canvas: draw_svg(canvas, pictogram, (10, 10, 80, 80)))
    assert images._operators(pictogram) is not None  # kept for the next card
    assert replayed == page(by_renderpdf(pictogram))

    def translucent(draw):  # a page drawing at half opacity when the pictogram comes
        def drawn(canvas):
            canvas.setFillAlpha(0.5)
            draw(canvas)
        return drawn

    assert page(translucent(lambda canvas: draw_svg(canvas, pictogram, (10, 10, 80, 80)))) == page(
        translucent(by_renderpdf(pictogram)))
    labelled = Drawing(40, 40)
    labelled.add(Rect(0, 0, 40, 40, fillColor=None))
    labelled.add(String(5, 15, "Bonjour", fontName="Helvetica", fontSize=8))
    assert images._operators(labelled) is None
    assert page(lambda canvas: draw_svg(canvas, labelled, (10, 10, 80, 80))) == page(by_renderpdf(labelled))


def test_a_pictogram_kept_in_the_cache_is_drawn_by_another_process_without_parsing_it(tmp_path, monkeypatch):
    """kit.images.pictogram keeps what drawing an SVG writes under cache_dir/pictograms: a new render
    process (its own memory empty) writes the same bytes with neither svglib nor renderPDF."""
    page = drawn_on_a_page
    source = tmp_path / "p.svg"
    source.write_bytes((PICTOGRAMS / "manger__baguette-bread.svg").read_bytes())
    cache = tmp_path / "cache"
    expected = {grey: page(svg_drawing(source, greyscale=grey)) for grey in (False, True)}
    for grey in (False, True):
        assert page(images.pictogram(source, greyscale=grey, cache_dir=cache)) == expected[grey]
    assert len(list((cache / "pictograms").glob("*.json"))) == 2  # one per colour and grey

    for memory in ("_PICTOGRAMS", "_DRAWINGS", "_OPERATORS"):  # a new process
        monkeypatch.setattr(images, memory, type(getattr(images, memory))())

    def parsed(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr("svglib.svglib.svg2rlg", parsed)
    for grey in (False, True):
        assert page(images.pictogram(source, greyscale=grey, cache_dir=cache)) == expected[grey]
    assert images.drawing_problem(source, "images/p.svg", tmp_path, cache) is None

    # Another file's bytes are another entry: an edited pictogram is parsed and drawn anew.
    monkeypatch.undo()
    source.write_bytes((PICTOGRAMS / "loisirs__game-die.svg").read_bytes())
    os.utime(source, ns=(1, 1))
    assert page(images.pictogram(source, cache_dir=cache)) == page(svg_drawing(PICTOGRAMS / "loisirs__game-die.svg"))
    assert len(list((cache / "pictograms").glob("*.json"))) == 3


def test_a_pictogram_that_names_another_file_is_not_kept(tmp_path):
    """What an SVG draws through <use href="other.svg#…"> depends on that file too."""
    shape = tmp_path / "shape.svg"
    shape.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
                     '<rect id="r" width="10" height="10" fill="#c00"/></svg>', encoding="utf-8")
    user = tmp_path / "user.svg"
    user.write_text('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                    'viewBox="0 0 10 10"><use xlink:href="shape.svg#r"/></svg>', encoding="utf-8")
    drawn = images.pictogram(user, root=tmp_path, cache_dir=tmp_path / "cache")
    assert drawn.drawn is not None and any(" re f" in operator for operator in drawn.drawn[0])  # the rectangle
    assert not (tmp_path / "cache" / "pictograms").exists()


def test_svg_greyscale_turns_every_colour_grey():
    from reportlab.lib.colors import Color

    found = []

    def walk(node):
        for attr in ("fillColor", "strokeColor"):
            colour = getattr(node, attr, None)
            if isinstance(colour, Color):
                found.append(colour)
        for child in getattr(node, "contents", ()):
            walk(child)

    walk(svg_drawing(PICTOGRAMS / "manger__baguette-bread.svg", greyscale=True))
    assert found and all(c.red == c.green == c.blue for c in found)
    found.clear()
    walk(svg_drawing(PICTOGRAMS / "manger__baguette-bread.svg"))
    assert any(c.red != c.blue for c in found)  # the colour version is untouched


def test_draw_svg_contains_the_pictogram_in_its_box(tmp_path):
    import pypdfium2
    from reportlab.pdfgen.canvas import Canvas

    pdf = tmp_path / "pictogram.pdf"
    canvas = Canvas(str(pdf), pagesize=(200, 100))
    box = (120, 20, 60, 40)  # wider than tall: the square pictogram is 40 pt, centred
    draw_svg(canvas, svg_drawing(PICTOGRAMS / "loisirs__game-die.svg"), box)
    canvas.save()
    page = pypdfium2.PdfDocument(str(pdf))[0]
    bitmap = page.render(scale=1).to_pil().convert("L")
    ink = bitmap.point(lambda v: 255 if v < 240 else 0).getbbox()
    assert ink is not None
    left, top, right, bottom = ink
    # Inside the 40-pt square centred in the box (page y grows upward, image y downward).
    assert left >= 130 - 1 and right <= 170 + 1
    assert top >= 100 - 60 - 1 and bottom <= 100 - 20 + 1


def test_configure_reportlab_writes_images_without_ascii85(tmp_path, cache):
    from reportlab.pdfgen.canvas import Canvas

    configure_reportlab()
    configure_reportlab()  # idempotent
    source = save(Image.new("RGB", (800, 800), RED), tmp_path / "photo.jpg")
    prepared = prepare(source, (30.0, 30.0), cache_dir=cache)
    pdf = tmp_path / "photo.pdf"
    canvas = Canvas(str(pdf), pagesize=(200, 200))
    canvas.drawImage(str(prepared.path), 10, 10, 85, 85)
    canvas.save()
    assert b"ASCII85Decode" not in pdf.read_bytes()


def test_draw_prepared_keeps_transparency_in_the_pdf(tmp_path, cache):
    from reportlab.pdfgen.canvas import Canvas

    configure_reportlab()
    clear = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    clear.paste((*RED, 255), (100, 100, 300, 300))
    prepared = prepare(save(clear, tmp_path / "logo.png"), (20.0, 20.0), cache_dir=cache)
    pdf = tmp_path / "logo.pdf"
    canvas = Canvas(str(pdf), pagesize=(100, 100))
    draw_prepared(canvas, prepared, (10, 10, 57, 57))
    canvas.save()
    assert b"/SMask" in pdf.read_bytes()


def test_a_truncated_jpeg_is_refused_even_after_weasyprint_is_imported(tmp_path, cache):
    import weasyprint  # noqa: F401  (sets Pillow's LOAD_TRUNCATED_IMAGES process-wide)

    buffer = io.BytesIO()
    Image.effect_noise((800, 800), 60).convert("RGB").save(buffer, "JPEG")
    source = tmp_path / "cut.jpg"
    source.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(UnreadableImage):
        prepare(source, (30.0, 30.0), cache_dir=cache)


def test_photos_decoded_ahead_on_every_core_still_report_a_truncated_one(make_kit):
    """A deck's photos are decoded in threads before they are checked one by one: the good ones
    are remembered, the damaged one is reported in its place, even with weasyprint imported."""
    import weasyprint  # noqa: F401  (sets Pillow's LOAD_TRUNCATED_IMAGES process-wide)

    import kit.images
    from kit.content import load_kit
    from kit.errors import ContentError

    def photo(seed: int) -> bytes:
        buffer = io.BytesIO()
        Image.effect_noise((900, 600), 40 + seed).convert("RGB").save(buffer, "JPEG")
        return buffer.getvalue()

    cut = photo(9)
    files = {f"images/p{n}.jpg": photo(n) for n in range(4)}
    files["images/cut.jpg"] = cut[: len(cut) // 2]
    cards = "".join(f"  - {{title: P{n}, image: images/p{n}.jpg}}\n" for n in range(4))
    files["content/decks/photos.yaml"] = ("title: Photos\nkind: photo-debate\naxes: [[cher, gratuit]]\ncards:\n"
                                          + cards + "  - {title: Coupée, image: images/cut.jpg}\n")
    root = make_kit(files)
    kit.images._DECODED.clear()
    with pytest.raises(ContentError) as caught:
        load_kit(root)
    [problem] = caught.value.problems
    assert (problem.file, problem.line) == ("content/decks/photos.yaml", 9)
    assert "damaged" in problem.message and "cut.jpg" in problem.message
    remembered = {Path(path).name for path in kit.images.decoded()}
    assert {f"p{n}.jpg" for n in range(4)} <= remembered and "cut.jpg" not in remembered
    from PIL import ImageFile
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # weasyprint's setting is given back
