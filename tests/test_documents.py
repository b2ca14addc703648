"""kit.documents: kit's fonts are parsed once per build, a template's style sheet once per process
(or before any build, by kit's warm process), and that changes no byte; a document's page stamp is
laid out apart from its body and drawn over it (kit.stamps), the pixels those of the document laid
out whole, so an edit of the stamp alone lays out no body again."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import FIXTURE_KIT, REPO, is_page_stamp
from kit import documents
from kit.build import build
from kit.documents import render_pdf

PAGE = """<!DOCTYPE html><html><head>
<title>{title}</title>
<style id="kit-page">@page {{ size: A6; }}</style>
<style id="kit-stamp">@page {{ @top-left {{ content: "{stamp}"; }} @bottom-right {{ content: "page " counter(page) " / " counter(pages); }} }}</style>
<style id="kit-fonts">{fonts}</style>
<style id="kit-shared">{shared}</style>
</head><body><h1>{title}</h1><p>Un paragraphe en Inter, avec des accents : été, çà, œuvre.</p></body></html>"""

SHARED = ("body { font-family: Inter; } h1 { color: #1d4e89; }"
          " @page { @top-left { font-family: Inter; } @bottom-right { font-family: Inter; } }")


def page(title: str, stamp: str = "Comptoir", shared: str = SHARED) -> str:
    return PAGE.format(title=title, stamp=stamp, shared=shared, fonts=documents.font_face_css())


def fonts_of(pdf: bytes) -> set[str]:
    import io

    names = set()
    for pdf_page in PdfReader(io.BytesIO(pdf)).pages:
        for font in pdf_page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def count_parses(monkeypatch) -> list[str]:
    """The text of each weasyprint.CSS parse from now on."""
    weasyprint, _ = documents._weasyprint()
    parsed = []
    original = weasyprint.CSS

    class Counting(original):
        def __init__(self, *args, string=None, **kwargs):
            parsed.append(string)
            super().__init__(*args, string=string, **kwargs)

    monkeypatch.setattr(weasyprint, "CSS", Counting)
    return parsed


def kinds(parsed: list[str]) -> list[str]:
    """What each parse of test_documents' pages was: kit's fonts, a page stamp, a paper size or the template sheet."""
    return ["fonts" if "font-face" in text else "stamp" if "content" in text else "paper" if "size" in text
            else "template" for text in parsed]


def test_fonts_are_parsed_once_per_build_other_sheets_once_and_the_stamp_for_each_document(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "_shared", None)
    monkeypatch.setattr(documents, "_standalone_sheets", {})
    parsed = count_parses(monkeypatch)
    for title in ("Premier", "Deuxième", "Troisième"):
        render_pdf(page(title, stamp=title), tmp_path)
    # The paper, the fonts and the template sheet once; each document's page stamp (laid out apart).
    assert kinds(parsed) == ["paper", "fonts", "template", "stamp", "stamp", "stamp"]
    render_pdf(page("Autre gabarit", shared=SHARED + " h1 { color: #b5651d; }"), tmp_path)
    assert kinds(parsed[-2:]) == ["template", "stamp"]
    monkeypatch.setattr(documents, "_shared", None)  # a new build: its fonts are registered again
    render_pdf(page("Nouvelle construction"), tmp_path)
    assert kinds(parsed[-2:]) == ["fonts", "stamp"]


def test_a_warm_process_parses_every_template_sheet_before_any_build(tmp_path, monkeypatch):
    """Each template's sheet text, as kit.documents computes it ahead, is the one its documents
    carry: a fork of kit's warm process parses none of them again, only kit's fonts, the theme,
    the papers, the documents' page stamps and their own additions."""
    root = tmp_path / "kit"
    shutil.copytree(FIXTURE_KIT, root)
    sheets: dict[str, set[str]] = {}
    original = documents._style_sheets

    def seen(html, base_url, fetcher):
        for match in documents._KIT_STYLE.finditer(html):
            sheets.setdefault(match.group(1), set()).add(match.group(2))
        return original(html, base_url, fetcher)

    monkeypatch.setattr(documents, "_style_sheets", seen)
    build(root, jobs=1)
    ahead = {name: documents.template_sheet_text(name) for name in documents.environment().list_templates(extensions=["j2"])}
    assert None not in ahead.values()  # no template's `css` block reads a document's data (that is `own_css`)
    assert sheets["shared"] and sheets["shared"] <= set(ahead.values())
    assert len(sheets["fonts"]) == 1 and len(sheets["theme"]) == 1

    monkeypatch.setattr(documents, "_standalone_sheets", {})
    monkeypatch.setattr(documents, "_shared", None)  # (fonts an earlier test registered outside a build)
    assert documents.parse_template_sheets() == len(set(ahead.values()))
    parsed = count_parses(monkeypatch)
    monkeypatch.setattr(documents, "_style_sheets", original)
    build(root, tmp_path / "again", jobs=1)  # a cold build: every document laid out again
    assert parsed and not set(parsed) & set(ahead.values())
    assert sum("@font-face" in text for text in parsed) == 1  # kit's fonts, once for the build


