"""Turn what can go wrong for a user into one family of errors the CLI prints cleanly."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

# How a report marks its parts for a terminal: style(text, role) with role "place" (file:line),
# "error" or "warning"; the plain style returns the text as it is (what tests and pipes get).
Style = Callable[[str, str], str]


def plain(text: str, role: str) -> str:
    return text

# How people name one item of a list: "day 1, block 10", not days[0].blocks[9].
ITEM_NAMES = {
    "days": "day", "blocks": "block", "cards": "card", "questions": "question", "sections": "section",
    "slots": "slot", "steps": "step", "materials": "material", "probes": "probe", "themes": "theme",
    "services": "service", "zones": "zone", "axes": "axis", "leads": "lead", "changes": "change",
    "listen": "thing to listen for", "debrief": "debrief item", "working_group": "member", "members": "member",
    "notes": "note", "print": "print output", "tracks": "track", "lead": "lead",
}
_SEGMENT = re.compile(r"\[(\d+)\]|([^.\[]+)")
TITLE_LENGTH = 40


def readable(path: str, titles: dict[str, str] | None = None) -> str:
    """A field path as people read it: `days[0].blocks[9].duration` → `day 1, block 10 (“Pause”), duration`.

    `titles` maps a list item's path (`days[0].blocks[9]`) to its title, shown beside its number.
    """
    titles = titles or {}
    parts: list[str] = []
    keys: list[str] = []  # mapping keys since the last list item, shown dotted as written
    prefix = ""
    for match in _SEGMENT.finditer(path):
        index, key = match.groups()
        if key is not None:
            key = key.lstrip(".")
            keys.append(key)
            prefix = f"{prefix}.{key}" if prefix else key
            continue
        prefix = f"{prefix}[{index}]"
        name = keys.pop() if keys else ""
        if keys:
            parts.append(".".join(keys))
        keys = []
        noun = ITEM_NAMES.get(name)
        label = f"{noun} {int(index) + 1}" if noun else f"{name}, item {int(index) + 1}" if name else f"item {int(index) + 1}"
        title = titles.get(prefix)
        if title:
            short = title if len(title) <= TITLE_LENGTH else title[:TITLE_LENGTH - 1] + "…"
            label += f" (“{short}”)"
        parts.append(label)
    if keys:
        parts.append(".".join(keys))
    return ", ".join(parts) if parts else path


@dataclass(frozen=True, order=True)
class Problem:
    """One content mistake: where it is, which field, what was expected and found.

    `str()` gives the exact field path (`days[0].blocks[9].duration`), stable for tests and
    tools; `readable()` the same place as people read it, for the messages kit prints.
    """

    file: str
    line: int
    field: str
    message: str
    titles: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        return self._format(self.field)

    def readable(self, style: Style = plain) -> str:
        return self._format(readable(self.field, dict(self.titles)) if self.field else "", style)

    def _format(self, place: str, style: Style = plain) -> str:
        where = style(f"{self.file}:{self.line}" if self.line else self.file, "place")
        return f"{where}: {place}: {self.message}" if place else f"{where}: {self.message}"


class KitError(Exception):
    """Base of every error kit reports to a user without a traceback."""

    exit_code = 1

    def report(self, style: Style = plain) -> str:
        return style(str(self), "error")


class ContentError(KitError):
    """The kit's content has mistakes; all of them are carried, sorted by place."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        count = len(self.problems)
        super().__init__(f"{count} content error{'s' if count > 1 else ''}")

    def report(self, style: Style = plain) -> str:
        lines = [p.readable(style) for p in self.problems]
        count = len(self.problems)
        lines.append(style(f"{count} error{'s' if count > 1 else ''} in the content; nothing was written.", "error"))
        return "\n".join(lines)


class StrictWarnings(KitError):
    """Warnings were raised while --strict asks that they fail the build."""

    def __init__(self, warnings: list[str]):
        self.warnings = warnings
        super().__init__("warnings with --strict")

    def report(self, style: Style = plain) -> str:
        count = len(self.warnings)
        return "\n".join([*(style(w, "warning") for w in self.warnings),
                          style(f"{count} warning{'s' if count > 1 else ''} with --strict; nothing was written.",
                                "error")])


class UsageError(KitError):
    """The command was called wrongly (unknown path, no kit folder...)."""

    exit_code = 2


class OutputError(KitError):
    """The build cannot write where it was asked to, or would write one path twice."""
