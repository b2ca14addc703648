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

from pathlib import Path

from bench.common import Row
from bench.documents import measure

KINDS = {"agenda"}


def run(repeat: int = 3, root: Path | None = None) -> list[Row]:
    return [measure("agendas", KINDS, repeat, root)]
