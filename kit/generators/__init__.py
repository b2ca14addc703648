"""Turn an output kind into the generator that plans, checks and renders it: the registry of output kinds.

A generator is an object with:
- `kind`, its registry key;
- `outputs(content) -> list[Output]`, its outputs with every input they read (kit.outputs.needs);
- `render(output, content, context) -> Rendered`;
- optionally `checks(content) -> list[Check]`, measurements run at load time by `kit check` and
  `kit build` alike (does a text fit its card?), and `images(output, content, context)`, the
  photos it will draw, prepared ahead over every core.

Importing a generator module is light: planning and checks never pull in weasyprint or reportlab
(`kit check`, `kit list` and a build with nothing to do start fast); a module imports its
drawing libraries when it renders, and lists them in `renderers` so the engine imports them
once before forking its workers (`renderers_for(edition)`, if it has one, narrows them to one
edition of its outputs); a light one its render imports by itself, not worth a worker's
warm-up, in `imported_on_use` (kit's warm process imports those too).

The registry is this module's dict, filled by `@register` in each generator module; the modules
are listed explicitly below.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any, Protocol

from kit.outputs import Output, RenderContext, Rendered

__all__ = ["GENERATORS", "Generator", "Output", "RenderContext", "Rendered", "register"]


class Generator(Protocol):
    kind: str
    renderers: tuple[str, ...]

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
    "kit.generators.session_sheets",
    "kit.generators.printpack",
]

for _name in MODULES:
    import_module(_name)
