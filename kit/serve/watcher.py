"""Turn file-system events in a kit folder into build requests: only the kit's own files, editors' leftovers ignored, a vanished folder waited for.

Editors save in many ways: in place, by writing a temporary file and renaming it over the old
one, by deleting then writing, with swap, lock and backup files beside. The watcher keeps the
changes to the files a build reads (kit.yaml, content/, images/), waits briefly when one of them
has just disappeared (it usually comes back at once under the same name), and leaves the rest to
the engine, which compares digests and renders only what really changed.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

# The folders and files of a kit that builds read (kit.build.KIT_FOLDERS, KIT_FILES).
WATCHED_FOLDERS = ("content", "images")
WATCHED_FILES = ("kit.yaml",)
# Editors' side files: vim's swap files and its write test "4913", backups, partial downloads...
IGNORED_SUFFIXES = (".swp", ".swo", ".swx", ".swpx", "~", ".bak", ".orig", ".tmp", ".part", ".crdownload", ".kate-swp")
IGNORED_NAMES = frozenset({"4913", ".DS_Store", "Thumbs.db", "desktop.ini"})
# watchfiles gathers the events of a save until this long without a new one (milliseconds).
QUIET_MS = 50
# A kit file deleted by a save is given this long to come back before the build runs (seconds).
SETTLE_S = 0.3
# How often a vanished kit folder is looked for (seconds).
POLL_S = 0.5


def kit_gone(root: Path) -> bool:
    """Whether the kit folder is gone (a folder left with neither kit.yaml nor content counts as gone:
    what a build that was writing its outputs as the kit was renamed may leave behind)."""
    return not root.is_dir() or not ((root / "kit.yaml").exists() or (root / "content").is_dir())


def kit_file(root: Path, out_dir: Path, path: str) -> str | None:
    """The kit-relative name of a changed file if a build reads it, else None (output, side files)."""
    changed = Path(path)
    try:
        if changed == out_dir or out_dir in changed.parents:
            return None
        relative = changed.relative_to(root)
    except ValueError:
        return None
    parts = relative.parts
    if not parts or (parts[0] not in WATCHED_FOLDERS and relative.as_posix() not in WATCHED_FILES):
        return None
    name = parts[-1]
    if any(p.startswith(".") for p in parts) or name in IGNORED_NAMES or name.endswith(IGNORED_SUFFIXES):
        return None
    if name.startswith("#") and name.endswith("#"):  # emacs auto-save
        return None
    return relative.as_posix()


class KitWatcher:
    """Watches one kit folder in a thread and calls `on_change(kit files)` after each save."""

    def __init__(self, root: Path, out_dir: Path, on_change: Callable[[set[str]], None],
                 on_missing: Callable[[], None], say: Callable[[str], None] = print):
        self.root = root
        self.out_dir = out_dir
        self.on_change = on_change
        self.on_missing = on_missing
        self.say = say
        self.stop_event = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kit-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self.stop_event.is_set():
            if not kit_gone(self.root):
                self._watch()
                if self.stop_event.is_set():
                    return
                if not kit_gone(self.root):  # the watch ended for another reason: watch again
                    continue
            # The folder is gone: say so once, then wait for it to come back and build again.
            self.on_missing()
            while kit_gone(self.root):
                if self.stop_event.wait(POLL_S):
                    return
            self.say(f"kit serve: the kit folder {self.root} is back")
            self.on_change({"kit.yaml"})

    def _watch(self) -> None:
        """Report saves until the folder disappears or the watcher stops."""
        from watchfiles import Change, watch

        try:
            for changes in watch(self.root, stop_event=self.stop_event, step=QUIET_MS, debounce=1600,
                                 raise_interrupt=False, ignore_permission_denied=True):
                if kit_gone(self.root):
                    return
                files = {name for _, path in changes if (name := kit_file(self.root, self.out_dir, path))}
                if not files:
                    continue
                gone = [name for change, path in changes if change == Change.deleted
                        and (name := kit_file(self.root, self.out_dir, path)) and not (self.root / name).exists()]
                if gone:
                    time.sleep(SETTLE_S)
                self.on_change(files)
        except OSError as error:
            if self.root.is_dir():
                self.say(f"kit serve: watching {self.root} failed ({error}); trying again")
                self.stop_event.wait(POLL_S)
