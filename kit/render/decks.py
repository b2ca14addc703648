"""Turn a deck into the pages of its print files with reportlab: home N-up sheets with their backs,
fold-over sheets, print-shop pages, PNG cards and the duplex calibration sheet.

kit.generators.deck plans these outputs and lays out the home sheets as data; this module draws
them: card faces from kit.cards.faces, geometry from kit.imposition, crop marks from kit.canvas.
"""

from __future__ import annotations

import io

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kit.canvas import REGISTRATION, close_document, draw_marks, new_canvas, open_document
from kit.cards.faces import Art, draw_back, draw_front
from kit.content.decks import Deck, iter_copies
from kit.generators.deck import calibration_path, chunks, hint_texts, home_plan, png_name, sheet_texts
from kit.imposition import (CALIBRATION_CELL_PAD_MM, CALIBRATION_NUMBER_PT, CROP_MARK_WIDTH_PT, MM,
                            CAPTION_CLEARANCE_MM, CropMark, Rect, calibration, caption_box, fold_over, grid,
                            mm_to_pt, shop_page)
from kit.labels import Labels
from kit.outputs import Output, RenderContext, Rendered
from kit.theme import RL_FONTS, register_reportlab_fonts
from kit.typography import typeset

CAPTION_PT = 8.0                 # the sheets' captions: no smaller than the cards' smallest text
FOLD_DASH = (4, 3)
CALIBRATION_LINE_PT = 0.5        # the front's lines: sharp enough to see inside the back's
CALIBRATION_BACK_LINE_PT = 1.0   # the back's lines read fainter and blurred through the paper, so thicker
CALIBRATION_MIDDLE_ALPHA = 0.2   # the current offset's cells: a primary tint light enough for lines to show on it
CALIBRATION_NUMBER_FONT = "semibold"  # the cells' numbers: heavier than the text, lighter than a shout
CALIBRATION_TITLE_PT = 14
CALIBRATION_HEADING_PT = 11      # the axis names, read before the cells
CALIBRATION_TEXT_PT = 9
CALIBRATION_TEXT_MIN_PT = 8      # the steps shrink down to this when a language's text is long (never below)
CALIBRATION_TEXT_STEP_PT = 0.5
CALIBRATION_CAPTION_PT = 8       # the cross's caption
CALIBRATION_LEADING = 1.3        # line height, in multiples of the size
CALIBRATION_PARAGRAPH_GAP = 0.35  # between steps, in multiples of the size
CALIBRATION_STEP_INDENT = 1.2    # a step's hanging indent, in em: its number "7. " stands out on the left
_EPSILON_PT = 1e-6
FIGURE_HEIGHT = 0.73              # height of Inter's figures, in em
DUPLEX_PREFERENCE = {"long": "DuplexFlipLongEdge", "short": "DuplexFlipShortEdge", "none": "Simplex"}


# ----------------------------------------------------------------------------------- canvas

def place(canvas: Canvas, box: Rect, rotation: int) -> None:
    """Move the origin to a card's trim corner in its box, turned by `rotation` degrees counter-clockwise."""
    rotation %= 360
    corner = {0: (box.x, box.y), 90: (box.right, box.y), 180: (box.right, box.top), 270: (box.x, box.top)}[rotation]
    canvas.translate(*corner)
    if rotation:
        canvas.rotate(rotation)


def caption_length(text: str, language: str) -> float:
    """How long a caption's line is, in points (what kit.imposition.caption_box needs)."""
    register_reportlab_fonts()  # a check may measure in a process that has drawn nothing yet
    return stringWidth(typeset(text, language), RL_FONTS["regular"], CAPTION_PT)


def fitting_caption(sheet, above: bool, texts: tuple[str, ...], language: str):
    """The first of a caption's wordings (longest first) that fits a place the sheet offers, typeset,
    with that place (kit.imposition.caption_box); None when none fits."""
    for text in texts:
        place = caption_box(sheet, above, caption_length(text, language))
        if place is not None:
            return typeset(text, language), place
    return None


def caption(canvas: Canvas, sheet, texts: tuple[str, ...], language: str, colour: str, above: bool) -> None:
    """One caption line in the first place the sheet offers that holds it (kit.imposition.caption_box):
    centred in the strip above or below the grid, else turned along the grid's middle row; its
    shorter wording where the full one has no room (Letter). A caption with no room at all is left
    out; the deck's caption check has said so as a warning."""
    found = fitting_caption(sheet, above, texts, language)
    if found is None:
        return
    text, place = found
    canvas.saveState()
    canvas.setFillColor(colour)
    canvas.setFont(RL_FONTS["regular"], CAPTION_PT)
    box = place.box
    x, y = box.centre
    canvas.translate(x, y)
    if place.rotation:
        canvas.rotate(place.rotation)
    # Centred on the box: the baseline a third of the size below its middle.
    canvas.drawCentredString(0, -CAPTION_PT / 3, text)
    canvas.restoreState()


