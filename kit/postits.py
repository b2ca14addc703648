"""Turn the post-it colours of a sheet into the ground its zones are printed on, and measure it.

A post-it must stand out from the zone it is stuck on, or the wall reads as one blur: a pale zone
tinted with its own notes' colour makes an orange note vanish. A note is told apart by its colour
more than by its lightness (a yellow note on white paper is plain to see, at a luminance ratio of
1.2:1), so the rule is perceptual: the ground carries no hue of its own (the notes bring the
colour), and every note differs from it by at least MIN_NOTE_DIFFERENCE in CIELAB (ΔE*ab, where
about 2 is the smallest difference an eye sees and 20 is two different colours). The ground is
the lightest neutral that passes, white paper first (no ink spent on a wall poster), and a black
marker must read on it (MIN_WRITING_CONTRAST): a facilitator writes cluster names there.
A leaf module (colour arithmetic only): the capture sheet, the posters and their checks share it.
"""

from __future__ import annotations

from functools import lru_cache

from kit.colours import contrast_ratio, hex_of

MIN_NOTE_DIFFERENCE = 25.0
# A black marker on the zone: the WCAG AA rule for text.
MIN_WRITING_CONTRAST = 4.5
MARKER = "#000000"
PAPER = "#ffffff"
# A zone's frame: thin, mid grey, enough to see where notes go on white paper.
FRAME = "#9aa3ad"


@lru_cache(maxsize=None)
def lab(hex_colour: str) -> tuple[float, float, float]:
    """A colour in CIELAB (L* 0–100, a*, b*), converted by Pillow's colour management (sRGB, D50)."""
    from PIL import Image, ImageCms

    transform = _srgb_to_lab()
    l_, a, b = ImageCms.applyTransform(Image.new("RGB", (1, 1), hex_colour), transform).getpixel((0, 0))
    return l_ * 100 / 255, a - 128, b - 128  # Pillow stores a* and b* offset by 128


@lru_cache(maxsize=1)
def _srgb_to_lab():
    from PIL import ImageCms

    return ImageCms.buildTransformFromOpenProfiles(ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB"),
                                                   "RGB", "LAB")


def colour_difference(first: str, second: str) -> float:
    """ΔE*ab (CIE 1976) between two colours: how different an eye finds them."""
    return sum((x - y) ** 2 for x, y in zip(lab(first), lab(second))) ** 0.5


def _grey(level: int) -> str:
    return hex_of(level, level, level)


def zone_ground(notes: list[str] | tuple[str, ...]) -> str | None:
    """The lightest neutral ground (white paper first, then greys) every note of `notes` stands out
    from and a black marker reads on; None when none does (a note as dark as a marker)."""
    for level in range(255, -1, -1):
        ground = _grey(level)
        if contrast_ratio(ground, MARKER) < MIN_WRITING_CONTRAST:
            return None
        if all(colour_difference(note, ground) >= MIN_NOTE_DIFFERENCE for note in notes):
            return ground
    return None


def weakest_note(notes: list[str] | tuple[str, ...], ground: str) -> tuple[str, float]:
    """The note that stands out least from the ground, and its difference (ΔE*ab)."""
    worst = min(notes, key=lambda note: colour_difference(note, ground))
    return worst, colour_difference(worst, ground)
