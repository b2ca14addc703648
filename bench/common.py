"""Turn timed callables into comparable figures: median of repeated runs, ratios printed as a table."""

from __future__ import annotations

import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
DEFAULT_KIT = REPO / "kit" / "starter_kits" / "comptoir"


def interpreter() -> str:
    """Which Python runs the benchmark, and whether from a shared libpython: the same kit costs
    a fifth to a quarter more processor time on a build of Python made as a shared library without
    profile-guided optimisation (pyenv with --enable-shared) than on Debian's python3, so every
    figure below is only comparable with one measured on the same kind of interpreter."""
    shared = ""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            shared = next((line.split()[-1] for line in maps if "/libpython" in line), "")
    except OSError:  # not Linux: nothing to say about how it is linked
        return f"Python {platform.python_version()} ({sys.executable})"
    linked = f"running from the shared library {shared}" if shared else "its interpreter linked in (no libpython.so)"
    return f"Python {platform.python_version()} ({sys.executable}), {linked}"


REFERENCE_LOOPS = 2_000_000


def reference_seconds(repeat: int = 3) -> float:
    """The time of a fixed pure-Python workload on one core (median of `repeat`): how fast this
    machine runs right now. A shared 2-core machine is not always as fast: the same cold build in
    the warm process has taken 3.7 s and 6.2 s an hour apart, with the same code. Printed before
    each benchmark, it says which runs can be compared (and which rows only a slower machine put over)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        total = 0
        for number in range(REFERENCE_LOOPS):
            total += number % 7
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def median_seconds(func: Callable[[], object], repeat: int = 3, warmup: int = 1) -> float:
    """Median wall time of `repeat` runs after `warmup` runs (imports, font loading, caches warm)."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def fresh_process() -> None:
    """Forget what kit keeps in this process between builds, as a new `kit build` command starts:
    the photos decoded whole and hashed, the SVGs parsed, the YAML parsed, the font subsets made.
    What a build keeps on disk (manifest, caches under output/.cache) is the benchmark's to choose."""
    import kit.content.fields
    import kit.images
    import kit.pdffonts

    kit.images._DIGESTS.clear()
    kit.images._DECODED.clear()
    kit.images._DRAWINGS.clear()
    kit.content.fields._PARSED.clear()
    kit.pdffonts.subset_font.cache_clear()


def default_kit_copy() -> Path:
    """A throwaway copy of the default kit, so benchmarks never touch the repository's output/."""
    root = Path(tempfile.mkdtemp(prefix="kit-bench-")) / "kit"
    root.mkdir()
    shutil.copy(DEFAULT_KIT / "kit.yaml", root / "kit.yaml")
    shutil.copytree(DEFAULT_KIT / "content", root / "content")
    shutil.copytree(DEFAULT_KIT / "images", root / "images")
    return root


@dataclass
class Row:
    """One line of a benchmark: kit against its floor (or a peer), the goal on the ratio.

    `unit` is what both figures are in: seconds by default, or "KB", "MB". Without a floor the
    row is an absolute figure instead: the value alone, and the goal is a ceiling on the value.
    """

    name: str
    kit_s: float
    floor_s: float = 0.0
    goal: float | None = None
    note: str = ""
    unit: str = "s"

    @property
    def compared(self) -> bool:
        return bool(self.floor_s)

    @property
    def ratio(self) -> float:
        return self.kit_s / self.floor_s if self.floor_s else float("inf")

    @property
    def within_goal(self) -> bool:
        return (self.ratio if self.compared else self.kit_s) <= (self.goal or float("inf"))


def print_rows(title: str, rows: list[Row]) -> None:
    print(f"\n{title}")
    print(f"  {'measure':<44} {'kit':>9} {'floor':>9} {'ratio':>7}  goal")
    for row in rows:
        verdict = "" if not row.goal else ("ok" if row.within_goal else "OVER")
        value = _figure(row.kit_s, row.unit)
        if row.compared:
            goal = f"≤ {row.goal:.2f}×" if row.goal else ""
            print(f"  {row.name:<44} {value:>9} {_figure(row.floor_s, row.unit):>9} {row.ratio:>6.2f}×  "
                  f"{goal} {verdict} {row.note}")
        else:
            goal = f"≤ {row.goal:g} {row.unit}" if row.goal else ""
            print(f"  {row.name:<44} {value:>9} {'':>9} {'':>7}  {goal} {verdict} {row.note}")


def _figure(value: float, unit: str) -> str:
    return f"{value:.3f}s" if unit == "s" else f"{value:.1f} {unit}"
