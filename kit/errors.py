"""Turn what can go wrong for a user into one family of errors the CLI prints cleanly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One content mistake: where it is, which field, what was expected and found."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class KitError(Exception):
    """Base of every error kit reports to a user without a traceback."""

    exit_code = 1

    def report(self) -> str:
        return str(self)


class ContentError(KitError):
    """The kit's content has mistakes; all of them are carried, sorted by place."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} content error(s)")

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        count = len(self.problems)
        lines.append(f"{count} error{'s' if count > 1 else ''} in the content; nothing was written.")
        return "\n".join(lines)


class StrictWarnings(KitError):
    """Warnings were raised while --strict asks that they fail the build."""

    def __init__(self, warnings: list[str]):
        self.warnings = warnings
        super().__init__("warnings with --strict")

    def report(self) -> str:
        return "\n".join([*self.warnings, f"{len(self.warnings)} warning(s) with --strict; nothing was written."])


class UsageError(KitError):
    """The command was called wrongly (unknown path, no kit folder...)."""

    exit_code = 2


class OutputError(KitError):
    """The build cannot write where it was asked to, or would write one path twice."""
