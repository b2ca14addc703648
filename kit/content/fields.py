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
import math
import re
from pathlib import Path
from typing import Any, Callable, Iterator

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import MappingEndEvent, MappingStartEvent, SequenceEndEvent, SequenceStartEvent
from ruamel.yaml.reader import ReaderError

from kit.content import libyaml
from kit.errors import Problem

_MISSING = object()


class Problems:
    """The mistakes and warnings of one run, collected from every file."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        # The titles of list items, by file and item path ("days[0].blocks[9]" → "Pause"), so a
        # message can say "day 1, block 10 (“Pause”)".
        self.titles: dict[str, dict[str, str]] = {}

    def title(self, file: str, path: str, title: Any) -> None:
        """Remember the title of the list item at `path`, for the messages about it."""
        if isinstance(title, str) and title.strip():
            self.titles.setdefault(file, {})[path] = " ".join(title.split())

    def _titles(self, file: str, field: str) -> tuple[tuple[str, str], ...]:
        known = self.titles.get(file, {})
        return tuple((path, title) for path, title in known.items()
                     if field == path or field.startswith((f"{path}.", f"{path}[")))

    def error(self, file: str, line: int, field: str, message: str) -> None:
        self.errors.append(Problem(file, line, field, message, self._titles(file, field)))

    def warn(self, file: str, line: int, field: str, message: str) -> None:
        self.warnings.append(Problem(file, line, field, message, self._titles(file, field)))

    def __bool__(self) -> bool:
        return bool(self.errors)


# A found value longer than this is cut in messages: the line number shows the rest.
SHOWN_LENGTH = 60


def clipped(text: str) -> str:
    """A text cut to SHOWN_LENGTH characters for a message."""
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH - 1] + "…"


def shown(value: Any) -> str:
    """How a found value is quoted in a message: strings quoted, the rest as YAML writes them."""
    if isinstance(value, str):
        return f'"{clipped(value)}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, (dict, CommentedMap)):
        return "a mapping"
    if isinstance(value, (list, CommentedSeq)):
        return "a list"
    if isinstance(value, (int, float)):
        return clipped(str(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    tag = getattr(value, "tag", None)
    if tag is not None:
        return f"a value tagged {clipped(str(getattr(tag, 'value', tag)))}"
    if isinstance(value, (bytes, bytearray)):
        return "binary data (!!binary)"
    if isinstance(value, (set, frozenset)):
        return "a set (!!set)"
    return "a value of another kind"


def did_you_mean(value: Any, choices, cutoff: float = 0.6) -> str:
    """The hint for a value that is not one of `choices`: ' (did you mean "x"?)', or nothing."""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return ""
    names = [str(c) for c in choices]
    lowered = {name.lower(): name for name in names}
    guess = difflib.get_close_matches(str(value).strip().lower(), list(lowered), n=1, cutoff=cutoff)
    return f' (did you mean "{lowered[guess[0]]}"?)' if guess else ""


def as_written(value: Any) -> str:
    """A scalar as the user typed it: `version: 1.10` stays "1.10", not the float 1.1."""
    if isinstance(value, ScalarFloat):
        out = io.StringIO()
        YAML(typ="rt").dump(value, out)
        return out.getvalue().split("\n", 1)[0]
    return str(value)


TEXT_AS_KEY_HINT = ' (a " : " inside a text makes YAML read a key: put the whole text in quotes)'


def text_hint(value: Any) -> str:
    """Why YAML may have read a text as something else, for the "expected text" messages."""
    if isinstance(value, CommentedMap) and len(value) == 1:
        return TEXT_AS_KEY_HINT
    return ""


class _Constructor(RoundTripConstructor):
    """ruamel's round-trip constructor, but a value it cannot build is a YAML error at its line.

    ruamel lets Python's own exceptions through for a tagged or implicit value that does not
    convert (`2019-02-30` read as a date, `!!int abc`); here they become errors with a mark.
    """

    def construct_non_recursive_object(self, node: Any, tag: str | None = None) -> Any:
        try:
            return super().construct_non_recursive_object(node, tag)
        except MarkedYAMLError:
            raise
        except (ValueError, KeyError, TypeError, OverflowError, AttributeError) as exc:
            raise UnbuildableValue(None, None, _unbuildable(node, exc), node.start_mark) from exc


class UnbuildableValue(ConstructorError):
    """A value YAML parsed but could not build; its problem is already in the kit's words."""


