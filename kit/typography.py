"""Turn plain text into typeset text: French spacing and quotes, no-break spaces where they belong."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

NNBSP = "\u202f"  # narrow no-break space: before ; ! ? and inside « »
NBSP = "\u00a0"   # no-break space: between a number and its unit

_SPACE_BEFORE_HIGH = re.compile(r"[ \u00a0\u202f]*([;!?])(?=\s|$|[»)\]\"'’])")
_SPACE_BEFORE_COLON = re.compile(r"(?<=\S)[ \u00a0\u202f]*:(?=\s|$)")
_SPACE_BEFORE_COLON_SPACED = re.compile(r"[ \u00a0\u202f]+:(?=\s|$)")
_DOUBLE_QUOTED = re.compile(r"[\"“]\s*([^\"“”]+?)\s*[\"”]")
_GUILLEMETS = re.compile(r"«\s*(.*?)\s*»")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_NUMBER_UNIT = re.compile(r"(?<=\d) (?=(?:min|h|mm|cm|m|km|€|%)\b|€|%)")


def french(text: str) -> str:
    """French typography: « guillemets », a narrow no-break space before ; : ! ? and inside « ».

    Only a colon followed by a space or the end is touched, so clock times (12:30) and URLs
    keep theirs.
    """
    if not text:
        return text
    text = _APOSTROPHE.sub("’", text)
    text = _DOUBLE_QUOTED.sub(lambda m: f"«{NNBSP}{m.group(1)}{NNBSP}»", text)
    text = _GUILLEMETS.sub(lambda m: f"«{NNBSP}{m.group(1)}{NNBSP}»", text)
    text = _SPACE_BEFORE_HIGH.sub(lambda m: NNBSP + m.group(1), text)
    text = _SPACE_BEFORE_COLON.sub(NNBSP + ":", text)
    text = _SPACE_BEFORE_COLON_SPACED.sub(NNBSP + ":", text)
    text = _NUMBER_UNIT.sub(NBSP, text)
    return text


def english(text: str) -> str:
    """English typography: curly apostrophes and quotes, no space before punctuation."""
    if not text:
        return text
    text = _APOSTROPHE.sub("’", text)
    return _DOUBLE_QUOTED.sub(lambda m: f"“{m.group(1)}”", text)


def typeset(text: str, language: str) -> str:
    """The typography rule of the kit's language applied to one run of text."""
    return french(text) if language == "fr" else english(text)


# Characters no font needs to draw: control and format characters (a zero-width joiner, the
# variation selector after an emoji), and line breaks.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Mn"}


@cache
def font_characters() -> frozenset[int]:
    """The code points every face of kit's fonts draws (what any text may be set in)."""
    from fontTools.ttLib import TTFont

    from kit.theme import FONT_DIR, FONT_FACES

    covered = None
    seen: set[bytes] = set()
    for name in FONT_FACES.values():
        font = TTFont(FONT_DIR / name, lazy=True)
        # The faces of one family usually map the same characters: a table read once is enough
        # (decoding one is a twentieth of a second, before a new process can check any text).
        table = font.reader["cmap"]
        if table in seen:
            continue
        seen.add(table)
        codes = set(font["cmap"].getBestCmap())
        covered = codes if covered is None else covered & codes
    return frozenset(covered or ())


def missing_glyphs(text: str) -> list[str]:
    """The characters of `text` kit's fonts cannot draw (they would print as blanks), in order, once each."""
    covered = font_characters()
    missing = []
    for char in text:
        if ord(char) in covered or char in missing or unicodedata.category(char) in _INVISIBLE_CATEGORIES:
            continue
        missing.append(char)
    return missing


def glyph_warning(text: str) -> str | None:
    """The warning for a text with characters the fonts lack, naming each one, or None."""
    missing = missing_glyphs(text)
    if not missing:
        return None
    named = ", ".join(f'"{c}" (U+{ord(c):04X} {unicodedata.name(c, "unnamed").lower()})' for c in missing[:5])
    more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
    return (f"expected characters kit's fonts can draw, got {named}{more}, which would print as blanks: "
            f"remove them, or use a picture as the image")
