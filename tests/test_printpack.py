"""The session print pack, read back from the PDFs: badges per participant, the print list's rows
against the files they name, the binder's pages (each copy on a recto), the terminal list, and the
session sheets (strategy canvas, debrief sheet, the note that names no service idea)."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from conftest import FIXTURE_KIT, copy_kit, pdf_pages, pdf_text
from kit.build import build
from kit.cli import main
from kit.content import load_kit
from kit.generators import GENERATORS
from kit.manifest import Manifest
from kit.generators.printpack import (APART, BINDER, SEND, SHOP, binder_layout, other_outputs, pack_parts,
                                      read_rows)

NEWCOMERS = ["Véronique", "Pascale", "Hélène"]
AMBASSADORS = ["Mehdi", "Julien", "Sophie", "Karim", "Nadia", "Thomas", "Claire", "Laurent", "Aïcha", "Marc",
               "Inès", "Camille", "Yann"]
RESIDENTS = ["Joana", "Lucie", "Antoine"]
PEOPLE = ("participants:\n" + "".join(f"  - {{name: {n}, role: résident}}\n" for n in RESIDENTS)
          + "".join(f"  - {{name: {n}, role: nouvelle}}\n" for n in NEWCOMERS)
          + "".join(f"  - {n}\n" for n in AMBASSADORS))
SESSION_08 = PEOPLE + """groups: 3
pairs: 8
debrief_sheet: true
announcement:
  to: Chefs de service
  from: La Transfo
  text: Des binômes d'agents viendront écouter vos équipes parler de leur quotidien.
