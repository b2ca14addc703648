"""Time kit rendering the default kit's guides, field plan and worksheets against bare weasyprint on the same HTML.

- kit: in one process, what a build does for these outputs, cold: load the kit, plan it, and
  render each output with `kit.build.render_one` into a fresh cache folder (no layout or image
  cache carried over from an earlier run), the PDFs kept in memory. Kit's own overheads count:
  loading, templates, its URL fetcher, the layout cache's bookkeeping, the per-pair copies
  written over a guide laid out once.
- floor: weasyprint alone laying out and writing the very HTML kit handed it in such a run
  (recorded by wrapping `kit.documents.layout_document`), documents kit joins into one PDF
  joined the same way, each layout done as often as kit did it (a guide laid out once for every
  pair's copies is laid out once here too).

Only the outputs drawn with weasyprint take part (the pocket cards are reportlab's). Both sides
subset fonts the same way (kit.pdffonts, installed in the process once kit lays out a first
document) and start each run with its subsets cache emptied; kit's run also forgets what kit
keeps in its process between builds (parsed YAML, `bench.common.fresh_process`), as a new
`kit build` command would; its small memo caches (compiled templates, typography, colours) stay
warm, and the imports are done (the median follows a warm-up run), on both sides.

`capture`, `kit_renders` and `weasyprint_floor` serve bench/agendas.py too.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from bench.common import Row, default_kit_copy, fresh_process, median_seconds

# The kinds of this benchmark; the agendas have their own.
KINDS = {"guide", "field-overview", "field-missions", "service-sheet", "needs-sheet"}
GOAL = 1.3


@contextmanager
def recording() -> Iterator[tuple[list[list[str]], list[int]]]:
    """Record what kit hands weasyprint while rendering: (groups of HTML, documents asked for).

    A group is the HTML of one `kit.documents.render_document` call laid out (its documents share
    that call's URL fetcher, and are joined into one PDF); `asked` counts the calls, hit or miss
    of the layout cache, so an output whose layout was found cached still shows it is weasyprint's.
    kit lays a document's body and its page stamp out apart (kit.stamps); the floor lays out the
    whole document, stamp and all, in one pass, as weasyprint alone would: a body is recorded as
    the document it came from, and the stamp's own layout not at all.
    """
    import kit.documents
    import kit.stamps

    groups: list[list[str]] = []
    asked = [0]
    layout, key = kit.documents.layout_document, kit.documents.LayoutCache.key
    split, stamp_html = kit.stamps.split, kit.stamps.stamp_html
    previous: list[object] = [None]
    whole_of: dict[str, str] = {}
    stamp_documents: set[str] = set()

    def recording_layout(html, kit_root, fetcher=None):
        if html not in stamp_documents:
            if fetcher is None or fetcher is not previous[0]:
                groups.append([])
            previous[0] = fetcher
            groups[-1].append(whole_of.get(html, html))
        return layout(html, kit_root, fetcher)

    def counting_key(html, kit_root):
        asked[0] += 1
        return key(html, kit_root)

    def recording_split(html):
        parts = split(html)
        whole_of[parts.body] = html
        return parts

    def recording_stamp_html(head, page_names):
        html = stamp_html(head, page_names)
        stamp_documents.add(html)
        return html

    kit.documents.layout_document = recording_layout
    kit.documents.LayoutCache.key = staticmethod(counting_key)
    kit.stamps.split, kit.stamps.stamp_html = recording_split, recording_stamp_html
    try:
        yield groups, asked
    finally:
        kit.documents.layout_document = layout
        kit.documents.LayoutCache.key = staticmethod(key)
        kit.stamps.split, kit.stamps.stamp_html = split, stamp_html


def loaded(root: Path, cache_dir: Path):
    """The kit's content, whole plan and render context, as the engine makes them for a build."""
    from kit.content import load_kit
    from kit.generators import GENERATORS
    from kit.outputs import RenderContext
    from kit.plan import plan
    from kit.theme import Theme

    root = root.resolve()
    content = load_kit(root)
    whole = plan(content, GENERATORS)
    context = RenderContext(theme=Theme.from_config(content.config), kit_root=root, cache_dir=cache_dir,
                            staging_dir=cache_dir / "staging", printed=whole.printed, out_dir=cache_dir.parent)
    return content, whole, context


def capture(root: Path, kinds: set[str]) -> tuple[list[str], list[list[str]]]:
    """One cold kit run over the outputs of these kinds: the paths of those drawn with weasyprint,
    and the HTML groups it laid out (the floor's work)."""
    from kit.build import render_one

    work = Path(tempfile.mkdtemp(prefix="kit-bench-capture-"))
    try:
        content, whole, context = loaded(root, work / "out" / ".cache")
        paths: list[str] = []
        with recording() as (groups, asked):
            for output in whole:
                if output.kind not in kinds:
                    continue
                before = asked[0]
                render_one(output, content, context)
                if asked[0] > before:
                    paths.append(output.path)
        return paths, groups
    finally:
        shutil.rmtree(work, ignore_errors=True)


def forget_font_subsets() -> None:
    """Empty kit.pdffonts' per-process subsets cache: each run subsets its fonts as a new process would."""
    from kit import pdffonts

    pdffonts.subset_font.cache_clear()


def kit_renders(root: Path, paths: list[str], work: Path) -> Callable[[], None]:
    """Kit's run, cold: load, plan, render these outputs in this order into a fresh cache folder."""
    from kit.build import render_one

    runs = iter(range(1_000_000))

    def run_once() -> None:
        fresh_process()
        content, whole, context = loaded(root, work / f"run-{next(runs)}" / ".cache")
        for path in paths:
            render_one(whole.by_path[path], content, context)

    return run_once


def weasyprint_floor(root: Path, groups: list[list[str]]) -> Callable[[], None]:
    """Bare weasyprint: each group's HTML laid out, its pages joined, written as one PDF."""
    from weasyprint import HTML

    base_url = root.resolve().as_uri() + "/"

    def floor() -> None:
        forget_font_subsets()
        for group in groups:
            documents = [HTML(string=html, base_url=base_url).render() for html in group]
            pages = [page for document in documents for page in document.pages]
            (documents[0] if len(documents) == 1 else documents[0].copy(pages)).write_pdf()

    return floor


def measure(what: str, kinds: set[str], repeat: int, root: Path | None = None) -> Row:
    """kit against bare weasyprint on the outputs of these kinds (cold, one process each)."""
    root = root or default_kit_copy()
    paths, groups = capture(root, kinds)
    work = Path(tempfile.mkdtemp(prefix="kit-bench-documents-"))
    try:
        floor_s = median_seconds(weasyprint_floor(root, groups), repeat)
        kit_s = median_seconds(kit_renders(root, paths, work), repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    laid_out = sum(len(group) for group in groups)
    return Row(f"{what} ({len(paths)} PDFs, {laid_out} layouts)", kit_s, floor_s, GOAL, note="(cold, 1 process)")


def run(repeat: int = 3, root: Path | None = None) -> list[Row]:
    return [measure("guides, field, sheets", KINDS, repeat, root)]
