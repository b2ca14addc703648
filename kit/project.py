"""Turn a kit folder's `kit.yaml` into a KitConfig, and keep every path the kit reads inside it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from kit.content.fields import Fields, Problems, did_you_mean, load_yaml
from kit.errors import ContentError
from kit.kit_folder import CONFIG_NAME

LANGUAGES = ["fr", "en"]
DEFAULT_TIMEZONE = "Europe/Paris"
PAPERS = {"a4": "A4", "letter": "letter", "a3": "A3"}
DUPLEX = ["long", "short", "none"]
# Home card sheets: the gap between cards (their colour bleeds into half of it) and the backs' look.
GUTTER_MM = 3.0
GUTTER_RANGE_MM = (0.0, 10.0)
BACKS = ["full", "light"]  # full: the deck's colour edge to edge; light: white, with a band of colour (less ink)
# A printer that shifts its backs by more than this is not one an offset can correct.
BACK_OFFSET_RANGE_MM = (-20.0, 20.0)
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")

# The theme's colour roles and their defaults: a sober blue, a warm orange, dark ink.
DEFAULT_COLOURS = {
    "primary": "#1d4e89",
    "accent": "#e8743b",
    "ink": "#1f2328",
    "muted": "#5b6470",
    "light": "#eef2f7",
    "pause": "#f3efe6",
    "terrain": "#e6f2ea",
}


@dataclass(frozen=True)
class PrintSettings:
    """How the home printer behaves: duplex flip, the offset its backs need, ink saving."""

    duplex: str = "long"
    back_offset_mm: tuple[float, float] = (0.0, 0.0)
    greyscale: bool = False
    gutter_mm: float = GUTTER_MM
    backs: str = "full"


@dataclass(frozen=True)
class KitConfig:
    """What kit.yaml says: the kit's identity, language, paper, theme and print settings."""

    root: Path
    title: str
    organisation: str = ""
    language: str = "fr"
    paper: str = "A4"
    version: str = "1"
    date: dt.date = field(default_factory=dt.date.today)
    colours: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_COLOURS))
    printing: PrintSettings = field(default_factory=PrintSettings)
    timezone: str = DEFAULT_TIMEZONE  # an IANA name: the calendar's events are in this zone
    clock: str = ""                   # "24h" or "12h"; "" means the language's own
    file_names: tuple[tuple[str, str], ...] = ()  # kit.yaml's file_names: overrides, sorted by key

    @property
    def clock_style(self) -> str:
        """How times print: kit.yaml's clock, else the language's (24 h in French, 12 h in English)."""
        from kit.labels import language_file

        return self.clock or language_file(self.language)["dates"]["clock"]

    def file_name(self, key: str, **values: str) -> str:
        """The name of an output file (see kit.file_names): kit.yaml's file_names, else the language's."""
        from kit.file_names import file_name

        return file_name(self.language, dict(self.file_names), key, **values)

    def relative(self, path: Path) -> str:
        """A kit file's name as messages show it: relative to the kit, with forward slashes."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def inside(self, relative: str) -> Path | None:
        """The kit file a content path names, or None when the path leaves the kit folder."""
        if "://" in relative or relative.startswith(("/", "\\")) or re.match(r"^[a-zA-Z]:", relative):
            return None
        return resolved_inside(self.root, self.root / relative)


def resolved_inside(root: Path, path: Path) -> Path | None:
    """The real path of `path` (links followed) when it lies inside the kit folder `root`, else None.

    Every file kit reads goes through this: a link (or a link in a folder's name) that leads
    out of the kit, or around in a loop, is never opened.
    """
    try:
        candidate = path.resolve()
        kit = root.resolve()
    except (RuntimeError, OSError):  # a symlink loop: RuntimeError up to Python 3.12, OSError after
        return None
    if candidate != kit and kit not in candidate.parents:
        return None
    return candidate


def read_config(root: Path, problems: Problems) -> KitConfig:
    """Read kit.yaml; mistakes go to `problems` and sensible values stand in so loading goes on."""
    path = root / CONFIG_NAME
    if resolved_inside(root, path) is None:
        problems.error(CONFIG_NAME, 0, "", "expected a file inside the kit folder, got a link that leads outside it")
        data = None
    else:
        data = load_yaml(path, CONFIG_NAME, problems)
    unreadable = data is None and any(p.file == CONFIG_NAME for p in problems.errors)
    doc = Fields(data, CONFIG_NAME, "", problems)
    colours = dict(DEFAULT_COLOURS)
    theme = doc.mapping("theme")
    if theme:
        for role in DEFAULT_COLOURS:
            value = theme.text(role)
            if value is None:
                continue
            if COLOUR_RE.match(value):
                colours[role] = value.lower()
            else:
                theme.error(role, f'expected a colour like "#1d4e89", got "{value}"')
        theme.done()
    printing = PrintSettings()
    section = doc.mapping("print")
    if section:
        offset = (0.0, 0.0)
        off = section.mapping("back_offset")
        if off:
            low, high = BACK_OFFSET_RANGE_MM
            offset = (off.number("x", default=0.0, minimum=low, maximum=high),
                      off.number("y", default=0.0, minimum=low, maximum=high))
            off.done()
        printing = PrintSettings(
            duplex=section.choice("duplex", DUPLEX, default="long"),
            back_offset_mm=offset,
            greyscale=section.boolean("greyscale", default=False),
            gutter_mm=section.number("gutter", default=GUTTER_MM, minimum=GUTTER_RANGE_MM[0], maximum=GUTTER_RANGE_MM[1]),
            backs=section.choice("backs", BACKS, default="full"),
        )
        section.done()
    language = doc.choice("language", LANGUAGES, default="fr")
    config = KitConfig(
        root=root,
        # An unreadable kit.yaml is its one error: no "got nothing" for the title it surely has.
        title=doc.text("title", required=not unreadable, default="Kit"),
        organisation=doc.text("organisation", default=""),
        language=language,
        paper=doc.choice("paper", PAPERS, default="A4"),
        version=doc.text("version", default="1"),
        date=doc.date("date", default=dt.date.today()),
        colours=colours,
        printing=printing,
        timezone=read_timezone(doc),
        clock=doc.choice("clock", {"24h": "24h", "24 h": "24h", "24": "24h", "12h": "12h", "12 h": "12h", "12": "12h"},
                         default=""),
        file_names=read_file_names(doc, language),
    )
    doc.done()
    return config


def read_timezone(doc: Fields) -> str:
    """kit.yaml's `timezone:`, an IANA name the machine's zone data knows (tzdata stands in for a system without)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = doc.text("timezone", default=DEFAULT_TIMEZONE)
    try:
        ZoneInfo(name)
        return name
    except (ZoneInfoNotFoundError, ValueError):
        from zoneinfo import available_timezones

        # Only a wrong name pays for listing every zone, to say which one it most likely meant.
        hint = did_you_mean(name, sorted(available_timezones()))
        doc.error("timezone", f'expected an IANA time zone such as {DEFAULT_TIMEZONE}, got "{name}"{hint}')
        return DEFAULT_TIMEZONE


def read_file_names(doc: Fields, language: str) -> tuple[tuple[str, str], ...]:
    """kit.yaml's `file_names:`: output kind → file name, each checked against what that kind needs."""
    from kit.file_names import FILE_NAMES, clashes, name_problem

    section = doc.mapping("file_names")
    if not section:
        return ()
    names = {}
    for key in FILE_NAMES:
        value = section.text(key)
        if value is None:
            continue
        problem = name_problem(key, value)
        if problem:
            section.error(key, problem)
        else:
            names[key] = value
    for key, other in clashes(language, names).items():
        section.error(key, f'expected a name no other file of its folder has, got "{names.pop(key)}", '
                           f"which is {other}")
    section.done()
    return tuple(sorted(names.items()))


def load_config(root: Path) -> KitConfig:
    """kit.yaml alone, raising ContentError on any mistake (for commands that need only it)."""
    problems = Problems()
    config = read_config(root, problems)
    if problems.errors:
        raise ContentError(problems.errors)
    return config
