"""Time kit and protograf, a peer, building the same 54-photo deck as whole processes; their memory and PDF size.

The deck is bench/decks.py's, made by bench/photo_deck.py: 54 photo-like 3000×2000 JPEGs, one
photo-debate deck of poker cards printed at home (A4, 9-up, fronts and backs). Both sides are
commands started here, as a user would start them, so imports, font loading and process start-up
count on both sides:

- kit cold: `kit build --kit DIR --out OUT` into a fresh OUT (empty image cache);
- kit warm no-op: the same command again, nothing changed (an incremental build finds every
  output up to date);
- kit warm after an edit: the deck's title changed, so an incremental build renders the deck
  again (from the photos it prepared before);
- kit warm re-render: OUT/.cache/manifest.json removed, the photo cache kept: every output
  rendered again from the prepared photos (the goal's "warm");
- protograf: bench/peer_protograf.py drawing the same cards. As protograf users place a photo
  (the file itself, scaled into its box and embedded untouched: `--whole-photos`), which is what
  the issue's figures were measured with (their 158 MB PDF); and, for information, centre-cropped
  to the panel as kit prints it (protograf's `sliced`, Pillow re-saving the full-size crop).

kit runs each command in its own process (KIT_WARM=0): a fork of kit's warm process would
inherit its imports, and its memory and processor time would not be the command's own.

Each is run REPEAT times, interleaved so drift on the machine falls on both sides; the medians of
wall time, CPU time and peak RSS are kept. Peak memory is the largest single process's resident
set (kit's renderer workers included), as GNU time reports it: from wait4's rusage of a command.
kit renders on every core and protograf on one, so a busy machine slows kit's wall time more:
the CPU-time row, and the load average printed, tell when that happened.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from bench.common import REPO, Row
from bench.photo_deck import CARDS, DECK_FILE, HOME_PDF, make_photos, write_kit
from kit.build import CACHE_DIR_NAME

REPEAT = 3
GOAL_COLD = 1.2
GOAL_WARM = 0.4
GOAL_MEMORY = 0.5
MB = 1024 * 1024
RUSAGE_UNIT = 1024                              # ru_maxrss is in kilobytes on Linux
KIT = Path(sys.executable).with_name("kit")     # the console script installed beside this Python
PEER_SCRIPT = REPO / "bench" / "peer_protograf.py"
MANIFEST = Path(CACHE_DIR_NAME) / "manifest.json"


@dataclass
class Run:
    seconds: float
    cpu_s: float      # user + system, the command's and its children's: what other load leaves alone
    peak_mb: float


def run_command(command: list[str], log: Path, env: dict[str, str] | None = None) -> Run:
    """Wall time, CPU time and peak RSS of one command; its output goes to `log`, shown if it fails."""
    with log.open("wb") as sink:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env)
        # wait4, not wait: its rusage is this command's own (and its children's), where
        # getrusage(RUSAGE_CHILDREN) would keep the largest of every child this process ever had.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        tail = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{tail}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * RUSAGE_UNIT / MB)


def median(runs: list[Run]) -> Run:
    return Run(*(statistics.median(values) for values in zip(*((r.seconds, r.cpu_s, r.peak_mb) for r in runs), strict=True)))


def retitle(root: Path, number: int) -> None:
    """Edit the deck's title (its first line), a content change any incremental build must honour."""
    deck = root / DECK_FILE
    _, rest = deck.read_text(encoding="utf-8").split("\n", 1)
    deck.write_text(f"title: Photos débat {number}\n{rest}", encoding="utf-8")


def size_mb(path: Path) -> float:
    return path.stat().st_size / MB


def run(repeat: int = REPEAT) -> list[Row]:
    if find_spec("protograf") is None:
        print("  protograf is not installed: pip install -e '.[bench]' (skipped)")
        return []
    work = Path(tempfile.mkdtemp(prefix="kit-bench-peer-"))
    try:
        return measure(work, repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(work: Path, repeat: int) -> list[Row]:
    load = os.getloadavg()[0]
    photos = make_photos(work / "photos", CARDS, CARDS)
    root = write_kit(work / "kit", photos, CARDS)
    # protograf keeps its cropped photos under ~/.protograf: a home of its own keeps the user's clean.
    peer_env = os.environ | {"HOME": str(work / "home")}
    kit_env = os.environ | {"KIT_WARM": "0"}
    peer_out = work / "protograf"
    peer_out.mkdir()
    log = work / "last.log"

    def protograf(pdf: str, *flags: str) -> Run:
        return run_command([sys.executable, str(PEER_SCRIPT), str(root / "images"), str(peer_out / pdf), *flags],
                           log, peer_env)

    kit_cold, kit_noop, kit_edit, kit_render, peer_whole, peer_crop = [], [], [], [], [], []
    for n in range(repeat):
        out = work / f"kit-out-{n}"
        build = [str(KIT), "build", "--kit", str(root), "--out", str(out)]
        kit_cold.append(run_command(build, log, kit_env))
        kit_noop.append(run_command(build, log, kit_env))
        retitle(root, n)
        kit_edit.append(run_command(build, log, kit_env))
        (out / MANIFEST).unlink(missing_ok=True)
        kit_render.append(run_command(build, log, kit_env))
        peer_whole.append(protograf("whole.pdf", "--whole-photos"))
        peer_crop.append(protograf("crop.pdf"))
    incremental = (out / MANIFEST).exists()
    cold, noop, edit, render, whole, crop = map(median, (kit_cold, kit_noop, kit_edit, kit_render, peer_whole,
                                                        peer_crop))
    kit_pdf, whole_pdf, crop_pdf = (size_mb(path) for path in (out / HOME_PDF, peer_out / "whole.pdf",
                                                                peer_out / "crop.pdf"))
    return [
        Row(f"kit cold ÷ protograf, {CARDS} photo cards", cold.seconds, whole.seconds, GOAL_COLD,
            note=f"(whole processes, median of {repeat}; load average {load:.1f} at start)"),
        Row("kit warm re-render ÷ protograf", render.seconds, whole.seconds, GOAL_WARM,
            note="(manifest removed: all rendered again, photos cached)"),
        Row("kit warm after an edit ÷ protograf", edit.seconds, whole.seconds,
            note="(deck retitled)" if incremental else "(kit wrote no manifest: a re-render)"),
        Row("kit warm no-op ÷ protograf", noop.seconds, whole.seconds,
            note="(nothing changed)" if incremental else "(kit wrote no manifest: a re-render)"),
        Row("peak memory, kit cold ÷ protograf", cold.peak_mb, whole.peak_mb, GOAL_MEMORY, unit="MB",
            note=f"(largest process; kit re-render {render.peak_mb:.0f} MB, no-op {noop.peak_mb:.0f} MB)"),
        Row("PDF size, kit ÷ protograf", kit_pdf, whole_pdf, unit="MB",
            note="(fronts and backs, both; protograf embeds the photo files as they are)"),
        Row("  CPU time, kit cold ÷ protograf", cold.cpu_s, whole.cpu_s,
            note=f"(user + system, all processes; kit re-render {render.cpu_s:.2f}s)"),
        Row("  kit cold ÷ protograf cropping as kit does", cold.seconds, crop.seconds,
            note=f"(kit re-render {render.seconds / crop.seconds:.2f}× it; protograf peak {crop.peak_mb:.0f} MB, "
                 f"PDF {crop_pdf:.1f} MB)"),
    ]