# --------------------------------------------------------------------------------- home print

def render_home(deck: Deck, config, art: Art, output: Output, target=None) -> Rendered:
    paper = art.theme.paper_pt
    sheet = grid(paper, mm_to_pt(deck.size_mm), gutter_mm=config.printing.gutter_mm)
    plans = home_plan(deck, config, paper)
    bleed, backs = sheet.card_bleed, config.printing.backs
    labels = Labels(config.language)
    canvas, buffer = open_document(target, paper, deck.title, config)
    canvas.setViewerPreference("Duplex", DUPLEX_PREFERENCE[config.printing.duplex])
    muted = art.colour("muted")
    hint = hint_texts(labels, config.printing.duplex)
    for number, plan in enumerate(plans, start=1):
        for card, box in zip(plan.cards, plan.fronts):
            canvas.saveState()
            place(canvas, box, plan.front_rotation)
            draw_front(canvas, deck, card, art, bleed)
            canvas.restoreState()
        draw_marks(canvas, sheet.marks)
        side = sheet_texts(labels, deck.title, number, len(plans), labels("deck.front"))
        caption(canvas, sheet, hint, config.language, muted, above=True)
        caption(canvas, sheet, side, config.language, muted, above=False)
        canvas.showPage()
        for card, box in zip(plan.cards, plan.backs):
            canvas.saveState()
            place(canvas, box, plan.back_rotation)
            draw_back(canvas, deck, card, art, bleed, backs)
            canvas.restoreState()
        canvas.showPage()
    return close_document(canvas, buffer, output.path, 2 * len(plans))


# ------------------------------------------------------------------------------- fold-over

def render_fold(deck: Deck, config, art: Art, output: Output, target=None) -> Rendered:
    paper = art.theme.paper_pt
    sheet = fold_over(paper, mm_to_pt(deck.size_mm), gutter_mm=config.printing.gutter_mm)
    bleed, backs = sheet.card_bleed, config.printing.backs
    labels = Labels(config.language)
    canvas, buffer = open_document(target, paper, deck.title, config)
    canvas.setViewerPreference("Duplex", "Simplex")
    cards = list(iter_copies(deck))
    groups = chunks(cards, sheet.per_sheet)
    muted = art.colour("muted")
    for number, group in enumerate(groups, start=1):
        for card, front, back in zip(group, sheet.fronts, sheet.backs):
            canvas.saveState()
            place(canvas, front, sheet.front_rotation)
            draw_front(canvas, deck, card, art, bleed)
            canvas.restoreState()
            canvas.saveState()
            place(canvas, back, sheet.back_rotation)
            draw_back(canvas, deck, card, art, bleed, backs)
            canvas.restoreState()
        draw_marks(canvas, sheet.marks)
        canvas.saveState()
        canvas.setStrokeColor(muted)
        canvas.setLineWidth(CROP_MARK_WIDTH_PT)
        canvas.setDash(*FOLD_DASH)
        hint = hint_texts(labels, "fold")
        side = sheet_texts(labels, deck.title, number, len(groups), labels("deck.front") + " + " + labels("deck.back"))
        fold = _fold_line(sheet, config, hint, side)
        canvas.line(fold.x1, fold.y1, fold.x2, fold.y2)
        canvas.restoreState()
        _fold_label(canvas, sheet, typeset(labels("deck.fold"), config.language), muted, fold)
        caption(canvas, sheet, hint, config.language, muted, above=True)
        caption(canvas, sheet, side, config.language, muted, above=False)
        canvas.showPage()
    return close_document(canvas, buffer, output.path, len(groups))


def _fold_line(sheet, config, hint: tuple[str, ...], side: tuple[str, ...]) -> CropMark:
    """The fold line, stopped short of the captions that run across it."""
    fold, clear = sheet.fold, CAPTION_CLEARANCE_MM * MM
    if not sheet.vertical_fold:
        return fold
    low, high = min(fold.y1, fold.y2), max(fold.y1, fold.y2)
    for above, texts in ((True, hint), (False, side)):
        found = fitting_caption(sheet, above, texts, config.language)
        box = found[1] if found else None
        if box is not None and not box.rotation:
            high, low = (min(high, box.box.y - clear), low) if above else (high, max(low, box.box.top + clear))
    return CropMark(fold.x1, low, fold.x2, high)


