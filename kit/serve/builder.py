"""Turn requests to build (the first one, then one per save) into engine builds run one at a time, and their results into page states.

One thread owns the engine: builds never overlap. A request that comes while a build runs is
remembered once, so any number of saves during a build give exactly one more build after it.
Stopping cancels a running build when its next output finishes: the engine then discards its
staging folder and leaves the outputs and the manifest as they were.
"""

from __future__ import annotations

import threading
import time
import traceback
from pathlib import Path
from typing import Callable

from kit.errors import ContentError, KitError
from kit.serve.state import OutputFile, Preview, group_outputs
from kit.serve.thumbs import Thumbnails, has_pages
from kit.serve.watcher import kit_gone
from kit.serve.words import words

# Edits to kit.yaml or images can touch every output: render those in parallel. A save of one
# content file re-renders a handful of outputs, faster in this warm process than in forked workers.
WIDE_INPUTS = ("kit.yaml", "images/")
# The kind of output rendered once in this process to warm it (weasyprint: agendas, guides, sheets).
WARM_KIND = "agenda"


class BuildCancelled(Exception):
    """Raised inside a build to stop it (the server is stopping)."""


class BuildLoop:
    """Runs the engine's builds in one thread, on request; publishes each new state of the page."""

    def __init__(self, engine, preview: Preview, thumbs: Thumbnails, publish: Callable[[dict], None],
                 say: Callable[[str], None] = print):
        self.engine = engine
        self.preview = preview
        self.thumbs = thumbs
        self.publish = publish
        self.say = say
        self.parallel_jobs = engine.jobs
        self.builds = 0                       # how many builds ran (the tests count them)
        self._wanted = False
        self._changed: set[str] = set()
        self._first = True
        self._warm = False
        self._stopping = False
        self._idle = True
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="kit-build")

    def start(self) -> None:
        self._thread.start()

    def request(self, changed: set[str] | None = None) -> None:
        """Ask for a build (changed: the kit files a save touched, relative to the kit)."""
        with self._cond:
            self._wanted = True
            self._changed |= changed or set()
            self._cond.notify()

    def stop(self, timeout: float | None = None) -> None:
        """Cancel the build in progress (at its next finished output), run no other, and wait."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """Block until no build runs or is wanted (for tests and benchmarks)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not (self._idle and not self._wanted):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    # -- the thread ---------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._wanted and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                self._wanted, changed, self._changed = False, self._changed, set()
                self._idle = False
            self.preview.idle = False
            try:
                self._build(changed)
            finally:
                with self._cond:
                    self._idle = True
                    self.preview.idle = not self._wanted
                    self._cond.notify_all()

    def _waiting(self, pid: int | None, again: bool) -> None:
        """Another build of the output folder runs (`kit build` in a terminal): said once, then
        waited for, unless kit serve is being stopped."""
        from kit.output_lock import waiting_message

        self._check_stop()
        if not again:
            self.say(f"kit serve: {waiting_message(str(self.engine.out_dir) + '/', pid)}")

    def _check_stop(self, *_args) -> None:
        if self._stopping:
            raise BuildCancelled()

    def _build(self, changed: set[str]) -> None:
        self.builds += 1
        root = self.engine.kit_root
        if kit_gone(root):
            self.publish(self.preview.missing())
            self.say(f"kit serve: the kit folder {root} is gone (deleted or renamed); waiting for it to come back")
            return
        self.publish(self.preview.building())
        wide = self._first or not changed or any(c.startswith(WIDE_INPUTS) for c in changed)
        self.engine.jobs = self.parallel_jobs if wide else 1
        try:
            try:
                summary = self.engine.build(progress=self._rendered, on_plan=self._check_stop,
                                            on_wait=self._waiting)
            finally:
                self.thumbs.unstage()
            files = self._files(summary)
        except BuildCancelled:
            return
        except ContentError as error:
            if kit_gone(root):  # deleted or renamed while it was being read
                self.publish(self.preview.missing())
                return
            self.publish(self.preview.failed(error.problems))
            self.say(error.report())
            return
        except KitError as error:
            self.publish(self.preview.failed(message=error.report()))
            self.say(error.report())
            return
        except OSError as error:
            if kit_gone(root):  # deleted or renamed while it was being read
                self.publish(self.preview.missing())
                self.say(f"kit serve: the kit folder {root} is gone (deleted or renamed); waiting for it to come back")
                return
            self._internal(error)
            return
        except Exception as error:  # a bug of kit's: keep serving the last good outputs, say it
            self._internal(error)
            return
        self._first = False
        self.publish(self.preview.built(summary, files))
        rendered = summary.of("rendered")
        if rendered or summary.of("removed"):
            self.say(f"kit serve: {self.preview.change}")
        for warning in summary.warnings:
            self.say(f"warning: {warning}")
        self.thumbs.prune({f.sha for _, fs in files.values() for f in fs})
        self._regroup()

    def _rendered(self, report) -> None:
        """One output is rendered, the build goes on: show its new pages at once, from the staging folder.

        A save re-renders a few outputs one after another; the one being edited is often the first,
        and the page need not wait for the others (a print list and binder wait for all)."""
        self._check_stop()
        if report.staged is None or not report.digests:
            return
        listed = []
        for relative, sha in report.digests.items():
            staged = report.staged / relative
            self.thumbs.stage(sha, staged)
            pages = self.thumbs.page_count(staged, sha) if has_pages(relative) else 0
            listed.append(OutputFile(relative, sha, pages))
        state = self.preview.progressed(report.path, report.kind, listed)
        if state is not None:
            self.publish(state)

    def _files(self, summary) -> dict[str, tuple[str, list[OutputFile]]]:
        """Each output's files with their digest (from the manifest) and page count."""
        entries = self.engine.manifest.entries
        out_dir: Path = self.engine.out_dir
        files = {}
        for report in summary.outputs:
            records = entries[report.path].files
            listed = []
            for relative in report.files:
                sha = records[relative].sha256
                pages = self.thumbs.page_count(out_dir / relative, sha) if has_pages(relative) else 0
                listed.append(OutputFile(relative, sha, pages))
            files[report.path] = (report.kind, listed)
        return files

    def _regroup(self) -> None:
        """Group the outputs by session, after the page already shows what was built (loading takes time)."""
        from kit.content import load_kit
        from kit.generators import GENERATORS
        from kit.plan import plan

        try:
            content = load_kit(self.engine.kit_root)
            whole = plan(content, GENERATORS)
        except (KitError, OSError):
            return  # the next build reports it
        state = self.preview.regrouped(group_outputs(content, whole), content.config.title, content.config.language)
        if state is not None:
            self.publish(state)
        if not self._warm and not self._wanted:  # a save waiting: its build warms up just as well
            self._warm = True
            self._warm_up(content, whole)

    def _warm_up(self, content, whole) -> None:
        """Render one document in this process, thrown away, once the first build is shown.

        The first build renders in forked workers; without this, the first save would pay here for
        loading weasyprint's fonts and styles (seconds) instead of the tenth of a second it takes warm.
        """
        from kit.build import TemporaryFolder, render_one
        from kit.outputs import RenderContext
        from kit.theme import Theme

        agendas = [o for o in whole if o.kind == WARM_KIND]
        if not agendas or not self.engine.cache_dir.is_dir():
            return
        # A cache of its own, thrown away, in the temporary folder a build uses under the output
        # folder (weasyprint's copies of the fonts go there too): nothing is written anywhere else.
        with TemporaryFolder(self.engine.cache_dir) as temporary:
            context = RenderContext(theme=Theme.from_config(content.config), kit_root=self.engine.kit_root,
                                    cache_dir=temporary.path / "warm-up", printed=whole.printed)
            try:
                render_one(agendas[0], content, context)
            except Exception:  # only a head start: a real build reports any problem
                pass

    def _internal(self, error: Exception) -> None:
        self.say("kit serve: the build failed on an error of kit itself:\n" + traceback.format_exc())
        said = words(self.preview.language)["internal"]
        self.publish(self.preview.failed(message=said.format(message=f"{type(error).__name__}: {error}")))