def _unbuildable(node: Any, exc: Exception) -> str:
    """What a value YAML could not build should have been, in the words of the value formats."""
    tag = str(getattr(node, "tag", "") or "").rsplit(":", 1)[-1]
    value = getattr(node, "value", "")
    value = clipped(value) if isinstance(value, str) else "this value"
    wanted = {
        "timestamp": "a date that exists (2019-05-23)",
        "int": "a whole number",
        "float": "a number",
        "bool": "true or false",
    }.get(tag)
    if wanted:
        return f'expected {wanted}, got "{value}"'
    return f'expected a value YAML can read as !!{tag}, got "{value}" ({exc})'


def _yaml() -> YAML:
    """ruamel's round-trip loader: line and column of every key and list item (YAML 1.2)."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    return yaml


# YAML's own wording of a syntax error, translated into what to do. Each entry: a pattern of
# ruamel's "problem" text, whether the place to show is where the construct opened (an unclosed
# bracket or quote is noticed lines later), and the advice.
_SYNTAX_ADVICE: list[tuple[re.Pattern[str], bool, str]] = [
    (re.compile(r"mapping values are not allowed here"), False,
     'a ": " inside a text, which YAML reads as a key: put the whole text in quotes '
     '("Tour rapide : une minute chacun")'),
    (re.compile(r"found character '\\t' that cannot start any token"), False,
     "a tab: indent with spaces only"),
    (re.compile(r"found character '([@`%|>!&*])' that cannot start any token"), False,
     'a text starting with "{0}", which YAML reserves: put the whole text in quotes'),
    (re.compile(r"found undefined alias"), False,
     'a text starting with "*", which YAML reads as a reference: put the whole text in quotes'),
    (re.compile(r"found duplicate key \"(.*?)\""), False,
     'the key "{0}" twice in the same place: keep one'),
    (re.compile(r"expected ',' or '\]'"), True,
     'a list in [ ] that is not closed, or an item with ": " or "[" in it: close the bracket or '
     "quote the item"),
    (re.compile(r"expected ',' or '\}'"), True,
     "a mapping in { } that is not closed: close the brace or quote the text"),
    (re.compile(r"found unexpected end of stream"), True,
     "a quote that is never closed: end the text with the same quote"),
    (re.compile(r"expected <block end>, but found '<scalar>'"), False,
     "more text after a quoted text: put the whole text in one pair of quotes"),
    (re.compile(r"expected <block end>|could not find expected ':'|expected '<document start>'"), False,
     'a line that does not fit the indentation around it: indent it like its neighbours, '
     'and write "key: value" or "- item"'),
]
# Deeper than this the file is not content anyone writes; Python's recursion would give up first.
MAX_NESTING = 64


def _syntax_problem(exc: MarkedYAMLError) -> tuple[int, str]:
    """The line and the advice for a YAML syntax error."""
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    for pattern, at_opening, advice in _SYNTAX_ADVICE:
        match = pattern.search(problem)
        if match:
            mark = (exc.context_mark if at_opening else None) or exc.problem_mark or exc.context_mark
            # replace(), not format(): the advice itself shows braces ("a mapping in { }").
            advice = advice.replace("{0}", match.group(1)) if match.groups() else advice
            return (mark.line + 1 if mark else 1), f"expected valid YAML, got {advice}"
    mark = exc.problem_mark or exc.context_mark
    return (mark.line + 1 if mark else 1), f"expected valid YAML, got a syntax error: {problem}"


def _too_deep_line(text: str) -> int:
    """The line where the nesting of lists and mappings first goes past MAX_NESTING.

    Read from YAML's event stream, which the parser makes without recursion.
    """
    depth = 0
    try:
        for event in YAML(typ="rt").parse(text):
            if isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                depth += 1
                if depth > MAX_NESTING:
                    return event.start_mark.line + 1
            elif isinstance(event, (SequenceEndEvent, MappingEndEvent)):
                depth -= 1
    except (YAMLError, RecursionError):
        pass
    return 1


def read_text(path: Path, name: str, problems: Problems, advice: str = "") -> str | None:
    """A content file's text; a byte that is not UTF-8 is a Problem at its own line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(name, 0, "", f"expected a readable file, got {exc.strerror or exc}")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - data.rfind(b"\n", 0, exc.start)
        problems.error(name, line, "", f"expected UTF-8 text{advice}, got a byte 0x{data[exc.start]:02x} that is not "
                                       f"(column {column})")
        return None


# The last parse of each file, by its text: a process that loads the kit again (`kit serve`, a kept
# Engine) parses only the files that changed. The loaders only read what they are given.
_PARSED: dict[str, tuple[str, Any]] = {}
# And across processes: the parses the engine keeps under output/.cache/yaml (kit.content.parsed).
_PARSE_CACHE = None