def _fold_label(canvas: Canvas, sheet, text: str, colour: str, fold: CropMark) -> None:
    """ "plier ici" along the fold line, beside the first card's middle: in the strip between the
    fronts' bleed and the fold, which is cut away (clear of the marks, which stand at the cut lines)."""
    first = sheet.fronts[0]
    canvas.saveState()
    canvas.setFillColor(colour)
    canvas.setFont(RL_FONTS["regular"], CAPTION_PT)
    if sheet.vertical_fold:
        canvas.translate(fold.x1 - CAPTION_PT * 0.3, first.centre[1])
        canvas.rotate(90)
    else:
        canvas.translate(first.centre[0], fold.y1 + CAPTION_PT * 0.3)
    canvas.drawCentredString(0, 0, text)
    canvas.restoreState()


# ------------------------------------------------------------------------------ print shop

def render_shop(deck: Deck, config, art: Art, output: Output, target=None) -> Rendered:
    """One card per page, front then back, at trim + bleed, with TrimBox and BleedBox set."""
    page = shop_page(mm_to_pt(deck.size_mm))
    canvas, buffer = open_document(target, page.media, deck.title, config)
    canvas.setViewerPreference("Duplex", "DuplexFlipLongEdge")
    canvas.setTrimBox([page.trim.x, page.trim.y, page.trim.right, page.trim.top])
    canvas.setBleedBox([page.bleed.x, page.bleed.y, page.bleed.right, page.bleed.top])
    bleed = page.trim.x - page.bleed.x
    pages = 0
    for card in iter_copies(deck):
        for draw in (draw_front, draw_back):
            canvas.saveState()
            canvas.translate(page.trim.x, page.trim.y)
            draw(canvas, deck, card, art, bleed)
            canvas.restoreState()
            canvas.showPage()
            pages += 1
    return close_document(canvas, buffer, output.path, pages)


# ------------------------------------------------------------------------------------- PNG

def cards_pdf(deck: Deck, config, art: Art) -> bytes:
    """Each card's front once, one per trim-size page: what the PNG export rasterises."""
    size = mm_to_pt(deck.size_mm)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, size, deck.title, config)
    for card in deck.cards:
        draw_front(canvas, deck, card, art)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_png(deck: Deck, config, art: Art, output: Output) -> Rendered:
    """Each card's front as a PNG at the deck's dpi (rasterised from its PDF by pdfium)."""
    import pypdfium2 as pdfium

    from kit import pdfium_lock

    data = cards_pdf(deck, config, art)
    files = {}
    lock = pdfium_lock.lock()
    with lock:
        document = pdfium.PdfDocument(data)
    try:
        for index, card in enumerate(deck.cards):
            with lock:  # one page at a time: a preview thumbnail may be drawn in between
                page = document[index]
                image = page.render(scale=deck.png_dpi / 72).to_pil()
                page.close()
            png = io.BytesIO()
            image.save(png, "PNG", dpi=(deck.png_dpi, deck.png_dpi), optimize=False)
            files[png_name(deck, card)] = png.getvalue()
    finally:
        with lock:
            document.close()
    return Rendered(files=files, pages=0)


# ----------------------------------------------------------------------------- calibration

def render_calibration(config, context: RenderContext) -> Rendered:
    """The one-page duplex calibration sheet: numbered cells and their lines on the front, the lines to match on the back."""
    theme = context.theme
    paper = theme.paper_pt
    printing = config.printing
    sheet = calibration(paper, printing.duplex, printing.back_offset_mm)
    labels = Labels(config.language)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, paper, labels("deck.calibration"), config)
    canvas.setViewerPreference("Duplex", DUPLEX_PREFERENCE[printing.duplex])
    ink = theme.colour("ink")

    _calibration_cells(canvas, sheet, theme)
    canvas.setFillColor(ink)
    canvas.setFont(RL_FONTS["bold"], CALIBRATION_HEADING_PT)
    pad = CALIBRATION_CELL_PAD_MM * MM
    for box, key in ((sheet.x_heading, "deck.calibration.x"), (sheet.y_heading, "deck.calibration.y")):
        canvas.drawString(box.x + pad, box.y + pad, labels(key))
    canvas.setStrokeColor(REGISTRATION)
    canvas.setLineWidth(CALIBRATION_LINE_PT)
    for line in sheet.front_lines:
        canvas.line(line.x1, line.y1, line.x2, line.y2)
    _paragraphs(canvas, sheet.cross_note, [(labels("deck.calibration.cross"), "cross")], labels.language,
                CALIBRATION_CAPTION_PT, theme.colour("muted"))
    _calibration_note(canvas, sheet.note, labels, printing, ink)
    canvas.showPage()

    # The back: lines only, thicker than the front's, so they still read dark through the paper.
    canvas.setStrokeColor(REGISTRATION)
    canvas.setLineWidth(CALIBRATION_BACK_LINE_PT)
    for line in sheet.back_lines:
        canvas.line(line.x1, line.y1, line.x2, line.y2)
    canvas.showPage()
    canvas.save()
    return Rendered(files={calibration_path(config): buffer.getvalue()}, pages=2)


