"""Time what a resident feels between an edit and the PDFs: cold, no-op and one-edit builds of the default kit.

Whole processes (`python -m kit build`, as typed), in a throwaway copy of the default kit:
- cold: a fresh output folder (no manifest, no layout or image cache);
- no-op: nothing changed since the last build;
- one session's title edited: only the outputs that print it render (its agendas, calendar,
  badges and sheets, and the print list and binder made from them);
- one rendez-vous question edited: the guide, its per-pair copies, and the print list and binder.
And inside one process that keeps its Engine (what `kit serve` does): the same no-op.

kit subsets embedded fonts with the HarfBuzz of the uharfbuzz wheel whether or not the system's
libharfbuzz-subset0 is installed (kit.pdffonts), so the cold build is the same work on both
machines; the row says which one this is.
"""

from __future__ import annotations

import ctypes.util
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Row, default_kit_copy, median_seconds

GOAL_COLD_S = 6.0
GOAL_NOOP_S = 0.8
GOAL_NOOP_WARM_S = 0.15
GOAL_SESSION_TITLE_S = 1.5
GOAL_GUIDE_QUESTION_S = 2.5
EDITS = 3  # edits per scenario; the median is printed


def kit_build(root: Path, out: Path | None = None, *extra: str) -> float:
    """Wall time of one whole `kit build` process."""
    command = [sys.executable, "-m", "kit", "build", "--kit", str(root), *extra]
    if out is not None:
        command += ["--out", str(out)]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def edited(root: Path, relative: str, old: str, new_for: callable) -> list[float]:
    """Whole-process build times after each of EDITS edits of one file."""
    path = root / relative
    original = path.read_text(encoding="utf-8")
    assert old in original, f"{old!r} not in {relative}"
    times = []
    for number in range(EDITS):
        path.write_text(original.replace(old, new_for(number), 1), encoding="utf-8")
        times.append(kit_build(root))
    path.write_text(original, encoding="utf-8")
    kit_build(root)
    return times


def run() -> list[Row]:
    root = default_kit_copy()
    work = Path(tempfile.mkdtemp(prefix="kit-bench-engine-"))
    try:
        colds = [kit_build(root, work / f"cold-{n}") for n in range(2)]
        kit_build(root)  # the kit's own output/ is now up to date
        noop = statistics.median(kit_build(root) for _ in range(5))

        from kit.build import Engine

        engine = Engine(root)
        engine.build()
        warm_noop = median_seconds(engine.build, repeat=7, warmup=1)

        title = edited(root, "content/sessions/session-08.yaml", 'title: "Session 8',
                       lambda n: f'title: "Session 8.{n}')
        question = edited(root, "content/guides/rendez-vous.yaml", "En quelques mots",
                          lambda n: f"En {n + 2} mots")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(root.parent, ignore_errors=True)
    library = "with" if ctypes.util.find_library("harfbuzz-subset") else "without"
    return [
        Row("cold build of the default kit, whole process", min(colds), goal=GOAL_COLD_S,
            note=f"(best of 2; this machine is {library} libharfbuzz-subset0, which kit does not use)"),
        Row("no-op build, whole process", noop, goal=GOAL_NOOP_S, note="(median of 5)"),
        Row("no-op build in a warm process (Engine kept)", warm_noop, goal=GOAL_NOOP_WARM_S),
        Row("one session title edited, whole process", statistics.median(title), goal=GOAL_SESSION_TITLE_S,
            note="(its agendas, calendar, badges, sheets, print list and binder; median of 3 edits)"),
        Row("one rendez-vous question edited, whole process", statistics.median(question),
            goal=GOAL_GUIDE_QUESTION_S, note="(the guide, 8 per-pair copies, print list and binder; median of 3 edits)"),
    ]
