"""Interview guides read back from their PDFs: pocket cards, rendez-vous guides, per-pair copies, loader errors."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from conftest import outputs_of, MINIMAL_CONFIG, copy_fixture_kit, pdf_pages, pdf_text
from kit.build import build
from kit.content import load_kit
from kit.content.guides import RENDEZ_VOUS, VOLEE, NoteSpace, parse_note_space
from kit.errors import ContentError
from kit.generators.guide import POCKET_PATH, card_sequence, content_box, pocket_sheet
from kit.imposition import CROP_MARK_WIDTH_PT, SAFE_MM
from kit.theme import MM
from kit.typography import typeset

A4 = (595.28, 841.89)
POINT_TOLERANCE = 0.5

GUIDE_FILES = ["content/guides/a-la-volee.yaml", "content/guides/rendez-vous.yaml"]


def squash(text: str) -> str:
    """Text as compared across line breaks: no spaces, hyphens or quote styles (hyphenation moves them)."""
    text = text.replace("’", "'")
    return re.sub(r"[\s\-\u00ad\u2010]", "", text)


def printed(text: str) -> str:
    """A content text as the PDF prints it (French typography), squashed."""
    return squash(typeset(text, "fr"))


@pytest.fixture(scope="module")
def fixture_guides(tmp_path_factory) -> tuple[Path, object]:
    """The fixture kit's guides and per-pair copies, built once for this module."""
    root = copy_fixture_kit(tmp_path_factory.mktemp("kit"))
    out = root / "output"
    build(root, out, only=GUIDE_FILES, jobs=1)
    return out, load_kit(root)


# -- the model ---------------------------------------------------------------------------------

def test_the_fixture_kit_has_one_guide_of_each_mode(fixture_guides):
    _, content = fixture_guides
    guides = content.of("guides")
    assert guides["a-la-volee"].mode == VOLEE and guides["rendez-vous"].mode == RENDEZ_VOUS
    volee = guides["a-la-volee"]
    assert 3 <= len(volee.questions) <= 5 and all(1 <= len(q.probes) <= 2 for q in volee.questions)
    assert volee.hook and not volee.changes
    rdv = guides["rendez-vous"]
    assert rdv.version == "1.1" and rdv.changes and rdv.warmup and rdv.intro and rdv.consent and rdv.debrief


def test_method_rule_no_guide_opens_with_service_ideas(fixture_guides):
    _, content = fixture_guides
    for guide in content.of("guides").values():
        first = guide.all_questions[0].text.lower()
        assert "service" not in first and "idée" not in first


def test_note_space_spellings():
    assert parse_note_space(4) == NoteSpace(lines=4)
    assert parse_note_space("3 cm") == NoteSpace(height_mm=30.0)
    assert parse_note_space("25 mm") == NoteSpace(height_mm=25.0)
    assert parse_note_space("2,5 cm") == NoteSpace(height_mm=25.0)
    assert parse_note_space(0) == NoteSpace(lines=0)
    assert parse_note_space("lots") is None and parse_note_space(-1) is None and parse_note_space(True) is None


BAD_VOLEE = """\
title: Trop court
mode: à la volée
hook: Bonjour !
questions:
  - ask: Une première question ?
    probes: [Une relance ?]
  - ask: Une deuxième question ?
    probes: [Une, deux, trois ?]
colour: bleu
intro: Pas ici.
"""

BAD_RDV = """\
title: Entretien
mode: rendezvous
sections:
  - title: Partie
    time: un quart d'heure
    questions:
      - ask: Une question ?
        notes: beaucoup
      - probes: [Sans question]
hook: Bonjour !
"""


def problems_of(make_kit, files: dict[str, str]) -> list[str]:
    root = make_kit(files)
    with pytest.raises(ContentError) as caught:
        load_kit(root)
    return [str(p) for p in caught.value.problems]


def test_loader_names_file_line_and_field_of_each_mistake_a_la_volee(make_kit):
    problems = problems_of(make_kit, {"content/guides/court.yaml": BAD_VOLEE})
    expected = [
        "content/guides/court.yaml:4: questions: expected 3 to 5 questions for a guide à la volée, got 2",
        "content/guides/court.yaml:7: questions[1].probes: expected 1 or 2 probes (relances) for a question "
        "à la volée, got 3",
        "content/guides/court.yaml:9: colour: expected a known field",
        'content/guides/court.yaml:10: intro: expected no "intro" in a guide à la volée',
    ]
    assert len(problems) == len(expected), problems
    for want, got in zip(expected, problems, strict=True):
        assert got.startswith(want), (want, got)


