"""Turn theme posters and photo-debate boards into A3 PDFs drawn with reportlab (exact geometry).

Theme posters: one page per clustering theme, a large pictogram (vector, from the kit's SVG) and
title readable across the room, and below them room for the notes of each zone, marked with
the post-it colours of the session.

Debate boards: the tension axes over a grid of card-sized cells, so that the photo cards fit
without overlapping. The first two axes make the cross of the first board (the first axis
vertical, its first pole at the top; the second horizontal, its first pole on the right); any
further axis is a track of its own on the next board. The grid's geometry is plain data
(`board_layout`), tested without drawing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kit.cards.text import TextStyle, draw, fit, paragraphs_of
from kit.checks import Check
from kit.content import Content
from kit.content.worksheets import DEBATE_BOARD, THEME_POSTERS, Axis, DebateBoard, ThemePosters
from kit.errors import Problem
from kit.generators import RenderContext, Rendered, register
from kit.generators.worksheet import ZONE_TINT, stamp_for
from kit.imposition import Rect
from kit.labels import Labels
from kit.markup import plain
from kit.outputs import Output, needs
from kit.colours import tint, to_grey
from kit.theme import MM, PAPER_MM, RL_FONTS, register_reportlab_fonts
from kit.typography import typeset

if TYPE_CHECKING:  # reportlab is imported when drawing, not when planning (kit list, kit check)
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import Canvas

MARGIN_MM = 12.0          # nothing prints nearer the sheet edge (no "fit to page")
FOOTER_PT = 8.0
RULE_GREY = "#c3cad3"
CELL_OUTLINE = "#8f99a6"  # dashed card outlines: visible on the table, lighter than the axes

# -- theme posters ---------------------------------------------------------------------------
POSTER_KICKER_PT = 14.0
PICTOGRAM_MM = 105.0      # the pictogram's square: recognisable from the back of the room
TITLE_STYLE = TextStyle(size=96.0, minimum=48.0, bold=True, align="centre")
TITLE_BOX_MM = 80.0       # room for two lines of the largest title
HINT_PT = 22.0
ZONE_TITLE_PT = 24.0
ZONE_LEGEND_PT = 13.0
ZONE_GAP_MM = 8.0
BAND_MM = 5.0             # the post-it colour band along a zone's top edge

# -- debate boards ---------------------------------------------------------------------------
BOARD_TITLE_PT = 22.0
INSTRUCTION_PT = 10.5
POLE_PT = 24.0
TITLE_STRIP_MM = 24.0     # title and instructions above everything
POLE_STRIP_MM = 14.0      # the top and bottom pole labels of the vertical axis
SIDE_STRIP_MM = 40.0      # the left and right pole labels of the horizontal axis
CELL_GAP_MM = 5.0         # around each card in its cell: room for fingers
AXIS_PT = 2.2


def poster_path(sheet_id: str) -> str:
    return f"worksheets/{sheet_id}.pdf"


def rl_colour(hex_colour: str) -> HexColor:
    """A reportlab colour (reportlab imported on first use)."""
    from reportlab.lib.colors import HexColor

    return HexColor(hex_colour)


def new_canvas(*args):
    from kit.canvas import new_canvas as canvas

    return canvas(*args)


def colour(hex_colour: str, greyscale: bool) -> HexColor:
    return rl_colour(to_grey(hex_colour) if greyscale else hex_colour)


def _footer(canvas: Canvas, page: tuple[float, float], labels: Labels, stamp, number: int, count: int,
            ink: HexColor) -> None:
    """The stamp every sheet carries: kit, document, version and date; page n / m."""
    width, _ = page
    y = MARGIN_MM * MM - FOOTER_PT
    canvas.setFont(RL_FONTS["regular"], FOOTER_PT)
    canvas.setFillColor(ink)
    canvas.drawString(MARGIN_MM * MM, y, typeset(f"{stamp.kit_title} · {stamp.document} · "
                                               f"{labels('version')} {stamp.version} · {stamp.date}", labels.language))
    canvas.drawRightString(width - MARGIN_MM * MM, y, f"{labels('page')} {number} / {count}")


def _lines(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    return simpleSplit(text, font, size, width)


# ============================================================================ theme posters

@dataclass(frozen=True)
class PosterLayout:
    """Where a poster's parts go, in points (bottom-left origin)."""

    page: tuple[float, float]
    pictogram: Rect
    title: Rect
    hint_y: float
    zones: tuple[Rect, ...]


