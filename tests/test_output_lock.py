"""Builds of one output folder one after the other: a second build waits for the first (saying so)
instead of deleting its staging and temporary folders, and `kit check` never saves its manifest
over a build's."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

from conftest import pdf_text
from kit.build import CACHE_DIR_NAME, STAGING_PREFIX, Engine, Summary
from kit.cli import main
from kit.output_lock import LOCK_NAME, LockedOutputFolder, OutputLock
from serving import TINY_SESSION

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="flock: builds lock on Unix")

TINY = {"content/sessions/s.yaml": TINY_SESSION}
WAIT = 120  # seconds a test waits for the other side at most (a broken lock fails, never hangs)


def test_one_holder_at_a_time_and_the_file_names_it(tmp_path):
    first, second = OutputLock(tmp_path), OutputLock(tmp_path)
    assert first.acquire(wait=False) and first.held
    assert not second.acquire(wait=False) and not second.held
    assert (tmp_path / LOCK_NAME).read_text().strip() == str(os.getpid())
    first.release()
    assert second.acquire(wait=False)
    second.release()


def test_a_lock_held_by_another_process_is_waited_for_and_its_pid_said(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; from kit.output_lock import OutputLock; "
         "lock = OutputLock(Path(sys.argv[1])); assert lock.acquire(); print('held', flush=True); sys.stdin.read()",
         str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        told = []

        def on_wait(pid, again):
            if not again:
                told.append(pid)
                holder.stdin.close()  # the holder ends, and with it its lock

        lock = OutputLock(tmp_path, on_wait)
        assert lock.acquire()
        assert told == [holder.pid]
        lock.release()
    finally:
        holder.kill()
        holder.wait()


def test_a_waiting_build_is_asked_between_tries_and_may_give_up(tmp_path):
    """What lets `kit serve` stop while its build waits for a `kit build` of the same folder."""
    class GiveUp(Exception):
        pass

    holder = OutputLock(tmp_path)
    assert holder.acquire()
    asked = []

    def on_wait(pid, again):
        asked.append((pid, again))
        if len(asked) == 3:
            raise GiveUp

    waiting = OutputLock(tmp_path, on_wait)
    with pytest.raises(GiveUp):
        waiting.acquire()
    assert asked == [(os.getpid(), False), (os.getpid(), True), (os.getpid(), True)] and not waiting.held
    holder.release()
    assert waiting.acquire(wait=False)
    waiting.release()


def test_a_second_build_waits_for_the_first_then_finds_its_outputs_up_to_date(make_kit):
    """The first build is held as it starts rendering (its staging folder made) until the second one
    says it waits; the first then renders and commits, and the second finds everything up to date.
    Unlocked, the second took that staging folder for a killed build's and deleted it."""
    root = make_kit(TINY)
    Engine(root, jobs=1).build()
    (root / "content/sessions/s.yaml").write_text(TINY_SESSION.replace("Lancement", "Relance"), encoding="utf-8")
    second_waits = threading.Event()
    results: dict[str, object] = {}

    def first():
        try:
            results["first"] = Engine(root, jobs=1).build(
                on_render=lambda outputs: results.setdefault("waited", second_waits.wait(WAIT)))
        except BaseException as error:  # noqa: BLE001 — reported by the assertions below
            results["first"] = error

    thread = threading.Thread(target=first)
    thread.start()
    told: list[int | None] = []
    try:
        while thread.is_alive() and not list((root / "output" / CACHE_DIR_NAME).glob(STAGING_PREFIX + "*")):
            time.sleep(0.01)  # the first build has not staged anything yet
        second = Engine(root, jobs=1).build(on_wait=lambda pid, again: (told.append(pid), second_waits.set()))
    finally:
        second_waits.set()
        thread.join(WAIT)
    assert results["waited"] is True and told and set(told) == {os.getpid()}
    assert isinstance(results["first"], Summary), results["first"]
    assert {r.path for r in results["first"].of("rendered")} >= {"s/programme.pdf"}
    assert not second.of("rendered") and second.of("up-to-date")
    assert "Relance" in pdf_text(root / "output/s/programme.pdf")
    assert not list((root / "output" / CACHE_DIR_NAME).glob(STAGING_PREFIX + "*"))


def test_two_kit_build_commands_at_once_both_succeed(make_kit):
    """What failed before the lock: the second `kit build` took the first's staging folder for a
    killed build's leftover and deleted it; the first then ended in a traceback."""
    root = make_kit(TINY)
    assert CliRunner().invoke(main, ["build", "--kit", str(root), "-q"]).exit_code == 0
    environment = {**os.environ, "KIT_WARM": "0"}
    first = subprocess.Popen([sys.executable, "-m", "kit", "build", "--kit", str(root), "--force"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
    while first.poll() is None and not list((root / "output" / CACHE_DIR_NAME).glob(STAGING_PREFIX + "*")):
        time.sleep(0.01)  # the first build has not started rendering yet
    second = subprocess.run([sys.executable, "-m", "kit", "build", "--kit", str(root), "--force"],
                            capture_output=True, text=True, env=environment, timeout=WAIT)
    _, first_errors = first.communicate(timeout=WAIT)
    assert first.returncode == 0 and "Traceback" not in first_errors, first_errors
    assert second.returncode == 0 and "Traceback" not in second.stderr, second.stderr
    if "waiting for it to finish" in second.stderr:  # (the first may have ended before the second began)
        assert second.stderr.count("waiting for it to finish") == 1 and f"(process {first.pid})" in second.stderr
    assert (root / "output/s/programme.pdf").is_file()


def test_kit_check_during_a_build_checks_and_leaves_the_manifest_alone(make_kit):
    root = make_kit(TINY)
    Engine(root, jobs=1).build()
    manifest = root / "output" / CACHE_DIR_NAME / "manifest.json"
    before = manifest.read_bytes(), manifest.stat().st_mtime_ns
    building = OutputLock(root / "output" / CACHE_DIR_NAME)
    assert building.acquire(wait=False)
    try:
        content, _ = Engine(root).check()  # does not wait
    finally:
        building.release()
    assert content.of("sessions")
    assert (manifest.read_bytes(), manifest.stat().st_mtime_ns) == before


def test_a_folder_made_by_two_first_builds_is_kept_by_the_one_that_fails_after_the_other(tmp_path):
    """Two first builds both found no output folder: the other one took the lock first, and
    succeeded while this one waited; this one no longer owns the folders, and does not remove them
    when it fails."""
    cache = tmp_path / "output" / CACHE_DIR_NAME
    waiting = LockedOutputFolder(cache)
    locked = waiting.lock.acquire

    def after_another_build(wait=True):
        (cache / "manifest.json").write_text("{}")  # what the other build left meanwhile
        return locked(wait)

    waiting.lock.acquire = after_another_build
    waiting.__enter__()
    assert waiting.made == []
    waiting.__exit__(RuntimeError, RuntimeError("failed"), None)
    assert (cache / "manifest.json").is_file()
    alone = LockedOutputFolder(tmp_path / "other" / CACHE_DIR_NAME)
    alone.__enter__()
    assert alone.made == [tmp_path / "other" / CACHE_DIR_NAME, tmp_path / "other"]
    alone.__exit__(RuntimeError, RuntimeError("failed"), None)
    assert not (tmp_path / "other").exists()


def test_a_failed_first_build_still_leaves_no_output_folder(make_kit):
    root = make_kit({"content/sessions/s.yaml": "title: [\n"})
    result = CliRunner().invoke(main, ["build", "--kit", str(root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert not (root / "output").exists()