def test_loader_names_file_line_and_field_of_each_mistake_rendez_vous(make_kit):
    problems = problems_of(make_kit, {"content/guides/rdv.yaml": BAD_RDV})
    joined = "\n".join(problems)
    assert 'content/guides/rdv.yaml:2: mode: expected one of' in joined and '(did you mean "rendez-vous"?)' in joined
    assert "content/guides/rdv.yaml:5: sections[0].time: expected minutes" in joined
    assert "content/guides/rdv.yaml:8: sections[0].questions[0].notes: expected note space" in joined
    assert "content/guides/rdv.yaml:9: sections[0].questions[1].ask: expected text, got nothing" in joined
    # A wrong mode falls back to rendez-vous for the rest of the checks: the hook is out of place.
    assert 'content/guides/rdv.yaml:10: hook: expected no "hook" in a rendez-vous guide' in joined


def test_ascii_mode_spellings_are_accepted(make_kit):
    root = make_kit({"content/guides/v.yaml": """\
        title: Vite
        mode: a-la-volee
        questions:
          - {ask: Un ?, probes: [a]}
          - {ask: Deux ?, probes: [b]}
          - {ask: Trois ?, probes: [c, d]}
        """})
    assert load_kit(root).of("guides")["v"].mode == VOLEE


def test_a_pocket_card_question_takes_no_note_space(make_kit):
    problems = problems_of(make_kit, {"content/guides/v.yaml": """\
        title: Vite
        mode: à la volée
        questions:
          - {ask: Un ?, probes: [a]}
          - {ask: Deux ?, probes: [b], notes: 3}
          - {ask: Trois ?, probes: [c, d]}
        """})
    assert len(problems) == 1 and problems[0].startswith(
        "content/guides/v.yaml:5: questions[1].notes: expected no note space on a pocket card")


# -- the plan ----------------------------------------------------------------------------------

def test_plan_lists_pocket_cards_documents_and_pair_copies(fixture_guides):
    _, content = fixture_guides
    outputs = [o for o in outputs_of(content) if o.kind == "guide"]
    paths = {o.path for o in outputs}
    assert POCKET_PATH in paths and "guides/rendez-vous.pdf" in paths
    assert "guides/a-la-volee.pdf" not in paths      # à la volée guides print as pocket cards only
    field = content.of("field")
    for plan_id, field_plan in field.items():
        for pair_id in field_plan.pairs:
            has_rdv = any(s.guide == "rendez-vous" for s in field_plan.slots_of(pair_id))
            assert (f"field/{plan_id}/guides-binome-{pair_id}.pdf" in paths) == has_rdv


def test_cards_fill_the_sheet_in_guide_order():
    assert card_sequence(["a"], 4) == ["a"] * 4
    assert card_sequence(["a", "b"], 4) == ["a", "b", "a", "b"]
    assert card_sequence(["a", "b", "c", "d", "e"], 4) == ["a", "b", "c", "d", "e", "a", "b", "c"]
    assert card_sequence([], 4) == []


# -- pocket cards ------------------------------------------------------------------------------

def card_texts(pdf: Path, page_index: int = 0) -> list[str]:
    """The text inside each card's trim box of one sheet, in reading order."""
    document = pdfium.PdfDocument(str(pdf))
    page = document[page_index]
    width, height = page.get_size()
    textpage = page.get_textpage()
    sheet = pocket_sheet((width, height))
    texts = [textpage.get_text_bounded(r.x, r.y, r.right, r.top) for r in sheet.fronts]
    document.close()
    return texts


def test_pocket_sheet_is_a4_with_four_cards_each_holding_the_whole_guide(fixture_guides):
    out, content = fixture_guides
    pdf = out / POCKET_PATH
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 2                       # the question sides, then their note sides
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) - A4[0]) < POINT_TOLERANCE and abs(float(box.height) - A4[1]) < POINT_TOLERANCE
    guide = content.of("guides")["a-la-volee"]
    cards = card_texts(pdf)
    assert len(cards) == 4
    for text in cards:
        flat = squash(text)
        assert printed(guide.title) in flat and printed(guide.hook) in flat
        for question in guide.questions:
            at = flat.index(printed(question.text))
            for probe in question.probes:       # each probe printed after its own question
                assert flat.index(printed(probe.text), at) > at
        assert "version1.0·23mai2019" in flat
        assert "Rappeldeméthode".lower() in flat.lower()