def use_parse_cache(folder: Path | None) -> None:
    """Keep (and look up) every file's parse in `folder`, by its text; None: parse every time."""
    global _PARSE_CACHE
    from kit.content.parsed import ParseCache

    _PARSE_CACHE = ParseCache(folder) if folder is not None else None


def load_yaml(path: Path, name: str, problems: Problems) -> Any:
    """Parse one YAML file (YAML 1.2: `12:30` stays text, `no` stays text); a syntax error is a Problem."""
    text = read_text(path, name, problems)
    if text is None:
        return None
    key = str(path)
    known = _PARSED.get(key)
    if known is not None and known[0] == text:
        return known[1]
    data = _PARSE_CACHE.get(text) if _PARSE_CACHE is not None else None
    if data is not None:
        _PARSED[key] = (text, data)
        return data
    try:
        try:
            data = libyaml.load(text)
        except libyaml.Unusual:
            data = _yaml().load(text)
        _PARSED[key] = (text, data)
        if _PARSE_CACHE is not None:
            _PARSE_CACHE.put(text, data)
        return data
    except UnbuildableValue as exc:
        line, message = exc.problem_mark.line + 1, exc.problem
    except MarkedYAMLError as exc:
        line, message = _syntax_problem(exc)
    except ReaderError as exc:
        # A control character (NUL...) YAML refuses anywhere; ruamel gives its offset, not its line.
        line = text.count("\n", 0, exc.position) + 1
        message = f"expected text, got the control character U+{exc.character:04X}: delete it"
    except YAMLError as exc:
        line, message = 1, f"expected valid YAML, got {exc}"
    except RecursionError:
        line = _too_deep_line(text)
        message = f"expected at most {MAX_NESTING} levels of lists and mappings, got more"
    problems.error(name, line, "", message)
    return None


DURATION_RE = re.compile(
    r"^\s*(?:(?P<h>\d+)\s*h(?:eures?|ours?)?\s*(?P<hm>\d+)?\s*(?:min)?|(?P<m>\d+)\s*(?:min(?:utes?)?|mn|m)?)\s*$",
    re.IGNORECASE,
)
# No block, slot or interview lasts longer than a day; more is a typo (and would overflow dates).
MAX_MINUTES = 24 * 60
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
    try:
        if match["h"] is not None:
            minutes = int(match["h"]) * 60 + int(match["hm"] or 0)
        else:
            minutes = int(match["m"])
    except ValueError:  # thousands of digits: Python refuses to convert them
        return None
    return minutes if minutes > 0 else None


