"""The benchmarks still run against today's kit: every module `make bench` lists imports, and the
cheap ones run end to end, once, on a tiny kit. Times are never asserted, only that rows come out.

The benchmarks call kit's internals (the engine, render_one, the plan, the document layout), so
an API change breaks them silently unless something runs them: this does, in seconds.
"""

from __future__ import annotations

import math
import sys
from importlib import import_module

import pytest

from conftest import REPO
from serving import TINY_SESSION

if str(REPO) not in sys.path:  # bench/ is not installed with kit: imported from the repository
    sys.path.insert(0, str(REPO))

from bench.run import BENCHMARKS  # noqa: E402

TINY_KIT = {
    "content/sessions/s.yaml": TINY_SESSION,
    "content/worksheets/b.yaml": "kind: besoins-solutions\n",
    # Pocket cards: drawn with reportlab, so never part of the documents benchmark.
    "content/guides/v.yaml": """\
        title: Vite
        mode: à la volée
        questions:
          - {ask: Quel moment coince ?, probes: [Racontez.]}
          - {ask: Et le midi ?, probes: [Le trajet ?]}
          - {ask: Qui vous aide ?, probes: [Un collègue ?]}
        """,
}


@pytest.mark.parametrize("name", list(BENCHMARKS))
def test_every_benchmark_imports_and_says_what_it_measures(name):
    module = import_module(BENCHMARKS[name])
    assert callable(module.run)
    assert module.__doc__ and module.__doc__.strip().splitlines()[0]  # run.py prints it as the title


def assert_measured(rows, count: int) -> None:
    assert len(rows) == count
    for row in rows:
        assert row.name and row.kit_s > 0 and math.isfinite(row.kit_s)
        assert row.compared and row.floor_s > 0 and math.isfinite(row.ratio)


def test_agendas_benchmark_runs_on_the_agendas_alone(make_kit):
    from bench import agendas
    from bench.documents import capture

    root = make_kit(TINY_KIT)
    paths, groups = capture(root, agendas.KINDS)
    assert paths == ["s/programme.pdf", "s/deroule-animateurs.pdf"]
    assert [len(group) for group in groups] == [1, 1, 1]
    title, *days = [group[0].split("<body", 1)[1] for group in groups]
    assert "Lancement" in title and "Accueil" not in title  # the session's title, laid out alone
    assert all("Accueil" in day and "Lancement" not in day for day in days)
    assert_measured(agendas.run(repeat=1, root=root), 1)


def test_documents_benchmark_runs_on_weasyprint_outputs_alone(make_kit):
    from bench import documents

    root = make_kit(TINY_KIT)
    paths, groups = documents.capture(root, documents.KINDS)
    assert paths == ["worksheets/b.pdf"] and len(groups) == 1
    assert_measured(documents.run(repeat=1, root=root), 1)


def test_decks_benchmark_runs_on_a_few_cards():
    from bench import decks

    rows = decks.run(repeat=1, cards=2, memory_cards=(2,), render_repeat=1)
    names = [row.name for row in rows]
    assert len(rows) == 8 and names[-1] == "peak memory, cold build of 2 cards"
    for row in rows:
        assert math.isfinite(row.kit_s) and (not row.compared or row.floor_s > 0)
        if not row.name.startswith("  photos' part"):  # a difference of two renders: may be ≤ 0 on 2 cards
            assert row.kit_s > 0


def test_the_benchmark_names_its_interpreter_and_how_it_is_linked():
    """The same kit costs a fifth more on a shared-library build of Python: every run says which."""
    import platform

    from bench.common import interpreter

    line = interpreter()
    assert platform.python_version() in line and sys.executable in line
    maps = open("/proc/self/maps", encoding="utf-8").read() if sys.platform.startswith("linux") else None
    if maps is not None:
        assert ("shared library" in line and "libpython" in line) == ("/libpython" in maps)
        assert ("no libpython.so" in line) == ("/libpython" not in maps)


def test_each_benchmark_says_how_fast_the_machine_ran_before_it(monkeypatch, capsys):
    """A shared machine's speed moves within the hour: each benchmark's rows come after the time of a
    fixed workload, so two runs are compared at a like figure (the workload is timed, not asserted)."""
    import bench.common
    import bench.run

    class Quick:
        """A stand-in benchmark: its rows only."""

        def run():
            return [bench.common.Row("a row", 1.0, goal=2.0)]

    monkeypatch.setattr(bench.common, "REFERENCE_LOOPS", 1000)
    monkeypatch.setattr(bench.run, "import_module", lambda name: Quick)
    monkeypatch.setenv(bench.run.CHILD, "1")
    bench.run.main(["engine"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("engine: reference workload ") and out[0].split()[3].replace(".", "").isdigit()
    assert any("a row" in line for line in out[1:])
    assert bench.common.reference_seconds(repeat=1) > 0