def poster_layout(paper: str, zones: int) -> PosterLayout:
    width, height = (v * MM for v in PAPER_MM[paper])
    margin = MARGIN_MM * MM
    top = height - margin - POSTER_KICKER_PT * 2
    picto = PICTOGRAM_MM * MM
    pictogram = Rect((width - picto) / 2, top - picto, picto, picto)
    title = Rect(margin, pictogram.y - 6 * MM - TITLE_BOX_MM * MM, width - 2 * margin, TITLE_BOX_MM * MM)
    hint_y = title.y - 3 * MM
    rects: list[Rect] = []
    if zones:
        zone_top = hint_y - HINT_PT * 2.2
        bottom = margin + FOOTER_PT * 2
        gap = ZONE_GAP_MM * MM
        zone_w = (width - 2 * margin - gap * (zones - 1)) / zones
        rects = [Rect(margin + i * (zone_w + gap), bottom, zone_w, zone_top - bottom) for i in range(zones)]
    return PosterLayout((width, height), pictogram, title, hint_y, tuple(rects))


@register
class ThemePostersGenerator:
    """The wall posters of the clustering themes: one A3 page per theme."""

    kind = "theme-posters"
    renderers = ("kit.canvas",)

    def outputs(self, content: Content) -> list[Output]:
        return [Output(self.kind, poster_path(sheet.id), sheet.id, files, "posters",
                       inputs=needs(files=files, language=content.config.language))
                for sheet in content.of("worksheets").values()
                if sheet is not None and sheet.kind == THEME_POSTERS
                for files in [(sheet.file, *sorted({t.source for t in sheet.themes if t.source}))]]

    def render(self, output: Output, content: Content, context: RenderContext) -> Rendered:
        from kit.images import draw_prepared, draw_svg, prepare, svg_drawing

        sheet: ThemePosters = content.of("worksheets")[output.subject]
        register_reportlab_fonts()
        theme, grey = context.theme, context.theme.greyscale
        labels = Labels(theme.language)
        stamp = stamp_for(sheet, "", content)
        layout = poster_layout(sheet.paper, len(sheet.zones))
        buffer = io.BytesIO()
        canvas = new_canvas(buffer, layout.page, stamp.document, content.config)
        canvas.setTitle(f"{content.config.title} — {sheet.title}")
        primary, muted, ink = (rl_colour(theme.colour(r)) for r in ("primary", "muted", "ink"))
        width, height = layout.page
        for number, poster in enumerate(sheet.themes, start=1):
            canvas.setFillColor(muted)
            canvas.setFont(RL_FONTS["semibold"], POSTER_KICKER_PT)
            canvas.drawCentredString(width / 2, height - MARGIN_MM * MM - POSTER_KICKER_PT,
                                     typeset(f"{content.config.title} · {sheet.title}".upper(), theme.language))
            if poster.pictogram is not None:
                box = layout.pictogram
                if poster.pictogram.suffix.lower() == ".svg":
                    draw_svg(canvas, svg_drawing(poster.pictogram, greyscale=grey, root=context.kit_root),
                             (box.x, box.y, box.w, box.h))
                else:  # a photo or PNG pictogram: prepared at print resolution like a card's photo
                    prepared = prepare(poster.pictogram, (box.w / MM, box.h / MM), cache_dir=context.cache_dir,
                                       greyscale=grey)
                    draw_prepared(canvas, prepared, (box.x, box.y, box.w, box.h))
            fitted = fit(paragraphs_of(poster.title, theme.language), TITLE_STYLE, layout.title.w, layout.title.h)
            draw(canvas, fitted, TITLE_STYLE, *_xywh(layout.title), colour=theme.colour("primary"), valign="middle")
            if poster.hint:
                canvas.setFillColor(muted)
                canvas.setFont(RL_FONTS["regular"], HINT_PT)
                canvas.drawCentredString(width / 2, layout.hint_y - HINT_PT, typeset(poster.hint, theme.language))
            for rect, zone in zip(layout.zones, sheet.zones):
                _draw_zone(canvas, rect, zone, labels, grey, ink, muted)
            _footer(canvas, layout.page, labels, stamp, number, len(sheet.themes), muted)
            canvas.showPage()
        canvas.save()
        return Rendered({output.path: buffer.getvalue()}, len(sheet.themes))

    def checks(self, content: Content) -> list[Check]:
        """Per poster sheet: titles that fit at their smallest size, pictograms that can be drawn and
        raster pictograms sharp enough (reportlab and Pillow, imported only to measure)."""
        return [Check(f"posters:{sheet.id}", needs(files=(sheet.file, *sorted({t.source for t in sheet.themes
                                                                                if t.source})),
                                                  settings=("language", "paper"), fonts=True),
                      _poster_check(sheet, content.config))
                for sheet in content.of("worksheets").values()
                if sheet is not None and sheet.kind == THEME_POSTERS]


