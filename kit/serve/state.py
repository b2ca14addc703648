"""Turn build results into what the preview page shows: outputs grouped by session and kind, errors with their lines, warnings, one line of what changed.

`Preview` holds that state for the server; every change gives a new snapshot (plain JSON data),
pushed whole to the pages, which redraw only what differs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from kit.errors import Problem
from kit.serve.words import KIND_ORDER, words

# How many lines of a file are shown around an error's line, before and after it.
EXCERPT_CONTEXT = 3
# Errors beyond this many are listed without their lines (a broken file can give dozens).
EXCERPTS_MAX = 30
# Past this size a content file is not read back for an excerpt.
EXCERPT_FILE_MAX = 2_000_000
# Outputs named in full in the line saying what changed; more are counted.
CHANGED_NAMED = 4
OTHERS = "others"


@dataclass
class Grouping:
    """Which sessions each output serves (as `kit build --session` picks them), and the sessions' titles."""

    sessions: list[tuple[str, str]] = field(default_factory=list)   # (id, title), in order
    members: dict[str, list[str]] = field(default_factory=dict)     # output path → session ids


def group_outputs(content, whole) -> Grouping:
    """Which sessions each output of the plan serves, as `kit build --session` picks them."""
    from kit.plan import select

    grouping = Grouping()
    for sid in sorted(content.sessions):
        grouping.sessions.append((sid, content.sessions[sid].title or sid))
        for output in select(whole, content, session=sid):
            grouping.members.setdefault(output.path, []).append(sid)
    return grouping


@dataclass
class OutputFile:
    """One file of an output as the page shows it: where it is, its digest, how many pages to draw."""

    path: str
    sha: str
    pages: int

    def view(self) -> dict:
        return {"path": self.path, "url": f"/files/{self.path}", "v": self.sha[:16], "pages": self.pages}


def excerpt(root: Path, problem: Problem) -> list[dict]:
    """The lines around a problem's line in its file, the line itself marked; [] when there is none to show."""
    if problem.line <= 0:
        return []
    from kit.project import resolved_inside

    path = resolved_inside(root, root / problem.file)
    try:
        if path is None or path.stat().st_size > EXCERPT_FILE_MAX:
            return []
        lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return []
    first = max(1, problem.line - EXCERPT_CONTEXT)
    last = min(len(lines), problem.line + EXCERPT_CONTEXT)
    return [{"n": n, "text": lines[n - 1], "hit": n == problem.line} for n in range(first, last + 1)]


def error_views(root: Path, problems: list[Problem]) -> list[dict]:
    views = []
    for index, problem in enumerate(problems):
        where = f"{problem.file}:{problem.line}" if problem.line else problem.file
        text = problem.readable()
        message = text[len(where) + 2:] if text.startswith(where + ": ") else text
        views.append({"where": where, "file": problem.file, "line": problem.line, "message": message,
                      "lines": excerpt(root, problem) if index < EXCERPTS_MAX else []})
    return views


def change_line(summary, said: dict[str, str]) -> str:
    """What a build did, in one line: the outputs it rendered or removed, grouped by why."""
    by_reason: dict[str, list[str]] = {}
    for report in summary.of("rendered"):
        by_reason.setdefault(report.reason or "?", []).append(report.path)
    parts = []
    for why, paths in by_reason.items():
        named = ", ".join(paths[:CHANGED_NAMED]) + (f" (+{len(paths) - CHANGED_NAMED})" if len(paths) > CHANGED_NAMED else "")
        parts.append(said["changed"].format(outputs=named, why=why))
    parts += [said["removed"].format(path=r.path, why=r.reason) for r in summary.of("removed")]
    if not parts:
        return said["nothing"]
    return " · ".join(parts) + " — " + said["seconds"].format(seconds=f"{summary.seconds:.1f}")


