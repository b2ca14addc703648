"""Time kit serve from a save to the updated thumbnail loaded in the browser, for an agenda edit on the default kit.

`kit serve` runs as a user starts it (its own process, a free port) on a copy of the default kit;
Debian's chromium, driven by Playwright, shows the page. Each edit changes the title of
content/sessions/session-08.yaml, which re-renders that session's four outputs; the clock runs
from the file's write to the moment the page holds a new, decoded thumbnail of page 1 of
session-08/programme.pdf. The first edit after start is a warm-up (it is not counted); the
median of the others is printed, against the issue's goal of 1.0 s. The load average is printed
too: the figure is wall time, and other work on the machine lengthens it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.common import Row, default_kit_copy

EDITS = 6
GOAL_S = 1.0
SESSION = "content/sessions/session-08.yaml"
THUMB = 'img[data-file="session-08/programme.pdf"][data-page="1"]'
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def start_server(root: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "kit", "serve", "--kit", str(root), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    for line in process.stdout:
        found = re.search(r"kit serve: (http://\S+)", line)
        if found:
            # Keep reading its lines, or it blocks once the pipe is full.
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, found.group(1)
    raise RuntimeError("kit serve did not start")


def wait_idle(url: str, timeout: float = 120.0) -> None:
    """Until the server has no build running or waiting and has warmed its renderer."""
    import json
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(url + "state", timeout=10) as response:
            if json.loads(response.read())["idle"]:
                return
        time.sleep(0.1)


def thumbnail(page) -> tuple[str, bool]:
    return page.eval_on_selector(THUMB, "img => [img.getAttribute('src'), img.complete && img.naturalWidth > 0]")


def save_to_thumbnail(page, session: Path, number: int, timeout: float = 30.0) -> float:
    """Seconds from writing a new session title to the new programme thumbnail loaded in the page."""
    before, _ = thumbnail(page)
    text = re.sub(r'^title: "Session 8[^:]*:', f'title: "Session 8 (essai {number}) :', session.read_text("utf-8"),
                  count=1, flags=re.M)
    started = time.perf_counter()
    session.write_text(text, encoding="utf-8")
    deadline = started + timeout
    while time.perf_counter() < deadline:
        src, loaded = thumbnail(page)
        if src != before and loaded:
            return time.perf_counter() - started
        time.sleep(0.005)
    raise RuntimeError("no new thumbnail within the timeout")


def run(edits: int = EDITS) -> list[Row]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("  (skipped: no chromium on this machine; Debian: apt-get install chromium)")
        return []
    root = default_kit_copy()
    process, url = start_server(root)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url)
            page.wait_for_selector('#status[data-status="ready"]', timeout=300_000)
            page.wait_for_selector(THUMB)
            wait_idle(url)  # the server warms its renderer after the first build
            save_to_thumbnail(page, root / SESSION, 0)
            times = []
            for number in range(1, edits):
                wait_idle(url)
                times.append(save_to_thumbnail(page, root / SESSION, number))
            browser.close()
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(30)
        shutil.rmtree(root.parent, ignore_errors=True)
    load = os.getloadavg()[0]
    return [Row(f"save → programme thumbnail, median of {len(times)}", statistics.median(times), goal=GOAL_S,
                note=f"(min {min(times):.2f} s, max {max(times):.2f} s; load average {load:.1f})")]
