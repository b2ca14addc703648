"""Time kit building a 54-photo deck, cold and warm, against bare reportlab drawing and bare Pillow resampling.

Everything is made by the benchmark in a temporary folder: 54 photo-like 3000×2000 JPEGs
(gradients, shapes and grain, so they weigh and decode like camera photos), and a kit whose only
content is one photo-debate deck of poker cards, printed at home (A4 N-up sheets with backs).

- kit cold: `kit.build.build` into a fresh output folder (empty image cache), `jobs` = BUILD_JOBS;
- kit warm: the same build again into a folder whose cache is full; for information also with
  one job, and the photos' part of its rendering: the home PDF rendered in this process, minus
  the same deck rendered with one photo on every card (reportlab embeds that one once);
- draw floor: reportlab alone drawing the cached prepared JPEGs N-up on A4 (no ASCII85), one
  title per card, fronts and backs pages, in one process;
- resample floor: Pillow alone (open, draft, LANCZOS resize to the printed box at 300 dpi, JPEG
  save) for the 54 photos, over every core;
- PDF size per card from the home PDF; peak memory of a cold build of 100 and of 500 cards, each
  card with its own photo (see `bench.photo_deck.distinct_copy`), in a child process per size.

Every kit run starts with empty in-process caches, as a `kit build` command does.
"""

from __future__ import annotations

import io
import json
import resource
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Callable

from PIL import Image
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

import kit.images
from bench.common import REPO, Row, fresh_process, median_seconds
from bench.photo_deck import ALL_CORES, CARDS, HOME_PDF, make_photos, write_kit
from kit.build import CACHE_DIR_NAME, build, default_jobs, render_one
from kit.content import load_kit
from kit.generators import GENERATORS, RenderContext
from kit.plan import plan
from kit.theme import Theme

RENDER_REPEAT = 7            # in-process renders are short: more runs steady their difference
MEMORY_CARDS = (100, 500)
PREPARED_QUALITY = 85        # kit.images.JPEG_QUALITY, repeated so the floor stays bare Pillow
POKER_MM = (63.5, 88.9)
PRINT_DPI = 300
TITLE_PT = 9
KB = 1024
MB = 1024 * 1024
RUSAGE_UNIT = 1024           # ru_maxrss is in kilobytes on Linux
BUILD_JOBS = default_jobs()  # what `kit build` uses on this machine (2 here)
GOAL_WARM = 1.2
GOAL_COLD = 1.1
GOAL_KB_PER_CARD = 120
GOAL_PEAK_MB = 150
FONT = REPO / "kit" / "fonts" / "Inter-Regular.ttf"
FLOOR_FONT = "BenchInter"


# ------------------------------------------------------------------------------- kit alone

def render_home(kit_root: Path, out: Path) -> Callable[[], object]:
    """Kit's rendering of the deck's home PDF alone, in this process: no loading, forking or writing."""
    content = load_kit(kit_root)
    home = next(output for output in plan(content, GENERATORS) if output.path == HOME_PDF)
    context = RenderContext(theme=Theme.from_config(content.config), kit_root=kit_root.resolve(),
                            cache_dir=out.resolve() / CACHE_DIR_NAME)
    return lambda: render_one(home, content, context)


# ------------------------------------------------------------------------------- the floors

def prepared_jpegs(out: Path) -> list[Path]:
    """The print-ready JPEGs a kit build left in its image cache, one per card."""
    return sorted((out / CACHE_DIR_NAME / kit.images.CACHE_SUBDIR).glob("*.jpg"))


def resample(job: tuple[Path, Path, tuple[int, int]]) -> None:
    """Bare Pillow: the centred crop of the box's aspect, drafted and resampled to `size`, saved."""
    source, target, size = job
    with Image.open(source) as image:
        width, height = image.size
        crop_w, crop_h = min(width, round(height * size[0] / size[1])), min(height, round(width * size[1] / size[0]))
        scale = min(crop_w / size[0], crop_h / size[1])
        image.draft("RGB", (int(width / scale), int(height / scale)))
        sx, sy = image.size[0] / width, image.size[1] / height
        left, top = (width - crop_w) / 2 * sx, (height - crop_h) / 2 * sy
        box = (left, top, left + crop_w * sx, top + crop_h * sy)
        image.resize(size, Image.Resampling.LANCZOS, box=box).save(target, "JPEG", quality=PREPARED_QUALITY)


def resample_floor(photos: list[Path], folder: Path, size: tuple[int, int]) -> None:
    jobs = [(source, folder / source.name, size) for source in photos]
    with ProcessPoolExecutor(ALL_CORES, mp_context=get_context("fork")) as pool:
        list(pool.map(resample, jobs))


