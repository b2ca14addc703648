"""Turn a kit folder into its output files: load → plan → render → write.

Rendering happens entirely in memory before anything is written, so a build that fails on any
output leaves every previous output file as it was. Outputs render in parallel processes when
there are several and more than one core. Before that, the photos every output will draw are
prepared (resampled into the image cache) over all the jobs: an output renders in one process,
so a deck's photos would otherwise be resampled one after the other.
"""

from __future__ import annotations

import logging
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Callable

from kit.content import Content, load_kit
from kit.errors import OutputError, StrictWarnings
from kit.generators import GENERATORS, RenderContext, Rendered
from kit.plan import Output, plan
from kit.theme import Theme
from kit.writer import write_all

log = logging.getLogger("kit")

CACHE_DIR_NAME = ".cache"


@dataclass
class Summary:
    """What a build did, for the closing line of the CLI."""

    outputs: list[Output]
    files: dict[str, int] = field(default_factory=dict)  # path → size in bytes
    pages: int = 0
    changed: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


Progress = Callable[[Output], None]


def render_one(output: Output, content: Content, context: RenderContext) -> Rendered:
    return GENERATORS[output.kind].render(output, content, context)


def render_all(outputs: list[Output], content: Content, context: RenderContext,
               jobs: int, progress: Progress | None = None) -> list[Rendered]:
    """Render every output, in parallel processes when worth it; results in the plan's order."""
    results: list[Rendered | None] = [None] * len(outputs)
    if jobs <= 1 or len(outputs) <= 1:
        for index, output in enumerate(outputs):
            results[index] = render_one(output, content, context)
            if progress:
                progress(output)
        return results  # type: ignore[return-value]
    # Fork keeps the registered fonts and imported libraries of this process: no start-up cost.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as pool:
        futures = {pool.submit(render_one, output, content, context): index
                   for index, output in enumerate(outputs)}
        for future in as_completed(futures):
            index = futures[future]
            results[index] = future.result()
            if progress:
                progress(outputs[index])
    return results  # type: ignore[return-value]


def prepare_images(outputs: list[Output], content: Content, context: RenderContext, jobs: int) -> int:
    """Fill the image cache for every photo the outputs draw, each once; how many were prepared.

    A generator takes part by having `images(output, content, context)`, listing the photos
    (kit.images.PhotoRequest) it will ask `kit.images.prepare` for while rendering.
    """
    from kit.images import prepare_all

    requests = []
    for output in outputs:
        images = getattr(GENERATORS[output.kind], "images", None)
        if images is not None:
            requests.extend(images(output, content, context))
    return prepare_all(requests, context.cache_dir, jobs) if requests else 0


def default_jobs() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def build(kit_root: Path, out_dir: Path | None = None, only: list[str] | None = None,
          strict: bool = False, jobs: int | None = None, progress: Progress | None = None,
          on_plan: Callable[[list[Output]], None] | None = None, session: str | None = None) -> Summary:
    """The whole pipeline for one kit folder; raises a KitError for anything the user must fix."""
    started = time.perf_counter()
    out_dir = out_dir or kit_root / "output"

    log.info("load")
    content = load_kit(kit_root)

    log.info("plan")
    outputs = plan(content, only, session)
    if on_plan:
        on_plan(outputs)

    context = RenderContext(theme=Theme.from_config(content.config), kit_root=kit_root.resolve(),
                            cache_dir=out_dir.resolve() / CACHE_DIR_NAME)
    jobs = jobs or default_jobs()
    log.info("images")
    prepare_images(outputs, content, context, jobs)

    log.info("render")
    rendered = render_all(outputs, content, context, jobs, progress)
    warnings = [str(w) for w in content.warnings] + [w for r in rendered for w in r.warnings]
    if strict and warnings:
        raise StrictWarnings(warnings)

    log.info("write")
    files: dict[str, bytes] = {}
    for output, result in zip(outputs, rendered):
        for path, data in result.files.items():
            if path in files:
                raise OutputError(f"output/{path}: written twice (the second time by {output.kind} "
                                  f"from {', '.join(output.sources)}); rename one of them")
            files[path] = data
    changed = write_all(out_dir, files)

    return Summary(outputs=outputs, files={p: len(b) for p, b in files.items()},
                   pages=sum(r.pages for r in rendered), changed=changed,
                   seconds=time.perf_counter() - started, warnings=warnings)
