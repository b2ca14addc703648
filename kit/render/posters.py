"""Turn theme posters into A3 pages drawn with reportlab: the theme's band, then the zones to stick notes on.

kit.generators.poster plans the outputs and lays the posters out as data (`poster_layout`); this
module draws them. The shared pieces of the worksheets drawn with reportlab (the stamp, colours
given as a theme role or "#rrggbb", the post-it legend) are here, and kit.render.boards uses them.
"""

from __future__ import annotations

import io

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kit.canvas import new_canvas
from kit.cards.text import draw, fit, paragraphs_of
from kit.colours import text_on, to_grey
from kit.content import Content
from kit.content.worksheets import NoteColour, ThemePosters
from kit.generators import RenderContext
from kit.postits import FRAME
from kit.generators.poster import (FOOTER_PT, HINT_STYLE, TITLE_STYLE, PosterLayout, PosterZone, poster_ground,
                                   poster_layout)
from kit.generators.worksheet import stamp_for
from kit.imposition import Rect
from kit.labels import Labels
from kit.markup import plain
from kit.theme import MM, RL_FONTS, register_reportlab_fonts
from kit.typography import typeset

ZONE_TITLE_PT = 18.0
LEGEND_PT = 10.0
LEGEND_MIN_PT = 8.0        # a long meaning shrinks to this, never below
SWATCH_MM = 4.2
RULE_GREY = "#c3cad3"
DISC = "#ffffff"           # the pictogram's disc: the pictogram's own colours read on white
PICTOGRAM_INSET = 0.16     # of the disc, on each side
CORNER_MM = 2.5


def resolve(theme, spec: str | None, default: str = "primary") -> str:
    """A colour written as a theme role or "#rrggbb", as printed (grey in the ink-saver mode)."""
    spec = spec or default
    if spec.startswith("#"):
        return to_grey(spec) if theme.greyscale else spec
    return theme.colour(spec)


def footer(canvas: Canvas, page: tuple[float, float], margin: float, labels: Labels, stamp, number: int,
           count: int, ink: str, extra: str = "") -> None:
    """The stamp every sheet carries: kit, document, version and date; page n / m."""
    width, _ = page
    canvas.setFont(RL_FONTS["regular"], FOOTER_PT)
    canvas.setFillColor(HexColor(ink))
    line = f"{stamp.kit_title} · {stamp.document} · {labels('version')} {stamp.version} · {stamp.date}"
    canvas.drawString(margin, margin, typeset(line + (f" · {extra}" if extra else ""), labels.language))
    canvas.drawRightString(width - margin, margin, f"{labels('page')} {number} / {count}")


def legend_entries(notes: tuple[NoteColour, ...], labels: Labels) -> list[tuple[str, str]]:
    """(colour, "bleu : un besoin entendu…") for each note: each colour's one meaning."""
    return [(note.colour, typeset(f"{labels.colon(note.name)} {note.meaning}" if note.meaning else note.name,
                                  labels.language)) for note in notes]


def draw_legend(canvas: Canvas, entries: list[tuple[str, str]], x: float, top: float, width: float, ink: str,
                greyscale: bool) -> None:
    """Swatches and meanings, one line each, from `top` down, shrunk (down to LEGEND_MIN_PT) to fit `width`."""
    swatch = SWATCH_MM * MM
    size = LEGEND_PT
    widest = max((stringWidth(text, RL_FONTS["regular"], LEGEND_PT) for _, text in entries), default=0)
    if widest + swatch * 1.6 > width:
        size = max(LEGEND_MIN_PT, LEGEND_PT * (width - swatch * 1.6) / widest)
    leading = max(size * 1.25, swatch + 0.6 * MM)
    for index, (colour, text) in enumerate(entries):
        y = top - (index + 1) * leading
        canvas.setFillColor(HexColor(to_grey(colour) if greyscale else colour))
        canvas.setStrokeColor(HexColor(ink))
        canvas.setLineWidth(0.4)
        canvas.rect(x, y - 0.1 * swatch, swatch, swatch, stroke=1, fill=1)
        canvas.setFillColor(HexColor(ink))
        canvas.setFont(RL_FONTS["regular"], size)
        canvas.drawString(x + swatch * 1.6, y + 0.1 * swatch, text)


