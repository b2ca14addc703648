"""French typography and the Markdown subset, identical for weasyprint (HTML) and reportlab."""

from __future__ import annotations

import pytest

from kit.markup import Run, plain, to_html, to_reportlab
from kit.typography import NNBSP, english, french


@pytest.mark.parametrize("raw, typeset", [
    ("Et si on mutualisait ?", f"Et si on mutualisait{NNBSP}?"),
    ("Et si on mutualisait?", f"Et si on mutualisait{NNBSP}?"),
    ("Durée : 45 min", f"Durée{NNBSP}: 45\u00a0min"),
    ("Bonjour ! Ça va ; merci", f"Bonjour{NNBSP}! Ça va{NNBSP}; merci"),
    ('Le "comptoir des services"', f"Le «{NNBSP}comptoir des services{NNBSP}»"),
    ("« conciergerie »", f"«{NNBSP}conciergerie{NNBSP}»"),
    ("l'équipe", "l’équipe"),
    ("À 12:30 on déjeune", "À 12:30 on déjeune"),          # clock times keep their colon
    ("voir https://example.org", "voir https://example.org"),  # so do URLs
])
def test_french(raw, typeset):
    assert french(raw) == typeset


def test_english_keeps_punctuation_tight():
    assert english('What jams? The "counter"') == "What jams? The “counter”"


def test_markdown_subset_to_html_and_reportlab_alike():
    text = "Par **binômes** : imaginer *des* services !\nligne 2\n\n- un\n- deux <b>x</b>"
    html = str(to_html(text, "fr"))
    assert "<strong>binômes</strong>" in html and "<em>des</em>" in html and "<br" in html
    assert "<li>deux &lt;b&gt;x&lt;/b&gt;</li>" in html      # typed HTML is text, never markup
    assert f"{NNBSP}:" in html and f"{NNBSP}!" in html
    # reportlab keeps U+00A0 together but may break at U+202F: its runs use the former.
    assert to_reportlab(text, "fr") == [
        Run("Par <b>binômes</b>\u00a0: imaginer <i>des</i> services\u00a0!<br/>ligne 2"),
        Run("un", "•"),
        Run("deux &lt;b&gt;x&lt;/b&gt;", "•"),
    ]


def test_numbered_lists_and_plain_text():
    assert [r.bullet for r in to_reportlab("1. a\n2. b", "fr")] == ["1.", "2."]
    assert plain("**Accueil** des *nouveaux*", "fr") == "Accueil des nouveaux"


def test_other_markdown_is_shown_as_text():
    html = str(to_html("# Titre\n[lien](https://x.org) `code`", "fr"))
    assert "<h1>" not in html and "<a " not in html and "<code>" not in html
