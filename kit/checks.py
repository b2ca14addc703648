"""Turn the generators' load-time measurements into content errors and warnings, remembered by input digest.

Some mistakes are only seen by measuring with the renderers' metrics (a card text that does
not fit its box, a guide too long for its pocket card, a photo too small for its print size).
Generators contribute them as checks; `kit check` and `kit build` run the same ones, so both
report the same errors and warnings. A check's result is kept in the manifest with the digest
of its inputs: when nothing it reads changed, its result is reused without measuring again
(and without importing the drawing libraries it measures with).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from kit.errors import Problem


@dataclass(frozen=True)
class Check:
    """One measurement: a name unique in the kit, the input keys it reads, and what it finds."""

    name: str
    inputs: tuple[str, ...]
    run: Callable[..., tuple[list[Problem], list[Problem]]]  # (cache_dir) → (errors, warnings)
    # How long it takes against the others, roughly: measured side by side, the longest start first
    # (laying a document out costs tenfold measuring a card's text).
    cost: float = 1.0


Found = tuple[list[Problem], list[Problem]]
# Starts measuring the checks, given as (generator kind, check); what it gives waits for their
# results, in the same order (a build's render processes measure them side by side).
Runner = Callable[[list[tuple[str, Check]], object], Callable[[], list[Found]]]


def run_serially(todo: list[tuple[str, Check]], cache_dir) -> Callable[[], list[Found]]:
    results = [check.run(cache_dir) for _, check in todo]
    return lambda: results


def run_checks(content, registry, digest: Callable[[str], str], cache: dict[str, dict],
               cache_dir=None, runner: Runner = run_serially) -> Found:
    """Every generator's checks, reusing `cache` (name → {digest, errors, warnings}) and refreshing it.

    `cache_dir` is the build's cache folder: a check that lays a document out leaves the layout
    there, so rendering that document afterwards costs nothing more. `runner` measures the checks
    whose inputs changed (a build hands them to its render processes, side by side).
    """
    return start_checks(content, registry, digest, cache, cache_dir, runner)()


def start_checks(content, registry, digest: Callable[[str], str], cache: dict[str, dict],
                 cache_dir=None, runner: Runner = run_serially) -> Callable[[], Found]:
    """run_checks in two steps: this starts measuring, and what it gives waits for the results
    (and refreshes `cache`), so that a build can queue its first renders behind the checks."""
    from kit.digests import text_digest

    listed: list[tuple[str, Check, str]] = []
    for kind, generator in registry.items():
        checks = getattr(generator, "checks", None)
        for check in (checks(content) if checks else ()):
            listed.append((kind, check, text_digest(";".join(f"{k}={digest(k)}" for k in check.inputs))))
    todo = [(kind, check) for kind, check, key in listed
            if (cache.get(check.name) or {}).get("digest") != key]
    results = runner(todo, cache_dir) if todo else (lambda: [])

    def finish() -> Found:
        measured = dict(zip((check.name for _, check in todo), results(), strict=True))
        errors: list[Problem] = []
        warnings: list[Problem] = []
        for _, check, key in listed:
            if check.name in measured:
                found = measured[check.name]
                cache[check.name] = {"digest": key,
                                     "errors": [list(_fields(p)) for p in found[0]],
                                     "warnings": [list(_fields(p)) for p in found[1]]}
            else:
                cached = cache[check.name]
                found = ([_problem(p) for p in cached["errors"]], [_problem(p) for p in cached["warnings"]])
            errors += found[0]
            warnings += found[1]
        names = {check.name for _, check, _ in listed}
        for name in [n for n in cache if n not in names]:
            del cache[name]
        return errors, warnings
    return finish


def run_named(content, registry, kind: str, name: str, cache_dir) -> Found:
    """One check, found again by its generator's kind and its name (in a process that has the content)."""
    check = next(c for c in registry[kind].checks(content) if c.name == name)
    return check.run(cache_dir)


def _fields(problem: Problem) -> tuple:
    return problem.file, problem.line, problem.field, problem.message, [list(t) for t in problem.titles]


def _problem(fields: list) -> Problem:
    file, line, field_name, message, *titles = fields
    return Problem(file, line, field_name, message, tuple(tuple(t) for t in (titles[0] if titles else ())))
