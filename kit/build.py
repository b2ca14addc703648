"""Turn a kit folder into its output files, rendering only what changed: load → check → plan → render → commit.

The engine keeps, in a manifest under output/.cache, the digest of every input each output read
and of every file it wrote. A build:

- answers at once when nothing the kit holds changed since the last full build (file stats only:
  no content is parsed, no renderer imported);
- otherwise loads and checks the content, plans the whole kit, and renders only the outputs whose
  inputs changed (or whose files were deleted or edited on disk), saying why; an output that
  reads only other outputs' pages (a print list) renders beside them, with their pages of the
  last build, and again only if those changed;
- renders into a staging folder under output/.cache, in parallel processes that return digests,
  not bytes (they go on from the checks to the first renders; one that needs a layout the other
  is making renders something else meanwhile); only when every output rendered does it move the
  files into place, delete the outputs whose content was removed, and save the manifest. A
  failed build leaves every previous output and the manifest as they were.

An `Engine` kept in one process (what `kit serve` does) also keeps the file digests it has seen.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass, field, replace
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from kit.checks import start_checks
from kit.digests import (Digester, FileDigests, bytes_digest, file_sha256, package_digest, shape_digest, text_digest,
                         tree_snapshot)
from kit.errors import ContentError, OutputError, StrictWarnings, UsageError
from kit.manifest import Entry, FileRecord, Manifest, reason
from kit.output_lock import LockedOutputFolder, OutputLock
from kit.outputs import MADE_FROM, LayoutBusy, Output, RenderContext
from kit.plan import Plan, plan, select
from kit.writer import check_writable, commit_files, remove_files, target_path

if TYPE_CHECKING:
    from kit.content import Content
    from kit.pool import Pool

# Content loading and the generators are imported when a build has something to do: a build that
# finds nothing changed answers from the manifest alone, and starts fast.

log = logging.getLogger("kit")

CACHE_DIR_NAME = ".cache"
STAGING_PREFIX = "staging-"
TMP_NAME = "tmp"
PARSE_DIR = "yaml"
# What a kit holds: its settings, its content and its images (content may name images elsewhere
# in the kit: those are in the manifest as file inputs and looked at too).
KIT_FOLDERS = ("content", "images")
KIT_FILES = ("kit.yaml",)

RENDERED, UP_TO_DATE, REMOVED = "rendered", "up-to-date", "removed"


@dataclass
class OutputReport:
    """What a build did with one output, and why."""

    path: str
    kind: str
    status: str              # rendered | up-to-date | removed
    reason: str = ""
    pages: int = 0
    seconds: float = 0.0
    files: tuple[str, ...] = ()
    # While the build runs, a rendered output's files are in the staging folder until all are
    # done: where, and their digests (the preview shows them before they move into place).
    staged: Path | None = None
    digests: dict[str, str] = field(default_factory=dict)
    # What the output is of, from the plan: the CLI names a session's main files by them.
    subject: str = ""
    edition: str = ""


@dataclass
class Summary:
    """What a build did, for the CLI's closing lines and `kit build --json`."""

    reports: list[OutputReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    changed: int = 0         # files whose bytes changed on disk

    def of(self, status: str) -> list[OutputReport]:
        return [r for r in self.reports if r.status == status]

    @property
    def outputs(self) -> list[OutputReport]:
        return [r for r in self.reports if r.status != REMOVED]

    @property
    def pages(self) -> int:
        return sum(r.pages for r in self.outputs)

    @property
    def files(self) -> list[str]:
        return [f for r in self.outputs for f in r.files]

    def as_json(self) -> dict:
        return {
            "outputs": [{"path": r.path, "kind": r.kind, "status": r.status, "pages": r.pages,
                         "reason": r.reason, "seconds": round(r.seconds, 3), "files": list(r.files)}
                        for r in self.reports],
            "totals": {"outputs": len(self.outputs), "rendered": len(self.of(RENDERED)),
                       "up_to_date": len(self.of(UP_TO_DATE)), "removed": len(self.of(REMOVED)),
                       "files": len(self.files), "changed_files": self.changed, "pages": self.pages,
                       "warnings": len(self.warnings), "seconds": round(self.seconds, 3)},
            "warnings": self.warnings,
        }


Progress = Callable[[OutputReport], None]


@dataclass
class Task:
    """What a worker sends back for one output: digests of the files it staged, never their bytes."""

    path: str
    files: dict[str, str]
    pages: int
    warnings: list[str]
    seconds: float
    shape: str = ""  # kit.digests.shape_digest of the files, when another output reads it
    cost: float = 0.0  # processor seconds: the render without any wait for another worker's layout


@dataclass(frozen=True)
class Deferred:
    """What a worker sends back for an output that needs a layout another worker is making: it is
    rendered later, and the worker renders another output meanwhile instead of waiting."""

    path: str


# The content and render context of the build in progress, in this process; a worker receives
# them once per build, pickled (a worker may have been started before the content was loaded).
_STATE: tuple[Content, RenderContext] | None = None
# What a worker received of the build in progress, by use ("render", "check"): the digest of the
# pickled bytes and what they hold, unpickled once per build.
_RECEIVED: dict[str, tuple[str, object]] = {}


def _received(use: str, key: str, data: bytes):
    held = _RECEIVED.get(use)
    if held is None or held[0] != key:
        import pickle

        held = _RECEIVED[use] = (key, pickle.loads(data))
        _settle()
    return held[1]


def _settle() -> None:
    """Set this worker's garbage collector for rendering: what it holds for the whole build (its
    imports, the content it was sent) is left out of the collector's passes, and a pass comes every
    20 000 new objects, not 700. A layout makes hundreds of thousands of boxes and styles that live
    until its PDF is written, which the default passes walked again and again: on the default kit a
    dozen passes a build instead of about 480, and half the collector's time (0.35 s to 0.2 s).
    The worker ends with the build."""
    import gc

    gc.freeze()
    gc.set_threshold(20_000, 10, 10)


def warm_up_renderers(modules: tuple[str, ...], fonts: bool = True, dictionaries: bool = False) -> None:
    """Import these renderers (weasyprint, reportlab) and load pango and the fonts: in a new worker
    while the parent loads the content, and in kit's warm process (kit.warm). reportlab reads kit's
    fonts where they are; weasyprint copies them to a temporary folder, so the warm process, which
    builds nothing, leaves them to each build (`fonts`), and loads the hyphenation dictionaries
    (`dictionaries`; kit.documents.warm_up)."""
    for module in modules:
        try:
            import_renderer(module)
        except ImportError:  # a renderer that cannot import fails its own outputs, with its own error
            pass
    if any(module.startswith("kit.") for module in modules):  # kit's own drawing, with reportlab
        from kit.theme import register_reportlab_fonts

        register_reportlab_fonts()  # Inter's five files parsed: a fifth of a second, read-only
    if "weasyprint" in modules:
        from kit.documents import warm_up

        try:
            warm_up(fonts, dictionaries)
        except Exception:  # noqa: BLE001 — only a head start: the first real document reports any problem
            pass


def warm_up_for(kinds, known: dict[str, list], cache_dir: Path) -> None:
    """A build's first worker, before it forks the others: the renderers of these output kinds,
    found (kit's generators imported) there, not in the build's process, which imports the
    generators for itself meanwhile, as it loads the content; the digests the build has of the
    kit's files (kit.images.remember_digests: a photo is not hashed again to find its prepared
    file); and the templates compiled by earlier builds (kit.documents.use_template_cache)."""
    from kit import images
    from kit.documents import use_template_cache

    images.remember_digests(known)
    use_template_cache(cache_dir)
    warm_up_renderers(renderers_of(kinds))


def renderers_of(kinds) -> tuple[str, ...]:
    """The drawing libraries the generators of these outputs name: each item an output kind (its
    generator's `renderers`) or a (kind, edition) pair (its `renderers_for(edition)`, if it has one:
    a guide's pocket cards and its pairs' copies do not draw with the same libraries)."""
    from kit.generators import GENERATORS

    modules: set[str] = set()
    for item in kinds:
        kind, edition = item if isinstance(item, tuple) else (item, None)
        generator = GENERATORS.get(kind)
        if generator is None:
            continue
        by_edition = getattr(generator, "renderers_for", None)
        modules.update(by_edition(edition) if edition is not None and by_edition else getattr(generator, "renderers", ()))
    return tuple(sorted(modules))


def import_renderer(module: str) -> None:
    """Import a drawing library a generator names in `renderers` (weasyprint the quick way)."""
    if module == "weasyprint":
        from kit.weasyprint_import import import_weasyprint

        import_weasyprint()
    else:
        import_module(module)


def _check_in_worker(kind: str, name: str, cache_dir: Path, key: str, content: bytes):
    """Measure one check in a worker, on the content the checks of this build measure."""
    from kit.checks import run_named
    from kit.generators import GENERATORS

    return run_named(_received("check", key, content), GENERATORS, kind, name, cache_dir)


def render_in_worker(output: Output, key: str, state: bytes, shaped: bool = False, ahead: bool = False,
                     may_defer: bool = False) -> Task | Deferred:
    """`may_defer`: an output that needs a layout another worker is making comes back Deferred."""
    global _STATE
    _STATE = _received("render", key, state)
    try:
        return render_task(output, shaped, ahead, wait=not may_defer)
    except LayoutBusy:
        return Deferred(output.path)


def render_task(output: Output, shaped: bool = False, ahead: bool = False, wait: bool = True) -> Task:
    """Render one output into the staging folder (in a worker, or in this process); `shaped`: also
    measure its pages, for an output that reads them (kit.digests.shape_digest); `ahead`: read the
    outputs it is made from as the last build left them, not as this build is staging them; `wait`:
    False raises LayoutBusy when a layout it needs is being made by another process."""
    from kit.generators import GENERATORS

    content, context = _STATE  # type: ignore[misc]
    if ahead or not wait:
        context = replace(context, read_staged=context.read_staged and not ahead, wait_for_layouts=wait)
    started, processor = time.perf_counter(), time.process_time()
    rendered = GENERATORS[output.kind].render(output, content, context)
    files: dict[str, str] = {}
    for relative in [*rendered.files, *rendered.written]:
        if relative != output.path and not relative.startswith(output.path + "/"):
            raise OutputError(f"output/{relative}: written by {output.kind} for output/{output.path}; "
                              f"an output writes only its own path")
    for relative, data in rendered.files.items():
        staged = context.staged(relative)
        staged.write_bytes(data)
        files[relative] = bytes_digest(data)
    for relative in rendered.written:
        files[relative] = file_sha256(context.staged(relative))
    shape = shape_digest({relative: context.staged(relative) for relative in files}) if shaped else ""
    return Task(output.path, files, rendered.pages, list(rendered.warnings), time.perf_counter() - started, shape,
                time.process_time() - processor)


def render_one(output: Output, content: Content, context: RenderContext):
    """One output rendered in memory (its Rendered), outside the engine: for tests and benchmarks."""
    from kit.generators import GENERATORS

    return GENERATORS[output.kind].render(output, content, context)


def prepare_images(outputs: list[Output], content: Content, context: RenderContext, jobs: int) -> int:
    """Fill the image cache for every photo the outputs draw, each once, over every core; how many.

    A generator takes part by having `images(output, content, context)`, listing the photos
    (kit.images.PhotoRequest) it will ask `kit.images.prepare` for while rendering.
    """
    from kit.generators import GENERATORS

    requests = []
    for output in outputs:
        images = getattr(GENERATORS[output.kind], "images", None)
        if images is not None:
            requests.extend(images(output, content, context))
    if not requests:
        return 0
    from kit.images import prepare_all

    return prepare_all(requests, context.cache_dir, jobs)


def default_jobs() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(4, cores))


