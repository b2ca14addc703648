"""Turn the things a build makes into plain data: what an output is, what it reads, what rendering returns.

A leaf module: it imports nothing of kit's, so the planner, the generators, the engine and the
tests can all share these types without import cycles or heavy libraries.

Every output declares its inputs as keys, and the engine digests each key to decide whether
the output must be rendered again (`kit.digests` knows how to digest each kind of key):

    file:<path>        a kit file, relative to the kit (content, spreadsheet, image)
    config:<setting>   one kit.yaml setting (title, language, paper, theme, print.duplex…)
    template:<name>    a jinja2 template of kit/templates and every template or CSS it includes
    fonts              the fonts kit embeds
    labels:<language>  the printed words of one language
    code               kit's own version: its Python code
    printed:<path>     the PDF paths made from a content file (a checklist prints them)
    output:<path>      another output's files (an output made from other outputs)
    shape:<path>       another output's pages and page sizes only (a print list counts pages and
                       papers: an edit that keeps them renders it not again)
    value:<name>=<v>   a piece of derived content the output prints (a guide's title…)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

# The kit.yaml settings every printed document shows or is shaped by: its stamp (title,
# organisation, version, date), its words and times (language, clock), its page (paper) and its colours.
DOCUMENT_SETTINGS = ("title", "organisation", "language", "clock", "paper", "version", "date", "theme",
                     "print.greyscale")
# What a home sheet of cards also depends on: the printer's duplex flip and back offset.
PRINTER_SETTINGS = ("print.duplex", "print.back_offset")
# What the home and fold-over card sheets alone print: the gutter between cards, the backs' look.
CARD_SHEET_SETTINGS = ("print.gutter", "print.backs")
# What only the calendar reads: the zone its events are in.
CALENDAR_SETTINGS = ("timezone",)
# What an output that prints other outputs' file names reads (a print list): kit.yaml's names.
FILE_NAME_SETTINGS = ("file_names",)

# The input keys that name another output.
MADE_FROM = ("output:", "shape:")


def needs(*, files: Iterable[str] = (), settings: Iterable[str] = DOCUMENT_SETTINGS,
          templates: Iterable[str] = (), fonts: bool = True, language: str | None = None,
          printed: Iterable[str] = (), outputs: Iterable[str] = (), shapes: Iterable[str] = (),
          values: dict[str, str] | None = None) -> tuple[str, ...]:
    """The input keys of an output, from the groups a generator thinks in; kit's code always."""
    keys = [f"file:{f}" for f in dict.fromkeys(files) if f]
    keys += [f"config:{s}" for s in settings]
    keys += [f"template:{t}" for t in templates]
    if fonts:
        keys.append("fonts")
    if language:
        keys.append(f"labels:{language}")
    keys += [f"printed:{p}" for p in dict.fromkeys(printed) if p]
    keys += [f"output:{o}" for o in outputs]
    keys += [f"shape:{o}" for o in shapes]
    keys += [f"value:{name}={value}" for name, value in sorted((values or {}).items())]
    keys.append("code")
    return tuple(dict.fromkeys(keys))


@dataclass(frozen=True)
class Output:
    """One output to build: which generator, from which content, to which path under output/.

    `sources` are the content files a user names on the command line to pick outputs
    (`kit build content/guides/x.yaml`); `inputs` are everything the output reads, for the engine.
    """

    kind: str                   # the generator's registry key
    path: str                   # relative to the output folder, forward slashes
    subject: str                # the id of the content item it is made from
    sources: tuple[str, ...]    # kit files it is made from (relative to the kit)
    edition: str = ""           # which edition of the subject (participants, facilitators, shop...)
    options: tuple[tuple[str, Any], ...] = field(default=())
    inputs: tuple[str, ...] = ()

    def option(self, name: str, default: Any = None) -> Any:
        return dict(self.options).get(name, default)

    @property
    def made_from(self) -> tuple[str, ...]:
        """The other outputs this one is made from (rendered first): their files, or their shapes."""
        return tuple(dict.fromkeys(key.partition(":")[2] for key in self.inputs if key.startswith(MADE_FROM)))

    @property
    def shaped_by(self) -> tuple[str, ...]:
        """The other outputs of which this one reads only the pages and their sizes."""
        return tuple(key[len("shape:"):] for key in self.inputs if key.startswith("shape:"))


@dataclass
class Rendered:
    """What a generator made for one output: its files (path under output/ → bytes) and page count.

    A generator that streams a large file writes it itself to `RenderContext.staged(path)` and
    lists the path in `written` instead of returning its bytes.
    """

    files: dict[str, bytes]
    pages: int = 0
    warnings: list[str] = field(default_factory=list)
    written: tuple[str, ...] = ()


class LayoutBusy(Exception):
    """A document this render needs is being laid out by another process, and its RenderContext
    says not to wait for it (kit.documents.LayoutCache.claim)."""


@dataclass(frozen=True)
class RenderContext:
    """What every generator may use besides the content: the theme, where caches and staged files go,
    and the plan's facts a document prints (which PDFs each content file gives)."""

    theme: Any                  # kit.theme.Theme
    kit_root: Path
    cache_dir: Path             # under the output folder: the only place besides outputs kit writes to
    staging_dir: Path | None = None
    printed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    out_dir: Path | None = None  # the output folder, where outputs rendered by earlier builds are
    read_staged: bool = True     # False: read other outputs as the last build left them (kit.build: ahead)
    # False: a layout another process is making raises LayoutBusy instead of being waited for
    # (kit.build's workers: the render is tried again later, and the worker renders another meanwhile).
    wait_for_layouts: bool = True

    def staged(self, relative: str) -> Path:
        """Where a generator writes a file itself: in the build's staging folder, never in place."""
        if self.staging_dir is None:
            raise RuntimeError("no staging folder: render through the engine")
        target = self.staging_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def made(self, relative: str) -> Path:
        """Where to read a file of an output this one is made from (`needs(outputs=...)`): staged if
        it was rendered in this build (the engine renders it in an earlier wave), else in place."""
        if self.read_staged and self.staging_dir is not None and (self.staging_dir / relative).is_file():
            return self.staging_dir / relative
        if self.out_dir is None:
            raise RuntimeError(f"output/{relative}: no output folder to read it from: render through the engine")
        return self.out_dir / relative
