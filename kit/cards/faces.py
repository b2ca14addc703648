"""Turn a card of a deck into its drawn front and back: one layout per deck kind, shared by every output.

Geometry is in points with the origin at the bottom-left of the card's trim box. A face is
drawn with `bleed` points of background beyond the trim (half the gutter on home sheets, 0
where cards are butted; 3 mm for the print shop) and clipped there. Texts sit inside the safe
area (SAFE_MM inside the trim). The same layouts give the text boxes the loader measures, so
`kit check` and the renderer agree on what fits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

from kit.cards.text import LEADING, Fit, TextStyle, draw, fit, overflow_message, paragraphs_of
from kit.content.decks import Axis, Card, Deck
from kit.imposition import BLEED_MM, MM, SAFE_MM, Rect, mm_to_pt
from kit.colours import MIN_CONTRAST, WHITE, contrast_ratio, text_on, tint, to_grey
from kit.theme import RL_FONTS, Theme, register_reportlab_fonts
from kit.typography import typeset

# Nothing on a card is printed smaller than this: read at arm's length across a table, in a room's light.
MIN_TYPE_PT = 8.0
POKER_PT = mm_to_pt((63.0, 88.0))  # the card the type sizes below were designed on
MAX_TYPE_SCALE = 1.8               # larger cards get larger type, up to this factor

GAP = 2.5 * MM                     # between stacked boxes of a face
PANEL_TINT = 0.14                  # share of the card's colour in the pale panel behind a pictogram


@lru_cache(maxsize=256)
def ink_of(colour: str) -> HexColor:
    """A colour string as a reportlab Color, parsed once (reportlab parses strings on every use)."""
    return HexColor(colour)
# The layout box a photo fills on each kind's front (grown into the bleed where it meets the trim).
PHOTO_FILL = {"image-starters": "panel", "photo-debate": "panel", "themes": "picture"}

# Image starters: a large picture on top, the title and an optional prompt under it, a theme band.
STARTER_PANEL = 0.58               # share of the card's height the picture panel takes
STARTER_BAND_TEXT_PT = 8.0
STARTER_TITLE = TextStyle(size=15, minimum=10, bold=True)
STARTER_TEXT = TextStyle(size=9, minimum=MIN_TYPE_PT)
STARTER_TITLE_LINES = 2

# Blank page: the prompt on a coloured band, ruled lines to write on.
BLANK_BAND = 0.30
BLANK_TITLE = TextStyle(size=15, minimum=9, bold=True)
BLANK_TEXT = TextStyle(size=8.5, minimum=MIN_TYPE_PT, italic=True)
BLANK_TEXT_LINES = 2
RULE_SPACING = 7 * MM              # a comfortable handwriting line
RULE_WIDTH_PT = 0.5

# Photo debate: picture, name, two or three lines of description, one scale per tension axis.
DEBATE_NAME = TextStyle(size=12, minimum=9, bold=True)
DEBATE_NAME_LINES = 2
DEBATE_TEXT = TextStyle(size=8.5, minimum=MIN_TYPE_PT)
DEBATE_TEXT_LINES = 3
AXIS_LABEL = TextStyle(size=8, minimum=MIN_TYPE_PT, bold=True)
AXIS_HEIGHT = 23.0                 # per axis: its labels, then the scale, then a gap
AXIS_TICKS = 5                     # marks on a scale: a pen's cross goes on or between them
AXIS_TICK_PT = (3.0, 5.0)          # inner and end tick heights
AXIS_LINE_PT = 0.8
AXIS_LABEL_GAP = 4.0               # the least space between an axis's two labels

# Theme cards: readable from across a table, a pictogram in a white disc and a big title.
THEME_TITLE = TextStyle(size=24, minimum=13, bold=True, align="centre")
THEME_TEXT = TextStyle(size=9, minimum=MIN_TYPE_PT, align="centre")
THEME_TEXT_LINES = 2
THEME_DISC_CENTRE = 0.64           # height of the disc's centre, as a share of the card's
THEME_DISC_RADIUS = (0.30, 0.19)   # the disc's radius: the smaller of these shares of width, height
THEME_PICTOGRAM = 1.25             # the pictogram's side, as a multiple of the disc's radius
THEME_LABEL_PT = 9.0               # the theme's name above the disc, when it is not the card's title

# Backs: the deck's title, an optional text per card, a subtitle; no frame (a frame near the trim
# shows every millimetre of duplex drift). "full" backs are the deck's colour edge to edge;
# "light" ones (print.backs, for home printers) are paper with a band of colour behind the title.
BACK_TITLE = TextStyle(size=18, minimum=10, bold=True, align="centre")
BACK_TEXT = TextStyle(size=9, minimum=MIN_TYPE_PT, align="centre")
BACK_SUBTITLE = TextStyle(size=8, minimum=MIN_TYPE_PT, align="centre")
BACK_TITLE_BAND = (0.38, 0.66)     # the title is centred in this band of the card's height
BACK_STYLES = ("full", "light")


@dataclass(frozen=True)
class Slot:
    """A text box of a face and how its text is set there."""

    box: Rect
    style: TextStyle
    valign: str = "top"


def _lines_height(style: TextStyle, lines: int) -> float:
    return style.size * LEADING * lines


def _scaled(style: TextStyle, scale: float) -> TextStyle:
    return TextStyle(size=round(style.size * scale * 2) / 2, minimum=style.minimum, bold=style.bold,
                     italic=style.italic, align=style.align)


def type_scale(size: tuple[float, float]) -> float:
    """How much larger than on a poker card the type starts: 1 for poker and smaller."""
    return max(1.0, min(MAX_TYPE_SCALE, size[0] / POKER_PT[0], size[1] / POKER_PT[1]))


# ----------------------------------------------------------------------------------- layouts

@dataclass(frozen=True)
class Layout:
    """The boxes of one kind of face at one card size (trim coordinates, points)."""

    size: tuple[float, float]
    slots: dict[str, Slot]
    panel: Rect | None = None     # the picture panel (photos fill it and its bleed)
    picture: Rect | None = None   # where a pictogram is drawn whole
    band: Rect | None = None      # a band of the card's colour
    rules: Rect | None = None     # the ruled writing space
    axes: tuple[Rect, ...] = ()   # one box per tension axis
    disc: tuple[float, float, float] | None = None  # centre x, y and radius
    extras: dict[str, float] = field(default_factory=dict)

    @property
    def safe(self) -> Rect:
        return Rect(0, 0, *self.size).inset(SAFE_MM * MM)


@lru_cache(maxsize=64)
def layout(kind: str, size: tuple[float, float], axes: int = 0) -> Layout:
    """The front layout of a deck kind at a card size (with `axes` scales for a photo debate)."""
    return {"image-starters": _starters, "blank-page": _blank, "photo-debate": _debate,
            "themes": _themes}[kind](size, axes)


def _starters(size, axes) -> Layout:
    w, h = size
    scale = type_scale(size)
    safe = SAFE_MM * MM
    title, text = _scaled(STARTER_TITLE, scale), _scaled(STARTER_TEXT, scale)
    band = Rect(0, 0, w, safe + STARTER_BAND_TEXT_PT * scale * 1.6)
    panel = Rect(0, h * (1 - STARTER_PANEL), w, h * STARTER_PANEL)
    picture = Rect(safe, panel.y + GAP, w - 2 * safe, panel.h - safe - GAP)
    top, bottom = panel.y - GAP, band.top + GAP
    title_h = min(top - bottom, _lines_height(title, STARTER_TITLE_LINES))
    slots = {
        "title": Slot(Rect(safe, top - title_h, w - 2 * safe, title_h), title),
        "text": Slot(Rect(safe, bottom, w - 2 * safe, max(0.0, top - title_h - bottom - GAP / 2)), text),
    }
    return Layout(size, slots, panel=panel, picture=picture, band=band,
                  extras={"band_text": STARTER_BAND_TEXT_PT * scale, "text_follows_title": 1.0})


def _blank(size, axes) -> Layout:
    w, h = size
    scale = type_scale(size)
    safe = SAFE_MM * MM
    title, text = _scaled(BLANK_TITLE, scale), _scaled(BLANK_TEXT, scale)
    band = Rect(0, h * (1 - BLANK_BAND), w, h * BLANK_BAND)
    title_box = Rect(safe, band.y + GAP, w - 2 * safe, band.h - safe - GAP)
    text_h = _lines_height(text, BLANK_TEXT_LINES)
    text_box = Rect(safe, band.y - GAP - text_h, w - 2 * safe, text_h)
    rules = Rect(safe, safe, w - 2 * safe, text_box.y - GAP - safe)
    slots = {"title": Slot(title_box, title, "middle"), "text": Slot(text_box, text)}
    return Layout(size, slots, band=band, rules=rules, extras={"rules_top_without_text": band.y - GAP})


def _debate(size, axes) -> Layout:
    w, h = size
    scale = type_scale(size)
    safe = SAFE_MM * MM
    name, text = _scaled(DEBATE_NAME, scale), _scaled(DEBATE_TEXT, scale)
    axis_h = AXIS_HEIGHT * scale
    boxes = tuple(Rect(safe, safe + (axes - 1 - i) * axis_h, w - 2 * safe, axis_h) for i in range(axes))
    y = safe + axes * axis_h + GAP
    text_h = _lines_height(text, DEBATE_TEXT_LINES)
    text_box = Rect(safe, y, w - 2 * safe, text_h)
    name_h = _lines_height(name, DEBATE_NAME_LINES)
    name_box = Rect(safe, text_box.top + GAP / 2, w - 2 * safe, name_h)
    panel_y = name_box.top + GAP
    panel = Rect(0, panel_y, w, max(0.0, h - panel_y))
    picture = Rect(safe, panel.y + GAP, w - 2 * safe, max(0.0, panel.h - safe - GAP))
    slots = {"title": Slot(name_box, name, "bottom"), "text": Slot(text_box, text)}
    return Layout(size, slots, panel=panel, picture=picture, axes=boxes,
                  extras={"axis_label": AXIS_LABEL.size * scale})


def _themes(size, axes) -> Layout:
    w, h = size
    scale = type_scale(size)
    safe = SAFE_MM * MM
    title, text = _scaled(THEME_TITLE, scale), _scaled(THEME_TEXT, scale)
    radius = min(w * THEME_DISC_RADIUS[0], h * THEME_DISC_RADIUS[1])
    cx, cy = w / 2, h * THEME_DISC_CENTRE
    side = radius * THEME_PICTOGRAM
    picture = Rect(cx - side / 2, cy - side / 2, side, side)
    text_h = _lines_height(text, THEME_TEXT_LINES)
    text_box = Rect(safe, safe, w - 2 * safe, text_h)
    title_y = text_box.top + GAP
    title_box = Rect(safe, title_y, w - 2 * safe, max(0.0, cy - radius - GAP - title_y))
    label_size = THEME_LABEL_PT * scale
    label_bottom = cy + radius + GAP / 2
    label_box = Rect(safe, label_bottom, w - 2 * safe, max(0.0, h - safe - label_bottom))
    slots = {"title": Slot(title_box, title, "middle"), "text": Slot(text_box, text),
             "label": Slot(label_box, TextStyle(size=label_size, minimum=MIN_TYPE_PT, bold=True, align="centre"),
                           "middle")}
    return Layout(size, slots, picture=picture, disc=(cx, cy, radius))


@lru_cache(maxsize=64)
def back_layout(size: tuple[float, float]) -> Layout:
    """The back: the deck's title in the middle, a card's own back text under it, a subtitle low."""
    w, h = size
    scale = type_scale(size)
    safe = SAFE_MM * MM
    inner = Rect(0, 0, w, h).inset(safe + GAP)
    title, text, subtitle = _scaled(BACK_TITLE, scale), _scaled(BACK_TEXT, scale), _scaled(BACK_SUBTITLE, scale)
    sub_h = _lines_height(subtitle, 2)
    sub_box = Rect(inner.x, inner.y, inner.w, sub_h)
    title_box = Rect(inner.x, h * BACK_TITLE_BAND[0], inner.w, h * (BACK_TITLE_BAND[1] - BACK_TITLE_BAND[0]))
    text_box = Rect(inner.x, sub_box.top + GAP, inner.w, title_box.y - GAP - sub_box.top - GAP)
    slots = {"back.title": Slot(title_box, title, "middle"), "back": Slot(text_box, text),
             "back.subtitle": Slot(sub_box, subtitle, "bottom")}
    return Layout(size, slots)


def _size_pt(deck: Deck) -> tuple[float, float]:
    return mm_to_pt(deck.size_mm)


# ------------------------------------------------------------------------------- measuring

def _fit(text: str | None, slot: Slot, language: str) -> Fit:
    return fit(paragraphs_of(text, language), slot.style, slot.box.w, slot.box.h)


def text_slot(lay: Layout, card: Card, language: str) -> Slot:
    """Where a card's text goes: its fixed box, or (image starters) right under the title as set."""
    slot = lay.slots["text"]
    if not lay.extras.get("text_follows_title") or not card.title:
        return slot
    title = lay.slots["title"]
    top = title.box.top - _fit(card.title, title, language).height - GAP / 2
    return Slot(Rect(slot.box.x, slot.box.y, slot.box.w, max(0.0, top - slot.box.y)), slot.style, slot.valign)


