"""Turn a jinja2 template and its data into a PDF through weasyprint, reading only kit and package files.

Every flowing-text document (agendas, run sheets, guides, worksheets) goes through here: one
jinja2 environment (autoescaped, with the typography and Markdown filters), one restricted URL
fetcher (no network, no file outside the kit folder and the kit package), one base stylesheet
with the theme's fonts, colours, page size and running header/footer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from kit.labels import Labels
from kit.markup import plain, to_html
from kit.schedule import clock, length
from kit.theme import Theme, font_face_css
from kit.typography import typeset

PACKAGE_DIR = Path(__file__).parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"


class KitURLFetcher(URLFetcher):
    """A fetcher that serves file: URLs under the allowed folders and data: URLs, and refuses the rest.

    Refusal is fatal, so a template or content that points outside the kit fails the build
    loudly instead of printing a page with a hole in it.
    """

    def __init__(self, roots: tuple[Path, ...]):
        super().__init__(allowed_protocols=("file", "data"))
        self.roots = tuple(r.resolve() for r in roots)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme != "file":
            raise FatalURLFetchingError(f"refusing to fetch {url}: kit reads nothing from the network")
        path = Path(unquote(parts.path)).resolve()
        if not any(path == root or root in path.parents for root in self.roots):
            raise FatalURLFetchingError(f"refusing to read {path}: outside the kit folder")
        return URLFetcherResponse(url, body=path.read_bytes())


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["clock"] = clock
    env.filters["css"] = css_string
    return env


@dataclass(frozen=True)
class Stamp:
    """What the running header and footer of a document say."""

    kit_title: str
    document: str        # e.g. the session title
    edition: str         # e.g. "Déroulé animateurs"
    version: str
    date: str


def base_context(theme: Theme, stamp: Stamp) -> dict:
    """The names every template may use: labels, filters bound to the language, the theme CSS."""
    labels = Labels(theme.language)
    language = theme.language
    return {
        "L": labels,
        "lang": language,
        "md": lambda text: to_html(text, language),
        "md_inline": lambda text: to_html(text, language, inline=True),
        "t": lambda text: typeset(text or "", language),
        "plain": lambda text: plain(text, language),
        "length": lambda minutes: length(minutes, language),
        "stamp": stamp,
        "theme": theme,
        "paper": theme.paper,
        "font_faces": font_face_css(),
    }


def render_html(template: str, context: dict) -> str:
    return environment().get_template(template).render(**context)


def layout_document(html: str, kit_root: Path):
    """The laid-out weasyprint Document of one HTML string (its boxes can be read back)."""
    fetcher = KitURLFetcher((kit_root, PACKAGE_DIR))
    return HTML(string=html, base_url=kit_root.resolve().as_uri() + "/", url_fetcher=fetcher).render()


def render_pdf(html: str, kit_root: Path) -> tuple[bytes, int]:
    """The PDF bytes and page count of one HTML document, resolving images against the kit folder."""
    document = layout_document(html, kit_root)
    return document.write_pdf(), len(document.pages)


def render_joined(htmls: list[str], kit_root: Path) -> tuple[bytes, int]:
    """Several documents laid out alone (each its own "page n / m"), their pages joined in one PDF."""
    documents = [layout_document(html, kit_root) for html in htmls]
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf(), len(pages)


def css_string(text: str) -> Markup:
    """A quoted CSS string for running headers and footers, safe inside a <style> element."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
               .replace("<", "\\3c ").replace(">", "\\3e "))
    return Markup(f'"{escaped}"')