def render_posters(sheet: ThemePosters, content: Content, context: RenderContext) -> tuple[bytes, int]:
    from kit.images import draw_prepared, draw_svg, pictogram, prepare

    register_reportlab_fonts()
    theme, grey = context.theme, context.theme.greyscale
    labels = Labels(theme.language)
    stamp = stamp_for(sheet, "", content)
    layout = poster_layout(sheet.paper, len(sheet.zones))
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, layout.page, stamp.document, content.config)
    canvas.setTitle(f"{content.config.title} — {sheet.title}")
    ink, muted = theme.colour("ink"), theme.colour("muted")
    ground = poster_ground(sheet.zones) or "#ffffff"
    for number, poster in enumerate(sheet.themes, start=1):
        band, on_band = text_on(resolve(theme, poster.colour), ink)
        _band(canvas, layout.header, band)
        box = layout.pictogram
        canvas.setFillColor(HexColor(DISC))
        canvas.circle(box.x + box.w / 2, box.y + box.h / 2, box.w / 2, stroke=0, fill=1)
        if poster.pictogram is not None:
            inset = box.w * PICTOGRAM_INSET
            inner = (box.x + inset, box.y + inset, box.w - 2 * inset, box.h - 2 * inset)
            if poster.pictogram.suffix.lower() == ".svg":
                draw_svg(canvas, pictogram(poster.pictogram, greyscale=grey, root=context.kit_root,
                                           cache_dir=context.cache_dir), inner)
            else:  # a photo or PNG pictogram: prepared at print resolution like a card's photo
                prepared = prepare(poster.pictogram, (inner[2] / MM, inner[3] / MM), cache_dir=context.cache_dir,
                                   greyscale=grey)
                draw_prepared(canvas, prepared, inner)
        title = layout.title
        fitted = fit(paragraphs_of(poster.title, theme.language), TITLE_STYLE, title.w, title.h)
        draw(canvas, fitted, TITLE_STYLE, title.x, title.y, title.w, title.h, colour=on_band, valign="bottom")
        if poster.hint:
            hint = layout.hint
            fitted = fit(paragraphs_of(plain(poster.hint, theme.language), theme.language), HINT_STYLE,
                         hint.w, hint.h)
            draw(canvas, fitted, HINT_STYLE, hint.x, hint.y, hint.w, hint.h, colour=on_band, valign="top")
        for zone_box, zone in zip(layout.zones, sheet.zones):
            _zone(canvas, zone_box, zone, labels, ground, ink, grey)
        footer(canvas, layout.page, layout.footer_y, labels, stamp, number, len(sheet.themes), muted)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue(), len(sheet.themes)


FRAME_PT = 1.0  # the zone's edge: where the notes go, seen from across the room


def _band(canvas: Canvas, rect: Rect, colour: str) -> None:
    canvas.setFillColor(HexColor(colour))
    canvas.roundRect(rect.x, rect.y, rect.w, rect.h, CORNER_MM * MM, stroke=0, fill=1)


def _zone(canvas: Canvas, box: PosterZone, zone, labels: Labels, ground: str, ink: str, grey: bool) -> None:
    """A zone: its title and its colours' meanings on the paper, then the framed ground for the notes."""
    label, area = box.label, box.ground
    canvas.setFillColor(HexColor(ground))
    canvas.setStrokeColor(HexColor(FRAME))
    canvas.setLineWidth(FRAME_PT)
    canvas.roundRect(area.x, area.y, area.w, area.h, CORNER_MM * MM, stroke=1, fill=1)
    canvas.setFillColor(HexColor(ink))
    canvas.setFont(RL_FONTS["bold"], ZONE_TITLE_PT)
    title = typeset(zone.title, labels.language)
    baseline = label.y + (label.h - ZONE_TITLE_PT * 0.72) / 2
    canvas.drawString(label.x, baseline, title)
    title_w = stringWidth(title, RL_FONTS["bold"], ZONE_TITLE_PT)
    entries = legend_entries(zone.notes, labels)
    if entries:
        x = label.x + title_w + 6 * MM
        lines = len(entries)
        leading = max(LEGEND_PT * 1.25, SWATCH_MM * MM + 0.6 * MM)
        top = label.y + (label.h + lines * leading) / 2
        draw_legend(canvas, entries, x, top, label.right - x, ink, grey)


def lines_of(text: str, font: str, size: float, width: float) -> list[str]:
    return simpleSplit(text, font, size, width)


__all__ = ["render_posters", "resolve", "footer", "legend_entries", "draw_legend", "PosterLayout"]