def axis_label_size(deck: Deck) -> tuple[float, Axis | None]:
    """The size every axis label of a deck is set at, and an axis too long for the card at the minimum."""
    register_reportlab_fonts()
    lay = layout(deck.kind, _size_pt(deck), len(deck.axes))
    if not deck.axes:
        return 0.0, None
    width = lay.axes[0].w
    size = lay.extras["axis_label"]
    font = RL_FONTS["bold"]
    while True:
        worst = max(deck.axes, key=lambda a: stringWidth(a.left, font, size) + stringWidth(a.right, font, size))
        used = stringWidth(worst.left, font, size) + stringWidth(worst.right, font, size) + AXIS_LABEL_GAP
        if used <= width:
            return size, None
        if size - 0.5 < AXIS_LABEL.minimum:
            return size, worst
        size -= 0.5


def text_problems(deck: Deck, language: str) -> list[tuple[str, Card | None, str]]:
    """Every text of the deck that does not fit its box: (field, card or None for the deck, message)."""
    size = _size_pt(deck)
    lay = layout(deck.kind, size, len(deck.axes))
    back = back_layout(size)
    found: list[tuple[str, Card | None, str]] = []
    if lay.slots["title"].box.h <= 0:
        found.append(("size", None, "expected a card large enough for its layout, got one too small"))
        return found
    for name, text in (("back.title", deck.back.title), ("back.subtitle", deck.back.subtitle)):
        fitted = _fit(text, back.slots[name], language)
        if not fitted.fits:
            found.append((name, None, overflow_message(fitted, back.slots[name].style, back.slots[name].box.w)))
    if deck.axes:
        _, too_long = axis_label_size(deck)
        if too_long:
            found.append(("axes", None, f"expected axis ends that fit side by side at {AXIS_LABEL.minimum:g} pt, got "
                                        f'"{too_long.left}" / "{too_long.right}" too long; shorten them'))
    for card in deck.cards:
        if "label" in lay.slots and (label := theme_label(deck, card)):
            fitted = _fit(label, lay.slots["label"], language)
            if not fitted.fits:
                found.append(("theme", card, overflow_message(fitted, lay.slots["label"].style, lay.slots["label"].box.w)))
        for name, text, slot in (("title", card.title, lay.slots["title"]),
                                 ("text", card.text, text_slot(lay, card, language)),
                                 ("back", card.back, back.slots["back"])):
            if not text:
                continue
            fitted = _fit(text, slot, language)
            if not fitted.fits:
                found.append((name, card, overflow_message(fitted, slot.style, slot.box.w)))
    return found


