"""A long run of pages written in parts and joined: the same pages, in order, the same bytes every time."""

from __future__ import annotations

from pypdf import PdfReader

from kit.pdfparts import PartedCanvas


def draw(target, pages, per_part):
    from reportlab.pdfgen.canvas import Canvas

    canvas = PartedCanvas(target, lambda path: Canvas(str(path), pagesize=(200, 300), invariant=1), per_part)
    canvas.setTitle("Essai")
    for number in range(pages):
        if number == 5:
            canvas.setPageSize((300, 200))  # later parts keep the size in force
        canvas.drawString(20, 100, f"page {number + 1}")
        canvas.showPage()
    canvas.save()


def test_parts_join_into_one_pdf_with_every_page_in_order(tmp_path):
    draw(tmp_path / "a.pdf", 11, per_part=4)  # parts of 4, 4 and 3 pages
    reader = PdfReader(str(tmp_path / "a.pdf"))
    assert [page.extract_text().strip() for page in reader.pages] == [f"page {n}" for n in range(1, 12)]
    assert [float(p.mediabox.width) for p in reader.pages] == [200] * 5 + [300] * 6
    assert reader.metadata.title == "Essai"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]  # the parts are gone


def test_a_multiple_of_the_part_size_leaves_no_empty_part_and_bytes_are_reproducible(tmp_path):
    draw(tmp_path / "a.pdf", 8, per_part=4)
    draw(tmp_path / "b.pdf", 8, per_part=4)
    assert len(PdfReader(str(tmp_path / "a.pdf")).pages) == 8
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_every_page_of_a_long_print_shop_file_keeps_its_trim_and_bleed(fixture_kit):
    """The print-shop file of a 48-card deck is written in parts: TrimBox and BleedBox on every page."""
    from kit.build import build

    build(fixture_kit, only=["content/decks/starters-images.yaml"], jobs=1)
    reader = PdfReader(str(fixture_kit / "output/decks/starters-images-imprimeur.pdf"))
    assert len(reader.pages) == 96
    first = reader.pages[0]
    for page in reader.pages:
        assert page.trimbox == first.trimbox and page.bleedbox == first.bleedbox
        assert page.trimbox != page.mediabox


def test_page_sizes_are_what_a_viewer_shows_as_pdfium_reports_them(tmp_path):
    """The print list's page sizes: the CropBox within the MediaBox, turned by /Rotate, both inherited
    from the page tree when a page does not say them; the same numbers as pdfium's."""
    import pikepdf
    import pypdfium2

    from kit.pdfparts import page_sizes

    pdf = pikepdf.new()
    for _ in range(4):
        pdf.add_blank_page(page_size=(595.28, 841.89))
    pages = [page.obj for page in pdf.pages]
    pages[1].CropBox = pikepdf.Array([10, 20, 300, 400])               # a visible region
    pages[2].CropBox = pikepdf.Array([-50, -50, 2000, 2000])           # larger than the paper: clipped
    pdf.Root.Pages.Rotate = 90                                        # inherited: turned as shown
    pages[3].Rotate = 0                                               # unless a page says otherwise
    path = tmp_path / "sizes.pdf"
    pdf.save(path)

    sizes = page_sizes(path)
    assert [tuple(round(v, 2) for v in size) for size in sizes] == [
        (841.89, 595.28), (380.0, 290.0), (841.89, 595.28), (595.28, 841.89)]
    document = pypdfium2.PdfDocument(str(path))
    try:
        shown = [document.get_page_size(index) for index in range(len(document))]
    finally:
        document.close()
    assert ["%.2fx%.2f" % size for size in sizes] == ["%.2fx%.2f" % size for size in shown]