def setting_text(config, name: str) -> str:
    """One kit.yaml setting as stable text, for its digest."""
    printing = config.printing
    values = {
        "theme": ";".join(f"{k}={v}" for k, v in sorted(config.colours.items())),
        "print.duplex": printing.duplex,
        "print.back_offset": repr(tuple(printing.back_offset_mm)),
        "print.greyscale": repr(printing.greyscale),
        "print.gutter": repr(printing.gutter_mm),
        "print.backs": printing.backs,
    }
    if name in values:
        return values[name]
    return repr(getattr(config, name.replace(".", "_")))


class Engine:
    """Builds one kit into one output folder; keep it for repeated builds (a watcher's loop)."""

    def __init__(self, kit_root: Path, out_dir: Path | None = None, jobs: int | None = None):
        self.kit_root = kit_root.resolve()
        self.out_dir = (out_dir or kit_root / "output").resolve()
        self.cache_dir = self.out_dir / CACHE_DIR_NAME
        self.jobs = jobs or default_jobs()
        self.manifest: Manifest | None = None
        self.files: FileDigests | None = None

    # -- the pipeline ---------------------------------------------------------------------------

    def check(self) -> tuple[Content, list[str]]:
        """Load and check the content as a build would, rendering nothing: (content, warnings).

        The checks' results are kept in the manifest (nothing else of it changes), so checking
        an unchanged kit again measures nothing. They are kept in an output folder that exists
        already (checking never creates one), and only when no build is writing there: the
        check then holds the folder's lock, so that neither saves its manifest over the other's;
        where kit cannot write, they are measured again.
        """
        lock = OutputLock(self.cache_dir)
        keep = False
        if self.out_dir.is_dir():
            try:
                self.cache_dir.mkdir(exist_ok=True)
                keep = lock.acquire(wait=False) or not lock.available
            except OSError:
                pass
        try:
            manifest, files = self.remembered()
            log.info("load")
            try:
                content, _, warnings = self.load_and_check(manifest, files)
            finally:
                manifest.stat = files.known
                self.manifest, self.files = manifest, files
                if keep:
                    try:
                        manifest.save(self.cache_dir)
                    except OSError:
                        pass
        finally:
            lock.release()
        return content, warnings

    def build(self, only: list[str] | None = None, session: str | None = None, strict: bool = False,
              progress: Progress | None = None, on_plan: Callable[[list[Output]], None] | None = None,
              force: bool = False, on_render: Callable[[list[Output]], None] | None = None,
              on_wait: Callable[[int | None, bool], None] | None = None) -> Summary:
        """`on_plan` gets the outputs chosen, `on_render` each group about to render (a progress bar's
        total), `progress` each output rendered, `on_wait` the pid of another build of the same
        output folder this one waits for, if it must (kit.output_lock.OutputLock)."""
        with LockedOutputFolder(self.cache_dir, on_wait) as folder:
            started = time.perf_counter()  # once another build of the folder has finished
            # A first build (it made the cache folder, or could not) makes the rest of its folders
            # once the content is valid, or says why it cannot; a failed one removes what it made.
            return self._build(only, session, strict, progress, on_plan, force, on_render, started,
                               rebuild=not folder.made and self.cache_dir.is_dir())

    def _build(self, only, session, strict, progress, on_plan, force, on_render, started: float,
               rebuild: bool) -> Summary:
        manifest, files = self.remembered()
        everything = not only and session is None

        log.info("load")
        previous = {path: known[-1] for path, known in files.known.items()}  # the digests of the last build
        snapshot = self.snapshot(manifest, files)
        if everything and not force and snapshot == manifest.snapshot and self.all_intact(manifest):
            self.remember_files(manifest, files)
            return self.nothing_to_do(manifest, strict, on_plan, started)
        if rebuild:
            self.prepare_folders()
        staging: Path | None = None
        try:
            with TemporaryFolder(self.cache_dir) as temporary, Workers(self.jobs, files.known, self.cache_dir) as workers:
                # The workers import the renderers while this process loads the content, then
                # measure the checks side by side: those of the outputs the changed files will
                # likely render, or on a first build those the kit's content folders give.
                if rebuild:
                    workers.start(likely_editions(manifest, self.kit_root, files, previous))
                elif not only:
                    workers.start(_kinds_in_folders(self.kit_root))
                from kit import images

                images.remember_digests(files.known)  # photos hashed once (the workers take them too)
                content, digester, settle_checks = self.load_and_start_checks(manifest, files, workers.run_checks)
                settled: list[list[str]] = []
                chosen: list[Output] | None = None

                def settle() -> list[str]:
                    """The content's and checks' warnings, once the workers have measured the
                    checks; ContentError if they found mistakes. Nothing rendered is kept, nor said
                    to be about to render (`on_plan`, `on_render`), before."""
                    if not settled:
                        settled.append(settle_checks())
                        if on_plan and chosen is not None:
                            on_plan(chosen)
                    return settled[0]

                try:
                    log.info("plan")
                    whole, chosen = self.plan(content, digester, only, session, None)
                    if not rebuild:  # a first build makes its folders now; a failed one removes them
                        self.prepare_folders()
                    check_writable(self.out_dir, [o.path for o in chosen])
                    temporary.point()  # done on entering, unless its folder could not be made then
                    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.cache_dir))
                    reports, tasks, inputs = self.render(whole, chosen, content, manifest, digester, staging,
                                                         force, progress, workers, on_render, settle)
                except Exception:
                    settle()  # the content's mistakes first: they may be why what followed failed
                    raise
                content_warnings = settle()
                warnings = content_warnings + [w for r in reports
                                               for w in (tasks[r.path].warnings if r.path in tasks
                                                         else manifest.entries[r.path].warnings)]
                if strict and warnings:
                    raise StrictWarnings(warnings)

                log.info("write")
                entries = {path: self.entry(whole.by_path[path], inputs[path], task, manifest.entries.get(path))
                           for path, task in tasks.items()}
                removed = [path for path in manifest.entries if path not in whole.by_path]
                changed = self.commit(staging, tasks, manifest, entries, removed)
        finally:
            if staging is not None:  # once the workers have stopped: none still writes into it
                shutil.rmtree(staging, ignore_errors=True)
        reports += self.record(manifest, files, entries, removed, content_warnings, everything)
        return Summary(reports, warnings, time.perf_counter() - started, changed)

    def remembered(self) -> tuple[Manifest, FileDigests]:
        """What the last build left: the manifest, and the file digests (kept in memory when warm)."""
        manifest = self.manifest if self.manifest is not None else Manifest.load(self.cache_dir)
        files = self.files if self.files is not None else FileDigests(manifest.stat)
        files.forget_seen()
        return manifest, files

    def load_and_check(self, manifest: Manifest, files: FileDigests, runner=None):
        """The content, a digester of its inputs, and the warnings of the content and the checks;
        raises ContentError with every mistake. `runner(content)` gives what measures the checks
        (a kit.checks.Runner; one after the other here by default)."""
        content, digester, settle = self.load_and_start_checks(manifest, files, runner)
        return content, digester, settle()

    def load_and_start_checks(self, manifest: Manifest, files: FileDigests, runner=None):
        """load_and_check in two steps: the content and a digester once it is loaded and its checks
        started, and `settle()`, which waits for the checks and gives the warnings (or raises
        ContentError with every mistake; each call reads the results again): a build queues its
        first renders before it settles."""
        from kit import images
        from kit.content import load_kit
        from kit.content.fields import use_parse_cache
        from kit.generators import GENERATORS

        images.remember_decoded(manifest.decoded)
        # Parses are kept in an output folder that exists (a first build or check creates none early).
        use_parse_cache(self.cache_dir / PARSE_DIR if self.out_dir.is_dir() else None)
        try:
            content = load_kit(self.kit_root)
        finally:
            use_parse_cache(None)
            root = str(self.kit_root) + os.sep
            manifest.decoded = {path: stamp for path, stamp in images.decoded().items() if path.startswith(root)}
        log.info("check")
        digester = Digester(self.kit_root, files, lambda name: setting_text(content.config, name))
        finish = start_checks(content, GENERATORS, digester, manifest.checks, self.cache_dir,
                              **({"runner": runner(content)} if runner else {}))

        def settle() -> list[str]:
            errors, warnings = finish()
            if errors:
                raise ContentError(errors)
            return [w.readable() for w in sorted(set(content.warnings) | set(warnings))]
        return content, digester, settle

    def plan(self, content: Content, digester: Digester, only, session, on_plan) -> tuple[Plan, list[Output]]:
        """The whole kit's plan (what is removed is judged on it) and the outputs chosen to build."""
        from kit.generators import GENERATORS

        whole = plan(content, GENERATORS)
        chosen = select(whole, content, only, session)
        if on_plan:
            on_plan(chosen)
        digester.printed = whole.printed
        return whole, chosen

    def record(self, manifest: Manifest, files: FileDigests, entries: dict[str, Entry], removed: list[str],
               warnings: list[str], everything: bool) -> list[OutputReport]:
        """Keep what this build made in the manifest (saved, and in memory for the next build); the
        reports of the removed outputs."""
        reports = [OutputReport(path, manifest.entries[path].kind, REMOVED, "its content was removed")
                   for path in removed]
        for path in removed:
            del manifest.entries[path]
        manifest.entries.update(entries)
        # Only a build of everything vouches for the whole kit (new file inputs may have joined).
        manifest.snapshot = self.snapshot(manifest, files) if everything else ""
        manifest.warnings = warnings
        manifest.stat = files.known
        manifest.save(self.cache_dir)
        self.manifest, self.files = manifest, files
        return reports

    def render(self, whole: Plan, chosen: list[Output], content: Content, manifest: Manifest,
               digester: Digester, staging: Path, force: bool, progress: Progress | None, workers: Workers,
               on_render: Callable[[list[Output]], None] | None = None, settle: Callable[[], Any] = lambda: None):
        """Decide what is out of date and render it, each output after those it is made from.
        `settle()` waits for the content's checks (and raises their mistakes): called once the first
        renders are queued behind them in the workers, and before any render is done here or kept."""
        global _STATE
        context = RenderContext(theme=_theme(content), kit_root=self.kit_root, cache_dir=self.cache_dir,
                                staging_dir=staging, printed=whole.printed, out_dir=self.out_dir)
        tasks: dict[str, Task] = {}
        inputs: dict[str, dict[str, str]] = {}
        reports: dict[str, OutputReport] = {}

        def output_digest(path: str) -> str:
            if path in tasks:
                return text_digest(";".join(f"{p}={d}" for p, d in sorted(tasks[path].files.items())))
            entry = manifest.entries.get(path)
            return entry.digest if entry else "missing"

        def output_shape(path: str) -> str:
            if path in tasks:
                return tasks[path].shape
            entry = manifest.entries.get(path)
            if entry is None or not manifest.intact(self.out_dir, path):
                return "missing"
            if not entry.shape:  # read by an output for the first time: measured where it is
                entry.shape = shape_digest({relative: self.out_dir / relative for relative in entry.files})
            return entry.shape

        digester.outputs, digester.shapes = output_digest, output_shape
        shaped = {path for output in whole.outputs for path in output.shaped_by}
        # An output that reads only other outputs' pages (a print list) renders beside them, with
        # their pages of the last build; once they are rendered, it renders again only if their
        # pages changed. On several cores it then no longer waits for them, alone at the end.
        ahead = {output.path for output in chosen if self.jobs > 1 and not force and output.shaped_by
                 and set(output.made_from) == set(output.shaped_by)
                 and all(output_shape(path) != "missing" for path in output.shaped_by)}

        def out_of_date(output: Output) -> bool:
            inputs[output.path] = {key: digester(key) for key in output.inputs}
            why = "--force" if force else reason(
                manifest.entries.get(output.path), _identity(output), inputs[output.path],
                manifest.intact(self.out_dir, output.path))
            if why is None:
                entry = manifest.entries[output.path]
                reports[output.path] = OutputReport(output.path, output.kind, UP_TO_DATE, "",
                                                    entry.pages, 0.0, tuple(entry.files),
                                                    subject=output.subject, edition=output.edition)
            else:
                reports[output.path] = OutputReport(output.path, output.kind, RENDERED, why,
                                                    subject=output.subject, edition=output.edition)
            return why is not None

        def guessed_wrong(output: Output) -> bool:
            """Whether an output rendered (or found up to date) ahead saw other pages than are now made."""
            guessed = inputs[output.path]
            return {key: digester(key) for key in output.inputs} != guessed and out_of_date(output)

        _STATE = (content, context)
        by_path = {output.path: output for output in chosen}
        # The chosen outputs each is made from; what it waits for (none for those ahead).
        sources = {o.path: {p for p in o.made_from if p in by_path} for o in chosen}
        needs = {path: set() if path in ahead else made_from for path, made_from in sources.items()}
        waiting = list(chosen)  # in the plan's order
        done: set[str] = set()  # rendered or up to date, and, for those ahead, checked
        unchecked: set[str] = set()  # rendered ahead, their sources not all done yet
        queue: list[Output] = []  # out of date, their sources done: to render
        # Deferred, with their queued siblings: they need a layout a worker is making (a guide's
        # blank master, for every pair's copies). Queued again once a render finishes.
        held: list[Output] = []
        rank = _ranks(chosen, ahead, manifest)
        pool = workers.pool
        running: dict = {}  # future: output
        state: bytes | None = None
        key = ""
        started = False

        def finished(output: Output) -> None:
            (unchecked if output.path in ahead else done).add(output.path)

        def release() -> list[Output]:
            """Outputs whose sources are all done now: those up to date are done too (which may
            release more); those out of date are queued. Those ahead whose sources are all done are
            checked: if their pages are not those of the last build after all, they render again,
            before anything made from them."""
            queued = []
            moved = True
            while moved:
                moved = False
                for output in [o for o in waiting if needs[o.path] <= done]:
                    waiting.remove(output)
                    moved = True
                    if out_of_date(output):
                        queued.append(output)
                    else:
                        finished(output)
                for path in [p for p in unchecked if sources[p] <= done]:
                    unchecked.discard(path)
                    ahead.discard(path)
                    moved = True
                    if guessed_wrong(by_path[path]):
                        queued.append(by_path[path])
                    else:
                        done.add(path)
            return queued

        announced: list[list[Output]] = []  # the groups queued, said (`on_render`) once the checks are settled

        def announce() -> None:
            settle()
            for group in announced:
                if on_render:
                    on_render(group)
            announced.clear()

        def collect(task: Task) -> None:
            tasks[task.path] = task
            report = reports[task.path]
            report.pages, report.seconds, report.files = task.pages, task.seconds, tuple(task.files)
            report.staged, report.digests = staging, task.files
            if progress:
                progress(report)
            finished(by_path[task.path])

        try:
            while True:
                queued = release()
                if queued:
                    state = self.start_rendering(queued, chosen, content, context, workers, started, state)
                    if not started:  # the workers and what they are sent are set once, by the first
                        started, pool = True, workers.pool
                        key = bytes_digest(state) if state is not None else ""
                    queue.extend(queued)
                    announced.append(queued)
                if pool is None:  # here, in the plan's order (the preview's: a session's programme first)
                    announce()
                    if not queue:
                        break
                    output = min(queue, key=lambda o: rank[o.path][1])
                    queue.remove(output)
                    collect(render_task(output, output.path in shaped, output.path in ahead))
                    continue
                # In the workers, those on the longest chain of work first, by what each took last
                # time: a print list and its binder are not left to render alone at the end, while
                # the other cores have nothing to do. No more than the workers can take is sent: one
                # sent ahead would keep its place before an output that becomes ready meanwhile.
                # A worker that needs a layout another is making says so rather than wait for it,
                # while another render runs (which may be the one making it): it takes another output.
                if not running:
                    queue.extend(held)
                    held.clear()
                queue.sort(key=lambda o: rank[o.path])
                while queue and len(running) < self.jobs:
                    output = queue.pop(0)
                    running[pool.submit(render_in_worker, output, key, state, output.path in shaped,
                                        output.path in ahead, may_defer=bool(running))] = output
                announce()  # the first renders wait behind the checks, which are settled first
                if not running:
                    break
                finished_now, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished_now:
                    output = running.pop(future)
                    result = future.result()
                    if isinstance(result, Deferred):
                        # Its siblings (the other copies of one plan) would most likely wait for the same.
                        siblings = [o for o in queue if (o.kind, o.subject, o.edition)
                                    == (output.kind, output.subject, output.edition)]
                        held.extend([output, *siblings])
                        queue[:] = [o for o in queue if o not in siblings]
                    else:
                        collect(result)
                        queue.extend(held)
                        held.clear()
        finally:
            for future in running:
                future.cancel()
            _STATE = None
        return [reports[o.path] for o in chosen], tasks, inputs

    def start_rendering(self, todo: list[Output], chosen: list[Output], content: Content, context: RenderContext,
                        workers: Workers, started: bool, state: bytes | None) -> bytes | None:
        """Before outputs are queued to render: for the first, the photos, the workers and what they
        are sent (the content and context, pickled once). The state sent."""
        if not started:
            log.info("images")
            self.prepare_images(todo, content, context)
            log.info("render")
            if len(todo) > 1 or len(chosen) > 1:
                workers.start({(o.kind, o.edition) for o in chosen})
            if workers.pool is not None:
                import pickle

                state = pickle.dumps((content, context))
        if workers.pool is None:
            from kit.documents import use_template_cache

            use_template_cache(context.cache_dir)
            for module in renderers_of({(o.kind, o.edition) for o in todo}):
                import_renderer(module)  # rendering here, in this process
        return state

    def prepare_images(self, outputs: list[Output], content: Content, context: RenderContext) -> int:
        return prepare_images(outputs, content, context, self.jobs)

    # -- the manifest's side ----------------------------------------------------------------------

    def snapshot(self, manifest: Manifest, files: FileDigests) -> str:
        """One digest of everything outputs can read: the kit's files, kit's code, templates and fonts."""
        extra = sorted({key[5:] for entry in manifest.entries.values() for key in entry.inputs
                        if key.startswith("file:")})
        kit = tree_snapshot(self.kit_root, KIT_FOLDERS, KIT_FILES, files)
        others = [f"{name}={files(self.kit_root / name)}" for name in extra]
        return text_digest("\n".join([kit, package_digest(files), *others]))

    def all_intact(self, manifest: Manifest) -> bool:
        return bool(manifest.entries) and all(manifest.intact(self.out_dir, path) for path in manifest.entries)

    def remember_files(self, manifest: Manifest, files: FileDigests) -> None:
        """Keep the file digests a build with nothing to do had to compute again (a file touched)."""
        self.manifest, self.files = manifest, files
        if files.known != manifest.stat:
            manifest.stat = dict(files.known)
            try:
                manifest.save_known(self.cache_dir)
            except OSError:  # an output folder kit cannot write to: measured again next time
                pass

    def nothing_to_do(self, manifest: Manifest, strict: bool, on_plan, started: float) -> Summary:
        """The summary of a build that found nothing changed since the last full build."""
        reports = [OutputReport(path, entry.kind, UP_TO_DATE, "", entry.pages, 0.0, tuple(entry.files),
                                subject=entry.subject, edition=entry.edition)
                   for path, entry in manifest.entries.items()]
        warnings = list(manifest.warnings) + [w for entry in manifest.entries.values() for w in entry.warnings]
        if on_plan:
            on_plan(reports)
        if strict and warnings:
            raise StrictWarnings(warnings)
        return Summary(reports, warnings, time.perf_counter() - started)

    def entry(self, output: Output, inputs: dict[str, str], task: Task, last: Entry | None) -> Entry:
        # Sizes and times are filled in once the files are in place (commit).
        records = {relative: FileRecord(sha, 0, 0) for relative, sha in task.files.items()}
        # What the next build orders by: the costliest this output has been lately. A render that
        # found its layout cached cost next to nothing, and the next one, with a real edit, may not:
        # it must not be put last and end the build alone on one core.
        cost = max(task.cost, last.cost / 2 if last is not None else 0.0)
        return Entry(output.kind, _identity(output), inputs, records, task.pages, task.warnings, task.seconds,
                     subject=output.subject, edition=output.edition, shape=task.shape, cost=cost)

    def prepare_folders(self) -> None:
        """The output and cache folders, or one clear error saying why kit cannot write there."""
        if not (self.kit_root / "kit.yaml").is_file():  # moved or deleted meanwhile: never recreate it
            raise UsageError(f"{self.kit_root}: the kit folder is gone (moved or deleted)")
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            probe = tempfile.NamedTemporaryFile(dir=self.cache_dir, prefix=".probe-")
            probe.close()
        except OSError as error:
            raise OutputError(f"{self.out_dir}: cannot write the outputs here ({error.strerror or error}); "
                              f"choose another folder with --out") from None
        for leftover in self.cache_dir.glob(STAGING_PREFIX + "*"):  # from a build that was killed
            shutil.rmtree(leftover, ignore_errors=True)

    def commit(self, staging: Path, tasks: dict[str, Task], manifest: Manifest, entries: dict[str, Entry],
               removed: list[str]) -> int:
        """Move every staged file into place (identical files are left alone), then delete the files
        of removed outputs. Every target folder is checked writable before the first move."""
        moves = {relative: (staging / relative, sha) for task in tasks.values()
                 for relative, sha in task.files.items()}
        changed = commit_files(self.out_dir, moves)
        for entry in entries.values():  # the sizes and times the files have now, in place
            for relative, record in entry.files.items():
                stat = os.stat(target_path(self.out_dir, relative))
                record.size, record.mtime_ns = stat.st_size, stat.st_mtime_ns
        remove_files(self.out_dir, [f for path in removed for f in manifest.entries[path].files
                                    if f not in moves])
        return changed