# --------------------------------------------------------------------------------- drawing

@dataclass
class Art:
    """What drawing a face needs besides the deck: colours, images and language (soft photos are the
    deck check's warning, kit.generators.deck, said before anything is drawn)."""

    theme: Theme
    kit_root: Path
    cache_dir: Path
    placed: list[tuple[str, float]] = field(default_factory=list)  # (image, effective dpi) per photo drawn

    @property
    def language(self) -> str:
        return self.theme.language

    def colour(self, spec: str) -> str:
        """A deck colour (theme role or "#rrggbb") as printed, grey in ink-saver mode."""
        if not spec.startswith("#"):
            return self.theme.colour(spec)
        return to_grey(spec) if self.theme.greyscale else spec

    def image_path(self, relative: str) -> Path:
        return (self.kit_root / relative.replace("\\", "/")).resolve()


def on(background: str, ink: str) -> tuple[str, str]:
    """(background, text colour) for text printed on a colour: at least 4.5:1 apart (kit.colours.text_on)."""
    return text_on(background, ink)


def _rect(canvas, box: Rect, colour: str) -> None:
    canvas.setFillColor(ink_of(colour))
    canvas.rect(box.x, box.y, box.w, box.h, stroke=0, fill=1)


def _bleeds(bleed) -> tuple[float, float]:
    """A bleed as (along the card's width, along its height): one number is the same on every side."""
    return (bleed, bleed) if isinstance(bleed, (int, float)) else (float(bleed[0]), float(bleed[1]))