class Preview:
    """The page's state; every method that changes it returns the new snapshot. Thread-safe."""

    def __init__(self, root: Path, title: str = "", language: str = "fr"):
        self.root = root
        self.title = title or root.name
        self.language = language
        self.grouping = Grouping()
        self.outputs: dict[str, tuple[str, list[OutputFile]]] = {}   # path → (kind, files)
        self.status = "building"
        self.stale = False
        self.change = ""
        self.changed: list[str] = []
        self.errors: list[dict] = []
        self.warnings: list[str] = []
        self.seq = 0
        self.idle = False      # no build running or waiting, renderer warmed: for tests and benchmarks
        # The outputs the page showed when the build in progress began (None between builds):
        # outputs shown as they render change `outputs` meanwhile.
        self._before: dict[str, tuple[str, list[OutputFile]]] | None = None
        self._lock = threading.Lock()

    # -- what the server asks -------------------------------------------------------------------

    def file_sha(self, path: str) -> str | None:
        """The digest of an output file the page shows, or None if it shows no such file."""
        with self._lock:
            for _, files in self.outputs.values():
                for output_file in files:
                    if output_file.path == path:
                        return output_file.sha
        return None

    def snapshot(self) -> dict:
        with self._lock:
            return self._snapshot()

    # -- what the build loop tells --------------------------------------------------------------

    def building(self) -> dict:
        with self._lock:
            self.status, self.changed = "building", []
            self._before = self.outputs
            return self._snapshot()

    def built(self, summary, files: dict[str, tuple[str, list[OutputFile]]]) -> dict:
        with self._lock:
            said = words(self.language)
            shown = self._before if self._before is not None else self.outputs
            before = {f.path: f.sha for _, fs in shown.values() for f in fs}
            self._before = None
            self.outputs = files
            # On the first build everything is new: nothing is singled out.
            self.changed = sorted(f.path for _, fs in files.values() for f in fs
                                  if before and before.get(f.path) != f.sha)
            self.status, self.stale, self.errors = "ready", False, []
            self.warnings = list(dict.fromkeys(summary.warnings))
            self.change = change_line(summary, said)
            return self._snapshot()

    def progressed(self, path: str, kind: str, files: list[OutputFile]) -> dict | None:
        """One output of a build in progress is rendered: its new files, shown before the build ends
        (None while the page shows no outputs yet: the first build shows them all at once)."""
        with self._lock:
            if not self.outputs:
                return None
            before = {f.path: f.sha for f in self.outputs.get(path, ("", []))[1]}
            self.outputs = {**self.outputs, path: (kind, files)}
            self.changed = sorted({*self.changed, *(f.path for f in files if before.get(f.path) != f.sha)})
            return self._snapshot()

    def failed(self, problems: list[Problem] | None = None, message: str = "") -> dict:
        """A build that stopped: content problems (with their lines) or another error's text."""
        with self._lock:
            self._unshow()
            self.status, self.stale, self.changed = "failed", bool(self.outputs), []
            self.errors = error_views(self.root, problems) if problems else [
                {"where": "", "file": "", "line": 0, "message": line, "lines": []}
                for line in message.splitlines() if line.strip()]
            self.change = ""
            return self._snapshot()

    def missing(self) -> dict:
        with self._lock:
            self._unshow()
            self.status, self.stale, self.changed, self.change = "missing", bool(self.outputs), [], ""
            return self._snapshot()

    def regrouped(self, grouping: Grouping, title: str, language: str) -> dict | None:
        """New groups (after content was loaded); the snapshot only if the page must change."""
        with self._lock:
            if (grouping, title, language) == (self.grouping, self.title, self.language):
                return None
            self.grouping, self.title, self.language = grouping, title, language
            return self._snapshot()

    def _unshow(self) -> None:
        """A build that stopped moved nothing into place: back to the files the page showed before it."""
        if self._before is not None:
            self.outputs, self._before = self._before, None

    # -- the snapshot ---------------------------------------------------------------------------

    def _snapshot(self) -> dict:
        self.seq += 1
        said = words(self.language)
        return {
            "seq": self.seq, "title": self.title, "language": self.language, "words": said,
            "root": str(self.root), "status": self.status, "idle": self.idle, "stale": self.stale, "change": self.change,
            "changed": self.changed, "errors": self.errors, "warnings": self.warnings,
            "groups": self._groups(said),
        }

    def _groups(self, said: dict[str, str]) -> list[dict]:
        """Sessions first, each with its outputs by kind; then the outputs of no session, by kind."""
        members: dict[str, list[str]] = {}
        for path in self.outputs:
            for sid in self.grouping.members.get(path) or [OTHERS]:
                members.setdefault(sid, []).append(path)
        titles = [*self.grouping.sessions, (OTHERS, said["others"])]
        groups = []
        for sid, title in titles:
            if sid not in members:
                continue
            kinds: dict[str, list[dict]] = {}
            for path in members[sid]:
                kind, files = self.outputs[path]
                kinds.setdefault(kind, []).append({"path": path, "files": [f.view() for f in files]})
            ordered = sorted(kinds, key=lambda k: (KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER), k))
            groups.append({"id": sid, "title": title,
                           "kinds": [{"kind": k, "label": said.get(f"kind.{k}", k), "outputs": kinds[k]}
                                     for k in ordered]})
        return groups
