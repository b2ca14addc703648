"""kit.pool: tasks run in worker processes, the first of which warms up once and forks the others."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures.process import BrokenProcessPool

import pytest

from kit.pool import Pool, RemoteTraceback
from serving import alive

WARMED: list[int] = []  # set by the warm-up, in the first worker only


def _warm_up(log: str) -> None:
    WARMED.append(os.getpid())
    with open(log, "a") as file:
        file.write(f"{os.getpid()}\n")


def _who(value: int) -> tuple[int, int, int, list[int]]:
    time.sleep(0.05)  # long enough that both workers take some
    return value * value, os.getpid(), os.getppid(), list(WARMED)


def _fail(message: str) -> None:
    raise ValueError(message)


def _sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def _unpicklable():
    return lambda: None


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _interrupted() -> None:
    raise KeyboardInterrupt


def test_the_first_worker_warms_up_once_and_forks_the_others_from_that_state(tmp_path):
    log = tmp_path / "warm-ups"
    pool = Pool(2, _warm_up, (str(log),))
    try:
        results = [f.result(timeout=60) for f in [pool.submit(_who, n) for n in range(12)]]
    finally:
        pool.shutdown()
    assert [square for square, *_ in results] == [n * n for n in range(12)]  # each its own result
    first = int(log.read_text())  # the warm-up ran once, in one process
    workers = {pid for _, pid, _, _ in results}
    assert len(workers) == 2 and first in workers
    (second,) = workers - {first}
    parents = {pid: parent for _, pid, parent, _ in results}
    assert parents[first] == os.getpid() and parents[second] == first  # a fork of the warmed-up worker
    assert {tuple(warmed) for *_, warmed in results} == {(first,)}  # which it inherited, not redid
    assert not alive(first) and not alive(second)


def test_an_exception_comes_back_with_the_workers_traceback_as_its_cause():
    pool = Pool(2)
    try:
        with pytest.raises(ValueError, match="no such card") as raised:
            pool.submit(_fail, "no such card").result(timeout=60)
        assert isinstance(raised.value.__cause__, RemoteTraceback)
        assert "_fail" in str(raised.value.__cause__)
        with pytest.raises(KeyboardInterrupt):  # Ctrl-C in a task is that task's failure
            pool.submit(_interrupted).result(timeout=60)
        with pytest.raises(RuntimeError, match="could not send its result back"):
            pool.submit(_unpicklable).result(timeout=60)
        assert pool.submit(_who, 3).result(timeout=60)[0] == 9  # and the workers go on
    finally:
        pool.shutdown()


def test_a_worker_that_dies_breaks_the_pool_and_every_task_not_done_fails():
    pool = Pool(2)
    try:
        assert pool.submit(_who, 2).result(timeout=60)[0] == 4
        dying = pool.submit(_die)
        pending = [pool.submit(_sleep, 0.5) for _ in range(4)]
        with pytest.raises(BrokenProcessPool):
            dying.result(timeout=60)
        done, _ = wait(pending, timeout=60)
        assert len(done) == 4
        assert any(isinstance(f.exception(), BrokenProcessPool) for f in pending if not f.cancelled())
        with pytest.raises(BrokenProcessPool):
            pool.submit(_who, 1)
    finally:
        started = time.monotonic()
        pool.shutdown()
    assert time.monotonic() - started < 10


def test_shutting_down_cancels_what_has_not_started_and_lets_the_running_tasks_end():
    pool = Pool(1)
    running = pool.submit(_sleep, 0.5)
    pending = [pool.submit(_sleep, 5) for _ in range(3)]
    wait([running, *pending], timeout=0.2, return_when=FIRST_COMPLETED)
    pool.shutdown(cancel_futures=True)
    assert running.result() == 0.5
    assert all(f.cancelled() for f in pending)


def test_a_pool_shut_down_while_its_first_worker_warms_up_stops_it_at_once(tmp_path):
    pool = Pool(2, _sleep, (60,))
    first = pool._first
    started = time.monotonic()
    pool.shutdown(cancel_futures=True)
    assert time.monotonic() - started < 10
    assert not alive(first)