def _whole(size: tuple[float, float], bleed) -> Rect:
    """The card's trim box grown by its bleed: all a face may cover."""
    bx, by = _bleeds(bleed)
    return Rect(-bx, -by, size[0] + 2 * bx, size[1] + 2 * by)


def _bled(box: Rect, size: tuple[float, float], bleed) -> Rect:
    """A background box grown into the bleed on every side where it touches the trim."""
    w, h = size
    bx, by = _bleeds(bleed)
    x0 = box.x - bx if box.x <= 0.01 else box.x
    y0 = box.y - by if box.y <= 0.01 else box.y
    x1 = box.right + bx if box.right >= w - 0.01 else box.right
    y1 = box.top + by if box.top >= h - 0.01 else box.top
    return Rect(x0, y0, x1 - x0, y1 - y0)


def _text(canvas, slot: Slot, text: str | None, colour: str, language: str) -> None:
    if not text:
        return
    fitted = _fit(text, slot, language)
    draw(canvas, fitted, slot.style, slot.box.x, slot.box.y, slot.box.w, slot.box.h, colour, slot.valign)


def photo_request(deck: Deck, card: Card, art: Art):
    """The photo a card's front draws, as kit.images prepares it (None for a pictogram or no image).

    Photos are prepared once for the print-shop box (trim + bleed), whatever the output, so every
    output shares one cached file; home sheets clip the bleed away.
    """
    from kit.images import PhotoRequest

    if not card.image or deck.kind not in PHOTO_FILL:
        return None
    source = art.image_path(card.image)
    if source.suffix.lower() == ".svg":
        return None
    lay = layout(deck.kind, _size_pt(deck), len(deck.axes))
    area = _bled(getattr(lay, PHOTO_FILL[deck.kind]), lay.size, BLEED_MM * MM)
    return PhotoRequest(source, (area.w / MM, area.h / MM), card.focus, art.theme.greyscale)


