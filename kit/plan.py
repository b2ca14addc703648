"""Turn validated content into the list of outputs to make: plain data, testable without rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kit.errors import OutputError, UsageError


@dataclass(frozen=True)
class Output:
    """One file to build: which generator, from which content, to which path under output/."""

    kind: str                   # the generator's registry key
    path: str                   # relative to the output folder, forward slashes
    subject: str                # the id of the content item it is made from
    sources: tuple[str, ...]    # kit files it is made from (relative to the kit)
    edition: str = ""           # which edition of the subject (participants, facilitators, shop...)
    options: tuple[tuple[str, Any], ...] = field(default=())

    def option(self, name: str, default: Any = None) -> Any:
        return dict(self.options).get(name, default)


def plan(content, only: list[str] | None = None, session: str | None = None) -> list[Output]:
    """Every output of the kit, or those made from the given content files, or everything a
    session needs (its agendas and the material they name); a path twice is refused."""
    from kit.generators import GENERATORS

    outputs: list[Output] = []
    for generator in GENERATORS.values():
        outputs.extend(generator.outputs(content))
    seen: dict[str, Output] = {}
    for output in outputs:
        if output.path in seen:
            other = seen[output.path]
            raise OutputError(f"output/{output.path}: both {other.kind} ({', '.join(other.sources)}) and "
                              f"{output.kind} ({', '.join(output.sources)}) would write it; rename one of them")
        seen[output.path] = output
    if only:
        wanted = {p.replace("\\", "/").lstrip("./") for p in only}
        outputs = [o for o in outputs if wanted & set(o.sources)]
    if session is not None:
        outputs = session_outputs(content, outputs, session)
    return outputs


def session_outputs(content, outputs: list[Output], session: str) -> list[Output]:
    """The outputs made from a session's files; with any deck, the printer calibration sheet too."""
    from kit.content import session_files

    if session not in content.sessions:
        known = ", ".join(sorted(content.sessions)) or "none"
        raise UsageError(f'no session "{session}" in content/sessions/ (known: {known})')
    files = set(session_files(content, content.sessions[session]))
    chosen = [o for o in outputs if files & set(o.sources)]
    kinds = {o.kind for o in chosen}
    return [o for o in outputs if o in chosen or (o.kind in kinds and o.sources == ("kit.yaml",))]
