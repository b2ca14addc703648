"""Turn label keys and dates into the printed words of the kit's language (fr or en).

The words live in one TOML file per language next to this module (fr.toml, en.toml): a
translator edits a data file, not code. Each file is parsed once per process, on first use.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from pathlib import Path

LABEL_DIR = Path(__file__).parent
LANGUAGES = ("fr", "en")


@functools.cache
def language_file(language: str) -> dict:
    """The parsed file of one language: {"labels": {key: text}, "dates": {"weekdays", "months"}}."""
    with open(LABEL_DIR / f"{language}.toml", "rb") as handle:
        return tomllib.load(handle)


def label_files() -> list[Path]:
    return [LABEL_DIR / f"{language}.toml" for language in LANGUAGES]


def __getattr__(name: str):
    # LABELS, WEEKDAYS and MONTHS were module-level dicts before the words moved to data files;
    # built on demand so that importing kit.labels parses nothing.
    if name == "LABELS":
        return {language: language_file(language)["labels"] for language in LANGUAGES}
    if name in ("WEEKDAYS", "MONTHS"):
        return {language: language_file(language)["dates"][name.lower()] for language in LANGUAGES}
    raise AttributeError(name)


class Labels:
    """The label table of one language, with the date formats of that language."""

    def __init__(self, language: str, clock: str | None = None):
        self.language = language
        data = language_file(language)
        self.table = data["labels"]
        self.weekdays = data["dates"]["weekdays"]
        self.months = data["dates"]["months"]
        self.clock = clock or data["dates"]["clock"]  # kit.yaml's clock:, else the language's
        self.noon = (data["dates"]["am"], data["dates"]["pm"])
        self.decimal_mark = data["numbers"]["decimal"]
        self.hyphenation = data["typography"]["hyphenation"]  # pyphen's name, for reportlab paragraphs

    def __call__(self, key: str, **values: str) -> str:
        text = self.table[key]
        return text.format(**values) if values else text

    def date(self, day: dt.date, weekday: bool = True) -> str:
        """ "jeudi 23 mai 2019" / "Thursday 23 May 2019"; the 1st is "1er" in French."""
        number = "1er" if self.language == "fr" and day.day == 1 else str(day.day)
        text = f"{number} {self.months[day.month - 1]} {day.year}"
        return f"{self.weekdays[day.weekday()]} {text}" if weekday else text

    def colon(self, text: str) -> str:
        """A label followed by its colon, spaced as the language wants ("Durée :", "Duration:")."""
        return f"{text}\u202f:" if self.language == "fr" else f"{text}:"

    def time(self, minutes: int) -> str:
        """Minutes since midnight as the kit's clock prints them: "9:05", "14:30" or "9:05 am", "2:30 pm".

        Every printed time of every output goes through here, so that `clock:` changes them all.
        """
        hours, rest = divmod(minutes % (24 * 60), 60)
        if self.clock != "12h":
            return f"{hours}:{rest:02d}"
        am, pm = self.noon
        return f"{(hours - 1) % 12 + 1}:{rest:02d}\u00a0{am if hours < 12 else pm}"

    def length(self, minutes: int) -> str:
        """A duration as a reader says it: "45 min", "1 h 30", "2 h" (the units are labels)."""
        hours, rest = divmod(minutes, 60)
        if not hours:
            return self("unit.minutes", minutes=str(rest))
        if not rest:
            return self("unit.hours", hours=str(hours))
        return self("unit.hours_minutes", hours=str(hours), minutes=f"{rest:02d}")

    def decimal(self, value: float, places: int = 2, signed: bool = False) -> str:
        """A number with the language's decimal mark, trailing zeros dropped ("1,5" / "1.5"); signed:
        "+1,5", "−1,5" with a real minus sign, "0"."""
        digits = f"{abs(value):.{places}f}".rstrip("0").rstrip(".") or "0"
        digits = digits.replace(".", self.decimal_mark)
        if digits == "0":
            return "0"
        if signed:
            return ("+" if value > 0 else "\u2212") + digits
        return ("\u2212" if value < 0 else "") + digits

    def kind(self, kind: str | None) -> str:
        return self.table.get(f"kind.{kind}", kind or "") if kind else ""

    def names(self, names: tuple[str, ...] | list[str]) -> str:
        """People as the language lists them: "Amina et Paul", "Amina, Paul et Joana"."""
        if len(names) < 2:
            return "".join(names)
        return f"{', '.join(names[:-1])} {self('and')} {names[-1]}"


def table_text(language: str) -> str:
    """Every printed word of one language as stable text: what outputs in that language depend on."""
    if language not in LANGUAGES:
        return ""
    data = language_file(language)
    table, dates = data["labels"], data["dates"]
    return "\n".join([*(f"{key}={table[key]}" for key in sorted(table)),
                      *(f"weekday={name}" for name in dates["weekdays"]),
                      *(f"month={name}" for name in dates["months"])])