NUMBER_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def parse_number(value: Any) -> float | None:
    """1, 1.5, "1,5", "-1,5", "−1,5" (the typographic minus kit prints) → a finite float; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value) if abs(value) < 1e300 else float("inf")
    elif isinstance(value, str):
        text = value.strip().replace("\u2212", "-").replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
        if not NUMBER_RE.match(text):
            return None
        number = float(text.replace(",", "."))
    else:
        return None
    return number if math.isfinite(number) else None


def parse_clock(value: Any) -> int | None:
    """ "9:00", "12:30", "9h30", "14h" → minutes since midnight; anything else → None."""
    if not isinstance(value, str):
        return None
    match = CLOCK_RE.match(value)
    if not match:
        return None
    return int(match["h"]) * 60 + int(match["m"] or 0)


# An id becomes part of output file names (decks/<id>.pdf, <session>/…): letters, digits, and
# "-", "_" or "." between them, nothing a file system or a path could read otherwise.
ID_RE = re.compile(r"^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$")
ID_EXPECTED = 'a name of letters, digits and hyphens ("session-08")'


def check_id(ident: str) -> str | None:
    """What is wrong with an id that becomes part of a file name, or None."""
    if ID_RE.match(ident):
        return None
    return f'expected {ID_EXPECTED}, got "{ident}"'


class Fields:
    """Typed, line-aware access to one YAML mapping; mistakes go to `problems`."""

    def __init__(self, data: Any, file: str, path: str, problems: Problems, line: int = 1):
        self.file = file
        self.path = path
        self.problems = problems
        self.line = line
        self.asked: set[str] = set()
        self.missing: dict[str, Problem] = {}  # required keys reported as missing, by key
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

    def looks_like_text(self) -> bool:
        """Whether this mapping is most likely a text with " : " in it: one key, a text after it."""
        if len(self.data) != 1:
            return False
        (key, value), = self.data.items()
        return isinstance(key, str) and key not in self.asked and (value is None or isinstance(value, (str, int, float)))

    def has(self, key: str) -> bool:
        self.asked.add(key)
        return key in self.data

    # -- raw access -----------------------------------------------------------------------------
    def raw(self, key: str, required: bool = False, expected: str = "a value") -> Any:
        self.asked.add(key)
        if key not in self.data or self.data[key] is None:
            if required and key not in self.data:
                self.problems.error(self.file, self.line, self.field(key), f"expected {expected}, got nothing")
                # done() drops this error when a misspelled key turns out to be the missing one.
                self.missing[key] = self.problems.errors[-1]
            elif required:
                self.error(key, f"expected {expected}, got nothing")
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

        text = self._typed(key, required, "text", convert, _MISSING, hint=text_hint)
        if text is _MISSING:
            return default
        self.check_glyphs(key, text, self.key_line(key))
        return text

    def check_glyphs(self, key: str, text: str, line: int, path: str | None = None) -> None:
        """Warn about characters the fonts do not have: they would print as blanks."""
        from kit.typography import glyph_warning

        warning = glyph_warning(text)
        if warning:
            self.problems.warn(self.file, line, path or self.field(key), warning)

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

    def number(self, key: str, required: bool = False, default: float | None = None,
               minimum: float | None = None, maximum: float | None = None) -> float | None:
        """A number, also as French writes it ("-1,5", "−1,5" as kit's sheets print it)."""
        bounds = f" from {minimum:g} to {maximum:g}" if minimum is not None and maximum is not None else ""

        def convert(value: Any) -> float | None:
            number = parse_number(value)
            if number is None or (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
                return None
            return number

        return self._typed(key, required, f'a number{bounds} (1.5 or "1,5")', convert, default)

    def boolean(self, key: str, default: bool = False) -> bool:
        def convert(value: Any) -> bool | None:
            return value if isinstance(value, bool) else None

        return self._typed(key, False, "true or false", convert, default)

    def minutes(self, key: str, required: bool = False, default: int | None = None) -> int | None:
        minutes = self._typed(key, required, 'minutes (45, "1h30", "45 min")', parse_minutes, _MISSING)
        if minutes is _MISSING:
            return default
        if minutes > MAX_MINUTES:
            self.error(key, f"expected a duration of at most {MAX_MINUTES // 60} h, got {shown(self.data[key])}")
            return default
        return minutes

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

    def meant(self, key: str, choices: dict[str, Any]) -> Any:
        """The choice a wrong value most likely meant (the did-you-mean of `choice`), or None.

        A loader checks the rules of that choice rather than of an arbitrary stand-in, so a
        misspelled kind gives the errors the user will meet once it is fixed, and no others.
        """
        value = self.data.get(key)
        if not isinstance(value, str):
            return None
        table = {str(k).lower(): v for k, v in choices.items()}
        guess = difflib.get_close_matches(value.strip().lower(), list(table), n=1, cutoff=0.7)
        return table[guess[0]] if guess else None

    def texts(self, key: str, required: bool = False) -> list[str]:
        """A list of text lines; a single text is accepted as a list of one."""
        value = self.raw(key, required, "a list of texts")
        if value is _MISSING:
            return []
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            self.check_glyphs(key, as_written(value), self.key_line(key))
            return [as_written(value).strip()]
        if not isinstance(value, CommentedSeq):
            self.error(key, f"expected a list of texts, got {shown(value)}")
            return []
        result = []
        for index, item in enumerate(value):
            if isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip():
                result.append(as_written(item).strip())
                self.check_glyphs(key, result[-1], _item_line(value, index, self.key_line(key)),
                                  f"{self.field(key)}[{index}]")
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
            path = f"{self.field(key)}[{index}]"
            if isinstance(item, CommentedMap):
                for name in ("title", "name", "ask", "do"):
                    if isinstance(item.get(name), str):
                        self.problems.title(self.file, path, item[name])
                        break
            yield index, item, _item_line(value, index, self.key_line(key)), path

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
            if not guess and self.looks_like_text():
                # `- Tour rapide : une minute`: a text YAML read as a one-key mapping. Say that,
                # once, instead of "unknown key" and the "got nothing" of every required field.
                hint = TEXT_AS_KEY_HINT
                for missed in self.missing.values():
                    if missed in self.problems.errors:
                        self.problems.errors.remove(missed)
                self.missing.clear()
            if guess and guess[0] in self.missing:
                # One misspelling, one error: the "got nothing" of the key meant says the same.
                missed = self.missing.pop(guess[0])
                if missed in self.problems.errors:
                    self.problems.errors.remove(missed)
            known = ", ".join(sorted(self.asked))
            self.problems.error(self.file, self.key_line(key), self.field(str(key)),
                                f"expected a known field ({known}), got unknown key \"{key}\"{hint}")


def _item_line(seq: CommentedSeq, index: int, fallback: int) -> int:
    try:
        return seq.lc.item(index)[0] + 1
    except (KeyError, TypeError, AttributeError):
        return fallback
