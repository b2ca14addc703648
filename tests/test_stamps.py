"""kit.stamps: a document's running header and footer are laid out apart from its body and drawn over
it. The pages look as if laid out whole; an edit of what only the margins print (a title, the
version) lays out the margins, not the body; the margin boxes' widths fit their texts."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pypdfium2
import pytest
from PIL import ImageChops
from pypdf import PdfReader

from conftest import FIXTURE_KIT, is_page_stamp
from kit import documents, stamps
from kit.build import build
from kit.documents import render_pdf

FACES = documents.font_face_css()

# Three pages, the second a named page with margins of its own: its margin boxes sit elsewhere.
DOCUMENT = """<!DOCTYPE html><html><head><title>{title}</title>
<style id="kit-page">@page {{ size: A5; }}</style>
<style id="kit-stamp">@page {{
  @top-left {{ width: {left}%; content: "{header}"; }} @top-right {{ width: {right}%; content: "Édition animateurs"; }}
  {numbers_here} }}</style>{numbers_sheet}
<style id="kit-shared">{faces}
body {{ font-family: Inter; font-size: 11pt; }}
@page {{ margin: 20mm 15mm; @top-left {{ font-family: Inter; font-size: 8pt; color: #555; vertical-align: bottom; }}
  @top-right {{ font-family: Inter; font-size: 8pt; vertical-align: bottom; }}
  @bottom-right {{ font-family: Inter; font-size: 8pt; }} }}
@page large {{ margin: 35mm 8mm; }}
section {{ break-before: page; }} section.large {{ page: large; }}
</style></head><body>
<h1>Déroulé</h1><p>Accueil des ambassadeurs, café.</p>
<section class="large"><h2>Jour 2</h2><p>Enquête de terrain, en binômes.</p></section>
<section><h2>Clôture</h2><p>Ce que nous avons appris.</p></section>
</body></html>"""


@pytest.fixture
def layouts(monkeypatch) -> list[list[str]]:
    """The HTML of every layout kit does from here on, in order: bodies, parts and page stamps."""
    laid_out = []
    original = documents._lay_out

    def recording(htmls, *args):
        laid_out.append(htmls)
        return original(htmls, *args)

    monkeypatch.setattr(documents, "_lay_out", recording)
    return laid_out


def built_fixture_kit(tmp_path) -> Path:
    root = tmp_path / "kit"
    shutil.copytree(FIXTURE_KIT, root)
    build(root, jobs=1)
    return root


NUMBERS = '@bottom-right { content: "page " counter(page) " / " counter(pages); }'


def document(header: str = "Le comptoir des services · Session 8", title: str = "Session 8", in_two: bool = False) -> str:
    """The document, its page numbers in its stamp's sheet, or (`in_two`) in a sheet of their own as
    base.html.j2 writes them: its stamp is then laid out as a frame and page numbers."""
    left, right = stamps.side_widths(header, "Édition animateurs")
    numbers_sheet = f'\n<style id="kit-pages">@page {{ {NUMBERS} }}</style>' if in_two else ""
    return DOCUMENT.format(header=header, title=title, left=left, right=right, faces=FACES,
                           numbers_here="" if in_two else NUMBERS, numbers_sheet=numbers_sheet)


def kind(htmls: list[str]) -> str:
    """What a layout was: a body, a stamp's frame (or a stamp laid out whole), or its page numbers."""
    return "body" if not is_page_stamp(htmls) else "frame" if "<title>" in htmls[0] else "numbers"


def images(pdf: bytes) -> list:
    return [page.render(scale=100 / 72).to_pil().convert("RGB") for page in pypdfium2.PdfDocument(pdf)]


@pytest.mark.parametrize("in_two", [False, True], ids=["whole", "frame-and-numbers"])
def test_a_stamped_document_has_the_pixels_of_the_document_laid_out_whole(tmp_path, in_two):
    html = document(in_two=in_two)
    stamped, pages = render_pdf(html, tmp_path)
    whole = documents.layout_document(html, tmp_path).write_pdf()  # one weasyprint pass, stamp and all
    assert pages == 3
    for number, (mine, theirs) in enumerate(zip(images(stamped), images(whole), strict=True), start=1):
        assert mine.size == theirs.size
        box = ImageChops.difference(mine, theirs).getbbox()
        assert box is None, f"page {number} differs in {box}"
    text = [page.extract_text() for page in PdfReader(io.BytesIO(stamped)).pages]
    assert all("Le comptoir des services · Session 8" in t and "Édition animateurs" in t for t in text)
    assert [f"page {n} / 3" in t for n, t in enumerate(text, start=1)] == [True] * 3
    assert PdfReader(io.BytesIO(stamped)).metadata.title == "Session 8"


def test_an_edit_of_the_stamp_alone_lays_out_the_stamp_not_the_body(tmp_path, layouts):
    context = type("Context", (), {"cache_dir": tmp_path / "cache", "kit_root": tmp_path})()
    render_pdf(document(), context)
    assert [is_page_stamp(h) for h in layouts] == [False, True]
    pdf, _ = render_pdf(document("Le comptoir des services · Session 8 bis", title="Session 8 bis"), context)
    assert [is_page_stamp(h) for h in layouts] == [False, True, True]
    reader = PdfReader(io.BytesIO(pdf))
    assert "Session 8 bis" in reader.pages[1].extract_text() and reader.metadata.title == "Session 8 bis"
    render_pdf(document().replace("Enquête de terrain", "Enquête sur le terrain"), context)
    assert [is_page_stamp(h) for h in layouts] == [False, True, True, False]  # a body edit: the stamp is found cached


def test_a_title_edit_lays_out_one_page_of_frame_per_page_name_and_no_page_numbers(tmp_path, layouts):
    context = type("Context", (), {"cache_dir": tmp_path / "cache", "kit_root": tmp_path})()
    render_pdf(document(in_two=True), context)
    assert [kind(h) for h in layouts] == ["body", "frame", "numbers"]
    assert layouts[1][0].count("<div") == 2 and layouts[2][0].count("<div") == 3  # two page names, three pages
    assert "Session 8" not in layouts[2][0]  # the numbers do not print the title: a new title finds them cached
    pdf, pages = render_pdf(document("Le comptoir des services · Session 8 bis", title="Session 8 bis", in_two=True), context)
    assert [kind(h) for h in layouts] == ["body", "frame", "numbers", "frame"]
    reader = PdfReader(io.BytesIO(pdf))
    text = [page.extract_text() for page in reader.pages]
    assert pages == 3 and reader.metadata.title == "Session 8 bis"
    assert [("Session 8 bis" in t, f"page {n} / 3" in t) for n, t in enumerate(text, start=1)] == [(True, True)] * 3
    # One frame per page name, drawn on every page of that name (the first and the third here).
    forms = [sorted(str(k) for k in page["/Resources"]["/XObject"]) for page in reader.pages]
    assert all("/KitFrame1" in f for f in (forms[0], forms[2])) and "/KitFrame2" in forms[1]


@pytest.mark.parametrize("in_two", [False, True], ids=["whole", "frame-and-numbers"])
def test_two_builds_stamp_the_same_bytes(tmp_path, in_two):
    first, _ = render_pdf(document(in_two=in_two), tmp_path)
    render_pdf(document("Une autre en-tête", in_two=in_two), tmp_path)
    again, _ = render_pdf(document(in_two=in_two), tmp_path)
    assert first == again


@pytest.mark.parametrize("left, right", [
    ("Le comptoir des services · Session 8.1 : démarrer le cas pratique n° 3", "Édition nouveaux ambassadeurs"),
    ("version 1.0 · 20 mai 2019", "page 88 / 88"),
    ("Kit", ""),
    ("", ""),
])
def test_margin_boxes_share_the_width_in_proportion_to_their_texts(left, right):
    wide_left, wide_right = stamps.side_widths(left, right)
    assert 0 <= wide_left <= 100 and 0 <= wide_right <= 100 and wide_left + wide_right <= 100
    if left and right:
        assert wide_left / wide_right == pytest.approx(stamps.text_width(left) / stamps.text_width(right), rel=1e-3)
    assert stamps.text_width("mmm") > stamps.text_width("iii") > 0


def test_a_version_edit_lays_out_only_the_bodies_that_print_the_version(tmp_path, layouts):
    """The kit's version is in every document's footer: only the bodies that print it too (a guide's
    list of changes) are laid out again; every other document gets a new stamp over its cached body."""
    root = built_fixture_kit(tmp_path)
    layouts.clear()
    config = root / "kit.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "7.3"'), encoding="utf-8")
    summary = build(root, jobs=1)
    bodies = [htmls for htmls in layouts if not is_page_stamp(htmls)]
    stamps_laid_out = [htmls for htmls in layouts if is_page_stamp(htmls)]
    assert len(summary.of("rendered")) > 20
    assert len(stamps_laid_out) >= 10
    assert all("7.3" in "".join(htmls) for htmls in bodies), "a body that does not print the version was laid out"
    assert len(bodies) < len(stamps_laid_out)
    programme = PdfReader(root / "output/session-08/programme.pdf")
    assert all("version 7.3" in page.extract_text() for page in programme.pages)


PART = """<!DOCTYPE html><html><head><title>Programme</title>
<style id="kit-page">@page {{ size: A5; }}</style>
<style id="kit-stamp">@page {{ @bottom-right {{ content: "page " counter(page) " / " counter(pages); }} }}</style>
<style id="kit-shared">{faces}
body {{ font-family: Inter; font-size: 11pt; }} .new-page {{ break-before: page; }}
@page {{ margin: 20mm 15mm; @bottom-right {{ font-family: Inter; font-size: 8pt; }} }}
</style></head><body>{body}</body></html>"""

DAYS = ["<h1>{title}</h1><h2>Jour 1</h2><p>Accueil, café, tour de table.</p>",
        "<section class='new-page'><h2>Jour 2</h2><p>Enquête de terrain.</p>" + "<p>Retour.</p>" * 40 + "</section>",
        "<section class='new-page'><h2>Jour 3</h2><p>Mise en commun.</p></section>"]


def parts(title: str = "Le comptoir") -> list[str]:
    return [PART.format(faces=FACES, body=day.format(title=title)) for day in DAYS]


def outline_of(pdf: bytes) -> list:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document, document.open_outline() as outline:
        def items(level):
            return [(item.title, document.pages.index(pikepdf.Page(item.destination[0])),
                     round(float(item.destination[3]), 2), items(item.children)) for item in level]
        return items(outline.root)


def test_a_document_in_parts_has_the_pages_and_outline_of_the_document_laid_out_whole(tmp_path):
    joined = documents.render_parts(parts(), tmp_path)
    whole = documents.layout_document(PART.format(faces=FACES, body="".join(DAYS).format(title="Le comptoir")),
                                      tmp_path).write_pdf()
    count = joined.pages
    assert count == len(PdfReader(io.BytesIO(whole)).pages) >= 4  # day 2 runs over pages
    for number, (mine, theirs) in enumerate(zip(images(joined.pdf), images(whole), strict=True), start=1):
        difference = ImageChops.difference(mine, theirs).convert("L").point(lambda v: 255 if v > 96 else 0)
        assert difference.getbbox() is None, f"page {number} differs in {difference.getbbox()}"
    text = [page.extract_text() for page in PdfReader(io.BytesIO(joined.pdf)).pages]
    assert [f"page {n} / {count}" in t for n, t in enumerate(text, start=1)] == [True] * count
    assert outline_of(joined.pdf) == outline_of(whole)
    assert [title for title, *_ in outline_of(joined.pdf)[0][3]] == ["Jour 1", "Jour 2", "Jour 3"]


def test_an_edit_of_one_part_lays_out_that_part_only(tmp_path, layouts):
    context = type("Context", (), {"cache_dir": tmp_path / "cache", "kit_root": tmp_path})()
    documents.render_parts(parts(), context)
    assert [is_page_stamp(h) for h in layouts] == [False, False, False, True]  # three parts and the stamp
    edited = documents.render_parts(parts("Le comptoir des services"), context)
    assert len(layouts) == 5 and "Le comptoir des services" in layouts[-1][0]  # the first part; the stamp is cached
    assert "Le comptoir des services" in PdfReader(io.BytesIO(edited.pdf)).pages[0].extract_text()


def test_a_session_title_edit_lays_out_the_title_alone(tmp_path, layouts):
    """An agenda's title is laid out alone and drawn on its first day, which keeps blank lines for it:
    a new title of as many lines lays out the title (once for the editions with a welcome, once for
    the others) and the running headers, no day of any edition."""
    root = built_fixture_kit(tmp_path)
    layouts.clear()
    session = root / "content/sessions/session-08.yaml"
    session.write_text(session.read_text(encoding="utf-8").replace('title: "Session 8', 'title: "Session 8 bis', 1),
                       encoding="utf-8")
    build(root, jobs=1)
    agendas = [htmls[0] for htmls in layouts if not is_page_stamp(htmls) and 'class="agenda"' in htmls[0]]
    assert len(agendas) == 2
    assert all("Session 8 bis" in html and "Jour 1" not in html for html in agendas)
    nouveaux = PdfReader(root / "output/session-08/programme-nouveaux.pdf")
    assert "Session 8 bis" in nouveaux.pages[1].extract_text() and "Bienvenue" in nouveaux.pages[0].extract_text()
    # A title that takes another line lays out the first days again (the blank lines kept change).
    layouts.clear()
    longer = "Session 8 bis, une session dont le titre est bien plus long qu'une ligne de programme"
    session.write_text(session.read_text(encoding="utf-8").replace('title: "Session 8 bis', f'title: "{longer}', 1),
                       encoding="utf-8")
    build(root, jobs=1)
    days = [htmls[0] for htmls in layouts if not is_page_stamp(htmls) and "Jour 1" in htmls[0]]
    assert len(days) == 3 and all(longer not in html for html in days)
    assert "bien plus long" in PdfReader(root / "output/session-08/programme.pdf").pages[0].extract_text()


@pytest.mark.parametrize("title", ["Session 8 : démarrer", "Session 8 : " + "un titre bien plus long " * 5])
def test_a_title_drawn_apart_gives_the_pixels_and_outline_of_the_day_laid_out_whole(tmp_path, title):
    from kit.content import load_kit
    from kit.documents import render_html
    from kit.generators import GENERATORS, RenderContext
    from kit.generators.agenda import TEMPLATE, agenda_context, EDITIONS
    from kit.plan import plan
    from kit.theme import Theme

    root = tmp_path / "kit"
    shutil.copytree(FIXTURE_KIT, root)
    session_file = root / "content/sessions/session-08.yaml"
    text = session_file.read_text(encoding="utf-8")
    session_file.write_text(re.sub(r'(?m)^title: ".*"$', f'title: "{title}"', text, count=1), encoding="utf-8")
    content = load_kit(root)
    context = RenderContext(Theme.from_config(content.config), root, tmp_path / "cache")
    output = next(o for o in plan(content, GENERATORS).outputs if o.path == "session-08/programme.pdf")
    drawn_apart = GENERATORS["agenda"].render(output, content, context).files[output.path]
    data = agenda_context(content.sessions["session-08"], EDITIONS[output.edition], content, context)
    whole = documents.render_document([render_html(TEMPLATE, data)], context).pdf  # every day in one layout
    assert title.split(" : ")[0] in PdfReader(io.BytesIO(drawn_apart)).pages[0].extract_text()
    for mine, theirs in zip(images(drawn_apart), images(whole), strict=True):
        assert ImageChops.difference(mine, theirs).getbbox() is None
    assert outline_of(drawn_apart) == outline_of(whole)


def test_a_day_two_editions_print_alike_is_laid_out_once(tmp_path, layouts):
    """The participants' and the newcomers' programmes print their second day alike: one layout."""
    root = tmp_path / "kit"
    shutil.copytree(FIXTURE_KIT, root)
    build(root, jobs=1)
    second_days = [htmls[0] for htmls in layouts if not is_page_stamp(htmls) and "Jour 2 — vendredi" in htmls[0]]
    assert len(second_days) == 2  # the run sheet's (with its facilitation notes) and the programmes'
    for name in ("programme.pdf", "programme-nouveaux.pdf"):
        assert "Jour 2 — vendredi" in PdfReader(root / "output/session-08" / name).pages[-1].extract_text()