def _picture(canvas, card: Card, deck: Deck, lay: Layout, art: Art, bleed: float) -> None:
    """A card's image: SVG pictograms whole in the picture box (vector), photos filling their box and its bleed."""
    from kit.images import draw_prepared, draw_svg, pictogram, prepare

    if not card.image:
        return
    source = art.image_path(card.image)
    if source.suffix.lower() == ".svg":
        box = lay.picture
        drawn = pictogram(source, greyscale=art.theme.greyscale, root=art.kit_root, cache_dir=art.cache_dir)
        draw_svg(canvas, drawn, (box.x, box.y, box.w, box.h))
        return
    fill = getattr(lay, PHOTO_FILL[deck.kind])
    area = _bled(fill, lay.size, BLEED_MM * MM)
    request = photo_request(deck, card, art)
    prepared = prepare(request.source, request.box_mm, request.focus, cache_dir=art.cache_dir,
                       greyscale=request.greyscale)
    art.placed.append((card.image, prepared.effective_dpi))
    canvas.saveState()
    clip = _bled(fill, lay.size, bleed)
    path = canvas.beginPath()
    path.rect(clip.x, clip.y, clip.w, clip.h)
    canvas.clipPath(path, stroke=0, fill=0)
    draw_prepared(canvas, prepared, (area.x, area.y, area.w, area.h))
    canvas.restoreState()