def draw_floor(images: list[Path]) -> bytes:
    """Bare reportlab: each image at its printed size N-up on A4, a title under it; a page of titles as backs."""
    card_w, card_h = POKER_MM[0] * mm, POKER_MM[1] * mm
    columns, rows = int(A4[0] // card_w), int(A4[1] // card_h)
    left, bottom = (A4[0] - columns * card_w) / 2, (A4[1] - rows * card_h) / 2
    slots = [(left + c * card_w, bottom + r * card_h) for r in reversed(range(rows)) for c in range(columns)]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    per_sheet = len(slots)
    for start in range(0, len(images), per_sheet):
        sheet = images[start:start + per_sheet]
        for number, (path, (x, y)) in enumerate(zip(sheet, slots, strict=False), start=start + 1):
            with Image.open(path) as image:
                w, h = (pixels / PRINT_DPI * 72 for pixels in image.size)
            canvas.drawImage(str(path), x, y + card_h - h, w, h)
            canvas.setFont(FLOOR_FONT, TITLE_PT)
            canvas.drawString(x + 4 * mm, y + card_h - h - 6 * mm, f"Photo {number}")
        canvas.showPage()
        for number, (x, y) in enumerate(slots[:len(sheet)], start=start + 1):
            canvas.setFont(FLOOR_FONT, TITLE_PT)
            canvas.drawCentredString(x + card_w / 2, y + card_h / 2, f"Photo {number}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# ------------------------------------------------------------------------------- peak memory

def peak_memory_mb(root: Path, out: Path) -> tuple[float, float]:
    """Peak RSS of a cold build in a child process: the building process's own, and its workers' largest."""
    result = subprocess.run([sys.executable, "-m", "bench.decks", "--peak-memory", str(root), str(out)],
                            cwd=REPO, check=True, capture_output=True, text=True)
    own, workers = json.loads(result.stdout.strip().splitlines()[-1])
    return own * RUSAGE_UNIT / MB, workers * RUSAGE_UNIT / MB


def report_peak_memory(root: str, out: str) -> None:
    """In the child: build, then print its own peak RSS and its largest worker's (kilobytes)."""
    build(Path(root), Path(out), jobs=BUILD_JOBS)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps([own, workers]))


# ------------------------------------------------------------------------------- the run

def run(repeat: int = 3, cards: int = CARDS, memory_cards: tuple[int, ...] = MEMORY_CARDS,
        render_repeat: int = RENDER_REPEAT) -> list[Row]:
    """The rows; smaller `cards`, `memory_cards` and `render_repeat` make a quick check of the
    benchmark itself (tests/test_bench.py), not a measure."""
    rl_config.useA85 = 0  # as kit.images.configure_reportlab does, for the floor too
    pdfmetrics.registerFont(TTFont(FLOOR_FONT, str(FONT)))
    work = Path(tempfile.mkdtemp(prefix="kit-bench-decks-"))
    try:
        return measure(work, repeat, cards, memory_cards, render_repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(work: Path, repeat: int, cards: int = CARDS, memory_cards: tuple[int, ...] = MEMORY_CARDS,
            render_repeat: int = RENDER_REPEAT) -> list[Row]:
    photos = make_photos(work / "photos", cards, max((cards, *memory_cards)))
    root = write_kit(work / "kit", photos, cards)
    one_photo = write_kit(work / "kit-one-photo", [photos[0]] * cards, cards)
    outs = iter(range(1_000_000))

    def kit_build(kit_root: Path, out: Path | None = None, jobs: int = BUILD_JOBS):
        def run_build() -> None:
            fresh_process()
            # force: a warm build renders the deck again (its photos cached), not "up to date"
            build(kit_root, out or work / f"cold-{next(outs)}", jobs=jobs, force=True)
        return run_build

    warm_out = work / "warm"
    cold_s = median_seconds(kit_build(root), repeat)
    warm_s = median_seconds(kit_build(root, warm_out), repeat)  # its warm-up run fills the cache
    warm_serial_s = median_seconds(kit_build(root, warm_out, jobs=1), repeat)
    kit_build(one_photo, work / "warm-one-photo")()
    render_s = median_seconds(render_home(root, warm_out), render_repeat)
    one_photo_s = median_seconds(render_home(one_photo, work / "warm-one-photo"), render_repeat)

    prepared = prepared_jpegs(warm_out)
    assert len(prepared) == cards, f"expected {cards} prepared photos in the cache, got {len(prepared)}"
    with Image.open(prepared[0]) as image:
        printed = image.size
    resampled = work / "resampled"
    resampled.mkdir()
    resample_s = median_seconds(lambda: resample_floor(photos[:cards], resampled, printed), repeat)
    draw_s = median_seconds(lambda: draw_floor(prepared), repeat)

    per_card_kb = (warm_out / HOME_PDF).stat().st_size / cards / KB
    floor_pdf_kb = len(draw_floor(prepared)) / cards / KB
    rows = [
        Row(f"kit warm, {cards} photo cards (jobs={BUILD_JOBS}) ÷ draw", warm_s, draw_s, GOAL_WARM),
        Row("  the same, jobs=1 (for information)", warm_serial_s, draw_s),
        Row("  photos' part of its render (see module doc)", render_s - one_photo_s, draw_s,
            note=f"(render {render_s:.3f}s, with one photo {one_photo_s:.3f}s)"),
        Row(f"kit cold (jobs={BUILD_JOBS}) ÷ resample + draw", cold_s, resample_s + draw_s, GOAL_COLD,
            note="(empty image cache)"),
        Row("  resample floor (Pillow, all cores)", resample_s,
            note=f"({ALL_CORES} processes, {cards} photos to {printed[0]}×{printed[1]} px)"),
        Row("  draw floor (reportlab, 1 process)", draw_s, note=f"({cards} images + titles, fronts and backs)"),
        Row("home PDF size per card", per_card_kb, unit="KB", goal=GOAL_KB_PER_CARD,
            note=f"(draw floor's PDF: {floor_pdf_kb:.1f} KB a card)"),
    ]
    for size in memory_cards:
        size_root = write_kit(work / f"kit-{size}", photos, size)
        own, workers = peak_memory_mb(size_root, work / f"memory-{size}")
        rows.append(Row(f"peak memory, cold build of {size} cards", max(own, workers), unit="MB",
                        goal=GOAL_PEAK_MB, note=f"(main process {own:.0f} MB, largest worker {workers:.0f} MB; "
                                                f"{size} distinct photos)"))
    return rows


if __name__ == "__main__" and sys.argv[1:2] == ["--peak-memory"]:
    report_peak_memory(*sys.argv[2:4])