"""
SESSION_07 = PEOPLE + "groups: 3\nstrategy_canvas:\n  profiles: [horaires décalés, métiers de terrain]\n  rows: 5\n"


def with_people(root):
    """The frozen fixture kit with participants and the session sheets added to its sessions."""
    for name, extra in (("session-08", SESSION_08), ("session-07", SESSION_07)):
        path = root / f"content/sessions/{name}.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def packed(tmp_path_factory):
    root = with_people(copy_kit(FIXTURE_KIT, tmp_path_factory.mktemp("pack") / "kit"))
    build(root, jobs=2)
    return root


def parts_and_rows(root, session="session-08"):
    content = load_kit(root)
    parts = pack_parts(content, content.sessions[session], other_outputs(content))
    return content, parts, read_rows(parts, content.config.paper, lambda path: root / "output" / path)


def test_copies_follow_the_participants_groups_and_pairs(fixture_kit):
    content = load_kit(with_people(fixture_kit))
    parts = {p.path: p for p in pack_parts(content, content.sessions["session-08"], other_outputs(content))}
    assert parts["session-08/programme.pdf"].copies == len(AMBASSADORS)
    assert parts["session-08/programme-nouveaux.pdf"].copies == len(NEWCOMERS)
    assert parts["session-08/deroule-animateurs.pdf"].copies == len(RESIDENTS)
    assert parts["worksheets/fiche-service.pdf"].copies == 8            # one per pair (dérive créative)
    assert parts["decks/starters-images.pdf"].copies == 3               # one deck per group
    assert parts["worksheets/plateau-photos-debat.pdf"].copies == 3     # the format's count: 3
    assert parts["guides/cartes-de-poche.pdf"].copies == 5              # 19 people, four cards a sheet
    assert parts["session-08/badges.pdf"].sides == "simplex"
    assert parts["decks/starters-images-imprimeur.pdf"].place == SHOP
    assert parts["decks/calibration.pdf"].place == APART
    assert parts["session-08/note-chefs-de-service.pdf"].place == SEND
    assert all(f"field/enquete-24-mai/guides-binome-{n}.pdf" in parts for n in range(1, 9))
    # print order: badges, agendas, then the materials as the day uses them
    order = list(parts)
    assert order[:4] == ["session-08/badges.pdf", "session-08/deroule-animateurs.pdf", "session-08/programme.pdf",
                         "session-08/programme-nouveaux.pdf"]
    assert order.index("decks/starters-images.pdf") < order.index("decks/photos-debat.pdf") \
        < order.index("field/enquete-24-mai/missions.pdf")


def test_a_session_without_participants_has_no_print_pack(fixture_kit):
    content = load_kit(fixture_kit)
    kinds = {o.kind for g in GENERATORS.values() for o in g.outputs(content)}
    assert not kinds & {"print-list", "binder", "badges"}


def test_binder_layout_starts_every_copy_on_a_recto():
    entries, total = binder_layout([("list", 1, 1, False), ("a", 3, 2, False), ("b", 2, 1, False),
                                    ("badges", 2, 1, True)])
    assert [(e.path, e.first_page) for e in entries] == [("list", 1), ("a", 3), ("a", 7), ("b", 11), ("badges", 13)]
    assert all(e.first_page % 2 == 1 for e in entries)
    assert entries[-1].blanks_after == (1, 2) and total == 16


def test_badges_one_per_participant_with_the_survey_pair(packed):
    path = packed / "output/session-08/badges.pdf"
    pages = pdf_pages(path)
    people = RESIDENTS + NEWCOMERS + AMBASSADORS
    assert len(pages) == -(-len(people) // 8)
    text = "\n".join(pages)
    for name in people:
        assert len(re.findall(rf"(?m)^{name}$", text)) == 1, name
    assert "Binôme 1 · vendredi 24 mai 2019" in text  # Véronique's pair on the field plan
    assert text.count("NOUVELLE RECRUE") == len(NEWCOMERS)


def test_the_print_list_rows_match_the_files(packed):
    _, parts, rows = parts_and_rows(packed)
    reader = PdfReader(packed / "output/session-08/a-imprimer.pdf")
    assert len(reader.pages) == 1
    text = pdf_text(packed / "output/session-08/a-imprimer.pdf")
    for row in rows:
        pdf = PdfReader(packed / "output" / row.part.path)
        found = re.search(re.escape(row.part.path) + r"\s+(\S+)\s+(.+?)\s+(?:100 %\s+)?(\d+)\s+(\d+)\s*$", text, re.M)
        assert found, row.part.path
        paper, _, copies, pages = found.groups()
        assert int(pages) == len(pdf.pages), row.part.path
        assert int(copies) == row.part.copies
        assert paper == row.paper
    binder = PdfReader(packed / "output/session-08/classeur.pdf")
    assert f"{len(binder.pages)} pages, {len(binder.pages) // 2} feuilles" in text
    # Every title whole: a long one wraps in its cell, it is not cut off under the file's name.
    words = set(text.replace("\u202f", " ").replace("\u00a0", " ").split())
    for row in rows:
        assert set(row.part.title.replace("\u202f", " ").replace("\u00a0", " ").split()) <= words, row.part.title


def test_the_binder_holds_every_home_part_each_copy_on_a_recto(packed):
    content, parts, rows = parts_and_rows(packed)
    binder = PdfReader(packed / "output/session-08/classeur.pdf")
    entries, total = binder_layout([("session-08/a-imprimer.pdf", 1, 1, False)]
                                   + [(r.part.path, r.pages, r.part.copies, r.sides == "simplex")
                                      for r in rows if r.place == BINDER])
    assert len(binder.pages) == total and total % 2 == 0
    assert {r.part.path for r in rows if r.place == BINDER} >= {"session-08/programme.pdf", "decks/photos-debat.pdf"}
    assert not {r.part.path for r in rows if r.place == BINDER} & {"worksheets/affiches-themes.pdf",
                                                                  "decks/photos-debat-imprimeur.pdf"}  # A3, shop
    texts = [(page.extract_text() or "") for page in binder.pages]
    for entry in entries:
        assert entry.first_page % 2 == 1
        part = PdfReader(packed / "output" / entry.path)
        assert texts[entry.first_page - 1] == (part.pages[0].extract_text() or ""), (entry.path, entry.copy)
        for after in entry.blanks_after:  # blank versos carry nothing
            # 0-based index of the blank: after page k, itself at 2k-2 (one-sided) or k-1 past the start
            index = entry.first_page - 1 + (2 * after - 1 if entry.simplex else after)
            assert texts[index] == "", (entry.path, entry.copy, after)
    for page in binder.pages:
        assert abs(float(page.mediabox.width) - 595.3) < 1 or abs(float(page.mediabox.height) - 595.3) < 1  # A4


def test_a_changed_part_renders_the_list_and_the_binder_again(packed, tmp_path):
    root = tmp_path / "kit"
    shutil.copytree(packed, root)
    guide = root / "content/guides/rendez-vous.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("En quelques mots", "En deux mots", 1), encoding="utf-8")
    summary = build(root, jobs=2)
    rendered = {r.path for r in summary.of("rendered")}
    assert {"guides/rendez-vous.pdf", "session-08/classeur.pdf", "session-08/a-imprimer.pdf"} <= rendered
    again = build(root, jobs=2)
    assert not again.of("rendered")


def _rebuild(root, tmp_path):
    """Build the edited kit, counting how often each output was rendered; and a clean build of it."""
    counts: dict[str, int] = {}
    summary = build(root, jobs=2, progress=lambda report: counts.__setitem__(report.path, counts.get(report.path, 0) + 1))
    build(root, tmp_path / "clean", jobs=2)
    return summary, counts


def test_a_part_whose_pages_stay_renders_the_binder_not_the_list(packed, tmp_path):
    """The list reads only its parts' pages and papers: a pictogram drawn again changes the part and
    the binder that holds it, not the list."""
    root = tmp_path / "kit"
    shutil.copytree(packed, root)
    manifest = Manifest.load(root / "output/.cache")
    parts = [key[len("output:"):] for key in manifest.entries["session-08/classeur.pdf"].inputs
             if key.startswith("output:")]
    part, image = next((part, key[len("file:"):]) for part in parts for key in manifest.entries[part].inputs
                       if key.startswith("file:images/"))
    picture = root / image
    drawing, recoloured = re.subn(r"#[0-9A-Fa-f]{6}", "#123456", picture.read_text(encoding="utf-8"), count=1)
    assert recoloured, image
    picture.write_text(drawing, encoding="utf-8")
    summary, _ = _rebuild(root, tmp_path)
    rendered = {r.path for r in summary.of("rendered")}
    assert {part, "session-08/classeur.pdf"} <= rendered
    assert "session-08/a-imprimer.pdf" not in rendered


def test_the_list_renders_beside_its_parts_once_when_their_pages_stay(packed, tmp_path):
    root = tmp_path / "kit"
    shutil.copytree(packed, root)
    session = root / "content/sessions/session-08.yaml"
    session.write_text(session.read_text(encoding="utf-8").replace('title: "Session 8', 'title: "Session 8 bis', 1),
                       encoding="utf-8")
    summary, counts = _rebuild(root, tmp_path)
    assert counts["session-08/a-imprimer.pdf"] == 1
    assert "Session 8 bis" in pdf_pages(root / "output/session-08/classeur.pdf")[0]  # the binder opens on the new list
    for name in ("a-imprimer.pdf", "classeur.pdf"):
        assert (root / "output/session-08" / name).read_bytes() == (tmp_path / "clean/session-08" / name).read_bytes()


def test_a_session_title_edit_lays_out_the_lists_header_not_its_page(packed, tmp_path, monkeypatch):
    """The list names the session's first day in its body and the session's title in its running
    header: a new title lays out the header (kit.stamps), not the page of rows again."""
    from kit import documents
    from conftest import is_page_stamp

    root = tmp_path / "kit"
    shutil.copytree(packed, root)
    listed = pdf_pages(root / "output/session-08/a-imprimer.pdf")[0]
    assert "Pour la session du jeudi 23 mai 2019" in listed and "Session 8" in listed
    build(root, jobs=1, force=True)  # the layout cache is by kit folder: fill it for this copy
    laid_out = []
    original = documents._lay_out
    monkeypatch.setattr(documents, "_lay_out", lambda htmls, *args: laid_out.append(htmls) or original(htmls, *args))
    session = root / "content/sessions/session-08.yaml"
    session.write_text(session.read_text(encoding="utf-8").replace('title: "Session 8', 'title: "Session 8 bis', 1),
                       encoding="utf-8")
    summary = build(root, jobs=1)
    assert "session-08/a-imprimer.pdf" in {r.path for r in summary.of("rendered")}
    assert not [htmls for htmls in laid_out if 'class="printlist"' in htmls[0] and not is_page_stamp(htmls)]
    assert any('class="printlist"' in htmls[0] for htmls in laid_out)  # its stamp
    assert "Session 8 bis" in pdf_pages(root / "output/session-08/a-imprimer.pdf")[0]


def test_the_list_renders_again_when_a_part_gains_pages(packed, tmp_path):
    """Rendered beside its parts with their pages of the last build, the list is rendered again once
    a part turns out longer: it then counts the new pages, like a clean build."""
    root = tmp_path / "kit"
    shutil.copytree(packed, root)
    pages_before = len(PdfReader(root / "output/session-08/programme-nouveaux.pdf").pages)
    session = root / "content/sessions/session-08.yaml"
    welcome = "Bienvenue **Véronique, Pascale et Hélène** !"
    long = welcome + " " + " ".join(["Une phrase de plus pour la page d'accueil des nouveaux."] * 120)
    session.write_text(session.read_text(encoding="utf-8").replace(welcome, long, 1), encoding="utf-8")
    summary, counts = _rebuild(root, tmp_path)
    assert len(PdfReader(root / "output/session-08/programme-nouveaux.pdf").pages) > pages_before
    assert counts["session-08/a-imprimer.pdf"] == 2
    assert "the pages of output/session-08/programme-nouveaux.pdf" in next(
        r.reason for r in summary.outputs if r.path == "session-08/a-imprimer.pdf")
    for name in ("a-imprimer.pdf", "classeur.pdf"):
        assert (root / "output/session-08" / name).read_bytes() == (tmp_path / "clean/session-08" / name).read_bytes()


def test_kit_build_session_prints_the_same_list(packed):
    _, _, rows = parts_and_rows(packed)
    result = CliRunner().invoke(main, ["build", "--kit", str(packed), "--session", "session-08", "-j", "2"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("  [ ] ")]
    assert [line.split()[2] for line in lines[1:]] == [r.part.path for r in sorted(
        rows, key=lambda r: (BINDER, APART, SHOP, SEND).index(r.place))]
    assert "session-08/classeur.pdf" in lines[0]


def test_session_sheets(packed):
    canvas = packed / "output/session-07/canevas-strategie.pdf"
    assert len(PdfReader(canvas).pages) == 1
    text = pdf_text(canvas)
    assert "Qui rencontrer ?" in text and "Pourquoi eux ?" in text and "horaires décalés" in text
    assert text.count("rendez-vous") >= 5
    debrief = pdf_text(packed / "output/session-08/fiche-debrief.pdf")
    assert "Photos débat" in debrief and "Entretien sur rendez-vous" in debrief
    assert "content/guides/rendez-vous.yaml" in debrief  # where the changes go
    note = pdf_text(packed / "output/session-08/note-chefs-de-service.pdf")
    assert "vendredi 24 mai 2019" in note and "Médiathèque Malraux" in note


def test_a_note_that_names_a_service_idea_is_a_warning(fixture_kit):
    root = with_people(fixture_kit)
    path = root / "content/sessions/session-08.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "parler de leur quotidien.", "parler de leur quotidien, du panier maraîcher par exemple."), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--kit", str(root)])
    assert result.exit_code == 0
    assert "announcement.text" in result.output and "Panier maraîcher" in result.output


def test_badge_bands_are_readable(fixture_kit):
    from kit.colours import contrast_ratio
    from kit.generators.session_sheets import role_bands
    from kit.theme import Theme

    for greyscale in (False, True):
        theme = Theme.from_config(load_kit(fixture_kit).config, greyscale=greyscale)
        for background, text in role_bands(theme).values():
            assert contrast_ratio(background, text) >= 4.5


def test_outputs_a_print_list_is_made_from_render_first_and_the_list_before_the_rest(fixture_kit):
    """On several cores a session's print list and binder wait for every part they list: those parts
    go first, then the list as soon as it can, while the outputs no list reads fill the other
    cores; they are not left to render alone at the end. Costs known from the last build reorder."""
    from kit.build import _ranks
    from kit.manifest import Entry
    from kit.plan import plan

    outputs = plan(load_kit(with_people(fixture_kit)), GENERATORS).outputs
    ranks = _ranks(outputs, set(), Manifest())  # a cold build: no cost known
    order = [o.path for o in sorted(outputs, key=lambda o: ranks[o.path])]
    listed = {p for o in outputs if o.kind in ("print-list", "binder") for p in o.made_from}
    lists = [o.path for o in outputs if o.kind == "print-list"]
    loose = [o.path for o in outputs if o.path not in listed and o.kind not in ("print-list", "binder")]
    assert listed and lists and loose
    parts_of_08 = next(o.made_from for o in outputs if o.path == "session-08/a-imprimer.pdf")
    assert max(order.index(p) for p in parts_of_08) < order.index("session-08/a-imprimer.pdf") < min(
        order.index(p) for p in loose)
    assert order.index("session-08/a-imprimer.pdf") < order.index("session-08/classeur.pdf")
    # A loose output that cost more than a part's whole chain goes before it.
    manifest = Manifest()
    slow = loose[0]
    manifest.entries[slow] = Entry("deck", "", {}, {}, 1, [], 9.0, cost=9.0)
    ranks = _ranks(outputs, set(), manifest)
    assert min(outputs, key=lambda o: ranks[o.path]).path == slow
