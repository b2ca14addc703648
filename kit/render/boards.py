"""Turn a photo-debate board into its A3 sheets drawn with reportlab: open field, axes as continua,
centre zone, the "à quelle condition…" column, and the marks that assemble a board of two sheets.

kit.generators.poster lays each board out as data (`board_layout`) in the coordinates of the
assembled board; each sheet draws the whole board through a clip of its own printed part, so the
axes and the field run on across the join exactly.
"""

from __future__ import annotations

import io

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kit.canvas import new_canvas
from kit.colours import text_on, tint
from kit.content import Content
from kit.content.worksheets import DebateBoard
from kit.generators import RenderContext
from kit.generators.poster import BOARD_MARGIN_MM, BoardLayout, boards_of, layouts_of
from kit.generators.worksheet import stamp_for
from kit.labels import Labels
from kit.markup import plain
from kit.render.posters import footer, lines_of, resolve
from kit.theme import MM, RL_FONTS, register_reportlab_fonts
from kit.typography import typeset

BOARD_TITLE_PT = 22.0
DECK_PT = 12.0
INSTRUCTION_PT = 10.5
POLE_PT = 22.0
AXIS_PT = 2.2
ARROW_MM = 5.0
TICK_MM = 20.0             # a tick every 2 cm from the centre: a continuum, not two boxes
TICK_LENGTH_MM = 2.5
CENTRE_TINT = 0.10         # the centre zone: the deck's colour, barely
CENTRE_LABEL_PT = 13.0
CONDITIONS_TITLE_PT = 15.0
CONDITIONS_HINT_PT = 9.0
ROW_NAME_PT = 9.0
ROW_RULE = "#aeb7c2"
FIELD_LINE = "#c3cad3"
JOIN_PT = 8.0
JOIN_DASH = (4, 3)


def render_boards(sheet: DebateBoard, content: Content, context: RenderContext) -> tuple[bytes, int]:
    register_reportlab_fonts()
    theme = context.theme
    labels = Labels(theme.language)
    stamp = stamp_for(sheet, "", content)
    layouts = layouts_of(sheet)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, layouts[0].sheet, f"{content.config.title} — {sheet.title}", content.config)
    total = sum(layout.sheets for layout in layouts)
    page = 0
    muted = theme.colour("muted")
    for number, layout in enumerate(layouts, start=1):
        for index in range(layout.sheets):
            page += 1
            canvas.setPageSize(layout.sheet)
            printed = layout.printed(index)
            offset = layout.offsets[index]
            canvas.saveState()
            clip = canvas.beginPath()
            clip.rect(printed.x - offset, printed.y, printed.w, printed.h)
            canvas.clipPath(clip, stroke=0, fill=0)
            canvas.translate(-offset, 0)
            _draw_board(canvas, layout, sheet, labels, theme, number, len(layouts))
            canvas.restoreState()
            tile = labels("sheet.tile", number=str(index + 1), count=str(layout.sheets)) if layout.sheets > 1 else ""
            _join_marks(canvas, layout, index, labels, muted)
            footer(canvas, layout.sheet, BOARD_MARGIN_MM * MM, labels, stamp, page, total, muted,
                   extra=f"{labels('sheet.board', number=str(number), count=str(len(layouts)))}"
                         + (f", {tile}" if tile else ""))
            canvas.showPage()
    canvas.save()
    return buffer.getvalue(), total


