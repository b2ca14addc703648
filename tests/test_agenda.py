"""Agenda editions read back from their PDFs, and the calendar file parsed back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from conftest import copy_fixture_kit, pdf_pages, pdf_text
from kit.build import build

A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def agendas(tmp_path_factory) -> Path:
    """The fixture kit's session 7 and 8 outputs, built once for this module."""
    root = copy_fixture_kit(tmp_path_factory.mktemp("kit"))
    out = root / "output"
    build(root, out, only=["content/sessions/session-08.yaml", "content/sessions/session-07.yaml"], jobs=1)
    return out


def test_the_three_editions_and_the_calendar_are_built(agendas):
    names = sorted(p.name for p in (agendas / "session-08").iterdir())
    assert names == ["deroule-animateurs.pdf", "programme-nouveaux.pdf", "programme.pdf", "session-08.ics"]
    # Session 7 has no newcomer block and no introduction: no newcomer edition.
    assert not (agendas / "session-07" / "programme-nouveaux.pdf").exists()


def test_participant_agenda_has_no_facilitator_notes_nor_other_audiences(agendas):
    text = pdf_text(agendas / "session-08" / "programme.pdf")
    assert "Jour 1 — jeudi 23 mai 2019" in text and "Jour 2 — vendredi 24 mai 2019" in text
    assert "Dérive créative — avec images" in text and "Photos débat" in text
    assert "Matin" in text and "Après-midi" in text and "Déjeuner" in text
    assert "notes d’animation" not in text.lower()
    assert "parrain" not in text                                  # a facilitator note
    assert "Accueil des nouvelles ambassadrices" not in text      # newcomers only
    assert "Point d’équipe des résidents" not in text             # facilitators only
    assert "Temps libre · 15 min" in text                          # the gap before lunch
    assert "9:00 – 16:30" in text                                  # the day as participants live it


def test_run_sheet_has_every_block_notes_leads_and_a_checklist_per_day(agendas):
    text = pdf_text(agendas / "session-08" / "deroule-animateurs.pdf")
    assert "Accueil des nouvelles ambassadrices" in text and "Point d’équipe des résidents" in text
    assert "notes d’animation" in text.lower() and "parrain" in text
    assert "Animation : Joana Levy" in text
    assert "Matériel — Jour 1" in text and "Matériel — Jour 2" in text
    assert "8:30 – 17:00" in text
    # The checklist names the kit's own printed material with the file to print.
    assert "decks/starters-images.pdf" in text and "guides/cartes-de-poche.pdf" in text
    assert "field/enquete-24-mai/missions.pdf" in text or "field/enquete-24-mai/vue-d-ensemble.pdf" in text


def test_newcomer_edition_has_the_introduction_and_newcomer_blocks_only(agendas):
    pages = pdf_pages(agendas / "session-08" / "programme-nouveaux.pdf")
    first = pages[0]
    assert "Bienvenue" in first and "Véronique, Pascale et Hélène" in first
    assert "Le cas pratique : Le comptoir des services" in first
    for word in ("binôme", "ambassadeur", "dérive créative", "photos débat"):
        assert word in first
    rest = "\n".join(pages[1:])
    assert "Accueil des nouvelles ambassadrices" in rest and "Nouveaux" in rest
    assert "Point d’équipe des résidents" not in rest and "parrain" not in rest
    assert "Jour 1" not in first  # the introduction is a page of its own


def test_pages_are_a4_with_header_footer_and_day_two_on_a_new_page(agendas):
    path = agendas / "session-08" / "programme.pdf"
    reader = PdfReader(str(path))
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4
    pages = pdf_pages(path)
    assert len(pages) == 2
    assert "Jour 1" in pages[0] and "Jour 2" not in pages[0]
    assert pages[1].lstrip().startswith("Le comptoir des services · Session 8") or "Jour 2" in pages[1]
    for number, page in enumerate(pages, start=1):
        assert "Le comptoir des services · Session 8 : démarrer le cas pratique n° 3" in page
        assert "version 1.0 · 20 mai 2019" in page
        assert f"page {number} / {len(pages)}" in page
        assert "Programme" in page


def test_calendar_parses_back_with_paris_times(agendas):
    calendar = Calendar.from_ical((agendas / "session-08" / "session-08.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 18
    paris = ZoneInfo("Europe/Paris")
    first = events[0]
    assert str(first["SUMMARY"]) == "Accueil des nouvelles ambassadrices"
    assert first.decoded("DTSTART") == dt.datetime(2019, 5, 23, 8, 30, tzinfo=paris)
    lunch = next(e for e in events if str(e["SUMMARY"]) == "Déjeuner")
    assert lunch.decoded("DTSTART").astimezone(dt.timezone.utc) == dt.datetime(2019, 5, 23, 10, 30, tzinfo=dt.timezone.utc)
    assert lunch.decoded("DTEND") - lunch.decoded("DTSTART") == dt.timedelta(hours=1)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_english_labels(make_kit):
    root = make_kit({"content/sessions/s.yaml": """\
        title: Kick-off
        days:
          - date: 2019-05-23
            start: "9:00"
            blocks:
              - {title: Welcome, duration: 30, lead: Joana}
              - {title: Lunch, at: "12:30", duration: 1h, kind: pause}
        """}, config="title: Service counter\nlanguage: en\npaper: letter\nversion: '2'\ndate: 2019-05-20\n")
    build(root, jobs=1)
    text = pdf_text(root / "output" / "s" / "run-sheet.pdf")
    assert "Day 1 — Thursday 23 May 2019" in text
    assert "Facilitator run sheet" in text and "Led by: Joana" in text and "Free time" in text
    page = PdfReader(str(root / "output" / "s" / "agenda.pdf")).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