class Workers:
    """The render processes of one build (kit.pool), started when first needed or at once on a
    build of the whole kit: the first imports the renderers (about a second) while this process
    loads the content, and forks the others; they measure the checks side by side before they render."""

    def __init__(self, jobs: int, known: dict[str, list], cache_dir: Path):
        self.jobs = jobs
        self.known, self.cache_dir = known, cache_dir  # for warm_up_for
        self.pool: Pool | None = None  # imported with its first worker: a no-op build starts none

    def run_checks(self, content: Content):
        """What measures the checks (kit.checks.Runner): the workers when they run, else this process."""
        from kit.checks import run_serially

        def run(todo, cache_dir) -> list:
            if self.pool is None or len(todo) < 2:
                return run_serially(todo, cache_dir)
            import pickle

            state = pickle.dumps(content)
            key = bytes_digest(state)
            # The costliest first, so that none is left to run alone at the end; results in order.
            futures = {check.name: self.pool.submit(_check_in_worker, kind, check.name, cache_dir, key, state)
                       for kind, check in sorted(todo, key=lambda item: -item[1].cost)}
            return lambda: [futures[check.name].result() for _, check in todo]
        return run

    def start(self, kinds: set[str]) -> None:
        """Fork the workers, with the renderers of these output kinds (and no other: a kit of card
        decks never loads weasyprint)."""
        if self.pool is not None or self.jobs <= 1:
            return
        from kit import early_worker
        from kit.pool import Pool

        self.pool = Pool(self.jobs, warm_up_for, (kinds, self.known, self.cache_dir), early=early_worker.take())

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


