"""Turn the post-it colours of a sheet into the ground its zones are printed on, and measure it.

A post-it must stand out from the zone it is stuck on, or the wall reads as one blur: a pale
zone tinted with its own notes' colour makes an orange note vanish. The zones are therefore a
neutral grey, the lightest one on which every note of the sheet reaches MIN_NOTE_CONTRAST, and on
which a black marker still reads (MIN_WRITING_CONTRAST): a facilitator writes cluster names there.
A leaf module (colour arithmetic only): the capture sheet, the posters and their checks share it.
"""

from __future__ import annotations

from kit.colours import contrast_ratio, hex_of

# An orange note on white paper (2.0:1) is what a room reads as "clearly a note": every note keeps
# at least that contrast with its zone, whatever its colour.
MIN_NOTE_CONTRAST = 2.0
# A black marker on the zone: the WCAG AA rule for text.
MIN_WRITING_CONTRAST = 4.5
MARKER = "#000000"
PAPER = "#ffffff"
# The grey's hue: a touch cooler than neutral, so that it leans toward none of the warm notes
# (orange, yellow) and stays far from the blue ones in lightness.
GROUND_HUE = (0.96, 0.98, 1.0)


def _grey(level: int) -> str:
    return hex_of(*(level * weight for weight in GROUND_HUE))


def zone_ground(notes: list[str] | tuple[str, ...]) -> str | None:
    """The lightest ground (white paper first, then greys) on which every note of `notes` stands out
    and a black marker reads; None when no grey does (a note as dark as a marker)."""
    for level in range(255, -1, -1):
        ground = PAPER if level == 255 else _grey(level)
        if contrast_ratio(ground, MARKER) < MIN_WRITING_CONTRAST:
            return None
        if all(contrast_ratio(note, ground) >= MIN_NOTE_CONTRAST for note in notes):
            return ground
    return None


def weakest_note(notes: list[str] | tuple[str, ...], ground: str) -> tuple[str, float]:
    """The note that stands out least from the ground, and its contrast ratio."""
    worst = min(notes, key=lambda note: contrast_ratio(note, ground))
    return worst, contrast_ratio(worst, ground)