def test_pocket_cards_fit_two_by_two_inside_the_sheet_with_marks():
    sheet = pocket_sheet(A4)
    assert (sheet.cols, sheet.rows) == (2, 2)
    width, height = (v / MM for v in sheet.card)
    assert 95 <= width <= 105 and 135 <= height <= 148           # A6 less the sheet margin
    assert sheet.marks and all(m.length >= 2 * MM for m in sheet.marks)
    assert CROP_MARK_WIDTH_PT >= 0.25
    for trim in sheet.fronts:
        assert not any(m.crosses(trim) for m in sheet.marks)
        inner = content_box(trim)
        assert trim.contains(inner) and inner.x - trim.x >= SAFE_MM * MM - POINT_TOLERANCE


def test_several_guides_a_la_volee_share_the_sheet(make_kit, tmp_path):
    def volee(title: str) -> str:
        return f"""\
            title: {title}
            mode: à la volée
            questions:
              - {{ask: Quel moment coince ?, probes: [Racontez.]}}
              - {{ask: Et le midi ?, probes: [Le trajet ?]}}
              - {{ask: Qui vous aide ?, probes: [Un collègue ?]}}
            """
    root = make_kit({"content/guides/a.yaml": volee("Guide Alpha"), "content/guides/b.yaml": volee("Guide Beta")})
    build(root, tmp_path / "out", jobs=1)
    titles = [("Alpha" in t, "Beta" in t) for t in card_texts(tmp_path / "out" / POCKET_PATH)]
    assert titles == [(True, False), (False, True), (True, False), (False, True)]


def test_what_to_listen_for_prints_on_the_card(make_kit, tmp_path):
    root = make_kit({"content/guides/v.yaml": """\
        title: Vite
        mode: à la volée
        questions:
          - {ask: Quel moment coince ?, probes: [Racontez.], listen: [les horaires, les trajets]}
          - {ask: Et le midi ?, probes: [Le trajet ?]}
          - {ask: Qui vous aide ?, probes: [Un collègue ?]}
        """})
    summary = build(root, tmp_path / "out", jobs=1)
    assert not summary.warnings
    for text in card_texts(tmp_path / "out" / POCKET_PATH):
        flat = squash(text)
        assert flat.index("Quelmomentcoince") < flat.index("Àécouter:leshoraires·lestrajets") < flat.index("Etlemidi")


def test_a_guide_too_long_for_its_card_is_a_warning(make_kit, tmp_path):
    long = "Une question très longue qui n'en finit pas de s'étirer sur la carte de poche, encore et encore ? " * 3
    questions = "".join(f'  - ask: "{long}"\n    probes: ["{long}", "{long}"]\n' for _ in range(5))
    root = make_kit({"content/guides/long.yaml": f"title: Bavard\nmode: à la volée\nquestions:\n{questions}"})
    summary = build(root, tmp_path / "out", jobs=1)
    assert any(w.startswith("content/guides/long.yaml:1: questions: expected a guide that fits a pocket card, "
                            "got one too long even at 84 % type size") for w in summary.warnings)


# -- rendez-vous guides ------------------------------------------------------------------------

def page_of(pages: list[str], needle: str, start: int = 0) -> int:
    for index in range(start, len(pages)):
        if needle in squash(pages[index]):
            return index
    raise AssertionError(f"{needle!r} not found")


def marker_page(pages: list[str], number: int) -> int:
    """The page holding the end of question n's note space (its "Qn" mark)."""
    found = [i for i, text in enumerate(pages) if re.search(rf"(?<![\w])Q{number}(?!\d)", text)]
    assert len(found) == 1, (number, found)
    return found[0]


def assert_questions_kept_with_notes(pdf: Path, guide) -> None:
    pages = pdf_pages(pdf)
    for number, question in enumerate(guide.all_questions, start=1):
        page = page_of(pages, printed(question.text))
        assert marker_page(pages, number) == page, f"question {number} split from its note space"
        flat = squash(pages[page])
        at = flat.index(printed(question.text))
        for probe in question.probes:
            assert flat.index(printed(probe.text), at) > at
        for point in question.listen:
            assert printed(point) in flat
        assert flat.index(f"Q{number}", at) > at


def test_rendez_vous_guide_prints_every_question_with_its_probes_and_note_space(fixture_guides):
    out, content = fixture_guides
    guide = content.of("guides")["rendez-vous"]
    pdf = out / "guides" / "rendez-vous.pdf"
    assert_questions_kept_with_notes(pdf, guide)
    text = squash(pdf_text(pdf))
    assert text.count("↳Relance") == sum(len(q.probes) for q in guide.all_questions)
    for label in ("Binôme", "Date", "Site", "Rôledelapersonnerencontrée", "Duréedel'entretien",
                  "Introductionetconsentement", "Miseenroute", "Conclusion", "Débriefàdeux", "Àécouter"):
        assert label.lower() in text.lower(), label
    assert printed("Jamais de liste d'idées de services") in text


