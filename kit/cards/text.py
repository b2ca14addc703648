"""Turn card text into paragraphs that fit a box: shrink step by step, or say how much is over.

Measuring happens without drawing (reportlab's Paragraph.wrap), so the loader can report an
overflowing text as a content error through `kit check`, and the renderer draws exactly what
was measured: both call `fit()` with the same arguments, and the result is cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from typing import TYPE_CHECKING, Callable, Iterable, TypeVar

from kit.markup import to_reportlab
from kit.theme import RL_FONTS, register_reportlab_fonts
from kit.typography import NBSP

FAMILY = RL_FONTS["regular"]  # the family name reportlab maps <b>/<i> from
LEADING = 1.18                # line height as a multiple of the font size
PARAGRAPH_GAP = 0.4           # space between paragraphs, as a multiple of the font size
STEP_PT = 0.5                 # how much smaller each fitting attempt is
ORPHAN_WORD_CHARS = 8         # a last word this short is kept with the word before it
ORPHAN_PAIR_CHARS = 18        # ...unless the pair would be too long to move as one
T = TypeVar("T")
R = TypeVar("R")
ALIGNMENTS = {"left": 0, "centre": 1}  # reportlab's TA_LEFT and TA_CENTER

if TYPE_CHECKING:  # reportlab is imported to measure or draw, not when planning (kit list, kit check)
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

_TAG = re.compile(r"<[^>]+>")
# French typography puts a narrow no-break space (U+202F) before ; : ! ? and inside « ». reportlab
# would break a line there, so kit.markup.reportlab_spaces turns it into a no-break space, which
# is as wide as a word space. Here it is drawn narrow again: the same no-break space, set in a
# font size that gives it the width of Inter's own narrow space (0.18 em instead of 0.28 em).
_NARROW_SPACE = re.compile("\u00a0(?=[;:!?\u00bb])|(?<=\u00ab)\u00a0")
NARROW_SPACE_SCALE = 0.6458   # Inter: U+202F is 0.1816 em wide, U+00A0 0.2812 em


@dataclass(frozen=True)
class TextStyle:
    """How one text of a card is set: weight, the size it starts at and the smallest allowed."""

    size: float
    minimum: float
    bold: bool = False
    italic: bool = False
    align: str = "left"


@dataclass(frozen=True)
class Fit:
    """The size a text was set at in its box, and how far over the box it still is at its minimum."""

    size: float
    height: float            # height used at that size
    over: float = 0.0        # points of height beyond the box at the minimum size (0 when it fits)
    wide_word: str = ""      # a word wider than the box even at the minimum size
    paragraphs: tuple[tuple[str, str | None], ...] = ()  # (markup, bullet) as set

    @property
    def fits(self) -> bool:
        return self.over <= 0 and not self.wide_word


def keep_last_words(markup: str) -> str:
    """Join the last two words of each line run with a no-break space when the last one is short.

    A short word alone on the last line of a card reads as a mistake; moving the pair costs
    little. Runs are separated by <br/>; spaces never occur inside the tags to_reportlab writes.
    """
    segments = markup.split("<br/>")
    kept = []
    for segment in segments:
        head, sep, last = segment.rpartition(" ")
        if sep and head.strip():
            last_plain = _TAG.sub("", last)
            before = _TAG.sub("", head).split(" ")[-1]
            if len(last_plain) <= ORPHAN_WORD_CHARS and len(before) + len(last_plain) <= ORPHAN_PAIR_CHARS:
                segment = f"{head}{NBSP}{last}"
        kept.append(segment)
    return "<br/>".join(kept)


def paragraphs_of(text: str | None, language: str) -> tuple[tuple[str, str | None], ...]:
    """The Markdown subset of a text field as reportlab paragraph markup, set for a card
    (to_reportlab already keeps French punctuation on its line)."""
    result = []
    for run in to_reportlab(text, language):
        markup = keep_last_words(run.markup)
        result.append((markup, run.bullet))
    return tuple(result)


@lru_cache(maxsize=1024)
def paragraph_style(style: TextStyle, size: float, colour: str = "#000000") -> ParagraphStyle:
    """One reportlab style per (style, size, colour), made once: reportlab parses a colour string
    on every use, which costs more than the rest of a card's text."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    register_reportlab_fonts()
    return ParagraphStyle(
        name="card",
        fontName=FAMILY,
        fontSize=size,
        leading=size * LEADING,
        alignment=ALIGNMENTS[style.align],
        textColor=HexColor(colour),
        splitLongWords=0,   # a word never breaks mid-word: the text shrinks instead
        bulletFontName=FAMILY,
        bulletFontSize=size,
        bulletIndent=0,
        leftIndent=0,
        spaceAfter=0,
    )