# What an output that has never rendered is taken to cost, in seconds: about a one-page document.
UNKNOWN_COST = 0.3


def _ranks(outputs: list[Output], ahead: set[str], manifest: Manifest) -> dict[str, tuple[float, int]]:
    """The order outputs render in: (minus the longest chain of work that starts with it, its place
    in the plan). The chain of an output is what it costs and then the longest of the outputs made
    from it (a session's print list, then its binder), by what each took last time."""
    chain: dict[str, float] = {}
    made_into: dict[str, list[str]] = {}
    for output in outputs:
        if output.path not in ahead:
            for source in output.made_from:
                made_into.setdefault(source, []).append(output.path)
    for output in reversed(outputs):  # the plan's order puts an output after those it is made from
        cost = _last_cost(manifest, output.path)
        chain[output.path] = cost + max((chain.get(p, 0.0) for p in made_into.get(output.path, ())), default=0.0)
    return {output.path: (-chain[output.path], place) for place, output in enumerate(outputs)}


# Which output kinds a kit's content folders give, before the content is read: enough to know
# which renderers its workers need (weasyprint for documents, reportlab for cards).
FOLDER_KINDS = {"sessions": "agenda", "guides": "guide", "field": "field-overview", "worksheets": "service-sheet",
                "decks": "deck"}