def _poster_check(sheet: ThemePosters, config):
    def run(cache_dir=None):
        from kit.images import MIN_DPI, drawing_problem, planned_dpi, resolution_problem

        errors, warnings = [], []
        layout = poster_layout(sheet.paper, len(sheet.zones))
        box_mm = (layout.pictogram.w / MM, layout.pictogram.h / MM)
        for index, poster in enumerate(sheet.themes):
            place = f"themes[{index}]"
            titles = ((place, poster.title),)
            fitted = fit(paragraphs_of(poster.title, config.language), TITLE_STYLE, layout.title.w, layout.title.h)
            if not fitted.fits:
                warnings.append(Problem(sheet.file, poster.line, f"{place}.title",
                                        f"expected a title that fits the poster at {TITLE_STYLE.minimum:g} pt, "
                                        f"got \"{poster.title}\" too long; shorten it", titles))
            if poster.pictogram is None:
                continue
            if poster.pictogram.suffix.lower() == ".svg":
                problem = drawing_problem(poster.pictogram, poster.source, config.root)
                if problem:
                    errors.append(Problem(sheet.file, poster.line, f"{place}.pictogram", problem, titles))
                continue
            dpi = planned_dpi(poster.pictogram, box_mm, (0.5, 0.5))
            if dpi < MIN_DPI:
                warnings.append(resolution_problem(sheet.file, poster.line, f"{place}.pictogram", poster.source,
                                                   box_mm, dpi, titles))
        return errors, warnings
    return run


def _xywh(rect: Rect) -> tuple[float, float, float, float]:
    return rect.x, rect.y, rect.w, rect.h


