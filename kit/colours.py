"""Turn "#rrggbb" colours into the colours kit prints: tints, greys, and text that reads on a colour.

The one place for colour arithmetic: every generator (cards, posters, worksheets, field plans,
documents) mixes, greys and checks contrast through these functions. A leaf module: it imports
nothing, so loaders and checks can use it without a renderer.

Contrast follows WCAG 2.x: relative luminance from linearised sRGB, ratio (L1 + 0.05) / (L2 + 0.05).
Text on a colour must reach MIN_CONTRAST (the AA rule for normal text), whatever its size: cards
are read at arm's length across a table, often in poor light, and printed colours come out
darker than on screen.
"""

from __future__ import annotations

from functools import lru_cache

WHITE = "#ffffff"
BLACK = "#000000"
# ITU-R 601 luma weights: the grey of the ink-saver mode, the same grey Pillow's "L" conversion gives.
LUMA = (0.299, 0.587, 0.114)
MIN_CONTRAST = 4.5        # WCAG AA for normal text: white or ink on a colour must reach this
DARKEN_STEP = 0.02        # how much black is mixed in at each step when no text colour reaches it


def rgb(colour: str) -> tuple[int, int, int]:
    """A "#rrggbb" colour as three 0–255 integers."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def hex_of(red: float, green: float, blue: float) -> str:
    """Three 0–255 values (rounded, clamped) as "#rrggbb"."""
    return "#" + "".join(f"{min(255, max(0, round(v))):02x}" for v in (red, green, blue))


def tint(colour: str, amount: float) -> str:
    """The colour mixed with white: `amount` of the colour (0 → paper, 1 → the colour), the rest paper."""
    return hex_of(*(255 - (255 - c) * amount for c in rgb(colour)))


def shade(colour: str, amount: float) -> str:
    """The colour mixed with black: `amount` of black (0 → the colour, 1 → black)."""
    return hex_of(*(c * (1 - amount) for c in rgb(colour)))


def to_grey(colour: str) -> str:
    """The luma-equivalent grey of a colour, for the ink-saver mode."""
    level = sum(weight * c for weight, c in zip(LUMA, rgb(colour)))
    return hex_of(level, level, level)


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance: 0 for black, 1 for white."""
    r, g, b = (_linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@lru_cache(maxsize=256)
def text_on(background: str, ink: str, minimum: float = MIN_CONTRAST) -> tuple[str, str]:
    """(background, text colour) for text printed on a colour, at least `minimum` apart.

    White when it reads (the look of the design), else the dark ink when it does; when neither
    does (a mid-tone pink), the background is darkened step by step until white reads on it.
    """
    if contrast_ratio(background, WHITE) >= minimum:
        return background, WHITE
    if contrast_ratio(background, ink) >= minimum:
        return background, ink
    amount = 0.0
    darker = background
    while contrast_ratio(darker, WHITE) < minimum and amount < 1:
        amount = round(amount + DARKEN_STEP, 6)
        darker = shade(background, amount)
    return darker, WHITE
