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


def run_checks(content, registry, digest: Callable[[str], str], cache: dict[str, dict],
               cache_dir=None) -> tuple[list[Problem], list[Problem]]:
    """Every generator's checks, reusing `cache` (name → {digest, errors, warnings}) and refreshing it.

    `cache_dir` is the build's cache folder: a check that lays a document out leaves the layout
    there, so rendering that document afterwards costs nothing more.
    """
    from kit.digests import text_digest

    errors: list[Problem] = []
    warnings: list[Problem] = []
    names = set()
    for generator in registry.values():
        checks = getattr(generator, "checks", None)
        for check in (checks(content) if checks else ()):
            names.add(check.name)
            key = text_digest(";".join(f"{k}={digest(k)}" for k in check.inputs))
            cached = cache.get(check.name)
            if cached and cached.get("digest") == key:
                found = ([_problem(p) for p in cached["errors"]], [_problem(p) for p in cached["warnings"]])
            else:
                found = check.run(cache_dir)
                cache[check.name] = {"digest": key,
                                     "errors": [list(_fields(p)) for p in found[0]],
                                     "warnings": [list(_fields(p)) for p in found[1]]}
            errors += found[0]
            warnings += found[1]
    for name in [n for n in cache if n not in names]:
        del cache[name]
    return errors, warnings


def _fields(problem: Problem) -> tuple:
    return problem.file, problem.line, problem.field, problem.message, [list(t) for t in problem.titles]


def _problem(fields: list) -> Problem:
    file, line, field_name, message, *titles = fields
    return Problem(file, line, field_name, message, tuple(tuple(t) for t in (titles[0] if titles else ())))
