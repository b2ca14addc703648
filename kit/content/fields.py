"""Turn line-numbered YAML mappings into typed values, recording each mistake as a Problem.

A `Fields` wraps one YAML mapping of one file. Its getters never raise on a content mistake:
they record a `Problem` (file, line, field path, "expected X, got Y") and return None, so a
loader reads a whole file and every mistake of a run is reported at once. After the getters
have run, `done()` reports the keys nobody asked for as unknown, with a "did you mean".
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
from pathlib import Path
from typing import Any, Callable, Iterator

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.error import MarkedYAMLError

from kit.errors import Problem

_MISSING = object()


class Problems:
    """The mistakes and warnings of one run, collected from every file."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, file: str, line: int, field: str, message: str) -> None:
        self.errors.append(Problem(file, line, field, message))

    def warn(self, file: str, line: int, field: str, message: str) -> None:
        self.warnings.append(Problem(file, line, field, message))

    def __bool__(self) -> bool:
        return bool(self.errors)


def shown(value: Any) -> str:
    """How a found value is quoted in a message: strings quoted, the rest as YAML writes them."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, (dict, CommentedMap)):
        return "a mapping"
    if isinstance(value, (list, CommentedSeq)):
        return "a list"
    return str(value)


def as_written(value: Any) -> str:
    """A scalar as the user typed it: `version: 1.10` stays "1.10", not the float 1.1."""
    if isinstance(value, ScalarFloat):
        out = io.StringIO()
        YAML(typ="rt").dump(value, out)
        return out.getvalue().split("\n", 1)[0]
    return str(value)


def text_hint(value: Any) -> str:
    """Why YAML may have read a text as something else, for the "expected text" messages."""
    if isinstance(value, CommentedMap) and len(value) == 1:
        return ' (a " : " inside a text makes YAML read a key: put the whole text in quotes)'
    return ""


def _yaml() -> YAML:
    """ruamel's round-trip loader: line and column of every key and list item (YAML 1.2)."""
    return YAML(typ="rt")


def load_yaml(path: Path, name: str, problems: Problems) -> Any:
    """Parse one YAML file (YAML 1.2: `12:30` stays text, `no` stays text); a syntax error is a Problem."""
    yaml = _yaml()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.error(name, 1, "", f"expected UTF-8 text, got a byte 0x{exc.object[exc.start]:02x} that is not")
        return None
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = (exc.problem or exc.context or "invalid YAML").strip()
        problems.error(name, line, "", f"expected valid YAML, got a syntax error: {what}")
        return None


DURATION_RE = re.compile(
    r"^\s*(?:(?P<h>\d+)\s*h(?:eures?|ours?)?\s*(?P<hm>\d+)?\s*(?:min)?|(?P<m>\d+)\s*(?:min(?:utes?)?|mn|m)?)\s*$",
    re.IGNORECASE,
)
CLOCK_RE = re.compile(r"^\s*(?P<h>[01]?\d|2[0-3])\s*[:hH]\s*(?P<m>[0-5]\d)?\s*$")


