"""The CLI as a user meets it: colour only for a terminal, -q and -v anywhere, a live progress line
on a terminal, suggestions for a mistyped name, counts in good English, where to open after a build."""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import click
import pytest
from click.testing import CliRunner

from conftest import SMALL_SESSION
from kit import console
from kit.cli import main
from kit.console import colour_wanted, plural

ESC = "\x1b["

SESSION = SMALL_SESSION

DECK = """\
title: Cartes d'essai
kind: themes
cards:
  - {title: Manger, text: Un repas partagé}
"""


@pytest.fixture
def small_kit(make_kit, monkeypatch):
    root = make_kit({"content/sessions/essai.yaml": SESSION, "content/decks/cartes.yaml": DECK})
    monkeypatch.chdir(root)  # paths are shown from where the user stands: output/…
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return root


@pytest.fixture
def broken_kit(small_kit):
    path = small_kit / "content/sessions/essai.yaml"
    path.write_text(SESSION.replace("duration: 30", "duration: trente"), encoding="utf-8")
    return small_kit


@pytest.fixture(autouse=True)
def no_stage_log():
    """-v adds a handler to the "kit" logger: take it away after each test."""
    yield
    logger = logging.getLogger("kit")
    for handler in [h for h in logger.handlers if getattr(h, "kit_stages", False)]:
        logger.removeHandler(handler)
    logger.setLevel(logging.NOTSET)


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), env=env)


def play_terminal(monkeypatch):
    """As if stdout and stderr were a terminal (CliRunner's streams are not)."""
    monkeypatch.setattr(console, "is_terminal", lambda stream: True)


# -- the colour policy -----------------------------------------------------------------------------

