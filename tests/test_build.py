"""The build as a whole: previous outputs survive failures, writes stay in output/, CLI commands."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import SMALL_SESSION, outputs_of, pdf_text
from kit.build import build
from kit.cli import main
from kit.documents import render_pdf, url_fetcher
from kit.errors import ContentError, OutputError
from kit.generators import GENERATORS
from kit.outputs import Output
from kit.content import load_kit
from kit.writer import target_path, write_atomic

SESSION = SMALL_SESSION


@pytest.fixture
def small_kit(make_kit):
    return make_kit({"content/sessions/essai.yaml": SESSION})


def snapshot(out):
    """Every output file and the manifest (the caches of layouts, images, parses and compiled
    templates may grow: a process that compiled a template already writes none)."""
    caches = (".cache/layout/", ".cache/images/", ".cache/yaml/", ".cache/templates/")
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.relative_to(out).as_posix().startswith(caches)}


def test_content_error_leaves_previous_outputs_byte_identical(small_kit):
    build(small_kit, jobs=1)
    out = small_kit / "output"
    before = snapshot(out)
    assert "essai/programme.pdf" in before
    (small_kit / "content/sessions/essai.yaml").write_text(SESSION.replace("duration: 30", "duration: trente"))
    with pytest.raises(ContentError):
        build(small_kit, jobs=1)
    assert snapshot(out) == before


def test_render_failure_leaves_previous_outputs_byte_identical(small_kit, monkeypatch):
    build(small_kit, jobs=1)
    out = small_kit / "output"
    before = snapshot(out)
    (small_kit / "content/sessions/essai.yaml").write_text(SESSION.replace("Atelier", "Atelier modifié"))

    def broken(output, content, context):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(GENERATORS["calendar"], "render", broken)
    with pytest.raises(RuntimeError):
        build(small_kit, jobs=1)
    assert snapshot(out) == before  # the agendas rendered fine, but nothing was written


def test_rebuild_writes_only_what_changed(small_kit):
    first = build(small_kit, jobs=1)
    assert first.changed == len(first.files) == 3
    again = build(small_kit, jobs=1)
    assert again.changed == 0


def test_parallel_build_gives_the_same_bytes(small_kit, tmp_path):
    build(small_kit, tmp_path / "serial", jobs=1)
    build(small_kit, tmp_path / "parallel", jobs=2)
    serial, parallel = snapshot(tmp_path / "serial"), snapshot(tmp_path / "parallel")
    del serial[".cache/manifest.json"], parallel[".cache/manifest.json"]  # times differ, not outputs
    assert serial == parallel


def test_writes_never_leave_the_output_folder(tmp_path):
    with pytest.raises(OutputError):
        target_path(tmp_path / "output", "../kit.yaml")
    with pytest.raises(OutputError):
        target_path(tmp_path / "output", "/etc/passwd")
    target = target_path(tmp_path / "output", "s/programme.pdf")
    assert write_atomic(target, b"%PDF-1.7") is True
    assert write_atomic(target, b"%PDF-1.7") is False  # same bytes: untouched
    assert [p.name for p in target.parent.iterdir()] == ["programme.pdf"]  # no temp file left


def test_the_same_output_path_twice_is_refused(small_kit, monkeypatch):
    content = load_kit(small_kit)
    twice = Output("calendar", "essai/programme.pdf", "essai", ("content/sessions/essai.yaml",))
    monkeypatch.setattr(GENERATORS["calendar"], "outputs", lambda content: [twice])
    with pytest.raises(OutputError, match="would write it"):
        outputs_of(content)


def test_plan_is_data_and_filters_by_source(fixture_kit):
    content = load_kit(fixture_kit)
    outputs = outputs_of(content, ["content/sessions/session-07.yaml"])
    assert [(o.kind, o.path, o.edition) for o in outputs] == [
        ("agenda", "session-07/programme.pdf", "participants"),
        ("agenda", "session-07/deroule-animateurs.pdf", "facilitators"),
        ("calendar", "session-07/session-07.ics", ""),
    ]
    assert outputs[0].sources[0] == "content/sessions/session-07.yaml"
    assert "content/formats/presentation-cas.yaml" in outputs[0].sources


def test_fetcher_refuses_network_and_files_outside_the_kit(small_kit, tmp_path):
    from weasyprint.urls import FatalURLFetchingError

    fetcher = url_fetcher(small_kit)
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch("https://example.org/logo.png")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch(outside.as_uri())
    assert fetcher.fetch((small_kit / "kit.yaml").as_uri()).url.endswith("kit.yaml")
    with pytest.raises(FatalURLFetchingError):
        render_pdf('<img src="https://example.org/x.png">', small_kit)


def test_content_is_escaped_not_interpreted(make_kit):
    root = make_kit({"content/sessions/s.yaml": SESSION.replace("Accueil", "Accueil <b>gras</b> & café")})
    build(root, jobs=1)
    assert "Accueil <b>gras</b> & café" in pdf_text(root / "output/s/programme.pdf")


def test_cli_build_list_check(small_kit):
    runner = CliRunner()
    listed = runner.invoke(main, ["list", "--kit", str(small_kit)])
    assert listed.exit_code == 0
    assert "output/essai/deroule-animateurs.pdf" in listed.output and "← content/sessions/essai.yaml" in listed.output
    checked = runner.invoke(main, ["check", "--kit", str(small_kit)])
    assert checked.exit_code == 0 and "Content is valid: 1 session." in checked.output
    built = runner.invoke(main, ["build", "--kit", str(small_kit), "-j", "1", "content/sessions/essai.yaml"])
    assert built.exit_code == 0, built.output
    assert "3 outputs: 3 rendered, 0 up to date (3 files, 2 pages" in built.output
    assert "[3] essai/essai.ics (new output)" in built.output
    missing = runner.invoke(main, ["build", "--kit", str(small_kit), "content/sessions/nope.yaml"])
    assert missing.exit_code == 2 and "no such content file" in missing.output


def test_cli_out_option(small_kit, tmp_path):
    result = CliRunner().invoke(main, ["build", "--kit", str(small_kit), "--out", str(tmp_path / "ailleurs"), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ailleurs/essai/programme.pdf").is_file()
    assert not (small_kit / "output").exists()


def test_a_clean_build_logs_no_warning(small_kit, caplog):
    import logging

    with caplog.at_level(logging.WARNING):
        build(small_kit, jobs=1)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_a_full_kit_rebuilds_to_the_same_bytes(fixture_kit, tmp_path):
    """Reproducible outputs: no dates or random ids, so an unchanged kit rewrites nothing."""
    first = build(fixture_kit, tmp_path / "a", jobs=2)
    build(fixture_kit, tmp_path / "b", jobs=2)
    a = {k: v for k, v in snapshot(tmp_path / "a").items() if not k.startswith(".cache/")}
    b = {k: v for k, v in snapshot(tmp_path / "b").items() if not k.startswith(".cache/")}
    assert sorted(a) == sorted(first.files)
    assert [path for path in a if a[path] != b.get(path)] == []
    assert build(fixture_kit, tmp_path / "a", jobs=2).changed == 0


def test_everything_a_session_needs(fixture_kit):
    content = load_kit(fixture_kit)
    paths = {o.path for o in outputs_of(content, session="session-08")}
    assert {"session-08/programme.pdf", "session-08/deroule-animateurs.pdf", "session-08/session-08.ics",
            "decks/starters-images.pdf", "decks/photos-debat.pdf", "decks/cartes-themes.pdf",
            "decks/calibration.pdf", "guides/cartes-de-poche.pdf", "guides/rendez-vous.pdf",
            "field/enquete-24-mai/missions.pdf", "field/enquete-24-mai/guides-binome-1.pdf",
            "worksheets/fiche-service.pdf", "worksheets/besoins-solutions.pdf"} <= paths
    assert "decks/page-blanche.pdf" not in paths          # the variant session 8 does not use
    assert not any(p.startswith("session-07/") for p in paths)
    session_7 = {o.path for o in outputs_of(content, session="session-07")}
    assert session_7 == {"session-07/programme.pdf", "session-07/deroule-animateurs.pdf", "session-07/session-07.ics"}


def test_cli_session_option(small_kit):
    runner = CliRunner()
    listed = runner.invoke(main, ["list", "--kit", str(small_kit), "--session", "essai"])
    assert listed.exit_code == 0 and "output/essai/programme.pdf" in listed.output
    unknown = runner.invoke(main, ["build", "--kit", str(small_kit), "--session", "session-9"])
    assert unknown.exit_code == 2
    assert 'no session "session-9" in content/sessions/ (known: essai)' in unknown.output


def test_a_build_writes_nothing_outside_the_output_folder(fixture_kit):
    def tree():
        return {p.relative_to(fixture_kit).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
                for p in fixture_kit.rglob("*") if p.is_file() and "output" not in p.relative_to(fixture_kit).parts}

    before = tree()
    build(fixture_kit, jobs=2)
    assert tree() == before
    assert (fixture_kit / "output" / "session-08" / "programme.pdf").is_file()
