"""kit.pool: tasks run in worker processes, the first of which warms up once and forks the others."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures.process import BrokenProcessPool

import pytest

from kit import early_worker
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


# -- a worker forked early (kit.early_worker), adopted by the pool -------------------------------------

def _early_worker():
    if not early_worker.possible():
        pytest.skip("an early worker needs fork, send_fds and two cores")
    early_worker.start()
    early = early_worker.take()
    assert early is not None and early_worker.take() is None  # taken once
    return early


def test_a_pool_adopts_an_early_worker_as_its_first_and_gives_it_its_warm_up(tmp_path):
    log = tmp_path / "warm-ups"
    early = _early_worker()
    pool = Pool(2, _warm_up, (str(log),), early=early)
    try:
        results = [f.result(timeout=60) for f in [pool.submit(_who, n) for n in range(12)]]
    finally:
        pool.shutdown()
    assert [square for square, *_ in results] == [n * n for n in range(12)]
    assert int(log.read_text()) == early[0]  # the warm-up ran once, in the early worker
    workers = {pid for _, pid, _, _ in results}
    assert early[0] in workers and len(workers) == 2
    (other,) = workers - {early[0]}
    assert {parent for _, pid, parent, _ in results if pid == other} == {early[0]}  # forked from it, warm
    assert all(warmed == [early[0]] for *_, warmed in results)
    assert not alive(early[0])  # reaped


def test_a_pool_whose_early_worker_died_forks_its_own_first_worker(tmp_path):
    early = _early_worker()
    os.kill(early[0], signal.SIGKILL)
    os.waitpid(early[0], 0)
    pool = Pool(2, _warm_up, (str(tmp_path / "warm-ups"),), early=early)
    try:
        assert [f.result(timeout=60)[0] for f in [pool.submit(_who, n) for n in range(4)]] == [0, 1, 4, 9]
    finally:
        pool.shutdown()
    assert int((tmp_path / "warm-ups").read_text()) not in (early[0], os.getpid())


def test_an_early_worker_no_pool_adopts_is_killed_and_reaped():
    if not early_worker.possible():
        pytest.skip("an early worker needs fork, send_fds and two cores")
    early_worker.start()
    pid = early_worker._early[0]
    assert alive(pid)
    early_worker.discard()
    assert early_worker.take() is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left
