"""Turn YAML text into ruamel's round-trip objects (with their line numbers) through libyaml's C parser.

ruamel's round-trip loader is pure Python: its scanner and parser are most of its time, a quarter
of a second for the default kit's files, paid on every cold build and on every file an edit
changed. libyaml (in ruamel's C extension, ruamel.yaml.clib) scans and parses the same text
about five times faster. Its events go through ruamel's own composer, resolver (YAML 1.2: `no` and `12:30` stay
text) and kit's constructor, so the values, and the line and column of every key and list item
(what kit's messages point at), are the ones the pure loader gives. (An empty value is placed
just after its key, where the pure loader places it at the next line; kit reads neither.)

libyaml reads YAML 1.1 and the pure scanner YAML 1.2, and they do not agree on everything. So this
path takes only what both read alike, and leaves the rest to the pure loader, which also gives
every syntax error its wording (kit.content.fields):
- text with a tab, a byte-order mark past the start, a character YAML 1.1 counts as a line break
  (U+0085, U+2028, U+2029), a comment glued to a block scalar's indicator (`>#`), or a line of
  spaces only where a block scalar may be (`|`, `>`);
- a document with a directive (`%YAML 1.1` changes how values read), an anchor, an alias or a tag;
- anything libyaml refuses.
ruamel's composer is kept (not libyaml's own, written in C) because it recurses in Python: a file
nested too deep is a RecursionError, where libyaml's composer would overflow the C stack.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

# What libyaml and the pure scanner do not read alike (text with them is parsed the pure way):
# characters; a comment glued to a block scalar's indicator (`>#`, refused by the pure one); lines
# of spaces only, where a block scalar may be (the pure one is stricter about their indentation).
_DIFFERENT = ("\t", "\x85", "\u2028", "\u2029", "\ufeff")
_GLUED_COMMENT = re.compile(r"[|>][-+0-9]*#")
_SPACES_ONLY_LINE = re.compile(r"^ +\r?$", re.M)


def _left_to_pure(text: str) -> bool:
    return (any(character in text for character in _DIFFERENT) or _GLUED_COMMENT.search(text) is not None
            or (("|" in text or ">" in text) and _SPACES_ONLY_LINE.search(text) is not None))


class Unusual(Exception):
    """This text is left to the pure loader."""


@cache
def _loader_class():
    """The loader class over libyaml's parser, or None when ruamel's C extension is not installed."""
    try:
        from ruamel.yaml.cyaml import CParser
    except ImportError:
        return None
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.events import AliasEvent, DocumentStartEvent
    from ruamel.yaml.resolver import VersionedResolver

    from kit.content.fields import _Constructor

    # Composer first: its compose_* methods, not the C parser's own composer, build the nodes.
    class Loader(Composer, CParser, _Constructor, VersionedResolver):
        def __init__(self, text: str):
            CParser.__init__(self, text)
            self._parser = self
            Composer.__init__(self, loader=self)
            _Constructor.__init__(self, loader=self)
            VersionedResolver.__init__(self, loader=self)
            self.comment_handling = None  # what ruamel's YAML object would say: comments are not kept
            self.max_depth = None

        def get_event(self):
            event = CParser.get_event(self)
            if (isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None
                    or getattr(event, "tag", None) is not None
                    or (isinstance(event, DocumentStartEvent) and (event.version or event.tags))):
                raise Unusual
            return event

    return Loader


def load(text: str) -> Any:
    """The document in `text`, as the pure round-trip loader would give it; raises Unusual when this
    text is left to that loader (see the module's docstring)."""
    loader_class = _loader_class()
    if loader_class is None or _left_to_pure(text):
        raise Unusual
    loader = loader_class(text)
    try:
        return loader.get_single_data()
    except Exception as exc:  # libyaml refused it, or it holds what this path leaves: the pure loader says
        raise Unusual from exc
    finally:
        loader.dispose()