def _calibration_cells(canvas: Canvas, sheet, theme) -> None:
    """Every other cell tinted, so each number reads with its lines; the current offset's cells in the primary tint."""
    middle = sheet.middle
    for scale in (sheet.x_cells, sheet.y_cells):
        for index, cell in enumerate(scale):
            if cell in middle:
                canvas.setFillColor(theme.colour("primary"), alpha=CALIBRATION_MIDDLE_ALPHA)
            elif index % 2:
                canvas.setFillColor(theme.colour("light"))
            else:
                continue
            box = cell.box
            canvas.rect(box.x, box.y, box.w, box.h, stroke=0, fill=1)
    canvas.setFillColor(theme.colour("ink"), alpha=1)
    font = RL_FONTS[CALIBRATION_NUMBER_FONT]
    labels = theme.labels
    for cell in sheet.cells:
        label = cell.number
        text = labels.decimal(label.value, signed=True)  # "−1,5" in French, "−1.5" in English
        width = stringWidth(text, font, CALIBRATION_NUMBER_PT)
        size = min(CALIBRATION_NUMBER_PT, CALIBRATION_NUMBER_PT * label.room / width)  # an unusual offset's long number shrinks
        canvas.setFont(font, size)
        canvas.drawCentredString(label.x, label.y - size * FIGURE_HEIGHT / 2, text)


def _calibration_note(canvas: Canvas, box: Rect, labels: Labels, printing, ink: str) -> None:
    """Title, the offset and duplex mode this sheet was printed with, and the steps; smaller type if they need it."""
    x, y = printing.back_offset_mm
    current = labels.table["deck.calibration.current"].format(
        x=labels.decimal(x, signed=True), y=labels.decimal(y, signed=True), duplex=printing.duplex)
    texts = [(labels("deck.calibration"), "title"), (current, "current")]
    texts += [(line, "step") for line in labels("deck.calibration.how").split("\n")]
    size = CALIBRATION_TEXT_PT
    while not _paragraphs(canvas, box, texts, labels.language, size, ink, dry_run=True) and size > CALIBRATION_TEXT_MIN_PT:
        size -= CALIBRATION_TEXT_STEP_PT
    _paragraphs(canvas, box, texts, labels.language, size, ink)


def _paragraphs(canvas: Canvas, box: Rect, texts: list[tuple[str, str]], language: str, size: float, colour: str,
                dry_run: bool = False) -> bool:
    """Paragraphs top-down in the box (roles: title, current, step, cross); False if they overflow it.

    Text between backticks is what the user types in kit.yaml: shown in semibold, without the
    language's typography (a French space before a colon would not be YAML any more).
    """
    from reportlab.lib.enums import TA_CENTER
    from reportlab.platypus import Paragraph
    from reportlab.lib.styles import ParagraphStyle

    from html import escape

    from kit.markup import reportlab_spaces
    from kit.typography import NBSP, typeset

    base = ParagraphStyle("text", fontName=RL_FONTS["regular"], fontSize=size, leading=size * CALIBRATION_LEADING,
                          textColor=colour, spaceAfter=size * CALIBRATION_PARAGRAPH_GAP)
    hang = size * CALIBRATION_STEP_INDENT
    styles = {
        "title": ParagraphStyle("title", parent=base, fontName=RL_FONTS["bold"], fontSize=CALIBRATION_TITLE_PT,
                                leading=CALIBRATION_TITLE_PT * CALIBRATION_LEADING, spaceAfter=size * CALIBRATION_PARAGRAPH_GAP),
        "current": ParagraphStyle("current", parent=base, fontName=RL_FONTS["semibold"], spaceAfter=size),
        "step": ParagraphStyle("step", parent=base, leftIndent=hang, firstLineIndent=-hang),
        "cross": ParagraphStyle("cross", parent=base, alignment=TA_CENTER),
    }
    top = box.top
    for text, role in texts:
        parts = text.split("`")
        markup = "".join(
            f'<font name="{RL_FONTS["semibold"]}">{escape(part, quote=False).replace(" ", NBSP)}</font>' if index % 2
            else escape(reportlab_spaces(typeset(part, language)), quote=False)
            for index, part in enumerate(parts))
        paragraph = Paragraph(markup, styles[role])
        _, height = paragraph.wrap(box.w, box.h)
        if top - height < box.y - _EPSILON_PT:
            return False
        if not dry_run:
            paragraph.drawOn(canvas, box.x, top - height)
        top -= height + styles[role].spaceAfter
    return True