def parse_minutes(value: Any) -> int | None:
    """45, "45", "45 min", "1h30", "1 h", "2h 15" → minutes; anything else → None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if not isinstance(value, str):
        return None
    match = DURATION_RE.match(value)
    if not match:
        return None
    if match["h"] is not None:
        minutes = int(match["h"]) * 60 + int(match["hm"] or 0)
    else:
        minutes = int(match["m"])
    return minutes if minutes > 0 else None


def parse_clock(value: Any) -> int | None:
    """ "9:00", "12:30", "9h30", "14h" → minutes since midnight; anything else → None."""
    if not isinstance(value, str):
        return None
    match = CLOCK_RE.match(value)
    if not match:
        return None
    return int(match["h"]) * 60 + int(match["m"] or 0)


class Fields:
    """Typed, line-aware access to one YAML mapping; mistakes go to `problems`."""

    def __init__(self, data: Any, file: str, path: str, problems: Problems, line: int = 1):
        self.file = file
        self.path = path
        self.problems = problems
        self.line = line
        self.asked: set[str] = set()
        if isinstance(data, CommentedMap):
            self.data = data
        else:
            self.data = CommentedMap()
            if data is not None:
                problems.error(file, line, path or "(file)", f"expected a mapping of fields, got {shown(data)}")

    # -- places ---------------------------------------------------------------------------------
    def key_line(self, key: str) -> int:
        try:
            return self.data.lc.key(key)[0] + 1
        except (KeyError, TypeError, AttributeError):
            return self.line

    def field(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def error(self, key: str, message: str) -> None:
        self.problems.error(self.file, self.key_line(key), self.field(key), message)

    def warn(self, key: str, message: str) -> None:
        self.problems.warn(self.file, self.key_line(key), self.field(key), message)

    def has(self, key: str) -> bool:
        self.asked.add(key)
        return key in self.data

    # -- raw access -----------------------------------------------------------------------------
    def raw(self, key: str, required: bool = False, expected: str = "a value") -> Any:
        self.asked.add(key)
        if key not in self.data or self.data[key] is None:
            if required:
                self.problems.error(self.file, self.line, self.field(key), f"expected {expected}, got nothing")
            return _MISSING
        return self.data[key]

    def _typed(self, key: str, required: bool, expected: str, convert: Callable[[Any], Any], default: Any,
               hint: Callable[[Any], str] = lambda value: "") -> Any:
        value = self.raw(key, required, expected)
        if value is _MISSING:
            return default
        result = convert(value)
        if result is None:
            self.error(key, f"expected {expected}, got {shown(value)}{hint(value)}")
            return default
        return result

    # -- typed getters --------------------------------------------------------------------------
    def text(self, key: str, required: bool = False, default: str | None = None) -> str | None:
        def convert(value: Any) -> str | None:
            if isinstance(value, bool) or isinstance(value, (dict, list)):
                return None
            if isinstance(value, (str, int, float)):
                text = as_written(value).strip()
                return text or None
            return None

        return self._typed(key, required, "text", convert, default, hint=text_hint)

    def integer(self, key: str, required: bool = False, default: int | None = None,
                minimum: int | None = None, maximum: int | None = None) -> int | None:
        bounds = ""
        if minimum is not None and maximum is not None:
            bounds = f" from {minimum} to {maximum}"
        elif minimum is not None:
            bounds = f" of at least {minimum}"

        def convert(value: Any) -> int | None:
            if isinstance(value, bool) or not isinstance(value, int):
                return None
            if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
                return None
            return int(value)

        return self._typed(key, required, f"a whole number{bounds}", convert, default)

    def number(self, key: str, required: bool = False, default: float | None = None) -> float | None:
        def convert(value: Any) -> float | None:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return None
            return float(value)

        return self._typed(key, required, "a number", convert, default)

    def boolean(self, key: str, default: bool = False) -> bool:
        def convert(value: Any) -> bool | None:
            return value if isinstance(value, bool) else None

        return self._typed(key, False, "true or false", convert, default)

    def minutes(self, key: str, required: bool = False, default: int | None = None) -> int | None:
        return self._typed(key, required, 'minutes (45, "1h30", "45 min")', parse_minutes, default)

    def clock(self, key: str, required: bool = False, default: int | None = None) -> int | None:
        return self._typed(key, required, 'a time of day ("9:00", "12:30", "14h")', parse_clock, default)

    def date(self, key: str, required: bool = False, default: dt.date | None = None) -> dt.date | None:
        def convert(value: Any) -> dt.date | None:
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
            if isinstance(value, str):
                try:
                    return dt.date.fromisoformat(value.strip())
                except ValueError:
                    return None
            return None

        return self._typed(key, required, "a date (2019-05-23)", convert, default)

    def choice(self, key: str, choices: dict[str, Any] | list[str], required: bool = False, default: Any = None) -> Any:
        """One of named choices; `choices` maps each accepted spelling to the value returned."""
        table = choices if isinstance(choices, dict) else {c: c for c in choices}
        table = {str(k).lower(): v for k, v in table.items()}
        # Messages list the canonical values; other spellings (ascii, English) are accepted silently.
        names = list(dict.fromkeys(str(v) for v in table.values()))
        expected = "one of " + ", ".join(names)
        value = self.raw(key, required, expected)
        if value is _MISSING:
            return default
        found = table.get(str(value).strip().lower()) if isinstance(value, (str, int)) else None
        if found is None:
            guess = difflib.get_close_matches(str(value).lower(), list(table), n=1, cutoff=0.7)
            hint = f' (did you mean "{table[guess[0]]}"?)' if guess else ""
            self.error(key, f"expected {expected}, got {shown(value)}{hint}")
            return default
        return found

    def texts(self, key: str, required: bool = False) -> list[str]:
        """A list of text lines; a single text is accepted as a list of one."""
        value = self.raw(key, required, "a list of texts")
        if value is _MISSING:
            return []
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return [as_written(value).strip()]
        if not isinstance(value, CommentedSeq):
            self.error(key, f"expected a list of texts, got {shown(value)}")
            return []
        result = []
        for index, item in enumerate(value):
            if isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip():
                result.append(as_written(item).strip())
            else:
                self.problems.error(self.file, _item_line(value, index, self.key_line(key)),
                                    f"{self.field(key)}[{index}]", f"expected text, got {shown(item)}{text_hint(item)}")
        return result

    def mapping(self, key: str, required: bool = False) -> Fields | None:
        value = self.raw(key, required, "a mapping")
        if value is _MISSING:
            return None
        if not isinstance(value, CommentedMap):
            self.error(key, f"expected a mapping, got {shown(value)}")
            return None
        return Fields(value, self.file, self.field(key), self.problems, self.key_line(key))

    def items(self, key: str, required: bool = False) -> Iterator[tuple[int, Any, int, str]]:
        """Each element of a list as (index, raw value, line, field path)."""
        value = self.raw(key, required, "a list")
        if value is _MISSING:
            return
        if not isinstance(value, CommentedSeq):
            self.error(key, f"expected a list, got {shown(value)}")
            return
        for index, item in enumerate(value):
            yield index, item, _item_line(value, index, self.key_line(key)), f"{self.field(key)}[{index}]"

    def records(self, key: str, required: bool = False) -> Iterator[Fields]:
        """Each element of a list of mappings, as Fields; other elements are mistakes."""
        for index, item, line, path in self.items(key, required):
            if isinstance(item, CommentedMap):
                yield Fields(item, self.file, path, self.problems, line)
            else:
                self.problems.error(self.file, line, path, f"expected a mapping of fields, got {shown(item)}")

    def named(self, key: str, required: bool = False) -> Iterator[tuple[str, Fields]]:
        """Each entry of a mapping of named mappings (e.g. variants), as (name, Fields)."""
        value = self.raw(key, required, "a mapping of named entries")
        if value is _MISSING:
            return
        if not isinstance(value, CommentedMap):
            self.error(key, f"expected a mapping of named entries, got {shown(value)}")
            return
        for name, item in value.items():
            line = value.lc.key(name)[0] + 1
            path = f"{self.field(key)}.{name}"
            if item is None:
                item = CommentedMap()
            if isinstance(item, CommentedMap):
                yield str(name), Fields(item, self.file, path, self.problems, line)
            else:
                self.problems.error(self.file, line, path, f"expected a mapping of fields, got {shown(item)}")

    def done(self) -> None:
        """Report every key no getter asked for, with the closest known key as a hint."""
        for key in self.data:
            if key in self.asked:
                continue
            guess = difflib.get_close_matches(str(key), sorted(self.asked), n=1, cutoff=0.6)
            hint = f' (did you mean "{guess[0]}"?)' if guess else ""
            known = ", ".join(sorted(self.asked))
            self.problems.error(self.file, self.key_line(key), self.field(str(key)),
                                f"expected a known field ({known}), got unknown key \"{key}\"{hint}")


def _item_line(seq: CommentedSeq, index: int, fallback: int) -> int:
    try:
        return seq.lc.item(index)[0] + 1
    except (KeyError, TypeError, AttributeError):
        return fallback