def _draw_zone(canvas: Canvas, rect: Rect, zone, labels: Labels, grey: bool, ink: HexColor, muted: HexColor) -> None:
    """A zone of a poster: tinted, a band of its post-it colours, its title and legend."""
    notes = [colour(n.colour, grey) for n in zone.notes]
    first = zone.notes[0].colour if zone.notes else "#ffffff"
    radius = 3 * MM
    canvas.setFillColor(rl_colour(tint(to_grey(first) if grey else first, ZONE_TINT)))
    canvas.setStrokeColor(rl_colour(RULE_GREY))
    canvas.setLineWidth(0.8)
    canvas.roundRect(rect.x, rect.y, rect.w, rect.h, radius, stroke=1, fill=1)
    band = BAND_MM * MM
    canvas.saveState()
    clip = canvas.beginPath()
    clip.roundRect(rect.x, rect.y, rect.w, rect.h, radius)
    canvas.clipPath(clip, stroke=0, fill=0)
    for index, note in enumerate(notes):
        part = rect.w / len(notes)
        canvas.setFillColor(note)
        canvas.rect(rect.x + index * part, rect.top - band, part, band, stroke=0, fill=1)
    canvas.restoreState()
    pad = 5 * MM
    canvas.setFillColor(ink)
    canvas.setFont(RL_FONTS["bold"], ZONE_TITLE_PT)
    canvas.drawString(rect.x + pad, rect.top - band - pad - ZONE_TITLE_PT * 0.8, typeset(zone.title, labels.language))
    names = f" {labels('sheet.or')} ".join(n.name for n in zone.notes)
    canvas.setFillColor(muted)
    canvas.setFont(RL_FONTS["regular"], ZONE_LEGEND_PT)
    canvas.drawString(rect.x + pad, rect.top - band - pad - ZONE_TITLE_PT * 0.8 - ZONE_LEGEND_PT * 1.6,
                      typeset(labels("sheet.legend", colours=names), labels.language))


# ============================================================================ debate boards

@dataclass(frozen=True)
class BoardLayout:
    """One board: the page, the grid of card cells and where its axes run, in points."""

    page: tuple[float, float]
    grid: Rect                # the cells' outer box
    columns: int
    rows: int
    cell: tuple[float, float]
    card: tuple[float, float]
    axes: tuple[Axis, ...]    # (vertical, horizontal) on a cross; (horizontal,) on a track

    @property
    def cross(self) -> bool:
        return len(self.axes) == 2

    def cells(self) -> tuple[Rect, ...]:
        """Each cell, top row first, left to right."""
        w, h = self.cell
        return tuple(Rect(self.grid.x + c * w, self.grid.top - (r + 1) * h, w, h)
                     for r in range(self.rows) for c in range(self.columns))

    def card_in(self, cell: Rect) -> Rect:
        """Where a card lies in its cell: centred, with the gap all round."""
        w, h = self.card
        return Rect(cell.x + (cell.w - w) / 2, cell.y + (cell.h - h) / 2, w, h)