def draw_front(canvas, deck: Deck, card: Card, art: Art, bleed=0.0) -> None:
    """Draw a card's front with its trim box at the canvas origin, clipped `bleed` points outside it
    (one number, or (along the width, along the height))."""
    size = _size_pt(deck)
    lay = layout(deck.kind, size, len(deck.axes))
    canvas.saveState()
    _clip(canvas, size, bleed)
    colour = art.colour(deck.card_colour(card))
    ink = art.colour("ink")
    _rect(canvas, _whole(size, bleed), WHITE)
    {"image-starters": _draw_starter, "blank-page": _draw_blank, "photo-debate": _draw_debate,
     "themes": _draw_theme}[deck.kind](canvas, deck, card, lay, art, bleed, colour, ink)
    canvas.restoreState()


def _clip(canvas, size, bleed) -> None:
    box = _whole(size, bleed)
    path = canvas.beginPath()
    path.rect(box.x, box.y, box.w, box.h)
    canvas.clipPath(path, stroke=0, fill=0)


def theme_label(deck: Deck, card: Card) -> str | None:
    """The theme name a theme card prints above its pictogram: none when it is the card's title."""
    label = deck.theme_label(card)
    if not label or label.strip().casefold() == (card.title or "").strip().casefold():
        return None
    return label


def _line(text: str, language: str) -> str:
    """A one-line label drawn with drawString, with the kit's typography (narrow spaces, apostrophes)."""
    return typeset(text, language)


def _draw_starter(canvas, deck, card, lay: Layout, art, bleed, colour, ink) -> None:
    _rect(canvas, _bled(lay.panel, lay.size, bleed), tint(colour, PANEL_TINT))
    _picture(canvas, card, deck, lay, art, bleed)
    band, band_ink = on(colour, ink)
    _rect(canvas, _bled(lay.band, lay.size, bleed), band)
    label = deck.theme_label(card) or deck.title
    size = lay.extras["band_text"]
    safe = SAFE_MM * MM
    canvas.setFillColor(ink_of(band_ink))
    canvas.setFont(RL_FONTS["bold"], size)
    baseline = safe + (lay.band.top - safe - size * 0.72) / 2
    canvas.drawString(safe, baseline, _line(label, art.language).upper())
    canvas.setFont(RL_FONTS["regular"], size)
    canvas.drawRightString(lay.size[0] - safe, baseline, str(card.number))
    _text(canvas, lay.slots["title"], card.title, ink, art.language)
    _text(canvas, text_slot(lay, card, art.language), card.text, ink, art.language)


def _draw_blank(canvas, deck, card, lay: Layout, art, bleed, colour, ink) -> None:
    band, band_ink = on(colour, ink)
    _rect(canvas, _bled(lay.band, lay.size, bleed), band)
    _text(canvas, lay.slots["title"], card.title, band_ink, art.language)
    top = lay.rules.top
    if card.text:
        _text(canvas, lay.slots["text"], card.text, art.colour("muted"), art.language)
    else:
        top = lay.extras["rules_top_without_text"]
    canvas.setStrokeColor(ink_of(art.colour("muted")))
    canvas.setLineWidth(RULE_WIDTH_PT)
    y = top - RULE_SPACING
    while y >= lay.rules.y - 0.01:
        canvas.line(lay.rules.x, y, lay.rules.right, y)
        y -= RULE_SPACING


