"""Time what a resident feels between an edit and the PDFs: cold, no-op and one-edit builds of the default kit.

Whole processes (`python -m kit build`, as typed), in a throwaway copy of the default kit:
- cold: a fresh output folder (no manifest, no layout or image cache);
- no-op: nothing changed since the last build;
- one session's title edited: only the outputs that print it render (its agendas, calendar,
  badges and sheets, and the print list and binder made from them);
- one rendez-vous question edited: the guide, its per-pair copies, and the print list and binder.
Each twice: as the first command of a sitting (KIT_WARM=0: a new process imports kit and its
renderers), and as every command after it, run in a fork of the warm process the first one left
(kit.warm). And inside one process that keeps its Engine (what `kit serve` does): the same no-op.

kit subsets embedded fonts with the HarfBuzz of the uharfbuzz wheel whether or not the system's
libharfbuzz-subset0 is installed (kit.pdffonts), so the cold build is the same work on both
machines; the row says which one this is.
"""

from __future__ import annotations

import ctypes.util
import json
import os
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


def kit_build(root: Path, out: Path | None = None, *extra: str, warm: bool = False) -> float:
    """Wall time of one whole `kit build` process (in a fork of the warm process if `warm`)."""
    command = [sys.executable, "-m", "kit", "build", "--kit", str(root), *extra]
    if out is not None:
        command += ["--out", str(out)]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "KIT_WARM": "1" if warm else "0"})
    return time.perf_counter() - started


def ask_warm_process(what: str) -> dict | None:
    code = f"import json, kit.warm as w; print(json.dumps(w.ask({what!r})))"
    answer = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(answer.stdout)


def start_warm_process(root: Path) -> None:
    """The first command of a sitting leaves a warm process; wait until it answers."""
    while ask_warm_process("stop") is not None:  # one of another kit version, or of an earlier run
        time.sleep(0.2)
    kit_build(root, None, "--force", warm=True)
    for _ in range(300):
        if ask_warm_process("status") is not None:
            return
        time.sleep(0.1)
    raise RuntimeError("the warm process did not start")


def edited(root: Path, relative: str, old: str, new_for: callable, warm: bool) -> list[float]:
    """Whole-process build times after each of EDITS edits of one file."""
    path = root / relative
    original = path.read_text(encoding="utf-8")
    assert old in original, f"{old!r} not in {relative}"
    times = []
    for number in range(EDITS):
        path.write_text(original.replace(old, new_for(number), 1), encoding="utf-8")
        times.append(kit_build(root, warm=warm))
    path.write_text(original, encoding="utf-8")
    kit_build(root, warm=warm)
    return times


def run() -> list[Row]:
    root = default_kit_copy()
    work = Path(tempfile.mkdtemp(prefix="kit-bench-engine-"))
    measured: dict[str, dict[bool, object]] = {}
    try:
        for warm in (False, True):
            if warm:
                start_warm_process(root)
            colds = [kit_build(root, work / f"cold-{warm}-{n}", warm=warm) for n in range(2)]
            kit_build(root, warm=warm)  # the kit's own output/ is now up to date
            noop = statistics.median(kit_build(root, warm=warm) for _ in range(5))
            # Distinct titles and words per pass, so no layout is found in the cache.
            title = edited(root, "content/sessions/session-08.yaml", 'title: "Session 8',
                           lambda n, w=warm: f'title: "Session 8.{n}{"w" if w else ""}', warm)
            question = edited(root, "content/guides/rendez-vous.yaml", "En quelques mots",
                              lambda n, w=warm: f"En {n + 2}{' bons' if w else ''} mots", warm)
            measured[warm] = {"cold": min(colds), "noop": noop, "title": statistics.median(title),
                              "question": statistics.median(question)}
        ask_warm_process("stop")

        from kit.build import Engine

        engine = Engine(root)
        engine.build()
        warm_noop = median_seconds(engine.build, repeat=7, warmup=1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(root.parent, ignore_errors=True)
    library = "with" if ctypes.util.find_library("harfbuzz-subset") else "without"
    rows = []
    for warm, how in ((False, "1st command"), (True, "warm process")):
        m = measured[warm]
        rows += [
            Row(f"cold build, default kit ({how})", m["cold"], goal=GOAL_COLD_S,
                note=f"(best of 2; this machine is {library} libharfbuzz-subset0, which kit does not use)"),
            Row(f"no-op build ({how})", m["noop"], goal=GOAL_NOOP_S, note="(median of 5)"),
            Row(f"session title edited ({how})", m["title"], goal=GOAL_SESSION_TITLE_S,
                note="(its agendas, calendar, badges, sheets, print list and binder; median of 3 edits)"),
            Row(f"guide question edited ({how})", m["question"], goal=GOAL_GUIDE_QUESTION_S,
                note="(the guide, 8 per-pair copies, print list and binder; median of 3 edits)"),
        ]
    rows.append(Row("no-op build, Engine kept in-process (kit serve)", warm_noop, goal=GOAL_NOOP_WARM_S))
    return rows
