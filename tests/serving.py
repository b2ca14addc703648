"""A `kit serve` process for tests: started on a free port, its lines collected, its state read, stopped as Ctrl-C would."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

URL_LINE = re.compile(r"kit serve: (http://\S+)")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TINY_SESSION = """\
title: Lancement
days:
  - date: 2019-05-23
    start: "9:00"
    blocks:
      - {title: Accueil, duration: 30, lead: Joana}
      - {title: Déjeuner, at: "12:30", duration: 1h, kind: pause}
"""


class Served:
    """`kit serve --port 0` on a kit folder, in its own process group (as a terminal runs it)."""

    def __init__(self, root: Path, *args: str, timeout: float = 30.0):
        self.root = root
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kit", "serve", "--kit", str(root), "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + timeout
        self.url = ""
        while not self.url:
            found = [m.group(1) for line in list(self.lines) if (m := URL_LINE.search(line))]
            if found:
                self.url = found[0]
            elif self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("kit serve did not start:\n" + self.output)
            else:
                time.sleep(0.05)

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def state(self) -> dict:
        with urllib.request.urlopen(self.url + "state", timeout=10) as response:
            return json.loads(response.read())

    def wait_state(self, predicate, timeout: float = 60.0) -> dict:
        """The first state that satisfies `predicate`, polled; fails with the server's output."""
        deadline = time.monotonic() + timeout
        while True:
            state = self.state()
            if predicate(state):
                return state
            if time.monotonic() > deadline:
                raise AssertionError(f"no such state in {timeout} s; last: {state['status']} "
                                     f"{state['errors']}\n{self.output}")
            time.sleep(0.1)

    def ready(self, timeout: float = 120.0) -> dict:
        return self.wait_state(lambda s: s["status"] == "ready", timeout)

    def interrupt(self, timeout: float = 30.0) -> int:
        """Ctrl-C as a terminal sends it: SIGINT to the whole process group; the exit code."""
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            # It did not stop: the test fails, but leaves no server (nor its workers) behind.
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise
        finally:
            self._reader.join(timeout=5)

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.interrupt()
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def children_of(pid: int) -> set[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