def _draw_debate(canvas, deck, card, lay: Layout, art, bleed, colour, ink) -> None:
    _rect(canvas, _bled(lay.panel, lay.size, bleed), tint(colour, PANEL_TINT))
    _picture(canvas, card, deck, lay, art, bleed)
    _text(canvas, lay.slots["title"], card.title, ink, art.language)
    _text(canvas, lay.slots["text"], card.text, ink, art.language)
    size, _ = axis_label_size(deck)
    scale = type_scale(lay.size)
    for axis, box in zip(deck.axes, lay.axes):
        _draw_axis(canvas, axis, box, size, scale, colour, ink, art.language)


def _draw_axis(canvas, axis, box: Rect, size: float, scale: float, colour: str, ink: str, language: str) -> None:
    """One tension axis: its two ends as labels, a scale with ticks under them to mark with a pen."""
    label_y = box.top - size
    canvas.setFillColor(ink_of(ink))
    canvas.setFont(RL_FONTS["bold"], size)
    canvas.drawString(box.x, label_y, _line(axis.left, language))
    canvas.drawRightString(box.right, label_y, _line(axis.right, language))
    inner, end = (t * scale for t in AXIS_TICK_PT)
    line_y = label_y - size * 0.6 - end / 2 - 1.5
    canvas.setStrokeColor(ink_of(colour))
    canvas.setLineWidth(AXIS_LINE_PT)
    canvas.line(box.x, line_y, box.right, line_y)
    for index in range(AXIS_TICKS):
        x = box.x + box.w * index / (AXIS_TICKS - 1)
        tick = end if index in (0, AXIS_TICKS - 1) else inner
        canvas.line(x, line_y - tick / 2, x, line_y + tick / 2)


def _draw_theme(canvas, deck, card, lay: Layout, art, bleed, colour, ink) -> None:
    background, text_ink = on(colour, ink)
    _rect(canvas, _whole(lay.size, bleed), background)
    cx, cy, radius = lay.disc
    canvas.setFillColor(ink_of(WHITE))
    canvas.circle(cx, cy, radius, stroke=0, fill=1)
    _picture(canvas, card, deck, lay, art, bleed)
    _text(canvas, lay.slots["label"], theme_label(deck, card), text_ink, art.language)
    _text(canvas, lay.slots["title"], card.title, text_ink, art.language)
    _text(canvas, lay.slots["text"], card.text, text_ink, art.language)


def draw_back(canvas, deck: Deck, card: Card, art: Art, bleed=0.0, style: str = "full") -> None:
    """Draw a card's back with its trim box at the canvas origin: title, its own text, subtitle.

    No frame or edge-bound line: a back that lands a millimetre off its front must not show it.
    "full": the deck's colour over the whole card and its bleed. "light": paper, with a band of
    the colour across the card's whole width (into the bleed) behind the title, so side-to-side
    drift stays invisible and the back takes about a quarter of the ink.
    """
    size = _size_pt(deck)
    lay = back_layout(size)
    canvas.saveState()
    _clip(canvas, size, bleed)
    colour, title_ink = on(art.colour(deck.back.colour), art.colour("ink"))
    if style == "light":
        _rect(canvas, _whole(size, bleed), WHITE)
        title_box = lay.slots["back.title"].box
        _rect(canvas, _bled(Rect(0, title_box.y, size[0], title_box.h), size, bleed), colour)
        # Texts on paper: in the deck's colour when it reads on white, else in ink.
        _, paper_ink = text_on(WHITE, art.colour("ink"))
        text_ink = colour if contrast_ratio(colour, WHITE) >= MIN_CONTRAST else paper_ink
    else:
        _rect(canvas, _whole(size, bleed), colour)
        text_ink = title_ink
    _text(canvas, lay.slots["back.title"], deck.back.title, title_ink, art.language)
    _text(canvas, lay.slots["back"], card.back, text_ink, art.language)
    _text(canvas, lay.slots["back.subtitle"], deck.back.subtitle, text_ink, art.language)
    canvas.restoreState()