def test_a_document_laid_out_after_others_has_the_bytes_it_has_alone(tmp_path):
    for title in ("Avant", "Encore avant"):
        render_pdf(page(title), tmp_path)
    after_others, _ = render_pdf(page("Le comptoir des services"), tmp_path)
    html = tmp_path / "page.html"
    html.write_text(page("Le comptoir des services"), encoding="utf-8")
    alone = tmp_path / "alone.pdf"
    subprocess.run([sys.executable, "-c",
                    "import sys; from pathlib import Path; from kit.documents import render_pdf; "
                    "pdf, _ = render_pdf(Path(sys.argv[1]).read_text(), Path(sys.argv[2])); "
                    "Path(sys.argv[3]).write_bytes(pdf)", str(html), str(tmp_path), str(alone)],
                   check=True, cwd=REPO)
    assert after_others == alone.read_bytes()


def test_the_page_stamp_comes_first_so_a_template_can_silence_it(tmp_path):
    silenced = SHARED + " @page { @top-left { content: none; } }"
    pdf, _ = render_pdf(page("Fiche", stamp="EN-TÊTE", shared=silenced), tmp_path)
    import io

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Fiche" in text and "EN-TÊTE" not in text
    pdf, _ = render_pdf(page("Fiche", stamp="EN-TÊTE"), tmp_path)
    assert "EN-TÊTE" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_fonts_registered_in_a_build_that_ended_are_registered_again(tmp_path):
    """A build deletes its temporary folder, where weasyprint keeps the fonts it registered: the next
    build in the same process (kit serve, a test run) must not lay out with fonts that are gone."""
    first, _ = render_pdf(page("Avant"), tmp_path)
    assert fonts_of(first) == {"Inter", "Inter-Bold"}
    folder = documents._shared.font_config._folder
    assert folder is not None and Path(folder).is_dir()
    shutil.rmtree(folder)
    second, _ = render_pdf(page("<i>Après</i>"), tmp_path)  # a face the first did not use
    assert fonts_of(second) == {"Inter", "Inter-Bold-Italic"}
    assert Path(documents._shared.font_config._folder).is_dir()


@pytest.mark.parametrize("html", ["<p>Sans feuille de style de kit</p>",
                                  "<style>p { color: red }</style><p>Une feuille à soi</p>"])
def test_html_without_kit_sheets_is_laid_out_as_it_is(tmp_path, html):
    pdf, pages = render_pdf(html, tmp_path)
    assert pages == 1 and pdf.startswith(b"%PDF")


