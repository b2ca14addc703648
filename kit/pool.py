"""Turn tasks (a function and its arguments) into results, computed in worker processes that pay
for the renderers' import once: the first worker imports them, then forks the others.

concurrent.futures' ProcessPoolExecutor forks every worker from the build's own process, which
has not imported the renderers (it loads the content meanwhile, and a build with nothing to do
never imports them): each worker then imports weasyprint, warms pango up and parses kit's fonts
by itself, about a second of processor each. On two cores, with the content loading beside them,
the workers of a first command were ready after 1.6 s. Here the first worker imports alone while
the content loads on the other core, and forks the others ready the moment it is: about 0.3 s
sooner, and a cold build spends one import less. (The other workers are the first one's children;
it waits for them before it ends.)

The pool's side, `Pool`, sends a task to a worker that said it is ready and idle, in the order
they were submitted; each task's `concurrent.futures.Future` gets its result, or its exception
with the worker's traceback as its cause. A worker that dies breaks the pool, as in
ProcessPoolExecutor: every task not done fails with BrokenProcessPool.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import traceback
from collections import deque
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import Pipe
from multiprocessing.connection import Connection, wait
from typing import Any, Callable

READY = "ready"  # what a worker says once, before its first task


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker, shown as the cause of the one re-raised here."""

    def __str__(self) -> str:
        return "\n" + self.args[0]


