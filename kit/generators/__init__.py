"""Turn an output kind into the generator that renders it: the registry of output kinds.

A generator is an object with a `kind`, an `outputs(content) -> list[Output]` that plans its
files, and a `render(output, content, context) -> Rendered`. The registry is this module's dict,
filled by `@register` in each generator module; the modules are listed explicitly below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any, Protocol

from kit.plan import Output
from kit.theme import Theme


@dataclass
class Rendered:
    """What a generator made for one output: the files (path under output/ → bytes) and page count."""

    files: dict[str, bytes]
    pages: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RenderContext:
    """What every generator may use besides the content: the theme and where caches may go."""

    theme: Theme
    kit_root: Path
    cache_dir: Path  # under the output folder: the only place besides outputs kit writes to


class Generator(Protocol):
    kind: str

    def outputs(self, content: Any) -> list[Output]: ...

    def render(self, output: Output, content: Any, context: RenderContext) -> Rendered: ...


GENERATORS: dict[str, Generator] = {}


def register(cls):
    """Class decorator: add one instance of a generator to the registry under its kind, once."""
    instance = cls()
    if instance.kind in GENERATORS:
        raise ValueError(f"generator kind {instance.kind!r} registered twice")
    GENERATORS[instance.kind] = instance
    return cls


# The generator modules, explicitly; importing one registers its kinds.
MODULES: list[str] = [
    "kit.generators.agenda",
    "kit.generators.calendar",
    "kit.generators.deck",
    "kit.generators.guide",
    "kit.generators.field",
    "kit.generators.worksheet",
    "kit.generators.poster",
]

for _name in MODULES:
    import_module(_name)