def test_two_workers_asking_for_one_layout_at_once_lay_it_out_once(tmp_path, monkeypatch):
    """The per-pair copies of a guide all start from one blank master: two workers that ask for it
    at the same moment must not both lay it out. The second waits, then reads it from the cache."""
    import multiprocessing
    import time
    from types import SimpleNamespace

    log = tmp_path / "layouts.log"
    lay_out = documents._lay_out

    def slow_lay_out(htmls, *args):
        with open(log, "a", encoding="utf-8") as handle:
            handle.write("stamp\n" if is_page_stamp(htmls) else "body\n")
        time.sleep(0.4)  # long enough for the other worker to ask meanwhile
        return lay_out(htmls, *args)

    monkeypatch.setattr(documents, "_lay_out", slow_lay_out)
    context = SimpleNamespace(cache_dir=tmp_path / "cache", kit_root=tmp_path)
    html = page("Guide vierge")

    def worker(number: int) -> None:
        pdf, _ = render_pdf(html, context)
        (tmp_path / f"worker-{number}.pdf").write_bytes(pdf)

    fork = multiprocessing.get_context("fork")
    workers = [fork.Process(target=worker, args=(n,)) for n in (1, 2)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert log.read_text(encoding="utf-8").splitlines() == ["body", "stamp"]
    assert (tmp_path / "worker-1.pdf").read_bytes() == (tmp_path / "worker-2.pdf").read_bytes()
    assert not list((tmp_path / "cache").rglob("*.lock"))  # no lock file is left behind


def test_kits_user_agent_sheet_lays_out_what_weasyprints_own_does(tmp_path, monkeypatch):
    """kit.ua_sheet drops the rules that give every element footnote, note and marker pseudo-elements
    (markers stay on list items): the same bytes as weasyprint's own sheet, on what kit's templates
    use (lists, nested and numbered, with markers; a table; headings; inline styles)."""
    import weasyprint

    from kit import ua_sheet

    body = ("<h1>Titre</h1><h2>Sous-titre</h2><p>Un <b>paragraphe</b> <i>en</i> Inter.</p>"
            "<ul><li>Premier point</li><li>Deuxième<ul><li>imbriqué</li><li>encore</li></ul></li></ul>"
            "<ol><li>un</li><li>deux</li><li>trois</li><li>quatre</li><li>cinq</li><li>six</li><li>sept</li>"
            "<li>huit</li><li>neuf</li><li>dix</li></ol>"
            "<table><tr><th>Heure</th><th>Quoi</th></tr><tr><td>9:00</td><td>Accueil</td></tr></table>"
            "<dl><dt>Binôme</dt><dd>deux ambassadeurs</dd></dl><blockquote>Citation</blockquote>")
    html = page("Listes").replace("<h1>Listes</h1>", body)
    ours, _ = render_pdf(html, tmp_path)
    assert ua_sheet.html_class() is not weasyprint.HTML
    monkeypatch.setattr(ua_sheet, "html_class", lambda: weasyprint.HTML)
    theirs, _ = render_pdf(html, tmp_path / "theirs")
    assert ours == theirs
    theirs_sheet = weasyprint.html.UA_STYLESHEET
    ours_sheet = ua_sheet.trimmed(theirs_sheet)
    pseudo = {entry[3] for entry in ours_sheet.matcher.other_selectors}
    assert not pseudo & (ua_sheet.NEVER_PRINTED | {"marker"})
    assert "marker" in {entry[3] for entry in ours_sheet.matcher.lower_local_name_selectors["li"]}
    assert {entry[3] for entry in theirs_sheet.matcher.other_selectors} >= ua_sheet.NEVER_PRINTED | {"marker"}


def test_a_cached_layout_is_used_only_while_its_pdf_is_the_one_laid_out(tmp_path, monkeypatch):
    """The layout cache is written without syncing to disk (kit.writer.write_atomic's `durable`):
    its entry names the PDF's digest, so a PDF a crash left short or stale is laid out again."""
    import os

    from kit.documents import LaidOut, LayoutCache

    synced = []
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd))
    cache = LayoutCache(tmp_path)
    laid_out = LaidOut(b"%PDF-1.7 one page", 1, None, (("",),), bookmarks=((),))
    cache.put("k", laid_out, {})
    assert synced == []
    assert cache.get("k") == laid_out
    pdf = tmp_path / "layout" / "k.pdf"
    pdf.write_bytes(b"%PDF-1.7 one pa")  # cut short
    assert cache.get("k") is None
    pdf.write_bytes(b"%PDF-1.7 one page")
    assert cache.get("k") == laid_out


def test_a_layout_held_by_another_is_waited_for_or_said_busy(tmp_path):
    """Two processes asking for one layout: the second waits for the first (kit check), or, where
    it is not to wait (a build's worker, which has other outputs to render), is told at once."""
    import fcntl

    from kit.documents import LayoutCache
    from kit.outputs import LayoutBusy

    holder = LayoutCache(tmp_path)
    with holder.claim("k"):
        with pytest.raises(LayoutBusy):
            with LayoutCache(tmp_path, wait=False).claim("k"):
                pass
        # The waiting kind blocks on the same lock (an open file of its own, as another process has).
        with open(tmp_path / "layout" / "k.lock", "a+b") as other:
            with pytest.raises(BlockingIOError):
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with LayoutCache(tmp_path, wait=False).claim("k"):  # free again
        pass
