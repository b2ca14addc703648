"""Turn the Markdown subset of text fields into HTML (weasyprint) or paragraph markup (reportlab).

The subset is the same everywhere: *emphasis*, **strong**, bullet and numbered lists, and line
breaks (a single newline breaks the line). Everything else a user types is shown as text, never
interpreted as HTML. Typography of the kit's language is applied to the text runs only, so
markup characters are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html import escape

from markdown_it import MarkdownIt
from markupsafe import Markup

from kit.typography import NBSP, NNBSP, typeset


@cache
def _parser() -> MarkdownIt:
    # "zero" enables nothing; switch on only the subset kit promises.
    md = MarkdownIt("zero", {"breaks": True, "html": False, "typographer": False})
    md.enable(["emphasis", "list", "newline", "escape", "paragraph"])
    return md


def _tokens(text: str, language: str):
    tokens = _parser().parse(text or "")
    for token in tokens:
        for child in token.children or ():
            if child.type == "text":
                child.content = typeset(child.content, language)
    return tokens


def to_html(text: str | None, language: str, inline: bool = False) -> Markup:
    """HTML for one text field; `inline` drops the wrapping paragraph of a one-paragraph text."""
    if not text:
        return Markup("")
    md = _parser()
    html = md.renderer.render(_tokens(text, language), md.options, {}).strip()
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


@dataclass(frozen=True)
class Run:
    """One paragraph or list item in reportlab's paragraph markup (<b>, <i>, <br/>)."""

    markup: str
    bullet: str | None = None  # "•" or "3." for list items, None for a paragraph


def to_reportlab(text: str | None, language: str) -> list[Run]:
    """Paragraph runs for reportlab from one text field, in the same subset as to_html."""
    if not text:
        return []
    runs: list[Run] = []
    lists: list[list] = []  # stack of [ordered, counter]
    pending_bullet: str | None = None
    for token in _tokens(text, language):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1)
            lists.append([token.type == "ordered_list_open", start])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            ordered, counter = lists[-1]
            pending_bullet = f"{counter}." if ordered else "•"
            lists[-1][1] = counter + 1
        elif token.type == "inline":
            runs.append(Run(_inline_markup(token.children or []), pending_bullet))
            pending_bullet = None
    return runs


def reportlab_spaces(text: str) -> str:
    """reportlab may break a line at a narrow no-break space (it is Unicode whitespace to it) and
    leave "?" alone at the start of a line; the ordinary no-break space it does keep together."""
    return text.replace(NNBSP, NBSP)


def _inline_markup(children) -> str:
    out = []
    for child in children:
        if child.type == "text":
            out.append(escape(reportlab_spaces(child.content), quote=False))
        elif child.type == "em_open":
            out.append("<i>")
        elif child.type == "em_close":
            out.append("</i>")
        elif child.type == "strong_open":
            out.append("<b>")
        elif child.type == "strong_close":
            out.append("</b>")
        elif child.type in ("softbreak", "hardbreak"):
            out.append("<br/>")
        else:
            out.append(escape(child.content, quote=False))
    return "".join(out)


def plain(text: str | None, language: str) -> str:
    """The text of a field without markup (for calendars and one-line summaries)."""
    if not text:
        return ""
    lines = []
    for token in _tokens(text, language):
        if token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type == "text":
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append("\n")
            lines.append("".join(parts))
    return "\n".join(lines)
