"""kit serve's build loop and watcher: one build at a time, one more queued, editors' saves, Ctrl-C and a vanished kit folder."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import FIXTURE_KIT
from kit.build import Summary
from kit.errors import Problem
from kit.serve.builder import BuildLoop
from kit.serve.state import Preview, error_views
from kit.serve.thumbs import Thumbnails
from kit.serve.watcher import KitWatcher, kit_file
from serving import TINY_SESSION, Served, alive, children_of


class SlowEngine:
    """An engine whose builds take a while and are counted, to see how requests queue."""

    def __init__(self, root: Path, seconds: float):
        (root / "content").mkdir(exist_ok=True)
        self.kit_root, self.out_dir, self.jobs = root, root / "output", 2
        self.manifest = SimpleNamespace(entries={})
        self.seconds = seconds
        self.running = 0
        self.overlapped = False
        self.started = threading.Event()

    def build(self, **_options) -> Summary:
        self.running += 1
        self.overlapped |= self.running > 1
        self.started.set()
        time.sleep(self.seconds)
        self.running -= 1
        return Summary()


def test_saves_during_a_build_queue_exactly_one_more(tmp_path):
    engine = SlowEngine(tmp_path, 0.4)
    states = []
    loop = BuildLoop(engine, Preview(tmp_path), Thumbnails(tmp_path / "cache"), states.append, say=lambda _: None)
    loop.start()
    try:
        loop.request({"content/sessions/s.yaml"})
        assert engine.started.wait(5)
        for _ in range(5):  # five saves while the first build runs
            loop.request({"content/sessions/s.yaml"})
            time.sleep(0.02)
        assert loop.wait_idle(10)
        assert loop.builds == 2 and not engine.overlapped
        assert [s["status"] for s in states].count("building") == 2
    finally:
        loop.stop(5)


def test_each_rendered_output_shows_before_the_build_ends(make_kit, tmp_path):
    """A save re-renders several outputs: each is shown, from the staging folder, as soon as it is
    rendered, and its thumbnail can be drawn then, before the build moves anything into place."""
    from kit.build import Engine

    root = make_kit({"content/sessions/s.yaml": TINY_SESSION})
    engine = Engine(root, jobs=1)
    thumbs = Thumbnails(engine.cache_dir)
    states, drawn = [], {}
    preview = Preview(root)

    def publish(state):
        states.append(state)
        for group in state["groups"]:
            for kind in group["kinds"]:
                for output in kind["outputs"]:
                    for file in output["files"]:
                        if state["status"] == "building" and file["path"] == "s/programme.pdf":
                            sha = preview.file_sha(file["path"])
                            drawn[sha] = thumbs.image(engine.out_dir / file["path"], sha, 0, "small")

    loop = BuildLoop(engine, preview, thumbs, publish, say=lambda _: None)
    loop.start()
    try:
        loop.request()
        assert loop.wait_idle(60)
        first = preview.file_sha("s/programme.pdf")
        states.clear()
        session = root / "content" / "sessions" / "s.yaml"
        session.write_text(session.read_text().replace("title: Lancement", "title: Relance"))
        loop.request({"content/sessions/s.yaml"})
        assert loop.wait_idle(60)
    finally:
        loop.stop(5)
    statuses = [s["status"] for s in states]
    done = statuses.index("ready")
    assert statuses[0] == "building" and "building" not in statuses[done:]
    final = preview.file_sha("s/programme.pdf")
    assert final != first
    # Shown while the build still ran (other outputs of the session were still to render) ...
    shown = next(i for i, s in enumerate(states) if "s/programme.pdf" in s["changed"])
    assert 0 < shown < done - 1  # other outputs were shown after it, then the build ended
    # ... and its thumbnail drawn from the staged file, the very one later moved into place.
    assert drawn.get(final) is not None and drawn[final].is_file()
    assert "s/programme.pdf" in states[done]["changed"]
    assert thumbs.staged == {}


def test_a_failed_build_takes_back_what_it_showed(tmp_path):
    from kit.serve.state import OutputFile

    preview = Preview(tmp_path)
    preview.built(Summary([], [], 0.0, 0), {"a.pdf": ("agenda", [OutputFile("a.pdf", "1" * 64, 2)])})
    preview.building()
    shown = preview.progressed("a.pdf", "agenda", [OutputFile("a.pdf", "2" * 64, 3)])
    assert shown["changed"] == ["a.pdf"] and preview.file_sha("a.pdf") == "2" * 64
    preview.failed(message="disk full")
    assert preview.file_sha("a.pdf") == "1" * 64


def test_stopping_cancels_no_build_it_never_started(tmp_path):
    engine = SlowEngine(tmp_path, 0.2)
    loop = BuildLoop(engine, Preview(tmp_path), Thumbnails(tmp_path / "cache"), lambda s: None, say=lambda _: None)
    loop.start()
    loop.stop(5)
    loop.request()
    time.sleep(0.1)
    assert loop.builds == 0


@pytest.mark.parametrize("name, expected", [
    ("content/sessions/s.yaml", "content/sessions/s.yaml"),
    ("kit.yaml", "kit.yaml"),
    ("images/photos/a.jpg", "images/photos/a.jpg"),
    ("content/sessions/.s.yaml.swp", None),        # vim
    ("content/sessions/.s.yaml.swx", None),
    ("content/sessions/4913", None),               # vim's write test
    ("content/sessions/s.yaml~", None),            # backups
    ("content/sessions/.#s.yaml", None),           # emacs lock
    ("content/sessions/#s.yaml#", None),           # emacs auto-save
    ("content/sessions/.goutputstream-X1Y2", None),  # gedit's write-then-rename
    ("content/sessions/s.yaml.tmp", None),
    ("output/s/programme.pdf", None),
    ("output/.cache/manifest.json", None),
    ("README.md", None),
    (".git/index", None),
])
def test_which_changed_files_a_build_reads(tmp_path, name, expected):
    root = tmp_path / "kit"
    assert kit_file(root, root / "output", str(root / name)) == expected


@pytest.fixture
def watched(tmp_path):
    root = tmp_path / "kit"
    (root / "content" / "sessions").mkdir(parents=True)
    (root / "kit.yaml").write_text("title: Kit\n")
    (root / "content" / "sessions" / "s.yaml").write_text(TINY_SESSION, encoding="utf-8")
    saves: list[set[str]] = []
    missing = threading.Event()
    watcher = KitWatcher(root, root / "output", saves.append, missing.set, say=lambda _: None)
    watcher.start()
    time.sleep(0.3)  # the watch is set up
    yield root, saves, missing
    watcher.stop()


def wait_for(condition, timeout=5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_a_write_then_rename_save_is_one_change_of_the_file(watched):
    root, saves, _ = watched
    session = root / "content" / "sessions" / "s.yaml"
    temporary = session.with_name(".s.yaml.tmp123")
    temporary.write_text(TINY_SESSION.replace("Accueil", "Bienvenue"), encoding="utf-8")
    os.replace(temporary, session)
    assert wait_for(lambda: saves)
    time.sleep(0.3)
    assert set().union(*saves) == {"content/sessions/s.yaml"}


def test_a_delete_then_write_save_waits_for_the_file(watched):
    root, saves, _ = watched
    session = root / "content" / "sessions" / "s.yaml"
    session.unlink()
    time.sleep(0.1)  # an editor that deletes, then writes a moment later
    session.write_text(TINY_SESSION, encoding="utf-8")
    assert wait_for(lambda: saves)
    assert session.exists()  # by the time the build is asked for, the file is back


def test_editors_side_files_alone_ask_for_no_build(watched):
    root, saves, _ = watched
    folder = root / "content" / "sessions"
    (folder / ".s.yaml.swp").write_bytes(b"b0VIM")
    (folder / "4913").write_text("")
    (folder / "4913").unlink()
    (folder / "s.yaml~").write_text("old")
    (root / "output").mkdir()
    (root / "output" / "x.pdf").write_bytes(b"%PDF")
    time.sleep(0.6)
    assert saves == []


def test_a_renamed_kit_folder_is_reported_then_picked_up_again(watched):
    root, saves, missing = watched
    moved = root.with_name("kit-moved")
    root.rename(moved)
    assert wait_for(missing.is_set)
    moved.rename(root)
    assert wait_for(lambda: any("kit.yaml" in s for s in saves))


def test_an_error_shows_the_lines_around_it_with_its_own_marked(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "s.yaml").write_text("".join(f"line {n}\n" for n in range(1, 21)))
    problem = Problem("content/s.yaml", 10, "days[0].blocks[1].duration", 'expected minutes, got "beaucoup"')
    [view] = error_views(tmp_path, [problem])
    assert view["where"] == "content/s.yaml:10"
    assert view["message"] == 'day 1, block 2, duration: expected minutes, got "beaucoup"'
    assert [line["n"] for line in view["lines"]] == list(range(7, 14))
    assert [line["text"] for line in view["lines"] if line["hit"]] == ["line 10"]


def test_an_error_without_a_line_or_a_readable_file_has_no_excerpt(tmp_path):
    views = error_views(tmp_path, [Problem("kit.yaml", 0, "", "missing"), Problem("gone.yaml", 3, "", "x")])
    assert [v["lines"] for v in views] == [[], []]
    assert views[0]["where"] == "kit.yaml"


# -- the process --------------------------------------------------------------------------------------

def test_ctrl_c_during_a_build_stops_cleanly(tmp_path):
    root = tmp_path / "kit"
    shutil.copytree(FIXTURE_KIT, root)
    server = Served(root)
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while not workers and time.monotonic() < deadline:  # the first build's forked renderers
            workers = children_of(server.process.pid)
            time.sleep(0.05)
        assert workers, server.output
        time.sleep(1.0)
        started = time.monotonic()
        assert server.interrupt(timeout=30) == 0, server.output
    finally:
        server.close()  # whatever failed above, no server is left running
    assert time.monotonic() - started < 15
    assert wait_for(lambda: not any(alive(pid) for pid in workers), 10), "worker processes left behind"
    assert "Traceback" not in server.output, server.output
    assert "kit serve: stopped" in server.output
    cache = root / "output" / ".cache"
    assert not list(cache.glob("staging-*")) and not (cache / "tmp").exists()
    # Nothing half-written: no temporary files, and any PDF there is whole.
    assert not [p for p in (root / "output").rglob("*.tmp")]
    for pdf in (root / "output").rglob("*.pdf"):
        assert pdf.read_bytes().rstrip().endswith(b"%%EOF"), pdf


def test_a_deleted_kit_folder_is_reported_not_a_traceback(tmp_path):
    root = tmp_path / "kit"
    (root / "content" / "sessions").mkdir(parents=True)
    (root / "kit.yaml").write_text("title: Kit d'essai\n")
    (root / "content" / "sessions" / "s.yaml").write_text(TINY_SESSION, encoding="utf-8")
    server = Served(root)
    try:
        server.wait_state(lambda s: s["status"] == "ready" and s["idle"])
        moved = tmp_path / "renamed"
        root.rename(moved)
        state = server.wait_state(lambda s: s["status"] == "missing", 10)
        assert state["stale"] and state["groups"]  # the last outputs stay listed
        moved.rename(root)
        server.ready(30)
        shutil.rmtree(root)
        server.wait_state(lambda s: s["status"] == "missing", 10)
        assert server.process.poll() is None
    finally:
        assert server.interrupt() == 0
    assert "Traceback" not in server.output, server.output
    assert "is gone" in server.output


def test_the_warm_up_render_writes_nothing_outside_the_output_folder(tmp_path, monkeypatch):
    """kit serve renders one agenda, thrown away, to warm itself up: its cache and weasyprint's copies
    of the fonts go in the build's temporary folder under output/.cache, deleted afterwards."""
    import tempfile

    import kit.build
    from kit.build import Engine
    from kit.content import load_kit
    from kit.generators import GENERATORS
    from kit.plan import plan

    root = tmp_path / "kit"
    shutil.copytree(FIXTURE_KIT, root)
    engine = Engine(root)
    engine.build()
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    rendered = []
    render_one = kit.build.render_one

    def recording(output, content, context):
        rendered.append((output.kind, context.cache_dir))
        assert list(system_tmp.iterdir()) == []
        return render_one(output, content, context)

    monkeypatch.setattr(kit.build, "render_one", recording)
    loop = BuildLoop(engine, Preview(root), Thumbnails(tmp_path / "thumbs"), lambda _: None, say=lambda _: None)
    content = load_kit(root)
    loop._warm_up(content, plan(content, GENERATORS))
    assert [kind for kind, _ in rendered] == ["agenda"]
    assert root / "output" / ".cache" in rendered[0][1].parents
    assert list(system_tmp.iterdir()) == [] and not (root / "output/.cache/tmp").exists()
    assert tempfile.tempdir == str(system_tmp)