def likely_editions(manifest: Manifest, kit_root: Path, files: FileDigests,
                    previous: dict[str, str]) -> set[tuple[str, str]]:
    """The (kind, edition) of the outputs a rebuild will likely render, guessed before the content
    is read: those that read a file whose digest changed since the last build, and those made from
    them. A changed file no output read (kit.yaml, kit's code or templates, a new file) may change
    anything: every one then. Only a head start for the workers: a renderer not guessed is imported
    when needed."""
    everything = {(entry.kind, entry.edition) for entry in manifest.entries.values()}
    readers: dict[str, set[str]] = {}
    for path, entry in manifest.entries.items():
        for key in entry.inputs:
            if key.startswith("file:"):
                readers.setdefault(str(kit_root / key[len("file:"):]), set()).add(path)
    dirty: set[str] = set()
    for name, digest in files.seen.items():
        if previous.get(name) != digest:
            if name not in readers:
                return everything
            dirty |= readers[name]
    grown = True
    while grown:  # outputs made from outputs that render
        before = len(dirty)
        dirty |= {path for path, entry in manifest.entries.items()
                  if any(key.startswith(MADE_FROM) and key.partition(":")[2] in dirty for key in entry.inputs)}
        grown = len(dirty) > before
    return {(manifest.entries[path].kind, manifest.entries[path].edition) for path in dirty}