def narrow_spaces(markup: str, size: float) -> str:
    """The no-break spaces French typography wants narrow, drawn narrow at this font size."""
    return _NARROW_SPACE.sub(f'<font size="{size * NARROW_SPACE_SCALE:.2f}">\u00a0</font>', markup)


def _wrapped(markup: str, style: TextStyle) -> str:
    if style.bold:
        markup = f"<b>{markup}</b>"
    if style.italic:
        markup = f"<i>{markup}</i>"
    return markup


def build(paragraphs, style: TextStyle, size: float, colour: str = "#000000") -> list[Paragraph]:
    """reportlab Paragraphs of a text at one size; list items hang after their bullet."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    base = paragraph_style(style, size, colour)
    result = []
    for markup, bullet in paragraphs:
        markup = narrow_spaces(markup, size)
        if bullet:
            indent = size * (1.6 if bullet[0].isdigit() else 1.0)
            item = ParagraphStyle(name="card-item", parent=base, leftIndent=indent, bulletIndent=0)
            result.append(Paragraph(_wrapped(markup, style), item, bulletText=bullet))
        else:
            result.append(Paragraph(_wrapped(markup, style), base))
    return result


def _measure(paragraphs, style: TextStyle, size: float, width: float) -> tuple[float, str]:
    """Height of the text at one size in a box of this width, and a word too wide for it."""
    height = 0.0
    wide = ""
    for index, para in enumerate(build(paragraphs, style, size)):
        _, h = para.wrap(width, 1e6)
        height += h + (size * PARAGRAPH_GAP if index else 0.0)
        if para.minWidth() > width + 0.01 and not wide:
            words = _TAG.sub("", para.text).split()
            wide = max(words, key=len) if words else ""
    return height, wide


def largest_that_fits(candidates: Iterable[T], lay_out: Callable[[T], R], fits: Callable[[R], bool]) -> tuple[R, bool]:
    """Shrink to fit, the one way kit does it: lay out at each candidate (sizes or scales, largest
    first) and keep the first layout that fits; (the smallest one, False) when none does."""
    laid = None
    for candidate in candidates:
        laid = lay_out(candidate)
        if fits(laid):
            return laid, True
    return laid, False


def sizes_down(start: float, minimum: float, step: float = STEP_PT) -> list[float]:
    """start, start − step, … down to minimum (never below it)."""
    sizes = [start]
    while round(sizes[-1] - step, 2) >= minimum - 0.001:
        sizes.append(round(sizes[-1] - step, 2))
    return sizes


@lru_cache(maxsize=4096)
def fit(paragraphs: tuple[tuple[str, str | None], ...], style: TextStyle, width: float, height: float) -> Fit:
    """The largest size from style.size down to style.minimum at which the text fits the box."""
    if not paragraphs:
        return Fit(size=style.size, height=0.0)
    (size, (used, wide)), fits = largest_that_fits(
        sizes_down(style.size, style.minimum),
        lambda size: (size, _measure(paragraphs, style, size, width)),
        lambda laid: laid[1][0] <= height + 0.01 and not laid[1][1])
    if fits:
        return Fit(size=size, height=used, paragraphs=paragraphs)
    return Fit(size=size, height=used, over=max(0.0, used - height), wide_word=wide, paragraphs=paragraphs)


def draw(canvas, fitted: Fit, style: TextStyle, x: float, y: float, width: float, height: float,
         colour: str, valign: str = "top") -> None:
    """Draw a fitted text in its box (x, y bottom-left), aligned to the top, middle or bottom."""
    if not fitted.paragraphs:
        return
    if valign == "middle":
        top = y + (height + fitted.height) / 2
    elif valign == "bottom":
        top = y + fitted.height
    else:
        top = y + height
    for index, para in enumerate(build(fitted.paragraphs, style, fitted.size, colour)):
        if index:
            top -= fitted.size * PARAGRAPH_GAP
        _, h = para.wrap(width, 1e6)
        para.drawOn(canvas, x, top - h)
        top -= h


def overflow_message(fitted: Fit, style: TextStyle, width: float) -> str:
    """What a user reads when a text does not fit: the smallest size and how much is over."""
    if fitted.wide_word:
        return (f'expected words that fit the card\'s width at {style.minimum:g} pt, got "{fitted.wide_word}" '
                f"too wide; shorten it or use a larger card size")
    mm_over = fitted.over * 25.4 / 72
    lines = max(1, round(fitted.over / (fitted.size * LEADING)))
    # A rough count of characters to cut, from the share of the height that is over.
    chars = sum(len(_TAG.sub("", m)) for m, _ in fitted.paragraphs)
    cut = max(1, round(chars * fitted.over / max(fitted.height, 1.0)))
    return (f"expected a text that fits its box at {style.minimum:g} pt (the smallest size), got "
            f"{mm_over:.1f} mm over (about {lines} line{'s' if lines > 1 else ''}); "
            f"shorten it by about {cut} characters")
