"""Time kit building the default kit's guides, field plan and worksheets against bare weasyprint on the same HTML."""

from __future__ import annotations

from pathlib import Path
from tempfile import mkdtemp

from weasyprint import HTML

import kit.documents
from bench.common import Row, default_kit_copy, median_seconds
from kit.build import render_all
from kit.content import load_kit
from kit.generators import GENERATORS, RenderContext
from kit.plan import plan
from kit.theme import Theme
from kit.writer import write_all

# The kinds of this benchmark; the agendas have their own.
KINDS = {"guide", "field-overview", "field-missions", "service-sheet", "needs-sheet"}


def capture(root: Path):
    """Render each output once, recording the HTML kit hands weasyprint; keep the weasyprint ones."""
    content = load_kit(root)
    context = RenderContext(Theme.from_config(content.config), root, Path(mkdtemp()) / ".cache")
    recorded: list[str] = []
    original = kit.documents.HTML

    class RecordingHTML(original):
        def __init__(self, *args, string=None, **kwargs):
            recorded.append(string)
            super().__init__(*args, string=string, **kwargs)

    # Every kit document is built through kit.documents.HTML: record the strings it is given.
    kit.documents.HTML = RecordingHTML
    outputs, pages = [], []
    try:
        for output in plan(content):
            if output.kind not in KINDS:
                continue
            before = len(recorded)
            GENERATORS[output.kind].render(output, content, context)
            if len(recorded) > before:  # drawn with weasyprint (the pocket cards are reportlab)
                outputs.append(output)
                pages.extend(recorded[before:])
    finally:
        kit.documents.HTML = original
    return outputs, pages


def run(repeat: int = 3) -> list[Row]:
    root = default_kit_copy()
    outputs, html = capture(root)
    base_url = root.as_uri() + "/"
    paths = {o.path for o in outputs}

    def floor() -> None:
        for page in html:
            HTML(string=page, base_url=base_url).write_pdf()

    def kit_pipeline(jobs: int):
        def run_once() -> None:
            content = load_kit(root)
            chosen = [o for o in plan(content) if o.path in paths]
            out = Path(mkdtemp()) / "out"
            context = RenderContext(Theme.from_config(content.config), root, out / ".cache")
            files = {}
            for result in render_all(chosen, content, context, jobs):
                files.update(result.files)
            write_all(out, files)
        return run_once

    floor_s = median_seconds(floor, repeat)
    return [
        Row(f"guides, field plan, worksheets ({len(outputs)} PDFs, {len(html)} documents), 1 process",
            median_seconds(kit_pipeline(1), repeat), floor_s, 1.3),
        Row("the same, 2 processes (same floor, 1 process)", median_seconds(kit_pipeline(2), repeat), floor_s,
            note="(parallel speed-up, for information)"),
    ]