def test_rendez_vous_pages_are_a4_with_version_date_and_page_in_the_footer(fixture_guides):
    out, _ = fixture_guides
    pdf = out / "guides" / "rendez-vous.pdf"
    reader = PdfReader(str(pdf))
    pages = pdf_pages(pdf)
    for number, (page, text) in enumerate(zip(reader.pages, pages, strict=True), start=1):
        assert abs(float(page.mediabox.width) - A4[0]) < POINT_TOLERANCE
        assert abs(float(page.mediabox.height) - A4[1]) < POINT_TOLERANCE
        assert "version 1.1 · 27 mai 2019" in text
        assert f"page {number} / {len(pages)}" in text


def test_change_list_on_the_last_page_only_when_set(fixture_guides, make_kit, tmp_path):
    out, content = fixture_guides
    pages = pdf_pages(out / "guides" / "rendez-vous.pdf")
    assert "Ce qui a changé dans la version 1.1" in pages[-1]
    for change in content.of("guides")["rendez-vous"].changes:
        assert printed(change) in squash(pages[-1])
    assert not any("Ce qui a changé" in p for p in pages[:-1])

    root = make_kit({"content/guides/sans.yaml": RDV_WITHOUT_CHANGES})
    build(root, tmp_path / "out", jobs=1)
    text = pdf_text(tmp_path / "out" / "guides" / "sans.pdf")
    assert "Ce qui a changé" not in text
    # No version or date of its own: the kit's.
    assert "version 2.3 · 20 mai 2019" in text




def laid_out_whole(root: Path, guide_id: str, cache: Path) -> bytes:
    """The facilitators' guide laid out in one piece, change list included: what the guide placed
    apart must look like."""
    from kit.documents import render_document, render_html
    from kit.generators.guide import TEMPLATE, document_context, edition_name, fill_ins
    from kit.labels import Labels
    from kit.outputs import RenderContext
    from kit.theme import Theme

    content = load_kit(root)
    theme = Theme.from_config(content.config)
    guide, labels = content.of("guides")[guide_id], Labels(theme.language)
    html = render_html(TEMPLATE, document_context(guide, content, theme, fill_ins(labels),
                                                  edition_name(guide, labels), part="whole"))
    return render_document([html], RenderContext(theme, root, cache)).pdf


@pytest.mark.parametrize("own_page", [True, False])
def test_the_change_list_goes_where_the_guide_laid_out_whole_puts_it(fixture_guides, make_kit, tmp_path, own_page):
    """The facilitators' guide is its pairs' blank master with the change list laid out apart and
    placed after the last block: on that page when it fits there (margins collapsed as weasyprint
    collapses them), else at the top of a page of its own. Every character stands where the guide
    laid out whole puts it, and the pages look the same."""
    from PIL import ImageChops

    if own_page:  # the fixture kit's guide: its last page is full
        root, guide_id = fixture_guides[1].config.root, "rendez-vous"
        pdf = (fixture_guides[0] / "guides" / "rendez-vous.pdf").read_bytes()
    else:
        root, guide_id = make_kit({"content/guides/court.yaml": RDV_SHORT_WITH_CHANGES}), "court"
        build(root, jobs=1)
        pdf = (root / "output" / "guides" / "court.pdf").read_bytes()
    whole = laid_out_whole(root, guide_id, tmp_path / "cache")
    placed, expected = pdfium.PdfDocument(pdf), pdfium.PdfDocument(whole)
    assert len(placed) == len(expected) == (4 if own_page else 1)
    last = pdf_pages_of(pdf)[-1]
    # On a page of its own, or after the debrief on the same page.
    assert last.lstrip().startswith("Ce qui a changé") == own_page and "Ce qui a changé" in last
    for number in range(len(placed)):
        # The same characters in the same places (read in another order: the list is drawn last).
        placed_chars, expected_chars = (characters(document[number]) for document in (placed, expected))
        assert [c for c, _ in placed_chars] == [c for c, _ in expected_chars]
        for (_, box), (_, box_expected) in zip(placed_chars, expected_chars, strict=True):
            assert box == pytest.approx(box_expected, abs=0.05)
        images = [document[number].render(scale=100 / 72).to_pil().convert("L") for document in (placed, expected)]
        differ = ImageChops.difference(*images).point(lambda value: 255 if value > 64 else 0)
        assert differ.histogram()[255] < 40  # the same drawing, but for a glyph's edge
    assert outline_of(pdf) == outline_of(whole)
    # The pairs' copies are made from the same layout: the guide's rest, laid out once.
    assert not own_page or "Ce qui a changé" not in pdf_text(fixture_guides[0] / "field" / "enquete-24-mai"
                                                               / "guides-binome-1.pdf")