def _grid_in(area: Rect, cell: tuple[float, float]) -> tuple[int, int]:
    return int(area.w // cell[0]), int(area.h // cell[1])


def board_layout(paper: str, card_mm: tuple[float, float], axes: tuple[Axis, ...]) -> BoardLayout:
    """The board's orientation is the one that holds more cards; a cross keeps room for four labels."""
    card = (card_mm[0] * MM, card_mm[1] * MM)
    cell = (card[0] + 2 * CELL_GAP_MM * MM, card[1] + 2 * CELL_GAP_MM * MM)
    margin = MARGIN_MM * MM
    best = None
    for page in ((PAPER_MM[paper][1] * MM, PAPER_MM[paper][0] * MM), (PAPER_MM[paper][0] * MM, PAPER_MM[paper][1] * MM)):
        width, height = page
        top = height - margin - TITLE_STRIP_MM * MM
        bottom = margin + FOOTER_PT * 2
        vertical_strip = POLE_STRIP_MM * MM if len(axes) == 2 else 0.0
        side = SIDE_STRIP_MM * MM
        area = Rect(margin + side, bottom + vertical_strip, width - 2 * (margin + side),
                    top - bottom - 2 * vertical_strip)
        columns, rows = _grid_in(area, cell)
        if best is None or columns * rows > best[0]:
            grid_w, grid_h = columns * cell[0], rows * cell[1]
            grid = Rect(area.x + (area.w - grid_w) / 2, area.y + (area.h - grid_h) / 2, grid_w, grid_h)
            best = (columns * rows, BoardLayout(page, grid, columns, rows, cell, card, axes))
    return best[1]


def boards_of(sheet: DebateBoard) -> list[tuple[Axis, ...]]:
    """The first two axes as a cross, each further axis as a track of its own."""
    if len(sheet.axes) == 1:
        return [sheet.axes[:1]]
    return [sheet.axes[:2], *[(axis,) for axis in sheet.axes[2:]]]


@register
class DebateBoardGenerator:
    """The photo-debate boards: the tension axes over a grid of card cells, A3."""

    kind = "debate-board"
    renderers = ("kit.canvas",)

    def outputs(self, content: Content) -> list[Output]:
        return [Output(self.kind, poster_path(sheet.id), sheet.id, (sheet.file,), "boards",
                       inputs=needs(files=[sheet.file], language=content.config.language))
                for sheet in content.of("worksheets").values()
                if sheet is not None and sheet.kind == DEBATE_BOARD]

    def render(self, output: Output, content: Content, context: RenderContext) -> Rendered:
        sheet: DebateBoard = content.of("worksheets")[output.subject]
        register_reportlab_fonts()
        theme = context.theme
        labels = Labels(theme.language)
        stamp = stamp_for(sheet, "", content)
        boards = boards_of(sheet)
        buffer = io.BytesIO()
        # Each board sets its own page size below; the canvas starts at the sheet's paper.
        canvas = new_canvas(buffer, tuple(v * MM for v in PAPER_MM[sheet.paper]),
                            f"{content.config.title} — {sheet.title}", content.config)
        for number, axes in enumerate(boards, start=1):
            layout = board_layout(sheet.paper, sheet.card_mm, axes)
            canvas.setPageSize(layout.page)
            _draw_board(canvas, layout, sheet, labels, theme, number, len(boards))
            _footer(canvas, layout.page, labels, stamp, number, len(boards), rl_colour(theme.colour("muted")))
            canvas.showPage()
        canvas.save()
        return Rendered({output.path: buffer.getvalue()}, len(boards))


def _draw_board(canvas: Canvas, layout: BoardLayout, sheet: DebateBoard, labels: Labels, theme,
                number: int, count: int) -> None:
    language = theme.language
    width, height = layout.page
    margin = MARGIN_MM * MM
    primary, accent, muted, ink = (rl_colour(theme.colour(r)) for r in ("primary", "accent", "muted", "ink"))
    # Title and instructions.
    title_y = height - margin - BOARD_TITLE_PT
    canvas.setFillColor(primary)
    canvas.setFont(RL_FONTS["bold"], BOARD_TITLE_PT)
    title = typeset(sheet.title, language)
    canvas.drawString(margin, title_y, title)
    canvas.setFillColor(muted)
    canvas.setFont(RL_FONTS["semibold"], BOARD_TITLE_PT * 0.6)
    canvas.drawRightString(width - margin, title_y, labels("sheet.board", number=str(number), count=str(count)))
    text_top = title_y - INSTRUCTION_PT * 1.5
    canvas.setFillColor(ink)
    canvas.setFont(RL_FONTS["regular"], INSTRUCTION_PT)
    guide = labels("sheet.board.cross" if layout.cross else "sheet.board.track")
    instructions = " ".join(filter(None, [guide, sheet.instructions]))
    for index, line in enumerate(_lines(plain(instructions, language).replace("\n", " "), RL_FONTS["regular"],
                                        INSTRUCTION_PT, width - 2 * margin)[:2]):
        canvas.drawString(margin, text_top - index * INSTRUCTION_PT * 1.3, line)

    # The cells: dashed card outlines in a faint grid, so cards are laid without overlapping.
    canvas.setStrokeColor(rl_colour(CELL_OUTLINE))
    canvas.setLineWidth(0.7)
    canvas.setDash(4, 3)
    for cell in layout.cells():
        card = layout.card_in(cell)
        canvas.roundRect(card.x, card.y, card.w, card.h, 2 * MM, stroke=1, fill=0)
    canvas.setDash()
    canvas.setStrokeColor(rl_colour(RULE_GREY))
    canvas.setLineWidth(0.5)
    canvas.rect(*_xywh(layout.grid), stroke=1, fill=0)
    fits = labels("sheet.card_fits", width=f"{sheet.card_mm[0]:g}", height=f"{sheet.card_mm[1]:g}")
    canvas.setFillColor(muted)
    canvas.setFont(RL_FONTS["italic"], 8)
    canvas.drawRightString(layout.grid.right, layout.grid.y - 10, typeset(fits, language))

    grid = layout.grid
    cx, cy = grid.centre
    if layout.cross:
        vertical, horizontal = layout.axes
        _axis(canvas, (cx, grid.y), (cx, grid.top), primary)
        _axis(canvas, (grid.x, cy), (grid.right, cy), primary)
        _pole(canvas, vertical.pole, (cx, grid.top + POLE_STRIP_MM * MM * 0.3), "above", language, ink)
        _pole(canvas, vertical.opposite, (cx, grid.y - POLE_STRIP_MM * MM * 0.3), "below", language, ink)
        _pole(canvas, horizontal.pole, (grid.right + 4 * MM, cy), "right", language, ink)
        _pole(canvas, horizontal.opposite, (grid.x - 4 * MM, cy), "left", language, ink)
    else:
        (axis,) = layout.axes
        _gradient_band(canvas, grid, cy, accent, primary)
        _axis(canvas, (grid.x, cy), (grid.right, cy), ink)
        _pole(canvas, axis.pole, (grid.right + 4 * MM, cy), "right", language, ink)
        _pole(canvas, axis.opposite, (grid.x - 4 * MM, cy), "left", language, ink)


def _axis(canvas: Canvas, start: tuple[float, float], end: tuple[float, float], stroke: HexColor) -> None:
    """A double-headed arrow: both poles are positions to argue for."""
    canvas.setStrokeColor(stroke)
    canvas.setFillColor(stroke)
    canvas.setLineWidth(AXIS_PT)
    head = 4 * MM
    (x1, y1), (x2, y2) = start, end
    horizontal = y1 == y2
    if horizontal:
        canvas.line(x1 + head, y1, x2 - head, y2)
    else:
        canvas.line(x1, y1 + head, x2, y2 - head)
    for (x, y), sign in ((start, -1), (end, 1)):
        path = canvas.beginPath()
        if horizontal:
            path.moveTo(x, y)
            path.lineTo(x - sign * head, y + head * 0.55)
            path.lineTo(x - sign * head, y - head * 0.55)
        else:
            path.moveTo(x, y)
            path.lineTo(x + head * 0.55, y - sign * head)
            path.lineTo(x - head * 0.55, y - sign * head)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)


