"""Turn weasyprint's HTML user-agent style sheet into kit's: the same rules, less the ones that
give every element pseudo-elements kit's documents never print.

weasyprint's sheet styles `::footnote-call`, `::footnote-marker`, `::note-call`, `::note-marker`,
`::note-callback` and `::marker` with no element before them, so each matches every element of a
document. weasyprint then computes the style of five or six pseudo-elements per element, after
the cascade, whether or not any exists: about a tenth of the layout time of kit's documents.

kit's templates have no footnotes nor notes (no `float: footnote`), so those rules go; markers exist
only on list items (kit's templates give no other box `display: list-item`), so the `::marker`
rule is matched against `li` elements only. The pages are the same to the byte
(tests/test_documents.py lays out lists, a table and headings both ways).

The sheet is weasyprint's own, already parsed as weasyprint imports: a copy whose selector index
(cssselect2's Matcher) leaves those rules out, rather than a second parse of its text (a tenth of
a second more in every render process). weasyprint asks an HTML document for its user-agent
sheets (`HTML._ua_stylesheets`); kit's documents are `KitHTML`, which answer with this one.
Should a weasyprint release stop asking, or index its selectors otherwise, its own sheet
applies: the same pages, at the old cost.
"""

from __future__ import annotations

import copy
from functools import cache

# The pseudo-elements weasyprint's sheet styles on every element, which kit never prints.
NEVER_PRINTED = frozenset({"footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback"})


def trimmed(sheet):
    """A copy of a parsed user-agent sheet whose rules for a pseudo-element of any element are gone,
    except `::marker`, kept for list items; the sheet itself when its index is not as expected."""
    matcher = getattr(sheet, "matcher", None)
    everywhere = getattr(matcher, "other_selectors", None)
    by_name = getattr(matcher, "lower_local_name_selectors", None)
    if not isinstance(everywhere, list) or not isinstance(by_name, dict):
        return sheet
    # Each entry: (test, specificity, order, pseudo-element, payload); a match sorts them by
    # specificity then order, so an entry keeps its place wherever it is indexed.
    markers = [entry for entry in everywhere if entry[3] == "marker"]
    kept = [entry for entry in everywhere if entry[3] not in NEVER_PRINTED and entry[3] != "marker"]
    ours = copy.copy(matcher)
    ours.other_selectors = kept
    ours.lower_local_name_selectors = {**by_name, "li": [*by_name.get("li", ()), *markers]}
    result = copy.copy(sheet)
    result.matcher = ours
    return result


@cache
def html_class():
    """weasyprint.HTML, answering with kit's user-agent sheet."""
    import weasyprint
    from weasyprint import html as weasyprint_html

    sheet = trimmed(weasyprint_html.UA_STYLESHEET)

    class KitHTML(weasyprint.HTML):
        def _ua_stylesheets(self, forms=False):
            return [sheet, weasyprint_html.UA_FORM_STYLESHEET] if forms else [sheet]

    return KitHTML
