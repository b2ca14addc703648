"""Run every benchmark of kit against its bare-library floor in the same run, and print the ratios.

    make bench        (or: .venv/bin/python bench/run.py [agendas ...])
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import interpreter, print_rows, reference_seconds  # noqa: E402

CHILD = "KIT_BENCH_CHILD"  # set in the process of each benchmark run by this one (it prints the header)
# Each benchmark module has run() -> list[Row]; listed explicitly, in the order printed.
BENCHMARKS = {
    "engine": "bench.engine",
    "agendas": "bench.agendas",
    "documents": "bench.documents",
    "decks": "bench.decks",
    "peer": "bench.peer",
    "serve": "bench.serve",
}


def main(names: list[str]) -> None:
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        sys.exit(f"usage: bench/run.py [{' | '.join(BENCHMARKS)} ...]; unknown: {', '.join(unknown)}")
    chosen = names or list(BENCHMARKS)
    if not os.environ.get(CHILD):
        print(f"interpreter: {interpreter()}", flush=True)
    if len(chosen) > 1:
        # Each in a process of its own: one benchmark's imports and memory do not weigh on the next
        # (Linux counts a child's peak memory from the size of the process that started it).
        for name in chosen:
            subprocess.run([sys.executable, __file__, name], check=True, env={**os.environ, CHILD: "1"})
        return
    module = import_module(BENCHMARKS[chosen[0]])
    print(f"{chosen[0]}: reference workload {reference_seconds():.3f} s before it (bench.common.reference_seconds: "
          "lower is a faster machine; compare runs at a like figure)", flush=True)
    print_rows(f"{chosen[0]}: {module.__doc__.strip().splitlines()[0]}", module.run())


if __name__ == "__main__":
    main(sys.argv[1:])
