"""Time kit building the default kit's agendas against bare weasyprint rendering the same HTML."""

from __future__ import annotations

from pathlib import Path
from tempfile import mkdtemp

from weasyprint import HTML

from bench.common import Row, default_kit_copy, median_seconds
from kit.generators import GENERATORS
from kit.plan import plan
from kit.build import build
from kit.content import load_kit
from kit.generators import RenderContext
from kit.generators.agenda import EDITIONS, agenda_context
from kit.documents import render_html
from kit.theme import Theme


def agenda_html(root: Path) -> list[str]:
    """The HTML kit hands to weasyprint for every agenda edition (rendered once, outside the timing)."""
    content = load_kit(root)
    context = RenderContext(Theme.from_config(content.config), root, root / "output" / ".cache")
    pages = []
    for output in plan(content, GENERATORS):
        if output.kind == "agenda":
            session = content.sessions[output.subject]
            pages.append(render_html("agenda.html.j2",
                                     agenda_context(session, EDITIONS[output.edition], content, context)))
    return pages


def run(repeat: int = 3) -> list[Row]:
    root = default_kit_copy()
    sessions = sorted(f"content/sessions/{p.name}" for p in (root / "content" / "sessions").glob("*.yaml"))
    html = agenda_html(root)
    base_url = root.as_uri() + "/"

    def floor() -> None:
        for page in html:
            HTML(string=page, base_url=base_url).write_pdf()

    def kit_serial() -> None:
        build(root, Path(mkdtemp()) / "out", only=sessions, jobs=1)

    def kit_parallel() -> None:
        build(root, Path(mkdtemp()) / "out", only=sessions, jobs=2)

    floor_s = median_seconds(floor, repeat)
    return [
        Row(f"agendas ({len(html)} PDFs + calendars), 1 process", median_seconds(kit_serial, repeat), floor_s, 1.3),
        Row("agendas, 2 processes (same floor, 1 process)", median_seconds(kit_parallel, repeat), floor_s,
            note="(parallel speed-up, for information)"),
    ]