class Stream(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("environ, tty, wanted", [
    ({}, True, True),
    ({}, False, False),
    ({"NO_COLOR": "1"}, True, False),
    ({"NO_COLOR": "anything"}, True, False),
    ({"NO_COLOR": ""}, True, True),               # set but empty: no-color.org says it does not count
    ({"FORCE_COLOR": "1"}, False, True),
    ({"FORCE_COLOR": "0"}, False, False),
    ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
])
def test_colour_policy(environ, tty, wanted):
    assert colour_wanted(Stream(tty), environ) is wanted


def test_a_content_error_is_plain_when_piped_and_the_same_text_in_colour(broken_kit, monkeypatch):
    piped = run("check")
    assert piped.exit_code == 1
    assert ESC not in piped.output
    assert "content/sessions/essai.yaml:6: day 1, block 1 (“Accueil”), duration: expected minutes" in piped.output
    assert "1 error in the content; nothing was written." in piped.output

    play_terminal(monkeypatch)
    coloured = run("check")
    assert coloured.exit_code == 1
    assert click.style("content/sessions/essai.yaml:6", bold=True) in coloured.output
    assert click.style("1 error in the content; nothing was written.", fg="red", bold=True) in coloured.output
    assert click.unstyle(coloured.output) == piped.output

    assert ESC not in run("check", env={"NO_COLOR": "1"}).output
    assert ESC in CliRunner().invoke(main, ["check"], env={"FORCE_COLOR": "1"}, color=False).output


def test_usage_errors_are_red_on_a_terminal_and_exit_2(small_kit, monkeypatch):
    play_terminal(monkeypatch)
    result = run("build", "nope.yaml")
    assert result.exit_code == 2
    assert result.output.startswith(ESC + "31m") and "nope.yaml: no such content file" in result.output


def test_warnings_are_yellow_with_their_place_in_bold(monkeypatch, capsys):
    play_terminal(monkeypatch)
    console.Console().warning("content/decks/x.yaml:3: card 2, image: 150 dpi at its printed size")
    said = capsys.readouterr().err
    assert said == (click.style("warning:", fg="yellow") + " " + click.style("content/decks/x.yaml:3", bold=True)
                    + ": card 2, image: 150 dpi at its printed size\n")
    console.Console(quiet=True).warning("not shown")
    assert capsys.readouterr().err == ""


# -- how much is said ------------------------------------------------------------------------------

def test_quiet_says_nothing_when_all_is_well_and_every_error_when_not(small_kit):
    built = run("build", "-q", "-j", "1")
    assert built.exit_code == 0 and built.output == ""
    assert (small_kit / "output/essai/deroule-animateurs.pdf").is_file()
    assert run("-q", "check").output == ""
    (small_kit / "content/sessions/essai.yaml").write_text(SESSION.replace("duration: 30", "duration: trente"),
                                                           encoding="utf-8")
    failed = run("build", "--quiet")
    assert failed.exit_code == 1 and "1 error in the content" in failed.output


def test_verbose_after_the_command_as_before_it(small_kit):
    after = run("build", "-v", "-j", "1")
    assert after.exit_code == 0, after.output
    assert "kit: load" in after.output and "kit: render" in after.output
    before = run("-v", "check")
    assert before.exit_code == 0 and "kit: load" in before.output
    both = run("-v", "check", "-q")
    assert both.exit_code == 2 and "choose one" in both.output


# -- the progress of a build -----------------------------------------------------------------------

def test_one_line_per_output_when_piped(small_kit):
    result = run("build", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "[1] essai/programme.pdf (new output)" in result.output
    assert "\r" not in result.output and ESC not in result.output


def test_a_live_progress_line_on_a_terminal_cleared_at_the_end(small_kit, monkeypatch):
    play_terminal(monkeypatch)
    result = run("build", "-j", "1")
    assert result.exit_code == 0, result.output
    total = 7  # the session's 4 outputs, the deck's 3 sheets
    assert f"\r\x1b[2K[1/{total}] " in result.output
    assert f"[{total}/{total}] #################### " in result.output
    assert "(new output)" not in result.output  # the per-output log is for pipes and -v
    last = result.output.rindex("\r\x1b[2K")
    assert result.output[last:].startswith(f"\r\x1b[2K{total} outputs")  # cleared before the closing lines


def outputs(*paths, made_from=()):
    return [SimpleNamespace(path=path, made_from=tuple(made_from)) for path in paths]


def test_the_total_counts_what_is_made_from_outputs_to_render():
    progress = console.Progress(console.Console(), live=True)
    parts = outputs("a.pdf", "b.pdf")
    pack = outputs("list.pdf", made_from=["a.pdf", "b.pdf"]) + outputs("binder.pdf", made_from=["list.pdf"])
    progress.chosen(parts + pack)
    assert progress.total == 0
    progress.planned(parts[:1])  # b.pdf is up to date; the list and the binder will follow a.pdf
    assert progress.total == 3
    progress.planned(pack[:1])
    assert progress.total == 3


def test_the_live_line_fits_the_terminal():
    progress = console.Progress(console.Console(), live=True)
    progress.planned(outputs(*(f"{n}.pdf" for n in range(48))))
    progress.done = 12
    assert progress.line("decks/photos-debat.pdf", 80) == "[12/48] #####--------------- decks/photos-debat.pdf"
    cut = progress.line("field/enquete-24-mai/guides-binome-1.pdf", 40)
    assert len(cut) == 39 and cut.endswith("…")


# -- what a build says at its end ------------------------------------------------------------------

def test_a_build_names_each_sessions_run_sheet_even_when_nothing_changed(small_kit):
    first = run("build", "-j", "1")
    line = "open output/essai/deroule-animateurs.pdf  (essai: facilitators' run sheet)"
    assert first.output.splitlines()[-1] == line
    assert "7 outputs: 7 rendered, 0 up to date (7 files" in first.output
    again = run("build", "-j", "1")
    assert "7 outputs: 0 rendered, 7 up to date" in again.output and again.output.splitlines()[-1] == line
    deck_only = run("build", "-j", "1", "--force", "content/decks/cartes.yaml")
    assert "open " not in deck_only.output  # no session in it: the summary says where outputs went


def test_the_json_report_keeps_stdout_to_itself(small_kit):
    import json

    result = CliRunner().invoke(main, ["build", "--json", "-j", "1"])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert {o["path"] for o in report["outputs"]} >= {"essai/deroule-animateurs.pdf", "decks/cartes.pdf"}
    assert "open " not in result.output


def test_counts_are_singular_or_plural():
    assert plural(0, "format") == "0 formats"
    assert plural(1, "format") == "1 format"
    assert plural(2, "field plan") == "2 field plans"
    assert plural(3, "axis", "axes") == "3 axes"


def test_check_counts_each_kind_by_its_name(small_kit, make_kit):
    assert run("check").output == "Content is valid: 1 deck, 1 session.\n"
    two = make_kit({"content/sessions/a.yaml": SESSION, "content/sessions/b.yaml": SESSION}, name="two")
    assert run("check", "--kit", str(two)).output == "Content is valid: 2 sessions.\n"


# -- suggestions -----------------------------------------------------------------------------------

@pytest.mark.parametrize("args, said", [
    (["build", "essai"], "essai: no such content file; essai is a session: kit build --session essai builds all it needs"),
    (["build", "esai"], "esai: no such content file; did you mean --session essai?"),
    (["build", "--session", "esai"], 'no session "esai" in content/sessions/ (known: essai); did you mean --session essai?'),
    (["list", "--session", "esai"], "did you mean --session essai?"),
    (["build", "content/sessions/esai.yaml"], "did you mean content/sessions/essai.yaml?"),
    (["build", "content/sessions/essai.yml"], "did you mean content/sessions/essai.yaml?"),
    (["build", "cartes.yaml"], "did you mean content/decks/cartes.yaml?"),
    (["build", "content/decks"], "content/decks: a folder, not a content file; name one of its files: "
                                 "content/decks/cartes.yaml"),
    (["build", "zzz"], "zzz: no such content file\n"),
])
def test_a_mistyped_name_gets_the_nearest_ones(small_kit, args, said):
    result = run(*args)
    assert result.exit_code == 2
    assert said in result.output


# -- a real terminal -------------------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("script") is None, reason="util-linux `script` (a pseudo-terminal) is not installed")
def test_in_a_real_terminal(small_kit):
    """`script` runs kit on a pseudo-terminal: colour and the live line are on; NO_COLOR takes colour away."""
    kit = Path(sys.executable).parent / "kit"
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}

    def terminal(command: str, **extra) -> str:
        done = subprocess.run(["script", "-qec", command, "/dev/null"], cwd=small_kit, env={**env, **extra},
                              capture_output=True, text=True, timeout=120)
        return done.stdout

    built = terminal(f"{kit} build -j 1")
    assert "[7/7] ####################" in built
    assert "open " + click.style("output/essai/deroule-animateurs.pdf", bold=True) in built
    assert ESC + "1m" not in terminal(f"{kit} build -j 1", NO_COLOR="1")
    piped = subprocess.run([str(kit), "build", "-j", "1", "--force"], cwd=small_kit, env=env,
                           capture_output=True, text=True, timeout=120)
    assert ESC not in piped.stdout + piped.stderr and "[1] essai/programme.pdf (--force)" in piped.stderr


def test_the_kit_command_leaves_what_it_built_out_of_pythons_collections_at_exit(small_kit):
    """Python's collections at exit walked all that a build left: a sixth of a second of every
    command. The `kit` command freezes it first (its output is written and flushed as before)."""
    script = ("import gc, sys\nimport kit.warm\n"
              f"sys.argv = ['kit', 'build', '--kit', {str(small_kit)!r}, '--jobs', '1']\n"
              "try:\n    kit.warm.main()\nexcept SystemExit as exit:\n"
              "    print('EXIT', exit.code, 'FROZEN', gc.get_freeze_count() > 10_000)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, "KIT_WARM": "0"})
    assert "EXIT 0 FROZEN True" in result.stdout, result.stdout + result.stderr
    assert "rendered" in result.stdout
