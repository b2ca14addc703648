"""The build engine: what re-renders after each kind of edit, why, and what a failed or no-op build leaves."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURE_KIT
from kit.build import Engine, build
from kit.cli import main
from kit.generators import GENERATORS
from serving import alive

PAIR_COPIES = {f"field/enquete-24-mai/guides-binome-{n}.pdf" for n in range(1, 9)}


@pytest.fixture(scope="module")
def built_kit(tmp_path_factory) -> Path:
    """The frozen fixture kit, built once; each test edits a copy (its manifest and outputs with it)."""
    root = tmp_path_factory.mktemp("engine") / "kit"
    shutil.copytree(FIXTURE_KIT, root)
    build(root, jobs=2)
    return root


@pytest.fixture
def kit_copy(built_kit, tmp_path) -> Path:
    root = tmp_path / "kit"
    shutil.copytree(built_kit, root)  # copy2 keeps the files' times: the copy's outputs are intact
    return root


def rendered(summary) -> set[str]:
    return {r.path for r in summary.of("rendered")}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_build_with_nothing_changed_renders_nothing(kit_copy):
    summary = build(kit_copy, jobs=2)
    assert rendered(summary) == set()
    assert len(summary.of("up-to-date")) == len(summary.outputs) > 30
    assert summary.changed == 0


def test_a_session_title_renders_only_the_outputs_that_print_it(kit_copy):
    session = kit_copy / "content/sessions/session-08.yaml"
    edit(session, "title: \"Session 8", "title: \"Session 8 bis")
    summary = build(kit_copy, jobs=2)
    assert rendered(summary) == {"session-08/programme.pdf", "session-08/deroule-animateurs.pdf",
                                 "session-08/programme-nouveaux.pdf", "session-08/session-08.ics"}
    assert {r.reason for r in summary.of("rendered")} == {"content/sessions/session-08.yaml changed"}


def test_a_guide_question_renders_the_guide_and_the_pairs_copies_only(kit_copy):
    guide = kit_copy / "content/guides/rendez-vous.yaml"
    edit(guide, "En quelques mots", "En deux mots")
    summary = build(kit_copy, jobs=2)
    assert rendered(summary) == {"guides/rendez-vous.pdf"} | PAIR_COPIES


def test_a_guide_title_also_renders_the_lists_that_name_it(kit_copy):
    guide = kit_copy / "content/guides/rendez-vous.yaml"
    edit(guide, "title: Entretien sur rendez-vous", "title: Entretien sur rendez-vous au bureau")
    summary = build(kit_copy, jobs=2)
    assert {"guides/rendez-vous.pdf", "field/enquete-24-mai/missions.pdf", "session-08/deroule-animateurs.pdf"} \
        <= rendered(summary)
    reasons = {r.path: r.reason for r in summary.of("rendered")}
    assert reasons["session-08/deroule-animateurs.pdf"] == "material titles changed"


def test_the_printer_settings_render_only_home_and_fold_sheets_of_cards(kit_copy):
    edit(kit_copy / "kit.yaml", "duplex: long", "duplex: short")
    summary = build(kit_copy, jobs=2)
    paths = rendered(summary)
    # The pocket cards' note sides are placed behind their cards for the duplex flip, as card backs are.
    assert "guides/cartes-de-poche.pdf" in paths
    paths.discard("guides/cartes-de-poche.pdf")
    assert paths and all(p.startswith("decks/") and not p.endswith("-imprimeur.pdf") for p in paths)
    assert "decks/calibration.pdf" in paths
    assert {r.reason for r in summary.of("rendered")} == {"kit.yaml print.duplex changed"}


def test_the_kit_title_renders_every_output_that_prints_it(kit_copy):
    edit(kit_copy / "kit.yaml", "title: Le comptoir des services", "title: Le comptoir")
    summary = build(kit_copy, jobs=2)
    assert rendered(summary) == {r.path for r in summary.outputs}


def test_an_image_renders_the_outputs_that_draw_it(kit_copy):
    deck_file = (kit_copy / "content/decks/starters-images.yaml").read_text(encoding="utf-8")
    image = next(line.split(":", 1)[1].strip() for line in deck_file.splitlines() if "image:" in line)
    path = kit_copy / image
    path.write_bytes(path.read_bytes().replace(b"</svg>", b"<!-- retouche --></svg>"))
    summary = build(kit_copy, jobs=2)
    assert {"decks/starters-images.pdf", "decks/starters-images-imprimeur.pdf"} <= rendered(summary)
    assert {r.reason for r in summary.of("rendered")} == {f"{image} changed"}  # the decks and posters that draw it


def test_a_template_renders_the_documents_made_with_it(kit_copy, tmp_path, monkeypatch):
    import kit.digests

    templates = tmp_path / "templates"
    shutil.copytree(kit.digests.TEMPLATE_DIR, templates)
    (templates / "field.css").write_text((templates / "field.css").read_text() + "\n/* edited */\n")
    monkeypatch.setattr(kit.digests, "TEMPLATE_DIR", templates)
    summary = build(kit_copy, jobs=1)
    assert rendered(summary) == {"field/enquete-24-mai/vue-d-ensemble.pdf", "field/enquete-24-mai/missions.pdf"}
    assert {r.reason for r in summary.of("rendered")} == {"template field-missions.html.j2 changed",
                                                          "template field-overview.html.j2 changed"}


def test_an_output_deleted_on_disk_is_rendered_again(kit_copy):
    (kit_copy / "output/guides/rendez-vous.pdf").unlink()
    summary = build(kit_copy, jobs=1)
    assert rendered(summary) == {"guides/rendez-vous.pdf"}
    assert summary.of("rendered")[0].reason == "its file was missing or changed on disk"


def test_removed_content_removes_its_outputs(kit_copy):
    (kit_copy / "content/sessions/session-07.yaml").unlink()
    summary = build(kit_copy, jobs=1)
    removed = {r.path for r in summary.of("removed")}
    assert removed == {"session-07/programme.pdf", "session-07/deroule-animateurs.pdf", "session-07/session-07.ics"}
    assert not (kit_copy / "output/session-07").exists()
    assert rendered(summary) == set()


def test_a_failure_mid_build_leaves_every_output_and_the_manifest(kit_copy, monkeypatch):
    out = kit_copy / "output"
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()
              and not p.relative_to(out).as_posix().startswith((".cache/layout/", ".cache/images/", ".cache/yaml/"))}
    edit(kit_copy / "kit.yaml", "title: Le comptoir des services", "title: Le comptoir")

    def broken(output, content, context):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(GENERATORS["debate-board"], "render", broken)
    with pytest.raises(RuntimeError):
        build(kit_copy, jobs=2)
    after = {p: p.read_bytes() for p in before}
    assert [p for p in before if before[p] != after[p]] == []
    assert not list((out / ".cache").glob("staging-*"))


def test_a_copy_whose_layout_another_worker_makes_renders_later_not_waiting(built_kit, tmp_path, monkeypatch):
    """A pair's copy that needs the blank master another worker is laying out comes back at once
    (kit.build.Deferred): the worker renders other outputs, the copy renders once the master is
    made, and its bytes are those of any other build."""
    from kit.outputs import LayoutBusy

    root = tmp_path / "kit"
    shutil.copytree(FIXTURE_KIT, root)
    log = tmp_path / "log"
    log.touch()
    generator = type(GENERATORS["guide"])
    original = generator.render_pair
    deferred = "field/enquete-24-mai/guides-binome-2.pdf"

    def render_pair(self, output, content, context):  # in the workers: they are forked after this
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{output.path} {context.wait_for_layouts}\n")
        if output.path == deferred and not context.wait_for_layouts and "busy" not in log.read_text():
            with open(log, "a", encoding="utf-8") as out:
                out.write("busy\n")
            raise LayoutBusy("the blank master")
        return original(self, output, content, context)

    monkeypatch.setattr(generator, "render_pair", render_pair)
    summary = build(root, jobs=2)
    lines = log.read_text(encoding="utf-8").splitlines()
    busy = lines.index("busy")
    assert lines.index(f"{deferred} False") < busy
    assert any(line.startswith(deferred) for line in lines[busy + 1:])  # tried again, and made
    assert [r.path for r in summary.outputs].count(deferred) == 1 and deferred in rendered(summary)
    assert (root / "output" / deferred).read_bytes() == (built_kit / "output" / deferred).read_bytes()
    # Alone (one process), nothing is ever deferred: there is nothing else to do meanwhile.
    log.write_text("", encoding="utf-8")
    build(root, tmp_path / "serial", jobs=1, force=True)
    assert {line.split()[1] for line in log.read_text(encoding="utf-8").splitlines()} == {"True"}


def _check_that_waits_for_a_render(monkeypatch, marker: Path, found_error: bool):
    """A check of the agendas (which have none) that waits, in its worker, until a render has begun
    in the other worker; then finds a mistake if `found_error`."""
    from kit.checks import Check
    from kit.errors import Problem

    agenda = type(GENERATORS["agenda"])
    render = agenda.render

    def rendering(self, output, content, context):
        marker.touch()
        return render(self, output, content, context)

    def measure(cache_dir=None):
        import time

        for _ in range(400):  # 20 s at most: the build fails (an error below) if nothing renders meanwhile
            if marker.exists():
                break
            time.sleep(0.05)
        started = marker.exists()
        mistake = Problem("kit.yaml", 1, "title", "expected a render meanwhile, got none" if not started
                          else "expected nothing, got a mistake")
        return ([mistake] if found_error or not started else []), []

    monkeypatch.setattr(agenda, "render", rendering)
    monkeypatch.setattr(agenda, "checks", lambda self, content: [Check("waits-for-a-render", (), measure, cost=100)],
                        raising=False)


def test_the_first_renders_start_while_the_checks_are_measured(tmp_path, monkeypatch):
    """The workers measure the checks, then render: the first renders are queued behind the checks,
    not after every check has come back to the build (one worker would wait for the other's last)."""
    root = tmp_path / "kit"
    shutil.copytree(FIXTURE_KIT, root)
    _check_that_waits_for_a_render(monkeypatch, tmp_path / "rendering", found_error=False)
    summary = build(root, jobs=2)
    assert len(rendered(summary)) == len(summary.outputs) > 30


def test_a_mistake_a_check_finds_fails_the_build_though_renders_had_begun(tmp_path, monkeypatch):
    """A render that began before the checks came back is not kept when they found a mistake: the
    build fails with the check's error, and a first build leaves no output folder."""
    from kit.errors import ContentError

    root = tmp_path / "kit"
    shutil.copytree(FIXTURE_KIT, root)
    _check_that_waits_for_a_render(monkeypatch, tmp_path / "rendering", found_error=True)
    with pytest.raises(ContentError) as failed:
        build(root, jobs=2)
    assert [p.message for p in failed.value.problems] == ["expected nothing, got a mistake"]
    assert (tmp_path / "rendering").exists()  # a render had begun
    assert not (root / "output").exists()


def test_json_report(kit_copy):
    edit(kit_copy / "content/sessions/session-07.yaml", "title: \"Session 7", "title: \"Nouvelle session 7")
    result = CliRunner().invoke(main, ["build", "--kit", str(kit_copy), "--json", "-j", "2"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    by_path = {o["path"]: o for o in report["outputs"]}
    assert by_path["session-07/programme.pdf"]["status"] == "rendered"
    assert by_path["session-07/programme.pdf"]["reason"] == "content/sessions/session-07.yaml changed"
    assert by_path["session-07/programme.pdf"]["pages"] >= 1 and by_path["session-07/programme.pdf"]["seconds"] > 0
    assert by_path["guides/rendez-vous.pdf"]["status"] == "up-to-date"
    assert report["totals"]["rendered"] == 3 and report["totals"]["removed"] == 0


def test_a_warm_engine_answers_a_no_op_from_its_memory(kit_copy):
    engine = Engine(kit_copy)
    engine.build()
    again = engine.build()
    assert rendered(again) == set()


@pytest.mark.parametrize("command", [["build"], ["check"], ["list"]])
def test_no_op_build_check_and_list_import_no_renderer(kit_copy, command):
    build(kit_copy, jobs=1)  # a no-op check measures nothing: the checks' results are in the manifest
    script = ("import sys\nfrom kit.cli import main\n"
              f"try:\n    main({command + ['--kit', str(kit_copy)]!r})\nexcept SystemExit:\n    pass\n"
              "print('LOADED', sorted({m.split('.')[0] for m in sys.modules} & {'weasyprint', 'reportlab'}))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "LOADED []" in result.stdout, result.stdout + result.stderr


def retitled(kit_copy: Path) -> None:
    """The kit built, then one session's title edited: a rebuild with a few outputs to render."""
    build(kit_copy)
    edit(kit_copy / "content" / "sessions" / "session-08.yaml", 'title: "', 'title: "Nouveau ')


def test_a_rebuild_forks_its_first_worker_before_importing_the_content_model(kit_copy):
    """The first worker's import of the renderers is what every first render waits for: it starts
    while kit's command line has imported neither the content's model nor Pillow, which the build's
    process imports afterwards, beside it."""
    retitled(kit_copy)
    script = ("import sys\nimport kit.pool\n"
              "def init(self, *args, **kwargs):\n"
              "    print('AT FORK', sorted(m for m in ('kit.content', 'kit.images', 'PIL', 'kit.generators', 'weasyprint')"
              " if m in sys.modules), flush=True)\n"
              "    start(self, *args, **kwargs)\n"
              "start, kit.pool.Pool.__init__ = kit.pool.Pool.__init__, init\n"
              "from kit.cli import main\n"
              f"try:\n    main(['build', '--kit', {str(kit_copy)!r}, '--jobs', '2'])\nexcept SystemExit:\n    pass\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert "AT FORK []" in result.stdout, result.stdout + result.stderr
    assert re.search(r"outputs: [1-9]\d* rendered", result.stdout), result.stdout + result.stderr


def test_the_kit_command_forks_its_first_worker_before_importing_click(kit_copy):
    """The `kit` command (kit.warm.main) forks the build's first render worker as it starts, before
    click and the command line are imported: that worker imports kit's generators meanwhile, and the
    build's pool adopts it. A build that starts no workers (nothing to do) kills it as it ends."""
    from kit import early_worker

    if not early_worker.possible():
        pytest.skip("an early worker needs fork, send_fds and two cores")
    retitled(kit_copy)
    script = ("import os, sys\nimport kit.early_worker as early, kit.pool\n"
              "start = early.start\n"
              "def logged():\n"
              "    print('CLICK', 'click' in sys.modules, flush=True)\n"
              "    start()\n"
              "    print('EARLY', early._early[0], flush=True)\n"
              "early.start = logged\n"
              "init = kit.pool.Pool.__init__\n"
              "def adopting(self, *args, early=None, **kwargs):\n"
              "    print('ADOPTED', early and early[0], flush=True)\n"
              "    init(self, *args, early=early, **kwargs)\n"
              "    print('FIRST', self._first, flush=True)\n"
              "kit.pool.Pool.__init__ = adopting\n"
              f"sys.argv = ['kit', 'build', '--kit', {str(kit_copy)!r}, '--jobs', '2']\n"
              "import kit.warm\nkit.warm.main()\n")
    environment = {**os.environ, "KIT_WARM": "0"}

    def run() -> tuple[str, int]:
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout, int(re.search(r"EARLY (\d+)", result.stdout).group(1))

    out, pid = run()
    assert "CLICK False" in out, out
    assert f"ADOPTED {pid}" in out and f"FIRST {pid}" in out, out
    assert re.search(r"outputs: [1-9]\d* rendered", out), out
    assert not alive(pid)
    out, pid = run()  # nothing to do: no pool
    assert "ADOPTED" not in out and "0 rendered" in out, out
    assert not alive(pid)


def test_a_new_process_loads_the_templates_a_build_compiled(kit_copy):
    """The templates a build compiled are kept under output/.cache (jinja2's bytecode cache): a
    later build's new processes load them instead of compiling them again."""
    # Every output rendered, in processes of their own: this one may hold the templates compiled
    # already (it then writes none), and the copied kit's outputs are up to date.
    shutil.rmtree(kit_copy / "output" / ".cache" / "templates", ignore_errors=True)
    subprocess.run([sys.executable, "-m", "kit", "build", "--kit", str(kit_copy), "--jobs", "2", "--force"], check=True,
                   capture_output=True, env={**os.environ, "KIT_WARM": "0"})
    kept = list((kit_copy / "output" / ".cache" / "templates").iterdir())
    assert len(kept) >= 5, kept
    script = ("import jinja2\nfrom pathlib import Path\n"
              "from kit.documents import environment, use_template_cache\n"
              "compiled = []\n"
              "real = jinja2.Environment._compile\n"
              "jinja2.Environment._compile = lambda self, *a: compiled.append(a[1]) or real(self, *a)\n"
              "environment().get_template('guide.html.j2')\n"
              "print('WITHOUT', len(compiled))\n"
              "environment.cache_clear(); compiled.clear()\n"
              f"use_template_cache(Path({str(kit_copy / 'output' / '.cache')!r}))\n"
              "environment().get_template('guide.html.j2')\n"
              "print('WITH', len(compiled))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert "WITHOUT 0" not in result.stdout and "WITH 0" in result.stdout, result.stdout + result.stderr


def test_weasyprint_imports_without_searching_for_its_libraries():
    """Each name weasyprint tries in vain used to cost ctypes.util.find_library's processes
    (ldconfig, gcc): about 70 of them per import. The sonames load directly."""
    script = ("import ctypes.util, sys\n"
              "def refuse(name):\n    raise AssertionError(f'find_library({name!r}) called')\n"
              "ctypes.util.find_library = refuse\n"
              "from kit.weasyprint_import import import_weasyprint\n"
              "weasyprint = import_weasyprint()\n"
              "assert ctypes.util.find_library is refuse\n"
              "print(weasyprint.HTML(string='<p>ok</p>').render().pages[0].width > 0)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.strip() == "True", result.stderr


def test_weasyprint_imports_fonttools_subsetter_and_instancer_only_when_used():
    """kit subsets with HarfBuzz and ships static fonts: weasyprint's fontTools subsetter and
    variable-font instancer are imported on first use, and are the real ones then."""
    script = ("import sys\n"
              "from kit.weasyprint_import import import_weasyprint\n"
              "weasyprint = import_weasyprint()\n"
              "fonts = sys.modules['weasyprint.pdf.fonts']\n"
              "print('AFTER IMPORT', 'fontTools.subset' in sys.modules, 'fontTools.varLib.instancer' in sys.modules)\n"
              "import fontTools.subset\n"
              "print('SAME SUBSETTER', fonts.subset.Subsetter is fontTools.subset.Subsetter)\n"
              "try:\n    fonts.instantiateVariableFont(None, {})\nexcept Exception as error:\n"
              "    print('INSTANCER', type(error).__module__, 'fontTools.varLib.instancer' in sys.modules)\n"
              "pdf = weasyprint.HTML(string='<p style=\"font-family: sans-serif\">Été</p>').write_pdf()\n"
              "print('PDF', pdf[:5])\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert "AFTER IMPORT False False" in result.stdout, result.stdout + result.stderr
    assert "SAME SUBSETTER True" in result.stdout, result.stdout + result.stderr
    assert "INSTANCER" in result.stdout and result.stdout.split("INSTANCER")[1].split()[1] == "True", result.stdout
    assert "PDF b'%PDF-'" in result.stdout, result.stdout + result.stderr


def test_a_rebuild_guesses_the_outputs_it_renders_before_reading_the_content(kit_copy):
    """The workers import only the renderers of the outputs that read a changed file; a change that
    no output read as a file (kit.yaml, kit's code) may change anything."""
    from kit.build import likely_editions, renderers_of
    from kit.digests import FileDigests
    from kit.manifest import Manifest

    def guess() -> set[tuple[str, str]]:
        engine = Engine(kit_copy)
        manifest = Manifest.load(engine.cache_dir)
        files = FileDigests(manifest.stat)
        previous = {path: known[-1] for path, known in files.known.items()}
        engine.snapshot(manifest, files)
        return likely_editions(manifest, engine.kit_root, files, previous)

    build(kit_copy, jobs=1)  # what is known of the files is known at the copy's own paths
    assert guess() == set()
    edit(kit_copy / "content/sessions/session-08.yaml", "title: \"Session 8", "title: \"Session 8 bis")
    assert {kind for kind, _ in guess()} == {"agenda", "calendar"}
    build(kit_copy, jobs=1)
    # A rendez-vous guide's question: the guide and its pairs' copies, not the pocket cards (reportlab's
    # platypus, a fifth of a second in each worker).
    guide = kit_copy / "content/guides/rendez-vous.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("En quelques mots", "En deux mots", 1), encoding="utf-8")
    guessed = guess()
    assert {edition for kind, edition in guessed if kind == "guide"} == {"document", "pair"}
    assert "kit.render.pocket_cards" not in renderers_of(guessed)
    assert {"weasyprint", "kit.render.copies"} <= set(renderers_of(guessed))
    assert "kit.render.pocket_cards" in renderers_of({"guide"})  # the kind: every edition's
    edit(kit_copy / "kit.yaml", "organisation: La Transfo", "organisation: Le labo")
    assert guess() == {(entry.kind, entry.edition) for entry in Manifest.load(kit_copy / "output/.cache").entries.values()}


def test_fonts_are_subset_the_same_way_with_or_without_the_system_library(kit_copy, tmp_path, monkeypatch):
    """kit subsets with uharfbuzz's HarfBuzz, never weasyprint's fontTools fallback (slow, time-stamped)."""
    from weasyprint.pdf import fonts

    from kit.documents import _weasyprint

    _weasyprint()
    assert fonts.Font.subset.__module__ == "kit.pdffonts"
    first = build(kit_copy, tmp_path / "a", jobs=1, only=["content/guides/rendez-vous.yaml"])
    monkeypatch.setattr(fonts, "harfbuzz_subset", None)  # as on a machine without libharfbuzz-subset0
    build(kit_copy, tmp_path / "b", jobs=1, only=["content/guides/rendez-vous.yaml"])
    for path in first.files:
        assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes(), path


@pytest.mark.parametrize("first", [False, True], ids=["rebuild", "first build"])
def test_nothing_of_kit_stays_in_the_system_temp_folder(kit_copy, tmp_path, monkeypatch, first):
    """Not weasyprint's copies of kit's fonts either, which a render worker warming up before a first
    build has its own temporary folder (under output/) would have left in the system's."""
    import tempfile

    from kit import documents

    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    monkeypatch.setattr(documents, "_warmed", set())  # the forked workers warm up as new ones do
    if first:
        shutil.rmtree(kit_copy / "output")
    edit(kit_copy / "kit.yaml", "title: Le comptoir des services", "title: Le comptoir")
    build(kit_copy, jobs=2)
    assert list(system_tmp.iterdir()) == []
    assert not (kit_copy / "output/.cache/tmp").exists()


def test_every_kit_setting_is_an_input_outputs_can_declare():
    """A new kit.yaml setting must be declared by the outputs that print it, or it would never re-render them."""
    import dataclasses

    from kit.build import setting_text
    from kit.outputs import (CALENDAR_SETTINGS, CARD_SHEET_SETTINGS, DOCUMENT_SETTINGS, FILE_NAME_SETTINGS,
                             PRINTER_SETTINGS)
    from kit.project import KitConfig, PrintSettings

    declared = set(DOCUMENT_SETTINGS + PRINTER_SETTINGS + CARD_SHEET_SETTINGS + CALENDAR_SETTINGS + FILE_NAME_SETTINGS)
    named = {"colours": "theme", "printing": None}
    for field in dataclasses.fields(KitConfig):
        if field.name == "root":
            continue
        setting = named.get(field.name, field.name)
        if setting is not None:
            assert setting in declared, f"kit.yaml {field.name}: no output can declare it"
    printing = {"duplex": "print.duplex", "back_offset_mm": "print.back_offset", "greyscale": "print.greyscale",
                "gutter_mm": "print.gutter", "backs": "print.backs"}
    assert {f.name for f in dataclasses.fields(PrintSettings)} == set(printing)
    assert set(printing.values()) <= declared
    config = KitConfig(root=Path("."), title="Essai")
    assert len({setting_text(config, name) for name in declared}) > 1


@pytest.mark.parametrize("file, old, new", [
    ("kit.yaml", "accent: \"#e8743b\"", "accent: \"#b3472a\""),
    ("kit.yaml", "organisation: La Transfo", "organisation: Le labo"),
    ("content/formats/photos-debat.yaml", "title: ", "title: Le grand "),
    # Every printed time (agendas, field plans, guide copies) and the calendar's zone.
    ("kit.yaml", "paper: A4", "paper: A4\nclock: 12h"),
    ("kit.yaml", "paper: A4", "paper: A4\ntimezone: America/New_York"),
])
def test_an_edit_renders_every_output_whose_bytes_it_changes(kit_copy, tmp_path, file, old, new):
    """The declared inputs are complete: a clean build of the edited kit differs from the previous
    outputs only in outputs the incremental build rendered."""
    out = kit_copy / "output"
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
              if p.is_file() and ".cache" not in p.relative_to(out).parts}
    edit(kit_copy / file, old, new)
    summary = build(kit_copy, jobs=2)
    rendered_files = {f for r in summary.of("rendered") for f in r.files}
    clean = tmp_path / "clean"
    build(kit_copy, clean, jobs=2)
    changed = {path for path, data in before.items() if (clean / path).read_bytes() != data}
    assert changed, "the edit changed no output: the test proves nothing"
    assert changed <= rendered_files
    assert all((out / path).read_bytes() == (clean / path).read_bytes() for path in before)


def test_check_strict_and_build_strict_report_the_same_warnings(make_kit, tmp_path):
    """Warnings come from load-time checks only (a soft photo, an example too long, a guide too long
    for its pocket card), so `kit check --strict` fails exactly when `kit build --strict` does."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "#88aacc").save(buffer, "JPEG")
    long = "Une question très longue qui n'en finit pas de s'étirer sur la carte de poche, encore ? " * 3
    questions = "".join(f'  - ask: "{long}"\n    probes: ["{long}", "{long}"]\n' for _ in range(5))
    root = make_kit({
        "images/petite.jpg": buffer.getvalue(),
        "content/decks/photos.yaml": "title: Photos\nkind: photo-debate\naxes: [[cher, gratuit]]\ncards:\n"
                                     "  - title: Petite photo\n    image: images/petite.jpg\n",
        "content/worksheets/f.yaml": "kind: fiche-service\nservices:\n  - name: Bavard\n    typology: "
                                     + " ".join(["Une phrase qui déborde de sa case."] * 20) + "\n",
        "content/guides/long.yaml": f"title: Bavard\nmode: à la volée\nquestions:\n{questions}",
    })
    runner = CliRunner()
    checked = runner.invoke(main, ["check", "--strict", "--kit", str(root)])
    built = runner.invoke(main, ["build", "--strict", "--kit", str(root), "-j", "1"])
    assert checked.exit_code == built.exit_code == 1
    warnings = [line for line in checked.output.splitlines() if line.startswith("content/")]
    assert len(warnings) == 3
    assert warnings == [line for line in built.output.splitlines() if line.startswith("content/")]
    assert not (root / "output/decks").exists()  # nothing written with --strict


def test_a_rebuild_decodes_only_the_photos_that_changed(make_kit, monkeypatch):
    """Checking a photo whole (a truncated file must fail `kit check`) is remembered beside the photo cache."""
    import io
    import os

    from PIL import Image

    import kit.images

    def photo(colour):
        buffer = io.BytesIO()
        Image.new("RGB", (1200, 800), colour).save(buffer, "JPEG")
        return buffer.getvalue()

    root = make_kit({"images/a.jpg": photo("#88aacc"), "images/b.jpg": photo("#cc8844"),
                     "content/decks/photos.yaml": "title: Photos\nkind: photo-debate\naxes: [[cher, gratuit]]\n"
                                                  "cards:\n  - {title: A, image: images/a.jpg}\n"
                                                  "  - {title: B, image: images/b.jpg}\n"})
    build(root, jobs=1)
    monkeypatch.setattr(kit.images, "_DECODED", {})  # a new process: only the manifest remembers
    (root / "images/b.jpg").write_bytes(photo("#cc4444"))
    decoded = []
    real = kit.images._load_whole
    monkeypatch.setattr(kit.images, "_load_whole", lambda im: decoded.append(Path(im.filename).name) or real(im))
    build(root, jobs=1)
    assert decoded.count("b.jpg") >= 1 and "a.jpg" not in decoded
    # What was decoded is kept with the prepared photos: it outlives a deleted manifest ...
    (root / "output" / ".cache" / "manifest.json").unlink()
    monkeypatch.setattr(kit.images, "_DECODED", {})
    decoded.clear()
    build(root, jobs=1)
    assert decoded == []
    # ... and a photo rewritten with its size and time kept is decoded again all the same.
    stat = (root / "images/a.jpg").stat()
    data = bytearray((root / "images/a.jpg").read_bytes())
    data[len(data) // 2] ^= 1
    (root / "images/a.jpg").write_bytes(bytes(data))
    os.utime(root / "images/a.jpg", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    monkeypatch.setattr(kit.images, "_DECODED", {})
    build(root, jobs=1)
    assert "a.jpg" in decoded and "b.jpg" not in decoded


def test_each_check_measures_alone_what_it_measures_among_the_others(tmp_path):
    """A first build hands its checks to the render processes, side by side: each check must need
    nothing another one set up (fonts registered, modules imported). Each runs here in a process
    forked right after the content was loaded, as a worker is, and finds what the serial run finds."""
    root = shutil.copytree(FIXTURE_KIT, tmp_path / "kit")
    script = f"""
import multiprocessing, sys
from pathlib import Path
from kit.content import load_kit
from kit.generators import GENERATORS
from kit.checks import run_named

content = load_kit(Path({str(root)!r}))
names = [(kind, check.name) for kind, g in GENERATORS.items() if hasattr(g, "checks") for check in g.checks(content)]

def alone(item):
    found = run_named(content, GENERATORS, item[0], item[1], None)
    return [sorted(p.readable() for p in problems) for problems in found]

with multiprocessing.get_context("fork").Pool(2, maxtasksperchild=1) as pool:
    apart = pool.map(alone, names, chunksize=1)
together = [alone(item) for item in names]
assert len(names) > 10, names
for item, a, t in zip(names, apart, together):
    assert a == t, (item, a, t)
print("CHECKED", len(names))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0 and "CHECKED" in result.stdout, result.stdout + result.stderr[-3000:]


def test_what_is_known_of_the_kit_files_outlives_a_deleted_manifest(kit_copy, monkeypatch):
    """The manifest is about outputs; the digests of the kit's files (by stat) are kept apart, so a
    build after the manifest was deleted renders everything again without reading every file again."""
    import kit.digests

    build(kit_copy, jobs=1)  # a copy's files are new files: seen once here
    (kit_copy / "output" / ".cache" / "manifest.json").unlink()
    hashed = []
    real = kit.digests.file_sha256
    monkeypatch.setattr(kit.digests, "file_sha256", lambda path: hashed.append(path) or real(path))
    summary = build(kit_copy, jobs=1)
    assert len(rendered(summary)) == len(summary.outputs)  # no manifest: every output renders
    assert hashed == []


def test_outputs_render_costliest_first_by_processor_time_not_by_waiting(kit_copy):
    """A per-pair copy that waited for another worker's layout of the blank master took long but
    cost little: the next build must not put it first (it would wait again, beside the guide)."""
    from kit.build import _last_cost
    from kit.manifest import Manifest

    edit(kit_copy / "content/guides/rendez-vous.yaml", "En quelques mots", "En deux mots")
    build(kit_copy, jobs=2)
    manifest = Manifest.load(kit_copy / "output/.cache")
    copies = [manifest.entries[path] for path in sorted(PAIR_COPIES)]
    assert all(0 < entry.cost for entry in copies)
    assert all(_last_cost(manifest, path) == manifest.entries[path].cost for path in PAIR_COPIES)
    waited, busy = copies[0], copies[1]
    waited.seconds, waited.cost = 1.0, 0.05
    busy.seconds, busy.cost = 0.5, 0.5
    order = sorted(["field/enquete-24-mai/guides-binome-1.pdf", "field/enquete-24-mai/guides-binome-2.pdf"],
                   key=lambda path: -_last_cost(manifest, path))
    assert order == ["field/enquete-24-mai/guides-binome-2.pdf", "field/enquete-24-mai/guides-binome-1.pdf"]


def test_a_render_that_found_its_layout_cached_keeps_the_output_near_the_front(tmp_path):
    """The print list of a session found cached costs nothing; the next edit lays it out for real:
    it must not then be started last, alone on one core. An output's cost falls by half a build."""
    from kit.build import Task
    from kit.manifest import Entry
    from kit.outputs import Output

    output = Output("print-list", "session-08/a-imprimer.pdf", "session-08", ())
    engine = Engine(tmp_path)
    costly = engine.entry(output, {}, Task(output.path, {}, 1, [], 0.9, cost=0.8), None)
    assert costly.cost == 0.8
    cached = engine.entry(output, {}, Task(output.path, {}, 1, [], 0.06, cost=0.05), costly)
    assert cached.cost == 0.4
    assert engine.entry(output, {}, Task(output.path, {}, 1, [], 1.0, cost=0.9), cached).cost == 0.9
    assert isinstance(cached, Entry)


def _state_received_in_a_worker():
    import gc
    import pickle

    from kit.build import _received

    before = gc.get_threshold()
    assert _received("render", "key", pickle.dumps({"content": [1, 2, 3]})) == {"content": [1, 2, 3]}
    return before, gc.get_threshold(), gc.get_freeze_count()


def test_a_worker_leaves_the_content_it_was_sent_out_of_the_garbage_collectors_passes():
    """A render worker, once it has the build's content, sets its collector for layouts (kit.build._settle)."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(1, mp_context=get_context("fork")) as pool:
        before, after, frozen = pool.submit(_state_received_in_a_worker).result()
    assert before[0] < after[0] == 20_000
    assert frozen > 0