def test_a_change_list_longer_than_a_page_is_laid_out_with_the_guide(make_kit, tmp_path):
    """Placed apart, a change list of several pages would need its own page breaks: the guide is
    then laid out whole, as before."""
    changes = "".join(f"  - Changement numéro {n} apporté au guide après le débrief de l'équipe.\n" for n in range(90))
    root = make_kit({"content/guides/court.yaml": RDV_SHORT_WITH_CHANGES.split("changes:")[0] + "changes:\n" + changes})
    build(root, jobs=1)
    pdf = (root / "output" / "guides" / "court.pdf").read_bytes()
    whole = laid_out_whole(root, "court", tmp_path / "cache")
    assert len(pdf_pages_of(pdf)) == len(pdf_pages_of(whole)) >= 3
    assert "Changement numéro 89" in pdf_pages_of(pdf)[-1]


def test_the_guide_and_its_pairs_copies_lay_its_questions_out_once(tmp_path, monkeypatch):
    """The facilitators' guide without its change list is the pairs' blank master: one layout, in
    the cache, for the guide and all its copies."""
    from kit import documents

    root = copy_fixture_kit(tmp_path / "kit")
    laid_out = []
    layout = documents.layout_document

    def counted(html, *args, **kwargs):
        laid_out.append(html)
        return layout(html, *args, **kwargs)

    monkeypatch.setattr(documents, "layout_document", counted)
    build(root, only=["content/guides/rendez-vous.yaml"], jobs=1)
    assert len([html for html in laid_out if 'class="flow-end"' in html]) == 1
    assert len([html for html in laid_out if 'class="changes"' in html]) == 1  # the change list, alone
    assert (root / "output" / "guides" / "rendez-vous.pdf").is_file()
    assert len(list((root / "output" / "field" / "enquete-24-mai").glob("guides-binome-*.pdf"))) == 8


def characters(page) -> list[tuple[str, tuple[float, ...]]]:
    """A page's characters with their boxes, in points, sorted by character then place."""
    text = page.get_textpage()
    found = [(text.get_text_range(index, 1), text.get_charbox(index)) for index in range(text.count_chars())]
    return sorted(((c, box) for c, box in found if not c.isspace()), key=lambda item: (item[0], -item[1][1], item[1][0]))


def outline_of(pdf: bytes) -> list[tuple]:
    """The bookmarks: (depth, title, page, top rounded to the point)."""
    import io

    reader, found = PdfReader(io.BytesIO(pdf)), []

    def walk(items, depth=0):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item), round(float(item.top))))
    walk(reader.outline)
    return found


