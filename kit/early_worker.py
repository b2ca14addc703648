"""Turn the first tenth of a second of a `kit build` into a head start for its render workers: a
process forked as the command starts, before click and the command line are imported, that
imports kit's generators and waits to become the build's first render worker (kit.pool).

Without it, the first command of a sitting forked its first worker about 0.19 s in, after the
interpreter, click, the command line and the build's first look at the output folder (its lock,
the manifest, the digests of the kit's files). That worker's imports (the generators, then the
renderers the build will need) are the longest wait of a small rebuild; here they start at about
0.05 s. The build's process goes on meanwhile on the other core, as before.

The pool that adopts it (kit.pool.Pool, `early=`) sends it the ends of the workers' pipes over a
Unix socket (SCM_RIGHTS), then its warm-up and the warm-up's arguments, which it could not inherit.
A build that starts no workers (nothing to do, a content mistake, `-j 1`) kills it as the command
ends: it has read nothing of the kit, written nothing and holds nothing.
"""

from __future__ import annotations

import os
import signal
import socket
from importlib import import_module

# What every render worker imports first, whatever it renders.
PREPARED = ("kit.build", "kit.generators")
MAX_JOBS = 16  # the command line's --jobs bound: as many pipe ends as the pool may send

_early: tuple[int, socket.socket] | None = None


def possible() -> bool:
    """Whether this process can fork an early worker that is worth it (two cores or more)."""
    return (hasattr(os, "fork") and hasattr(socket, "send_fds") and hasattr(os, "sched_getaffinity")
            and len(os.sched_getaffinity(0)) > 1)


def start() -> None:
    """Fork the early worker (once per process)."""
    global _early
    if _early is not None or not possible():
        return
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        try:
            ours.close()
            from kit.pool import as_process  # needed once adopted: imported now, with the rest

            as_process(_wait_for_adoption, theirs)
        finally:
            os._exit(1)  # never back into the command's code (as_process ends the process itself)
    theirs.close()
    _early = (pid, ours)


def take() -> tuple[int, socket.socket] | None:
    """The early worker's pid and socket, for the one pool that adopts it; None if there is none."""
    global _early
    early, _early = _early, None
    return early


def discard() -> None:
    """Kill an early worker no pool adopted (the command is ending)."""
    early = take()
    if early is None:
        return
    pid, connection = early
    connection.close()
    end(pid)


def end(pid: int) -> None:
    """Kill an early worker and reap it (it may be gone already)."""
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _wait_for_adoption(connection: socket.socket) -> None:
    """The early worker's life: import, wait for a pool, then be its first worker (or end)."""
    for module in PREPARED:
        try:
            import_module(module)
        except Exception:  # noqa: BLE001 — imported again by the pool's warm-up, which reports it
            pass
    _, fds, _, _ = socket.recv_fds(connection, 16, MAX_JOBS)
    connection.close()
    if fds:
        from kit.pool import serve_adopted

        serve_adopted(fds)
