"""Turn builds of one output folder that overlap into builds one after the other: a lock under output/.cache.

Two builds of the same output folder at once (`kit serve` rebuilding on a save while `kit build`
runs in a terminal, or two terminals) share what a build keeps under output/.cache. Unlocked, the
second took the first's staging folder for a killed build's leftover and deleted it, the first
then failed on files that vanished, and whichever finished first deleted the temporary folder
holding the other's copies of kit's fonts. So a build holds `output/.cache/build.lock` (flock,
exclusive) from before it reads the manifest until its files and manifest are in place. A second
build waits, saying so once (`on_wait`, with the pid the file names; asked again between tries,
it may give up), then starts from what the first left: most of it up to date.

The lock is the kernel's, released when its process ends: a killed build never leaves it held.
`kit check` does not wait: it keeps its measurements in the manifest only when no build runs.
Without flock (Windows) builds are not serialised; where kit cannot create the file (an output
folder it cannot write), a build goes on without it and says why it cannot write, as before.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Callable

try:
    import fcntl
except ImportError:  # not a Unix
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "build.lock"
PID_WIDTH = 10  # the file holds the pid right-aligned on this many characters, and a newline
RETRY_SECONDS = 0.05  # how often a waiting build tries the lock again


class OutputLock:
    """The lock of one output folder's cache folder (`cache_dir`), held by at most one process."""

    def __init__(self, cache_dir: Path, on_wait: Callable[[int | None, bool], None] | None = None):
        """`on_wait(pid, again)`: called as soon as the lock is found taken (`again` False), with the
        pid its file names, then before each new try until it is free (`again` True); it may raise
        to stop waiting."""
        self.path = cache_dir / LOCK_NAME
        self.on_wait = on_wait
        self.fd: int | None = None

    @property
    def held(self) -> bool:
        return self.fd is not None

    @property
    def available(self) -> bool:
        """Whether builds lock here at all (not without flock)."""
        return fcntl is not None

    def acquire(self, wait: bool = True) -> bool:
        """Hold the lock, waiting for the build that holds it unless not `wait`; whether it is held
        now (False also where there is no lock to take: no flock, or a folder kit cannot write)."""
        if self.fd is not None:
            return True
        if fcntl is None:
            return False
        asked = False
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
            except OSError:
                return False
            try:
                # Tried again and again rather than waited for in the kernel: `on_wait` is asked
                # between tries, and may give up (a `kit serve` being stopped, from its build thread).
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if not wait:
                            os.close(fd)
                            return False
                        if self.on_wait is not None:
                            self.on_wait(_holder(fd), asked)
                        asked = True
                        time.sleep(RETRY_SECONDS)
                # A failed first build removes the folders it made, lock file included: the lock
                # held must be the file at the path now, or a third build could hold another one.
                if _same_file(fd, self.path):
                    # In one write of a fixed width, never truncated first: a build that finds the
                    # lock taken reads a pid, not an empty file.
                    os.pwrite(fd, f"{os.getpid():>{PID_WIDTH}}\n".encode("ascii"), 0)
                    self.fd = fd
                    return True
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)

    def release(self) -> None:
        if self.fd is None:
            return
        fd, self.fd = self.fd, None
        try:
            # Explicitly: a forked process still holding a copy of the descriptor would keep it.
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


class LockedOutputFolder:
    """A build's hold on its output folder: the cache folder made if need be, then its lock held
    (waiting for another build). A build that fails removes the folders it made itself (a first
    build: it leaves nothing behind); one that succeeds keeps them."""

    def __init__(self, cache_dir: Path, on_wait: Callable[[int | None, bool], None] | None = None):
        self.cache_dir = cache_dir
        self.lock = OutputLock(cache_dir, on_wait)
        self.made: list[Path] = []

    def __enter__(self) -> LockedOutputFolder:
        while True:
            self.made = []
            folder = self.cache_dir
            while not folder.exists() and folder != folder.parent:
                self.made.append(folder)
                folder = folder.parent
            try:
                self.cache_dir.mkdir(parents=True, exist_ok=True)
            except OSError:  # a folder kit cannot write to: the build says so once it knows the outputs
                self.made = []
                return self
            # Interrupted while waiting, it leaves what it made: the build it waited for uses it too.
            held = self.lock.acquire()
            # Not held although the folder is there: no lock to take here. Gone: the build waited
            # for removed it (a failed first build), so this one makes it again.
            if not held and not self.cache_dir.is_dir():
                continue
            if held and self.made and any(path.name != LOCK_NAME for path in self.cache_dir.iterdir()):
                self.made = []  # made at the same time by a build that has finished since: its, now
            return self

    def __exit__(self, failed, *exc) -> None:
        try:
            if failed:
                self._remove_made()
        finally:
            self.lock.release()

    def _remove_made(self) -> None:
        if self.made:
            shutil.rmtree(self.made[-1], ignore_errors=True)


def waiting_message(out_dir: str, pid: int | None) -> str:
    """What a build that waits for another of the same output folder says (once: `again` False)."""
    who = f" (process {pid})" if pid else ""
    return f"another build of {out_dir} is running{who}: waiting for it to finish"


def _holder(fd: int) -> int | None:
    """The pid the lock file names (the build holding it, or the last one that did)."""
    try:
        return int(os.pread(fd, 32, 0).decode("ascii").strip())
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _same_file(fd: int, path: Path) -> bool:
    try:
        held, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)