class Pool:
    """`jobs` worker processes; the first runs `initializer(*initargs)`, then forks the others."""

    def __init__(self, jobs: int, initializer: Callable[..., None] | None = None, initargs: tuple = (),
                 early: tuple[int, socket.socket] | None = None):
        """`early`: a process forked sooner to be the first worker (kit.early_worker.take()), if any."""
        self._lock = threading.Lock()
        self._pending: deque[tuple[Future, Callable, tuple, dict]] = deque()
        self._busy: dict[Connection, Future] = {}
        self._idle: list[Connection] = []
        self._stopping = False
        self._broken: str | None = None
        ends = [Pipe() for _ in range(jobs)]
        # Set by the first READY, from any worker: the first has then warmed up and forked the others.
        self._first_ready = False
        greeting = None
        adopted = early is not None and _adopt(early, [theirs for _, theirs in ends])
        if adopted:
            self._first = early[0]
            greeting = (initializer, initargs)  # sent by the collector: pickled, it may fill the pipe
        else:
            self._first = os.fork()
            if self._first == 0:  # the first worker
                for mine, _ in ends:
                    mine.close()
                as_process(_first_worker, [theirs for _, theirs in ends], initializer, initargs)
        for _, theirs in ends:
            theirs.close()
        self._connections = [mine for mine, _ in ends]
        self._collector = threading.Thread(target=self._collect, args=(greeting,), name="kit-pool", daemon=True)
        self._collector.start()

    def submit(self, function: Callable, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        with self._lock:
            if self._broken:
                raise BrokenProcessPool(self._broken)
            if self._stopping:
                raise RuntimeError("cannot submit a task to a pool that is shutting down")
            self._pending.append((future, function, args, kwargs))
            while self._idle and self._pending:
                self._dispatch(self._idle.pop())
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        """Stop the workers once the running tasks are done (and the pending ones, unless cancelled).
        A first worker still importing the renderers is stopped at once: it has no task and no child."""
        with self._lock:
            self._stopping = True
            if cancel_futures:
                for future, *_ in self._pending:
                    future.cancel()
                self._pending.clear()
            while self._idle:
                self._dispatch(self._idle.pop())
            if not self._first_ready and not self._pending:
                try:
                    os.kill(self._first, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        if wait:
            self._collector.join()
            self._reap()

    # -- this process's side ---------------------------------------------------------------------

    def _dispatch(self, connection: Connection) -> None:
        """Give an idle worker the next pending task (not one cancelled meanwhile), or, when the
        pool is stopping and none is left, tell it to end. Called with the lock held."""
        while self._pending:
            future, function, args, kwargs = self._pending.popleft()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                connection.send((function, args, kwargs))
            except (OSError, ValueError) as error:  # the worker is gone: the collector breaks the pool
                future.set_exception(BrokenProcessPool(f"a render process is gone ({error})"))
                return
            except Exception as error:  # noqa: BLE001 — a task that cannot be pickled fails alone
                future.set_exception(error)
                continue
            self._busy[connection] = future
            return
        if self._stopping:
            try:
                connection.send(None)
            except (OSError, ValueError):
                pass
        else:
            self._idle.append(connection)

    def _collect(self, greeting: tuple | None = None) -> None:
        """Tell an adopted first worker its warm-up (`greeting`), then receive what the workers say
        until every one has ended."""
        live = list(self._connections)
        if greeting is not None:
            try:
                live[0].send(greeting)
            except (OSError, ValueError):  # it is gone: its connection's end says so below
                pass
        while live:
            for connection in wait(live):
                try:
                    message = connection.recv()
                except (EOFError, OSError):
                    live.remove(connection)
                    self._gone(connection)
                    continue
                with self._lock:
                    if message == READY:
                        self._first_ready = True
                    else:
                        future = self._busy.pop(connection)
                        ok, value, remote = message
                        if ok:
                            future.set_result(value)
                        else:
                            if remote:
                                value.__cause__ = RemoteTraceback(remote)
                            future.set_exception(value)
                    self._dispatch(connection)
        for connection in self._connections:
            connection.close()

    def _gone(self, connection: Connection) -> None:
        """A worker ended. Unless the pool told it to, every task not done fails."""
        with self._lock:
            if connection in self._idle:
                self._idle.remove(connection)
            future = self._busy.pop(connection, None)
            if self._stopping and future is None:
                return
            self._broken = "a render process ended abruptly (killed, or out of memory?)"
            failed = [future] if future is not None else []
            failed += [f for f, *_ in self._pending if f.set_running_or_notify_cancel()]
            self._pending.clear()
            self._stopping = True
        for future in failed:
            future.set_exception(BrokenProcessPool(self._broken))

    def _reap(self) -> None:
        try:
            os.waitpid(self._first, 0)
        except ChildProcessError:
            pass


def _adopt(early: tuple[int, socket.socket], ends: list[Connection]) -> bool:
    """Hand an early worker (kit.early_worker) the workers' ends of the pipes; False if it is gone
    (it is then reaped, and the pool forks its first worker itself)."""
    from kit import early_worker

    pid, connection = early
    try:
        if len(ends) > early_worker.MAX_JOBS:  # more than it can receive
            raise OSError("too many workers for an early one")
        socket.send_fds(connection, [b"adopt"], [end.fileno() for end in ends])
        return True
    except OSError:
        early_worker.end(pid)
        return False
    finally:
        connection.close()


# -- the workers' side ----------------------------------------------------------------------------

def serve_adopted(fds: list[int]) -> None:
    """An early worker adopted by a pool: its connections from the file descriptors the pool sent,
    its warm-up from the first, then the first worker's life."""
    connections = [Connection(fd) for fd in fds]
    initializer, initargs = connections[0].recv()
    _first_worker(connections, initializer, initargs)


def as_process(work: Callable, *args) -> None:
    """Run `work` as the whole life of a forked worker: it never returns into the build's code."""
    code = 1
    try:
        work(*args)
        code = 0
    except KeyboardInterrupt:  # Ctrl-C while warming up: the build says it
        pass
    except BaseException:  # noqa: BLE001 — shown, as the process ends
        traceback.print_exc()
    finally:
        os._exit(code)


def _first_worker(connections: list[Connection], initializer, initargs) -> None:
    """Warm up, fork the other workers from this state, serve the first connection, wait for them."""
    if initializer is not None:
        initializer(*initargs)
    children = []
    for connection in connections[1:]:
        pid = os.fork()
        if pid == 0:
            for other in connections:
                if other is not connection:
                    other.close()
            as_process(_serve, connection)
        children.append(pid)
    for connection in connections[1:]:
        connection.close()
    _serve(connections[0])
    for pid in children:
        os.waitpid(pid, 0)


def _serve(connection: Connection) -> None:
    """Run the tasks this connection brings, one at a time, until told to end (None) or orphaned."""
    try:
        connection.send(READY)
        while True:
            task = connection.recv()
            if task is None:
                return
            function, args, kwargs = task
            try:
                answer = (True, function(*args, **kwargs), "")
            except BaseException as error:  # noqa: BLE001 — Ctrl-C during a task is the task's failure
                answer = (False, error, "".join(traceback.format_exception(error)))
            try:
                connection.send(answer)
            except Exception as error:  # noqa: BLE001 — a result or an exception that cannot be pickled
                connection.send((False, RuntimeError(f"a render process could not send its result back: {error!r}"),
                                 answer[2]))
    except (EOFError, OSError, KeyboardInterrupt):  # the build ended or was stopped
        return