def _draw_board(canvas: Canvas, layout: BoardLayout, sheet: DebateBoard, labels: Labels, theme,
                number: int, count: int) -> None:
    language = theme.language
    ink, muted = theme.colour("ink"), theme.colour("muted")
    axis_colour, _ = text_on(resolve(theme, sheet.deck_colour), "#ffffff", 4.5)
    title_box = layout.title
    # Title, the deck it serves, instructions.
    y = title_box.top - BOARD_TITLE_PT * 0.8
    canvas.setFillColor(HexColor(theme.colour("primary")))
    canvas.setFont(RL_FONTS["bold"], BOARD_TITLE_PT)
    canvas.drawString(title_box.x, y, typeset(sheet.title, language))
    canvas.setFillColor(HexColor(muted))
    canvas.setFont(RL_FONTS["semibold"], BOARD_TITLE_PT * 0.6)
    canvas.drawRightString(title_box.right, y, labels("sheet.board", number=str(number), count=str(count)))
    x = title_box.x + stringWidth(typeset(sheet.title, language), RL_FONTS["bold"], BOARD_TITLE_PT) + 8 * MM
    if sheet.deck_title:
        canvas.setFillColor(HexColor(axis_colour))
        canvas.setFont(RL_FONTS["semibold"], DECK_PT)
        canvas.drawString(x, y, typeset(labels("sheet.board.deck", deck=sheet.deck_title, count=str(sheet.card_count)),
                                         language))
    guide = labels("sheet.board.open" if layout.cross else "sheet.board.track.open")
    text = plain(" ".join(filter(None, [guide, sheet.instructions])), language).replace("\n", " ")
    canvas.setFillColor(HexColor(ink))
    canvas.setFont(RL_FONTS["regular"], INSTRUCTION_PT)
    for index, line in enumerate(lines_of(text, RL_FONTS["regular"], INSTRUCTION_PT, title_box.w)[:2]):
        canvas.drawString(title_box.x, y - BOARD_TITLE_PT * 0.7 - index * INSTRUCTION_PT * 1.3, line)

    field = layout.field
    canvas.setStrokeColor(HexColor(FIELD_LINE))
    canvas.setLineWidth(0.6)
    canvas.roundRect(field.x, field.y, field.w, field.h, 3 * MM, stroke=1, fill=0)
    # The centre zone, under the axes: "it depends" is a place on the board, not a failure to sort.
    cx, cy, radius = layout.centre
    canvas.setFillColor(HexColor(tint(axis_colour, CENTRE_TINT)))
    canvas.setStrokeColor(HexColor(axis_colour))
    canvas.setLineWidth(0.8)
    canvas.setDash(3, 3)
    canvas.circle(cx, cy, radius, stroke=1, fill=1)
    canvas.setDash()
    canvas.setFillColor(HexColor(axis_colour))
    canvas.setFont(RL_FONTS["bold"], CENTRE_LABEL_PT)
    centre_y = cy + radius - CENTRE_LABEL_PT * 1.6
    beside = cx + (TICK_LENGTH_MM + 2) * MM  # clear of the upright axis's ticks
    canvas.drawString(beside, centre_y, typeset(labels("sheet.board.centre"), language))
    canvas.setFont(RL_FONTS["italic"], CENTRE_LABEL_PT * 0.72)
    canvas.drawString(beside, centre_y - CENTRE_LABEL_PT * 1.05, typeset(labels("sheet.board.centre.hint"), language))

    pad = 4 * MM
    if layout.cross:
        upright, lying = layout.axes
        _axis(canvas, (cx, field.y + pad), (cx, field.top - pad), axis_colour)
        _axis(canvas, (field.x + pad, cy), (field.right - pad, cy), axis_colour)
        _pole(canvas, upright.pole, cx + ARROW_MM * MM, field.top - pad - POLE_PT * 0.8, "left", language, ink)
        _pole(canvas, upright.opposite, cx + ARROW_MM * MM, field.y + pad + POLE_PT * 0.1, "left", language, ink)
    else:
        (lying,) = layout.axes
        _axis(canvas, (field.x + pad, cy), (field.right - pad, cy), axis_colour)
    # The lying axis reads as on the cards: its first pole on the left.
    _pole(canvas, lying.pole, field.x + pad, cy + ARROW_MM * MM, "left", language, ink)
    _pole(canvas, lying.opposite, field.right - pad, cy + ARROW_MM * MM, "right", language, ink)
    _conditions(canvas, layout, sheet, labels, theme, axis_colour)


def _axis(canvas: Canvas, start: tuple[float, float], end: tuple[float, float], colour: str) -> None:
    """A double-headed arrow with a tick every TICK_MM from the centre: both poles and every place
    between them are positions to argue for."""
    canvas.setStrokeColor(HexColor(colour))
    canvas.setFillColor(HexColor(colour))
    canvas.setLineWidth(AXIS_PT)
    head = ARROW_MM * MM
    (x1, y1), (x2, y2) = start, end
    lying = y1 == y2
    if lying:
        canvas.line(x1 + head, y1, x2 - head, y2)
    else:
        canvas.line(x1, y1 + head, x2, y2 - head)
    for (x, y), sign in ((start, -1), (end, 1)):
        path = canvas.beginPath()
        path.moveTo(x, y)
        if lying:
            path.lineTo(x - sign * head, y + head * 0.55)
            path.lineTo(x - sign * head, y - head * 0.55)
        else:
            path.lineTo(x + head * 0.55, y - sign * head)
            path.lineTo(x - head * 0.55, y - sign * head)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)
    canvas.setLineWidth(AXIS_PT / 2)
    tick, half = TICK_MM * MM, TICK_LENGTH_MM * MM
    mid = ((x1 + x2) / 2, (y1 + y2) / 2)
    reach = ((x2 - x1) if lying else (y2 - y1)) / 2 - 1.5 * head
    step = tick
    while step < reach:
        for sign in (-1, 1):
            if lying:
                canvas.line(mid[0] + sign * step, mid[1] - half, mid[0] + sign * step, mid[1] + half)
            else:
                canvas.line(mid[0] - half, mid[1] + sign * step, mid[0] + half, mid[1] + sign * step)
        step += tick


