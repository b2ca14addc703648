"""Time kit rendering the default kit's agendas against bare weasyprint laying out the same HTML.

The agenda outputs alone (every edition of every session: programme, run sheet, newcomers'
programme), never the rest of what a session's files select in a build (calendars, badges,
the print list and binder, which are made from the whole kit):

- kit: in one process, cold: load the kit, plan it, render each agenda with
  `kit.build.render_one` into a fresh cache folder (no layout cache carried over), PDFs in memory;
- floor: weasyprint alone laying out and writing the HTML kit handed it in such a run.

Not an engine build of the sessions' files (`build(only=...)`): that selects every output made
from them, the print list and binder among them, and those are made from every guide, deck and
sheet of the kit, nor can it build one kind alone. It also checks the whole kit, which the floor
has no counterpart for.

See bench/documents.py, whose helpers this uses, for what both sides share (font subsetting).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bench.common import Row, default_kit_copy, median_seconds
from bench.documents import capture, kit_renders, weasyprint_floor

KINDS = {"agenda"}
GOAL = 1.3


def run(repeat: int = 3, root: Path | None = None) -> list[Row]:
    root = root or default_kit_copy()
    paths, groups = capture(root, KINDS)
    work = Path(tempfile.mkdtemp(prefix="kit-bench-agendas-"))
    try:
        floor_s = median_seconds(weasyprint_floor(root, groups), repeat)
        kit_s = median_seconds(kit_renders(root, paths, work), repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return [Row(f"agendas ({len(paths)} PDFs, {sum(map(len, groups))} layouts)", kit_s, floor_s, GOAL,
                note="(cold, 1 process)")]
