"""Turn the fonts weasyprint embeds into subsets made one way on every machine: HarfBuzz's, through uharfbuzz.

weasyprint subsets embedded fonts with the system's libharfbuzz-subset when it is installed, and
otherwise with fontTools, which is about 20 times slower (0.35 s per font and PDF for Inter) and
stamps the current time into every font, so the same content gave different bytes on every
build and on every machine. kit always subsets with the HarfBuzz that the uharfbuzz wheel
carries, with the same settings as weasyprint's HarfBuzz path: the same bytes, as fast, whether
or not the system library is there.
"""

from __future__ import annotations

from functools import lru_cache

# The tables weasyprint leaves out of an embedded font (layout is already done; the PDF needs outlines).
DROPPED_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")


def _tag(name: str) -> int:
    raw = name.encode("ascii")
    return (raw[0] << 24) | (raw[1] << 16) | (raw[2] << 8) | raw[3]


@lru_cache(maxsize=256)
def subset_font(data: bytes, index: int, glyphs: tuple[int, ...], notdef: bool, hinting: bool) -> bytes | None:
    """The font reduced to the given glyph ids (kept at their ids), or None when HarfBuzz cannot."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob(data), index)
    # First pass: keep the used glyphs at their ids (the PDF's text refers to them by id).
    first = hb.SubsetInput()
    first.glyph_set.update(glyphs)
    first.sets(hb.SubsetInputSets.DROP_TABLE_TAG).update(_tag(t) for t in DROPPED_TABLES)
    flags = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
    if notdef:
        flags |= hb.SubsetFlags.NOTDEF_OUTLINE
    first.flags = flags
    reduced = hb.subset(face, first)
    if reduced is None:
        return None
    # Second pass: drop the empty glyphs after the last one used.
    second = hb.SubsetInput()
    second.glyph_set.update(range(max(glyphs) + 1))
    flags = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
    if not hinting:
        flags |= hb.SubsetFlags.NO_HINTING
    if notdef:
        flags |= hb.SubsetFlags.NOTDEF_OUTLINE
    second.flags = flags
    result = hb.subset(reduced, second)
    return bytes(result.blob.data) if result is not None else None


def _subset(self, to_unicode, hinting):
    """weasyprint's Font.subset, done by kit (see the module docstring)."""
    if not to_unicode:
        return
    data = subset_font(bytes(self.file_content), self.index, tuple(sorted(to_unicode)), bool(self.missing),
                       bool(hinting))
    if data:
        self.file_content = data


def install() -> None:
    """Make weasyprint subset fonts through kit (once per process; weasyprint imported here)."""
    from weasyprint.pdf import fonts

    fonts.Font.subset = _subset
