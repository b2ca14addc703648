"""Turn a parsed YAML document (ruamel's round-trip objects, with their line numbers) into JSON and back.

Parsing is a large part of what loading a kit costs (a twentieth of a second for the default kit
with libyaml, kit.content.libyaml; a quarter with the pure loader, ten times what reading it back
from here costs), and a build after one edit needs every file again. The engine keeps
each file's parse under output/.cache/yaml, keyed by the SHA-256 of its text, as plain JSON (data,
never code): mappings and lists with the line and column of every key, value and item, so that
every message still points at its line. A document holding anything else (a tagged value, a
set…) is simply not kept, and parsed each time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarint import ScalarInt

FORMAT = 1


class NotKept(Exception):
    """A value this cache does not store (the file is parsed each time instead)."""


def encode(value: Any) -> Any:
    if isinstance(value, CommentedMap):
        keys = list(value)
        return {"m": [[encode(k), encode(value[k])] for k in keys], "at": [value.lc.line, value.lc.col],
                "lc": [list(value.lc.data[k]) if value.lc.data and k in value.lc.data else None for k in keys]}
    if isinstance(value, CommentedSeq):
        return {"s": [encode(v) for v in value], "at": [value.lc.line, value.lc.col],
                "lc": [list(value.lc.data[i]) if value.lc.data and i in value.lc.data else None
                       for i in range(len(value))]}
    if isinstance(value, ScalarFloat):
        from kit.content.fields import as_written

        return {"f": as_written(value)}
    if isinstance(value, ScalarInt):
        # How an integer was written (`0` in a flow mapping, `0o17`, `1_000`): kit reads only its
        # value, as for a plain int (kit.content.fields.as_written keeps only floats as written).
        return int(value)
    if isinstance(value, dt.datetime):
        raise NotKept("a date and time")
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if value is None or type(value) in (bool, int, float) or isinstance(value, str):
        if isinstance(value, float) and value != value:  # NaN does not survive JSON
            raise NotKept("NaN")
        return str(value) if isinstance(value, str) else value
    raise NotKept(type(value).__name__)


def decode(data: Any) -> Any:
    if isinstance(data, dict):
        if "m" in data:
            result = CommentedMap()
            for (key, value), where in zip(data["m"], data["lc"]):
                key = decode(key)
                result[key] = decode(value)
                if where is not None:
                    result.lc.add_kv_line_col(key, where)
            result.lc.line, result.lc.col = data["at"]
            return result
        if "s" in data:
            result = CommentedSeq(decode(v) for v in data["s"])
            for index, where in enumerate(data["lc"]):
                if where is not None:
                    result.lc.add_idx_line_col(index, where)
            result.lc.line, result.lc.col = data["at"]
            return result
        if "f" in data:
            from kit.content.fields import _yaml

            return _yaml().load(data["f"])
        if "d" in data:
            return dt.date.fromisoformat(data["d"])
    return data


class ParseCache:
    """Parsed documents by the digest of their text, in a folder of JSON files."""

    def __init__(self, folder: Path):
        self.folder = folder

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(f"{FORMAT}\0{text}".encode("utf-8")).hexdigest()

    def get(self, text: str) -> Any:
        try:
            raw = (self.folder / f"{self.key(text)}.json").read_text(encoding="utf-8")
            return decode(json.loads(raw))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, text: str, data: Any) -> None:
        try:
            encoded = json.dumps(encode(data), ensure_ascii=False)
        except (NotKept, ValueError, RecursionError):
            return
        from kit.writer import write_atomic

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # A cache: not synced to disk (a file a crash left half written is not JSON, so not used).
            write_atomic(self.folder / f"{self.key(text)}.json", encoded.encode("utf-8"), durable=False)
        except OSError:  # a folder kit cannot write to: parse again next time
            pass
