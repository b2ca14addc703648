"""Turn weasyprint's HTML user-agent style sheet into kit's: the same rules, less the ones that
give every element pseudo-elements kit's documents never print.

weasyprint's sheet styles `::footnote-call`, `::footnote-marker`, `::note-call`, `::note-marker`,
`::note-callback` and `::marker` with no element before them, so each matches every element of a
document. weasyprint then computes the style of five or six pseudo-elements per element, after
the cascade, whether or not any exists: about a tenth of the layout time of kit's documents.

kit's templates have no footnotes nor notes (no `float: footnote`), so those rules go; markers exist
only on list items (kit's templates give no other box `display: list-item`), so `::marker` becomes
`li::marker`. The pages are the same to the pixel (tests/test_documents.py lays out a list, the
default kit's golden pages cover the rest).

weasyprint asks an HTML document for its user-agent sheets (`HTML._ua_stylesheets`); kit's
documents are `KitHTML`, which answer with this sheet. Should a weasyprint release stop asking,
its own sheet applies again: the same pages, at the old cost.
"""

from __future__ import annotations

import re
from functools import cache

# A rule of the sheet that styles one of these pseudo-elements of any element.
_EVERY_ELEMENT_NOTES = re.compile(r"^::(?:footnote|note)-[a-z-]+\s*\{[^}]*\}\s*$", re.M)
_EVERY_ELEMENT_MARKER = re.compile(r"^::marker(?=\s*\{)", re.M)


def trimmed(ua: str) -> str:
    """The user-agent sheet's text without its footnote and note rules, its ::marker rule on li."""
    return _EVERY_ELEMENT_MARKER.sub("li::marker", _EVERY_ELEMENT_NOTES.sub("", ua))


@cache
def html_class():
    """weasyprint.HTML, answering with kit's user-agent sheet (parsed once per process)."""
    import weasyprint
    from weasyprint import html as weasyprint_html
    from weasyprint.css.counters import CounterStyle

    # The sheet's @counter-style rules are already in weasyprint's own counter styles, which every
    # document starts from: parsed again into those, each would be refused as a duplicate.
    sheet = weasyprint.CSS(string=trimmed(weasyprint_html.UA), counter_style=CounterStyle())

    class KitHTML(weasyprint.HTML):
        def _ua_stylesheets(self, forms=False):
            return [sheet, weasyprint_html.UA_FORM_STYLESHEET] if forms else [sheet]

    return KitHTML
