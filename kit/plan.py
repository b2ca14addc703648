"""Turn validated content into the graph of outputs to make: plain data, testable without rendering.

`plan()` asks every generator of a registry for its outputs, once, and returns a Plan: the
outputs in a stable order (an output made from other outputs after them), and the facts the
outputs print about each other (which PDFs each content file gives, for checklists). Selecting
what to build (`select`) is separate, so the engine always knows the whole kit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kit.errors import OutputError, UsageError
from kit.outputs import Output


@dataclass(frozen=True)
class Plan:
    """Every output of the kit, in an order where each comes after the outputs it is made from."""

    outputs: tuple[Output, ...]
    printed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # content file → its PDFs

    def __iter__(self):
        return iter(self.outputs)

    def __len__(self) -> int:
        return len(self.outputs)

    @property
    def by_path(self) -> dict[str, Output]:
        return {o.path: o for o in self.outputs}


# Outputs of a session itself: never listed as material to print.
SESSION_KINDS = ("agenda", "calendar")


def plan(content, registry) -> Plan:
    """The whole kit's outputs from every generator of `registry` (kind → generator); a path twice is refused."""
    outputs: list[Output] = []
    for generator in registry.values():
        outputs.extend(generator.outputs(content))
    seen: dict[str, Output] = {}
    for output in outputs:
        if output.path in seen:
            other = seen[output.path]
            raise OutputError(f"output/{output.path}: both {other.kind} ({', '.join(other.sources)}) and "
                              f"{output.kind} ({', '.join(output.sources)}) would write it; rename one of them")
        seen[output.path] = output
    return Plan(tuple(_ordered(outputs, seen)), printed_files(outputs))


def _ordered(outputs: list[Output], by_path: dict[str, Output]) -> list[Output]:
    """The outputs with each one after those it is made from (a depth-first topological order)."""
    ordered: list[Output] = []
    state: dict[str, str] = {}

    def visit(output: Output, chain: tuple[str, ...]) -> None:
        if state.get(output.path) == "done":
            return
        if state.get(output.path) == "visiting":
            raise OutputError(f"output/{output.path}: made from itself through {' → '.join(chain)}")
        state[output.path] = "visiting"
        for path in output.made_from:
            if path not in by_path:
                raise OutputError(f"output/{output.path}: made from output/{path}, which no generator makes")
            visit(by_path[path], (*chain, path))
        state[output.path] = "done"
        ordered.append(output)

    for output in outputs:
        visit(output, (output.path,))
    return ordered


def printed_files(outputs: list[Output]) -> dict[str, tuple[str, ...]]:
    """For each content file, the PDFs made from it: what a checklist tells the team to print."""
    files: dict[str, list[str]] = {}
    for output in outputs:
        if output.kind in SESSION_KINDS or not output.path.endswith(".pdf") or not output.sources:
            continue
        files.setdefault(output.sources[0], []).append(output.path)
    return {source: tuple(paths) for source, paths in files.items()}


def select(whole: Plan, content, only: list[str] | None = None, session: str | None = None) -> list[Output]:
    """The outputs to build: all, those made from the given content files, or all a session needs."""
    outputs = list(whole.outputs)
    if only:
        wanted = {p.replace("\\", "/").lstrip("./") for p in only}
        outputs = [o for o in outputs if wanted & set(o.sources)]
    if session is not None:
        outputs = session_outputs(content, outputs, session)
    # An output made from others needs them built too.
    chosen = {o.path for o in outputs}
    by_path = whole.by_path
    pending = [p for o in outputs for p in o.made_from]
    while pending:
        path = pending.pop()
        if path not in chosen:
            chosen.add(path)
            pending.extend(by_path[path].made_from)
    return [o for o in whole.outputs if o.path in chosen]


def session_outputs(content, outputs: list[Output], session: str) -> list[Output]:
    """The outputs made from a session's files; with any deck, the printer calibration sheet too."""
    from kit.content import session_files

    if session not in content.sessions:
        from kit.suggestions import for_unknown_session

        known = ", ".join(sorted(content.sessions)) or "none"
        hint = for_unknown_session(session, sorted(content.sessions))
        raise UsageError(f'no session "{session}" in content/sessions/ (known: {known})' + (f"; {hint}" if hint else ""))
    files = set(session_files(content, content.sessions[session]))
    chosen = [o for o in outputs if files & set(o.sources)]
    kinds = {o.kind for o in chosen}
    return [o for o in outputs if o in chosen or (o.kind in kinds and o.sources == ("kit.yaml",))]