def _pole(canvas: Canvas, text: str, at: tuple[float, float], side: str, language: str, ink: HexColor) -> None:
    """A pole's name at the end of its axis, large enough to read from across the table."""
    x, y = at
    text = typeset(text, language)
    canvas.setFillColor(ink)
    font = RL_FONTS["bold"]
    if side in ("above", "below"):
        canvas.setFont(font, POLE_PT)
        canvas.drawCentredString(x, y if side == "above" else y - POLE_PT * 0.75, text)
        return
    lines = _lines(text, font, POLE_PT, SIDE_STRIP_MM * MM - 6 * MM) or [text]
    leading = POLE_PT * 1.1
    first = y + (len(lines) - 1) * leading / 2 - POLE_PT * 0.35
    canvas.setFont(font, POLE_PT)
    for index, line in enumerate(lines):
        if side == "right":
            canvas.drawString(x, first - index * leading, line)
        else:
            canvas.drawRightString(x, first - index * leading, line)


def _gradient_band(canvas: Canvas, grid: Rect, y: float, left: HexColor, right: HexColor) -> None:
    """A track's colour band under its axis: one pole's colour fading into the other's."""
    band = 6 * MM
    canvas.saveState()
    path = canvas.beginPath()
    path.rect(grid.x, y - band / 2, grid.w, band)
    canvas.clipPath(path, stroke=0, fill=0)
    canvas.linearGradient(grid.x, y, grid.right, y, (right, left), extend=False)
    canvas.restoreState()