def pdf_pages_of(pdf: bytes) -> list[str]:
    import io

    return [(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


RDV_WITHOUT_CHANGES = """\
title: Court entretien
mode: rendez-vous
sections:
  - title: Le quotidien
    goal: Comprendre une journée.
    questions:
      - ask: Racontez-nous votre journée d'hier.
        probes: [À quel moment avez-vous dû courir ?]
        notes: 3 cm
"""


# The same short guide with a version, a debrief and a change list that fits after it.
RDV_SHORT_WITH_CHANGES = RDV_WITHOUT_CHANGES.replace("mode: rendez-vous\n", 'mode: rendez-vous\nversion: "1.1"\n') + """\
debrief:
  - Relire nos notes à deux dans l'heure
  - Un besoin par post-it
changes:
  - Nouvelle relance sur la pause de midi.
  - Le consentement précise que nous n'enregistrons pas.
"""


def long_guide(sections: int, questions: int, lines: int) -> str:
    parts = []
    for s in range(1, sections + 1):
        items = "".join(
            f"      - ask: Question {s}.{q} sur une situation vécue entre travail et maison ?\n"
            f"        probes: [Relance {s}.{q} pour aller plus loin ?]\n"
            f"        listen: [le besoin {s}.{q}]\n"
            f"        notes: {lines}\n" for q in range(1, questions + 1))
        parts.append(f"  - title: Partie numéro {s}\n    goal: Objectif {s}.\n    time: 10 min\n    questions:\n{items}")
    return "title: Long entretien\nmode: rendez-vous\nsections:\n" + "".join(parts)


def test_questions_never_split_from_notes_and_headings_never_end_a_page(make_kit, tmp_path):
    root = make_kit({"content/guides/long.yaml": long_guide(sections=5, questions=3, lines=7)})
    build(root, tmp_path / "out", jobs=1)
    pdf = tmp_path / "out" / "guides" / "long.pdf"
    guide = load_kit(root).of("guides")["long"]
    pages = pdf_pages(pdf)
    assert len(pages) >= 4                              # enough pages for breaks to be tested
    assert_questions_kept_with_notes(pdf, guide)
    for number in range(1, 6):                          # a heading's page also holds its first question
        heading = page_of(pages, squash(f"Partie numéro {number}"))
        assert page_of(pages, squash(f"Question {number}.1 sur")) == heading


def test_english_labels(make_kit, tmp_path):
    config = MINIMAL_CONFIG.replace("language: fr", "language: en")
    root = make_kit({"content/guides/en.yaml": RDV_WITHOUT_CHANGES}, config=config)
    build(root, tmp_path / "out", jobs=1)
    text = pdf_text(tmp_path / "out" / "guides" / "en.pdf")
    for label in ("Interview guide", "Pair", "Role of the person met", "↳ Probe", "METHOD REMINDER"):
        assert label in text, label
    assert "Relance" not in text


# -- per-pair copies ---------------------------------------------------------------------------

def test_each_pair_copy_has_its_header_filled_from_the_field_plan(fixture_guides):
    out, content = fixture_guides
    if not content.of("field"):
        pytest.skip("the kit has no field plan (content/field/) to merge the copies from")
    from kit.labels import Labels

    labels = Labels("fr")
    guides = content.of("guides")
    checked = 0
    for plan_id, field_plan in content.of("field").items():
        for pair_id, pair in field_plan.pairs.items():
            slots = [s for s in field_plan.slots_of(pair_id) if s.guide in guides and not guides[s.guide].on_the_fly]
            path = out / "field" / plan_id / f"guides-binome-{pair_id}.pdf"
            if not slots:
                assert not path.exists()
                continue
            pages = pdf_pages(path)
            starts = [i for i, p in enumerate(pages) if re.search(r"page 1 / \d+", p)]
            assert len(starts) == len(slots)               # one copy per rendez-vous slot, numbered alone
            for start, slot in zip(starts, slots, strict=True):
                header = squash(pages[start])
                *others, last = pair.members
                assert printed(f"{', '.join(others)} et {last}") in header
                assert printed(field_plan.sites[slot.site].name) in header
                assert squash(labels.date(field_plan.date)) in header
                assert squash(f"{slot.start // 60}:{slot.start % 60:02d} – {slot.end // 60}:{slot.end % 60:02d}") in header
                checked += 1
    assert checked >= 2


# -- in the street: the pocket card's note side, its type, its duration --------------------------

def back_texts(pdf: Path, duplex: str = "long") -> list[str]:
    """The text behind each card, where kit.imposition puts its back for the duplex flip."""
    from kit.imposition import backs

    document = pdfium.PdfDocument(str(pdf))
    page = document[1]
    textpage = page.get_textpage()
    sheet = pocket_sheet(page.get_size())
    texts = [textpage.get_text_bounded(r.x, r.y, r.right, r.top) for r in backs(sheet, duplex)]
    document.close()
    return texts


def test_the_note_side_is_behind_each_card_with_who_was_met_needs_and_ideas_apart(fixture_guides):
    from kit.imposition import backs
    from pdf_measure import strokes

    out, _ = fixture_guides
    pdf = out / POCKET_PATH
    for text in back_texts(pdf):
        flat = squash(text)
        for label in ("Notesdelarencontre", "Quiavonsnousrencontré", "Métier,poste", "Site,service",
                      "Horairesdetravail", "CEQUICOINCE:LESBESOINS", "IDÉESDESERVICESENTENDUES"):
            assert label.lower() in flat.lower(), label
        assert flat.lower().index("besoins") < flat.lower().index("idéesdeservices")
        assert "version1.0·23mai2019" in flat
    sheet = pocket_sheet(A4)
    rules = [r for r in strokes(pdf, 1) if r.horizontal]
    for trim in backs(sheet, "long"):
        inside = sorted((r for r in rules if trim.x <= r.left and r.right <= trim.right and trim.y <= r.bottom <= trim.top),
                        key=lambda r: -r.bottom)
        assert len(inside) >= 3 + 9                    # three fill-in lines, then lines to write on
        writing = [r for r in inside if r.right - r.left > 0.9 * (trim.w - 2 * SAFE_MM * MM)]
        pitches = [a.bottom - b.bottom for a, b in pairwise(writing)]
        assert min(pitches) >= 7 * MM - POINT_TOLERANCE          # a handwriting line, not a squeeze
        written = sum(p for p in pitches if p < 8 * MM) + 7 * MM
        assert written >= 60 * MM, written / MM                  # was ~14 mm under the questions


def test_the_note_sides_follow_the_duplex_flip(make_kit, tmp_path):
    from kit.imposition import backs

    root = make_kit({"content/guides/a-la-volee.yaml": (Path(__file__).parent / "fixtures/comptoir/content/guides/"
                                                       "a-la-volee.yaml").read_text(encoding="utf-8")},
                    config=MINIMAL_CONFIG + "print:\n  duplex: short\n  back_offset: {x: 1.5, y: -1}\n")
    build(root, tmp_path / "out", jobs=1)
    pdf = tmp_path / "out" / POCKET_PATH
    document = pdfium.PdfDocument(str(pdf))
    textpage = document[1].get_textpage()
    sheet = pocket_sheet(A4)
    for box in backs(sheet, "short", (1.5, -1.0)):
        # Turned about the short edge, the card reads upside down on the page: its title at the bottom.
        text = squash(textpage.get_text_bounded(box.x, box.y, box.right, box.y + 20 * MM))
        assert "Notesdelarencontre".lower() in text.lower()
    document.close()


def test_nothing_on_a_pocket_card_is_set_below_8_pt_even_when_the_guide_is_long(make_kit, tmp_path):
    from pdf_measure import min_type_size

    questions = "".join(f'  - ask: "Question {n} : une situation vécue récemment, entre le travail et la maison, '
                        f'racontée en détail ?"\n    probes: ["Quand ?", "Avec qui, et qu\'est-ce que ça a coûté ?"]\n'
                        for n in range(1, 6))
    root = make_kit({"content/guides/v.yaml": f"title: Assez long\nmode: à la volée\nduration: 5\nquestions:\n{questions}"})
    build(root, tmp_path / "out", jobs=1)
    size, where = min_type_size(tmp_path / "out" / POCKET_PATH)
    assert size >= 8.0, where


def test_the_card_prints_its_duration_from_duration_only(fixture_guides, make_kit):
    out, _ = fixture_guides
    assert all("ÀLAVOLÉE·5MIN" in squash(t) for t in card_texts(out / POCKET_PATH))
    root = make_kit({"content/guides/v.yaml": """\
        title: Deux minutes au café
        mode: à la volée
        duration: 5 min
        hook: Vous avez 5 minutes ?
        questions:
          - {ask: Un ?, probes: [a]}
          - {ask: Deux ?, probes: [b]}
          - {ask: Trois ?, probes: [c]}
        """})
    assert [str(w) for w in load_kit(root).warnings] == [
        'content/guides/v.yaml:1: title: expected no other duration than duration: (5 min, printed in the header), '
        'got "Deux minutes" in the title; write the duration once, in duration:']


def test_the_shipped_pocket_card_says_its_duration_once(tmp_path):
    from conftest import DEFAULT_KIT, copy_kit

    root = copy_kit(DEFAULT_KIT, tmp_path / "kit")
    guide = load_kit(root).of("guides")["a-la-volee"]
    assert guide.duration and not re.search(r"minute", guide.title + (guide.hook or ""), re.IGNORECASE)


# -- rendez-vous: the header in its column, versions on the pairs' copies --------------------------

def test_the_rendez_vous_header_stays_in_the_text_column(fixture_guides):
    from pdf_measure import strokes

    out, _ = fixture_guides
    left, right = 16 * MM, A4[0] - 16 * MM                       # kit/templates/base.css page margins
    for pdf in (out / "guides" / "rendez-vous.pdf", next((out / "field").glob("*/guides-binome-*.pdf"))):
        drawn = strokes(pdf, 0)
        assert drawn
        assert max(s.right for s in drawn) <= right + POINT_TOLERANCE          # was 10 mm past it
        assert min(s.left for s in drawn) >= left - POINT_TOLERANCE
        # weasyprint draws each fill-in field's rule as its box: six, two a row, the right ones ending
        # at the column's edge.
        fields = [s for s in drawn if s.bottom > A4[1] - 100 * MM and s.right - s.left > 60 * MM and s.top - s.bottom < 10 * MM]
        assert len(fields) == 6 and max(s.right for s in fields) == pytest.approx(right, abs=1)


HISTORY_GUIDE = """\
title: Entretien
mode: rendez-vous
sections:
  - title: Le quotidien
    questions:
      - ask: Racontez-nous votre journée d'hier.
        probes: [À quel moment avez-vous dû courir ?]
        notes: 3
changes:
  - version: "1.1"
    date: 2019-05-27
    changes: [Nouvelle relance sur la pause de midi.]
  - version: "1.0"
    date: 2019-05-23
    changes: [Première version.]
"""

HISTORY_PLAN = """\
title: Terrain
date: {date}
sites:
  belin: {{name: Espace Belin, mode: rendez-vous}}
pairs:
  1: [Véronique, Karim]
slots:
  - {{time: "9:00", duration: 45, site: belin, pair: 1}}
  - {{time: "10:00", duration: 45, site: belin, pair: 1}}
"""


@pytest.mark.parametrize("day, version", [("2019-05-24", "version 1.0 · 23 mai 2019"),
                                          ("2019-05-27", "version 1.1 · 27 mai 2019")])
def test_a_pair_copy_carries_the_version_in_force_on_its_day_and_no_change_list(make_kit, tmp_path, day, version):
    root = make_kit({"content/guides/entretien.yaml": HISTORY_GUIDE,
                     "content/field/terrain.yaml": HISTORY_PLAN.format(date=day)})
    guide = load_kit(root).of("guides")["entretien"]
    assert (guide.version, str(guide.date)) == ("1.1", "2019-05-27")       # the newest entry's
    summary = build(root, tmp_path / "out", jobs=1)
    assert not summary.warnings
    pages = pdf_pages(tmp_path / "out" / "field" / "terrain" / "guides-binome-1.pdf")
    assert len(pages) == 2                                                  # two copies, one page each
    for text in pages:
        assert version in text and "page 1 / 1" in text
        assert "Ce qui a changé" not in text
    facilitators = pdf_pages(tmp_path / "out" / "guides" / "entretien.pdf")
    assert all("version 1.1 · 27 mai 2019" in p for p in facilitators)
    last = facilitators[-1]
    assert "Ce qui a changé dans la version 1.1 · 27 mai 2019" in last
    assert "Ce qui a changé dans la version 1.0 · 23 mai 2019" in last
    assert last.index("version 1.1 ·") < last.index("dans la version 1.0")


def test_copies_of_one_blank_guide_each_carry_their_own_values_and_share_the_rest(make_kit, tmp_path):
    """The pair's two rendez-vous are two copies of one blank guide (kit.render.copies): each page has
    its own text layer, and the blank guide's fonts and drawing are stored once for both."""
    day = "2019-05-24"
    sizes = {}
    for slots in (1, 2):
        plan = HISTORY_PLAN.format(date=day)
        if slots == 1:
            plan = plan.replace('  - {time: "10:00", duration: 45, site: belin, pair: 1}\n', "")
        root = make_kit({"content/guides/entretien.yaml": HISTORY_GUIDE, "content/field/terrain.yaml": plan})
        build(root, tmp_path / f"out{slots}", jobs=1)
        path = tmp_path / f"out{slots}" / "field" / "terrain" / "guides-binome-1.pdf"
        sizes[slots] = path.stat().st_size
    pages = pdf_pages(path)
    assert len(pages) == 2
    assert pages[0].count("9:00 – 9:45") == 1 and "10:00" not in pages[0]  # its own values, once
    assert pages[1].count("10:00 – 10:45") == 1 and "9:00" not in pages[1]
    assert sizes[2] < 1.3 * sizes[1], sizes  # the second copy adds its text layer, not a second guide


def test_copies_dated_before_every_version_are_a_warning(make_kit, tmp_path):
    root = make_kit({"content/guides/entretien.yaml": HISTORY_GUIDE,
                     "content/field/terrain.yaml": HISTORY_PLAN.format(date="2019-05-20")})
    summary = build(root, tmp_path / "out", jobs=1)
    assert [str(w) for w in summary.warnings] == [
        'content/field/terrain.yaml:2: date: expected a version of guide "entretien" in force on 20 May 2019 '
        '(its changes: start with 1.0 of 23 May 2019), got none; its copies for that day carry the current '
        'version, 1.1']


def test_a_history_that_contradicts_version_or_repeats_itself_is_an_error(make_kit):
    broken = HISTORY_GUIDE.replace('title: Entretien\n', 'title: Entretien\nversion: "1.2"\n').replace(
        '  - version: "1.0"', '  - version: "1.1"')
    problems = problems_of(make_kit, {"content/guides/e.yaml": broken})
    assert sorted(problems) == [
        'content/guides/e.yaml:14: changes[1].version: expected each version once in changes:, got "1.1" again (line 11)',
        'content/guides/e.yaml:2: version: expected the newest version of changes: ("1.1", line 11), got "1.2"; '
        'write the version once, in changes:']