def _pole(canvas: Canvas, text: str, x: float, y: float, align: str, language: str, ink: str) -> None:
    """A pole's name at its end of the axis, large enough to read from across the table."""
    canvas.setFillColor(HexColor(ink))
    canvas.setFont(RL_FONTS["bold"], POLE_PT)
    text = typeset(text, language)
    if align == "right":
        canvas.drawRightString(x, y, text)
    else:
        canvas.drawString(x, y, text)


def _conditions(canvas: Canvas, layout: BoardLayout, sheet: DebateBoard, labels: Labels, theme,
                colour: str) -> None:
    """The column for the arguments: on what condition would each card change sides?"""
    box = layout.conditions
    language = theme.language
    ink, muted = theme.colour("ink"), theme.colour("muted")
    canvas.setStrokeColor(HexColor(colour))
    canvas.setLineWidth(0.8)
    canvas.roundRect(box.x, box.y, box.w, box.h, 3 * MM, stroke=1, fill=0)
    pad = 3 * MM
    canvas.setFillColor(HexColor(colour))
    canvas.setFont(RL_FONTS["bold"], CONDITIONS_TITLE_PT)
    top = box.top - pad - CONDITIONS_TITLE_PT * 0.8
    canvas.drawString(box.x + pad, top, typeset(labels("sheet.board.conditions"), language))
    canvas.setFillColor(HexColor(muted))
    canvas.setFont(RL_FONTS["italic"], CONDITIONS_HINT_PT)
    hint = typeset(labels("sheet.board.conditions.hint"), language)
    for index, line in enumerate(lines_of(hint, RL_FONTS["italic"], CONDITIONS_HINT_PT, box.w - 2 * pad)[:2]):
        canvas.drawString(box.x + pad, top - CONDITIONS_TITLE_PT * 0.9 - index * CONDITIONS_HINT_PT * 1.2, line)
    names = list(dict.fromkeys(sheet.cards))
    canvas.setStrokeColor(HexColor(ROW_RULE))
    canvas.setLineWidth(0.5)
    for index, row in enumerate(layout.rows):
        name = names[index] if index < len(names) else None
        if name:
            canvas.setFillColor(HexColor(ink))
            canvas.setFont(RL_FONTS["semibold"], ROW_NAME_PT)
            canvas.drawString(row.x + pad, row.top - ROW_NAME_PT * 1.2, typeset(name, language))
        canvas.line(row.x + pad, row.y + 1 * MM, row.right - pad, row.y + 1 * MM)
        if row.h >= 18 * MM:  # room for a second line to write on
            canvas.line(row.x + pad, row.y + row.h * 0.45, row.right - pad, row.y + row.h * 0.45)


def _join_marks(canvas: Canvas, layout: BoardLayout, index: int, labels: Labels, muted: str) -> None:
    """On a board of several sheets: where to cut a sheet, and where the next one takes it up."""
    if layout.sheets == 1:
        return
    margin = BOARD_MARGIN_MM * MM
    width, height = layout.sheet
    canvas.setStrokeColor(HexColor(muted))
    canvas.setFillColor(HexColor(muted))
    canvas.setFont(RL_FONTS["regular"], JOIN_PT)
    if index < layout.sheets - 1:  # cut on the printed edge, so the board runs on edge to edge
        x = width - margin
        canvas.setLineWidth(0.6)
        canvas.setDash(*JOIN_DASH)
        canvas.line(x, margin, x, height - margin)
        canvas.setDash()
        canvas.saveState()  # in the margin cut away: nothing of it stays on the board
        canvas.translate(x + 4 * MM, height / 2)
        canvas.rotate(90)
        canvas.drawCentredString(0, 0, typeset(labels("sheet.tile.cut", next=str(index + 2)), labels.language))
        canvas.restoreState()
    if index > 0:
        x = margin
        canvas.setLineWidth(0.6)
        canvas.line(x, margin, x, height - margin)
        canvas.saveState()
        canvas.translate(x - 1.5 * MM, height / 2)
        canvas.rotate(90)
        canvas.drawCentredString(0, 0, typeset(labels("sheet.tile.edge", previous=str(index)), labels.language))
        canvas.restoreState()


__all__ = ["render_boards", "boards_of"]
