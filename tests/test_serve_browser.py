"""kit serve in a real browser (Debian's chromium driven by Playwright): the page lists every output, follows saves, shows errors and clears them."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import FIXTURE_KIT
from serving import CHROMIUM_ARGS, Served

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine (Debian: apt-get install "
                                                         "chromium); .ci/run installs it")
# Where a run may keep its screenshots (the README's comes from here): KIT_SERVE_SCREENSHOTS=docs
SCREENSHOTS = os.environ.get("KIT_SERVE_SCREENSHOTS")
SESSION = "content/sessions/session-08.yaml"
PROGRAMME = 'img[data-file="session-08/programme.pdf"][data-page="1"]'
DECK = 'img[data-file="decks/cartes-themes.pdf"][data-page="1"]'


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve-browser") / "kit"
    shutil.copytree(FIXTURE_KIT, root)
    server = Served(root)
    server.wait_state(lambda s: s["status"] == "ready" and s["idle"], 300)
    yield server
    assert server.interrupt() == 0
    assert "Traceback" not in server.output, server.output


@pytest.fixture(scope="module")
def page(served):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(served.url)
        page.wait_for_selector('#status[data-status="ready"]')
        page.wait_for_selector("article.output")
        yield page
        browser.close()
        assert errors == []


def image_loaded(page, selector: str) -> tuple[str, bool]:
    """An <img>'s src and whether that image has arrived and decoded."""
    return page.eval_on_selector(selector, "img => [img.getAttribute('src'), img.complete && img.naturalWidth > 0]")


def wait(condition, timeout: float):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.03)


def screenshot(page, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(SCREENSHOTS) / name)
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_page_lists_every_output_by_session_and_kind(served, page):
    from kit.content import load_kit
    from kit.generators import GENERATORS
    from kit.plan import plan

    outputs = {o.path for o in plan(load_kit(served.root), GENERATORS)}
    listed = set(page.eval_on_selector_all("article.output", "els => els.map(e => e.dataset.path)"))
    assert listed == outputs
    groups = page.eval_on_selector_all("section.group > h2", "els => els.map(e => e.textContent)")
    assert groups == ["Session 7 : lancement du cas pratique n° 3", "Session 8 : démarrer le cas pratique n° 3",
                      "Hors session"]
    # Every file of every output is there: a thumbnail per shown page, or a link (calendars).
    files = {f["path"] for g in served.state()["groups"] for k in g["kinds"] for o in k["outputs"] for f in o["files"]}
    shown = set(page.eval_on_selector_all("img[data-file]", "els => els.map(e => e.dataset.file)"))
    linked = {href.removeprefix("/files/") for href in
              page.eval_on_selector_all("a.page.file", "els => els.map(e => e.getAttribute('href'))")}
    assert shown | linked == files
    assert page.get_attribute('article[data-path="session-08/programme.pdf"] header a', "href") == \
        "/files/session-08/programme.pdf"
    src, loaded = image_loaded(page, PROGRAMME)
    assert wait(lambda: image_loaded(page, PROGRAMME)[1], 10)


def test_the_viewer_turns_pages(served, page):
    page.click('article[data-path="session-08/deroule-animateurs.pdf"] button.page')
    page.wait_for_selector("#viewer:not([hidden])")
    assert page.text_content("#viewer-page") == "1 / 5"
    page.click("#viewer-next")
    assert page.text_content("#viewer-page") == "2 / 5"
    assert "page=2&size=large" in page.get_attribute("#viewer-image", "src")
    assert wait(lambda: page.eval_on_selector("#viewer-image", "i => i.complete && i.naturalWidth >= 1000"), 10)
    page.keyboard.press("ArrowLeft")
    assert page.text_content("#viewer-page") == "1 / 5"
    assert page.get_attribute("#viewer-open", "href") == "/files/session-08/deroule-animateurs.pdf"
    page.keyboard.press("Escape")
    page.wait_for_selector("#viewer", state="hidden")


def test_a_saved_session_changes_its_programme_thumbnail_only(served, page, tmp_path):
    before, _ = image_loaded(page, PROGRAMME)
    deck_before = image_loaded(page, DECK)
    started = time.monotonic()
    edit(served.root / SESSION, 'title: "Session 8 :', 'title: "Session 8 (révisée) :')
    changed = wait(lambda: (lambda s: s[0] != before and s[1])(image_loaded(page, PROGRAMME)), 5)
    elapsed = time.monotonic() - started
    if not changed:  # how late it was, to tell a slow machine from a missed update
        late = wait(lambda: (lambda s: s[0] != before and s[1])(image_loaded(page, PROGRAMME)), 30)
        pytest.fail(f"the programme's thumbnail did not change within 5 s (after {time.monotonic() - started:.1f} s: "
                    f"{'changed' if late else 'still not'}; load average {os.getloadavg()[0]:.1f})\n{served.output}")
    assert elapsed < 5
    assert image_loaded(page, DECK) == deck_before  # untouched outputs keep their image
    # The new thumbnail shows as soon as the programme is rendered; the line saying what changed
    # comes when the whole build is done.
    page.wait_for_selector('#status[data-status="ready"]', timeout=30_000)
    change = page.text_content("#change")
    assert "session-08/programme.pdf" in change and "content/sessions/session-08.yaml changed" in change
    assert page.get_attribute('article[data-path="session-08/programme.pdf"]', "class") == "output fresh"
    screenshot(page, tmp_path, "serve.png")


def test_a_content_error_shows_its_place_and_line_then_clears(served, page, tmp_path):
    path = served.root / SESSION
    good = path.read_text(encoding="utf-8")
    lines = good.splitlines()
    number = next(n for n, line in enumerate(lines, 1) if line.strip().startswith("duration:"))
    lines[number - 1] = lines[number - 1].split("duration:")[0] + "duration: beaucoup"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    page.wait_for_selector("#problems:not([hidden])", timeout=10_000)
    assert page.text_content(".error .where") == f"{SESSION}:{number}"
    assert "beaucoup" in page.text_content(".error .message")
    assert page.text_content(".error .line.hit") == f"{number}{lines[number - 1]}"
    assert page.get_attribute('#status', "data-status") == "failed"
    assert "stale" in page.get_attribute("body", "class")
    assert page.is_visible("#stale-note")
    assert image_loaded(page, PROGRAMME)[1]  # the last good outputs stay on the page
    screenshot(page, tmp_path, "serve-error.png")

    path.write_text(good, encoding="utf-8")
    page.wait_for_selector("#problems", state="hidden", timeout=10_000)
    page.wait_for_selector('#status[data-status="ready"]')
    assert "stale" not in (page.get_attribute("body", "class") or "")
    assert page.is_hidden("#stale-note")
