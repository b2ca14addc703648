"""Turn plain text into typeset text: French spacing and quotes, no-break spaces where they belong."""

from __future__ import annotations

import re

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
