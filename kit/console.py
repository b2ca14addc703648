"""Turn what the CLI has to say into terminal text: coloured for a person, plain when piped, a live progress line.

The colour policy, in order:

1. `NO_COLOR` set to any non-empty value: never colour (https://no-color.org).
2. `FORCE_COLOR` set to a non-empty value other than `0`: colour even when piped (CI logs).
3. Otherwise colour only what goes to a terminal.

Messages are always built with their styles (click.style); `click.echo(color=...)` strips them
when the policy says plain, so the plain text is exactly the coloured text without its escapes.

How much is said: `quiet` keeps only errors; `verbose` adds the build's stages and the whole
progress log (no live line, which the stage lines would break).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass
from typing import IO, Iterable

import click

# What each role looks like; plain text stays the same whatever the style.
STYLES = {
    "error": {"fg": "red", "bold": True},
    "warning": {"fg": "yellow"},
    "place": {"bold": True},   # file:line of a content mistake, a path to open
    "heading": {"bold": True},
    "faint": {"dim": True},
}
# A live progress line never gets longer than the terminal; its bar is this many characters.
BAR_WIDTH = 20
# "content/x.yaml:12:" (or "content/x.yaml:") at the start of a warning: the place to bold.
_PLACE = re.compile(r"^([^\s:]+\.[A-Za-z0-9]+(?::\d+)?):")


def is_terminal(stream: IO) -> bool:
    """Whether a person reads this stream (tests replace this to play a terminal)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


def colour_wanted(stream: IO, environ=None) -> bool:
    """The colour policy above, for one stream."""
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR", ""):
        return False
    if environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    return is_terminal(stream)


def style(text: str, role: str) -> str:
    """Text with the escapes of its role (`kit.errors` reports take this as their `style`)."""
    return click.style(text, **STYLES[role]) if role in STYLES else text


def place_styled(text: str) -> str:
    """A message whose leading `file:line:` is bolded, if it has one."""
    return _PLACE.sub(lambda m: style(m.group(1), "place") + ":", text, count=1)


@dataclass
class Console:
    """Where and how the CLI speaks: quiet, normal or verbose; colour decided per stream."""

    quiet: bool = False
    verbose: bool = False

    def stream(self, err: bool) -> IO:
        return sys.stderr if err else sys.stdout

    def echo(self, text: str = "", err: bool = False) -> None:
        """A line the user reads, unless quiet (styled text; plain where colour is off)."""
        if not self.quiet:
            self.show(text, err)

    def show(self, text: str, err: bool = False) -> None:
        """A line that is shown even when quiet: an error, or what the command was asked for."""
        click.echo(text, err=err, color=colour_wanted(self.stream(err)))

    def warning(self, text: str) -> None:
        self.echo(style("warning:", "warning") + " " + place_styled(text), err=True)

    def error(self, report: str) -> None:
        self.show(report, err=True)

    def progress(self) -> "Progress":
        live = not self.quiet and not self.verbose and is_terminal(sys.stderr)
        return Progress(self, live)


class Progress:
    """The build's progress: one line per rendered output, or on a terminal one line rewritten in place.

    The engine gives the outputs chosen (`chosen`, from its `on_plan`), announces each group about
    to render (`planned`, its `on_render`), then reports each one rendered (`__call__`). An output
    made from others (a print list, a binder) is decided only after them: the total counts it as
    soon as one of those it is made from is to render, so that a full build's total never grows.
    """

    def __init__(self, console: Console, live: bool):
        self.console = console
        self.live = live
        self.done = 0
        self.drawn = False
        self.announced: set[str] = set()
        self.made_from: dict[str, tuple[str, ...]] = {}

    def chosen(self, outputs: list) -> None:
        self.made_from = {o.path: o.made_from for o in outputs if getattr(o, "made_from", ())}

    def planned(self, outputs: list) -> None:
        self.announced.update(o.path for o in outputs)

    @property
    def total(self) -> int:
        likely = set(self.announced)
        grown = True
        while grown:  # made from an output to render, or from one made from it…
            coming = {path for path, parts in self.made_from.items() if path not in likely and likely.intersection(parts)}
            likely |= coming
            grown = bool(coming)
        return len(likely)

    def __call__(self, report) -> None:
        self.done += 1
        if self.live:
            self.draw(report.path)
        else:
            self.console.echo(f"[{self.done}] {report.path} ({report.reason})", err=True)

    def line(self, path: str, width: int) -> str:
        """The live line: `[12/48] ########------------ decks/photos-debat.pdf`, cut to the width."""
        total = max(self.total, self.done, 1)
        filled = BAR_WIDTH * self.done // total
        text = f"[{self.done}/{total}] {'#' * filled}{'-' * (BAR_WIDTH - filled)} {path}"
        return text if len(text) < width else text[:max(width - 2, 0)] + "…"

    def draw(self, path: str) -> None:
        width = shutil.get_terminal_size((80, 24)).columns
        stream = sys.stderr
        stream.write("\r\x1b[2K" + self.line(path, width))
        stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Take the live line away (the closing lines say what was done)."""
        if self.drawn:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()
            self.drawn = False


def plural(number: int, noun: str, nouns: str | None = None) -> str:
    """`1 format`, `2 formats`, `0 formats` (`nouns` for an irregular plural)."""
    return f"{number} {noun if number == 1 else nouns or noun + 's'}"


# Which outputs a build names after it, by the plan's kind and edition: the facilitators' run
# sheet of each session built (what the team opens first), and a session's print list.
MAIN_FILES = {("agenda", "facilitators"): "facilitators' run sheet"}


def main_files(reports: Iterable) -> list[tuple[str, str, str]]:
    """(session, path, what it is) of the main file of each session in a build's reports."""
    found = []
    for report in reports:
        what = MAIN_FILES.get((report.kind, report.edition))
        if what:
            found.append((report.subject, report.path, what))
    return found