def _kinds_in_folders(kit_root: Path) -> set[str]:
    content = kit_root / "content"
    return {kind for folder, kind in FOLDER_KINDS.items() if (content / folder).is_dir()}


def _last_cost(manifest: Manifest, path: str) -> float:
    """What an output cost to render last time: its processor time, not its wall time, which counts
    the wait for a layout another worker was doing (the per-pair copies share their guide's);
    UNKNOWN_COST for one never rendered."""
    entry = manifest.entries.get(path)
    return (entry.cost or entry.seconds) if entry is not None else UNKNOWN_COST


def _identity(output: Output) -> str:
    return repr((output.kind, output.subject, output.edition, output.options))


def _theme(content: Content):
    from kit.theme import Theme

    return Theme.from_config(content.config)


class TemporaryFolder:
    """Point the system temp folder of this process (and its forked workers) into the cache while
    building, then delete it: libraries' temp files (weasyprint's copies of kit's fonts, made as
    soon as a check or a worker's warm-up lays out a line) never go to, nor stay in, the system's.
    Only one build of an output folder uses it at a time (kit.output_lock), and a failed first
    build's folders go with it (LockedOutputFolder)."""

    def __init__(self, cache_dir: Path):
        self.path = cache_dir / TMP_NAME
        self.previous: str | None = None

    def __enter__(self):
        self.previous = tempfile.tempdir
        try:
            self.point()
        except OSError:  # a folder kit cannot write to: the build reports it, once it knows the outputs
            pass
        return self

    def point(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        tempfile.tempdir = str(self.path)

    def __exit__(self, *exc):
        tempfile.tempdir = self.previous
        shutil.rmtree(self.path, ignore_errors=True)


def build(kit_root: Path, out_dir: Path | None = None, only: list[str] | None = None,
          strict: bool = False, jobs: int | None = None, progress: Progress | None = None,
          on_plan: Callable[[list[Output]], None] | None = None, session: str | None = None,
          force: bool = False, on_render: Callable[[list[Output]], None] | None = None,
          on_wait: Callable[[int | None, bool], None] | None = None) -> Summary:
    """The whole pipeline for one kit folder; raises a KitError for anything the user must fix."""
    engine = Engine(kit_root, out_dir, jobs)
    return engine.build(only=only, session=session, strict=strict, progress=progress, on_plan=on_plan, force=force,
                        on_render=on_render, on_wait=on_wait)
