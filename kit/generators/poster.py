"""Plan theme posters and photo-debate boards: their outputs, their geometry as data, their checks.

Theme posters: one page per clustering theme. A band in the theme's colour carries its
pictogram, title and line of examples; the rest of the sheet (at least WRITING_SHARE_MIN of
it) is writing area: one zone per kind of post-it, each on a neutral ground (white paper, framed)
every note stands out from (kit.postits), with each colour's meaning said once, in its zone's label.

Debate boards: an open field, no cells. The axes run through it as continua (ticks, no
quadrant slots), with a centre zone for "it depends" and a column where the group writes on
what condition a service would change sides, one row per card of the deck. When a board serves
a deck (`deck:`), its axes, their order and poles (the first pole on the left, as on the cards;
on top when the axis stands upright), the card size and the card list all come from the deck.
The first two axes cross on the first board; any further axis is a track of its own. A board
too small for every card of its deck is printed on two sheets assembled edge to edge.

The geometry is plain data (`poster_layout`, `board_layout`), tested without drawing; the
drawing is in kit.render.posters and kit.render.boards.
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.cards.text import TextStyle, fit, paragraphs_of
from kit.checks import Check
from kit.content import Content
from kit.content.worksheets import DEBATE_BOARD, THEME_POSTERS, Axis, DebateBoard, ThemePosters, Zone
from kit.errors import Problem
from kit.generators import RenderContext, Rendered, register
from kit.imposition import Rect
from kit.outputs import Output, needs
from kit.postits import MIN_NOTE_DIFFERENCE, zone_ground
from kit.theme import MM, PAPER_MM

POST_IT_MM = 76.0          # the square post-it pad of the sessions

# -- theme posters ---------------------------------------------------------------------------
POSTER_MARGIN_MM = 8.0     # nothing prints nearer the sheet edge (no "fit to page")
WRITING_SHARE_MIN = 0.75   # of the sheet: what the wall is for is the pairs' findings
HEADER_MM = 34.0           # the theme's band: pictogram, title, line of examples
HEADER_PAD_MM = 3.0
HEADER_GAP_MM = 4.0
TITLE_SHARE = 0.64         # of the band's inner height, for the title; the rest for the examples
TITLE_STYLE = TextStyle(size=60.0, minimum=32.0, bold=True)
HINT_STYLE = TextStyle(size=16.0, minimum=11.0)
ZONE_LABEL_MM = 10.0       # above each zone's ground: its title and its colours' meanings
ZONE_GAP_MM = 4.0
FOOTER_MM = 5.0
FOOTER_PT = 8.0

# -- debate boards ---------------------------------------------------------------------------
BOARD_MARGIN_MM = 12.0
BOARD_TITLE_MM = 27.0      # title, deck and instructions above everything
BOARD_FOOTER_MM = 7.0
CONDITIONS_MM = 100.0      # the "à quelle condition…" column, on the right
CONDITIONS_GAP_MM = 6.0
CONDITIONS_HEAD_MM = 16.0
CONDITION_ROW_MM = (14.0, 24.0)  # a card's row: its name and lines to write on, between these heights
CENTRE_RADIUS_MM = 50.0    # the centre zone holds two cards side by side, or one and its note
CARDS_SHARE_MAX = 0.6      # the deck's cards cover at most this much of the field: room to slide them
MAX_SHEETS = 2             # sheets assembled edge to edge for one board


def poster_path(sheet_id: str) -> str:
    return f"worksheets/{sheet_id}.pdf"


# ============================================================================ theme posters

@dataclass(frozen=True)
class PosterZone:
    """A zone of a poster: the strip of its label and the ground the post-its go on."""

    label: Rect
    ground: Rect

    @property
    def notes_flat(self) -> int:
        """How many post-its lie side by side on the ground without overlapping."""
        pad = POST_IT_MM * MM
        return int(self.ground.w // pad) * int(self.ground.h // pad)


@dataclass(frozen=True)
class PosterLayout:
    """Where a poster's parts go, in points (bottom-left origin)."""

    page: tuple[float, float]
    header: Rect
    pictogram: Rect
    title: Rect
    hint: Rect
    zones: tuple[PosterZone, ...]
    footer_y: float

    @property
    def writing_share(self) -> float:
        """The share of the sheet left to write and stick notes on (the zones' grounds)."""
        width, height = self.page
        return sum(z.ground.w * z.ground.h for z in self.zones) / (width * height)


def poster_layout(paper: str, zones: int) -> PosterLayout:
    width, height = (v * MM for v in PAPER_MM[paper])
    margin = POSTER_MARGIN_MM * MM
    inner_w = width - 2 * margin
    header = Rect(margin, height - margin - HEADER_MM * MM, inner_w, HEADER_MM * MM)
    pad = HEADER_PAD_MM * MM
    disc = header.h - 2 * pad
    pictogram = Rect(header.x + pad, header.y + pad, disc, disc)
    text_x = pictogram.right + 2 * pad
    text_w = header.right - 2 * pad - text_x
    inner_h = header.h - 2 * pad
    title = Rect(text_x, header.top - pad - inner_h * TITLE_SHARE, text_w, inner_h * TITLE_SHARE)
    hint = Rect(text_x, header.y + pad, text_w, title.y - header.y - pad)
    footer_y = margin
    bottom = margin + FOOTER_MM * MM
    top = header.y - HEADER_GAP_MM * MM
    rects: list[PosterZone] = []
    if zones:
        gap = ZONE_GAP_MM * MM
        zone_h = (top - bottom - gap * (zones - 1)) / zones
        label = ZONE_LABEL_MM * MM
        for index in range(zones):
            zone_top = top - index * (zone_h + gap)
            rects.append(PosterZone(Rect(margin, zone_top - label, inner_w, label),
                                    Rect(margin, zone_top - zone_h, inner_w, zone_h - label)))
    return PosterLayout((width, height), header, pictogram, title, hint, tuple(rects), footer_y)


def poster_ground(zones: tuple[Zone, ...]) -> str | None:
    """The one ground of every zone of a poster: every note of the sheet stands out from it."""
    return zone_ground(tuple(dict.fromkeys(note.colour for zone in zones for note in zone.notes)))


def _poster_values(sheet: ThemePosters) -> dict[str, str]:
    """What a poster prints from its deck (titles, lines of examples, colours): declared as values,
    so an edit of another card field of the deck does not render the posters again."""
    if sheet.deck is None:
        return {}
    return {"themes": "\n".join(f"{t.title}|{t.hint or ''}|{t.colour or ''}|{t.source or ''}" for t in sheet.themes)}


@register
class ThemePostersGenerator:
    """The wall posters of the clustering themes: one A3 page per theme."""

    kind = "theme-posters"
    renderers = ("kit.canvas",)

    def outputs(self, content: Content) -> list[Output]:
        outputs = []
        for sheet in content.of("worksheets").values():
            if sheet is None or sheet.kind != THEME_POSTERS:
                continue
            images = sorted({t.source for t in sheet.themes if t.source})
            sources = (sheet.file, *([sheet.deck_file] if sheet.deck_file else []), *images)
            outputs.append(Output(self.kind, poster_path(sheet.id), sheet.id, sources, "posters",
                                  inputs=needs(files=(sheet.file, *images), language=content.config.language,
                                               values=_poster_values(sheet))))
        return outputs

    def render(self, output: Output, content: Content, context: RenderContext) -> Rendered:
        from kit.render.posters import render_posters

        sheet: ThemePosters = content.of("worksheets")[output.subject]
        data, pages = render_posters(sheet, content, context)
        return Rendered({output.path: data}, pages)

    def checks(self, content: Content) -> list[Check]:
        """Per poster sheet: titles that fit at their smallest size, pictograms that can be drawn,
        raster pictograms sharp enough, and post-it colours that stand out from the zones."""
        return [Check(f"posters:{sheet.id}",
                      needs(files=(sheet.file, *sorted({t.source for t in sheet.themes if t.source})),
                            settings=("language", "paper"), fonts=True, values=_poster_values(sheet)),
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
            place = f"themes[{index}]" if sheet.deck is None else f"cards[{index}]"
            file = poster.file or sheet.file
            titles = ((place, poster.title),)
            fitted = fit(paragraphs_of(poster.title, config.language), TITLE_STYLE, layout.title.w, layout.title.h)
            if not fitted.fits:
                warnings.append(Problem(file, poster.line, f"{place}.title",
                                        f"expected a title that fits the poster at {TITLE_STYLE.minimum:g} pt, "
                                        f"got \"{poster.title}\" too long; shorten it", titles))
            if poster.pictogram is None:
                continue
            if poster.pictogram.suffix.lower() == ".svg":
                problem = drawing_problem(poster.pictogram, poster.source, config.root, cache_dir)
                if problem:
                    errors.append(Problem(file, poster.line, f"{place}.pictogram", problem, titles))
                continue
            dpi = planned_dpi(poster.pictogram, box_mm, (0.5, 0.5))
            if dpi < MIN_DPI:
                warnings.append(resolution_problem(file, poster.line, f"{place}.pictogram", poster.source,
                                                   box_mm, dpi, titles))
        if sheet.zones and poster_ground(sheet.zones) is None:
            warnings.append(_contrast_problem(sheet))
        return errors, warnings
    return run


def _contrast_problem(sheet) -> Problem:
    colours = ", ".join(f"{n.name} {n.colour}" for zone in sheet.zones for n in zone.notes)
    return Problem(sheet.file, sheet.line, "notes",
                   f"expected post-it colours that all stand out (ΔE ≥ {MIN_NOTE_DIFFERENCE:g}) from one neutral "
                   f"ground a black marker still reads on, got {colours}; choose more colourful notes")


# ============================================================================ debate boards

@dataclass(frozen=True)
class BoardLayout:
    """One board: the assembled board and the sheets it is printed on, its field, centre zone and
    conditions column, in points (bottom-left origin of the assembled board)."""

    board: tuple[float, float]      # the assembled board
    sheet: tuple[float, float]      # each printed sheet
    offsets: tuple[float, ...]      # the board x of each sheet's left edge
    title: Rect
    field: Rect
    centre: tuple[float, float, float]  # x, y, radius
    conditions: Rect
    rows: tuple[Rect, ...]          # one per card of the deck (blank rows without a deck)
    card: tuple[float, float]
    axes: tuple[Axis, ...]          # (upright, lying) on a cross; (lying,) on a track

    @property
    def cross(self) -> bool:
        return len(self.axes) == 2

    @property
    def sheets(self) -> int:
        return len(self.offsets)

    def printed(self, index: int) -> Rect:
        """The part of the board sheet `index` prints: its own sheet less the margins (the margin
        a sheet shares with the previous one lies under that sheet's cut edge)."""
        margin = BOARD_MARGIN_MM * MM
        width, height = self.sheet
        return Rect(self.offsets[index] + margin, margin, width - 2 * margin, height - 2 * margin)

    @property
    def capacity(self) -> int:
        """How many cards lie in the field side by side without overlapping."""
        return int(self.field.w // self.card[0]) * int(self.field.h // self.card[1])

    def cards_share(self, cards: int) -> float:
        return cards * self.card[0] * self.card[1] / (self.field.w * self.field.h)


def _board(paper: str, card: tuple[float, float], axes: tuple[Axis, ...], rows: int, sheets: int) -> BoardLayout:
    """The board on `sheets` sheets, with `rows` conditions rows (none: as many blank rows as fit)."""
    short, long = (v * MM for v in PAPER_MM[paper])
    margin = BOARD_MARGIN_MM * MM
    # One sheet lies landscape; assembled sheets stand portrait side by side, each overlapping the
    # previous one by a margin (the previous sheet is cut at its printed edge and laid over it).
    sheet = (long, short) if sheets == 1 else (short, long)
    step = sheet[0] - 2 * margin
    offsets = tuple(index * step for index in range(sheets))
    width, height = offsets[-1] + sheet[0], sheet[1]
    title = Rect(margin, height - margin - BOARD_TITLE_MM * MM, width - 2 * margin, BOARD_TITLE_MM * MM)
    bottom = margin + BOARD_FOOTER_MM * MM
    conditions = Rect(width - margin - CONDITIONS_MM * MM, bottom, CONDITIONS_MM * MM, title.y - bottom)
    field = Rect(margin, bottom, conditions.x - CONDITIONS_GAP_MM * MM - margin, title.y - bottom)
    cx, cy = field.centre
    low, high = (v * MM for v in CONDITION_ROW_MM)
    room = conditions.h - CONDITIONS_HEAD_MM * MM
    count = rows or int(room // high)
    row_h = max(low, min(high, room / count))
    top = conditions.top - CONDITIONS_HEAD_MM * MM
    boxes = tuple(Rect(conditions.x, top - (i + 1) * row_h, conditions.w, row_h)
                  for i in range(min(count, int(room / row_h + 1e-6))))
    return BoardLayout((width, height), sheet, offsets, title, field, (cx, cy, CENTRE_RADIUS_MM * MM), conditions,
                       boxes, card, axes)


def board_layout(paper: str, card_mm: tuple[float, float], axes: tuple[Axis, ...], cards: int = 0,
                 rows: int | None = None) -> BoardLayout:
    """The fewest sheets whose field holds every card of the deck with room to move them;
    `rows`: the conditions rows (one per distinct card; the default one per card)."""
    card = (card_mm[0] * MM, card_mm[1] * MM)
    layout = None
    for sheets in range(1, MAX_SHEETS + 1):
        layout = _board(paper, card, axes, rows if rows is not None else cards, sheets)
        if layout.capacity >= cards and layout.cards_share(cards) <= CARDS_SHARE_MAX:
            break
    return layout


def boards_of(sheet: DebateBoard) -> list[tuple[Axis, ...]]:
    """The first two axes as a cross, each further axis as a track of its own."""
    if len(sheet.axes) == 1:
        return [sheet.axes[:1]]
    return [sheet.axes[:2], *[(axis,) for axis in sheet.axes[2:]]]


def layouts_of(sheet: DebateBoard) -> list[BoardLayout]:
    names = list(dict.fromkeys(sheet.cards))
    return [board_layout(sheet.paper, sheet.card_mm, axes, sheet.card_count, len(names) if names else None)
            for axes in boards_of(sheet)]


def _board_values(sheet: DebateBoard) -> dict[str, str]:
    """What a board prints from its deck, declared as values: the deck's axes, cards, size, colour."""
    if sheet.deck is None:
        return {}
    return {"deck": sheet.deck_title or "", "axes": ";".join(f"{a.pole}|{a.opposite}" for a in sheet.axes),
            "cards": "\n".join(sheet.cards), "card": "x".join(f"{v:g}" for v in sheet.card_mm),
            "colour": sheet.deck_colour or ""}


@register
class DebateBoardGenerator:
    """The photo-debate boards: an open field with the tension axes as continua, A3."""

    kind = "debate-board"
    renderers = ("kit.canvas",)

    def outputs(self, content: Content) -> list[Output]:
        return [Output(self.kind, poster_path(sheet.id), sheet.id,
                       (sheet.file, *([sheet.deck_file] if sheet.deck_file else [])), "boards",
                       inputs=needs(files=[sheet.file], language=content.config.language,
                                    values=_board_values(sheet)))
                for sheet in content.of("worksheets").values()
                if sheet is not None and sheet.kind == DEBATE_BOARD]

    def render(self, output: Output, content: Content, context: RenderContext) -> Rendered:
        from kit.render.boards import render_boards

        sheet: DebateBoard = content.of("worksheets")[output.subject]
        data, pages = render_boards(sheet, content, context)
        return Rendered({output.path: data}, pages)

    def checks(self, content: Content) -> list[Check]:
        """A deck with more cards than its board can hold, even on assembled sheets, is a warning."""
        return [Check(f"board:{sheet.id}", needs(files=[sheet.file], settings=("paper",), fonts=False,
                                                 values=_board_values(sheet)), _board_check(sheet))
                for sheet in content.of("worksheets").values()
                if sheet is not None and sheet.kind == DEBATE_BOARD and sheet.deck]


def _board_check(sheet: DebateBoard):
    def run(cache_dir=None):
        warnings = []
        for number, layout in enumerate(layouts_of(sheet), start=1):
            if layout.capacity < sheet.card_count or layout.cards_share(sheet.card_count) > CARDS_SHARE_MAX:
                warnings.append(Problem(sheet.file, sheet.line, "deck",
                                        f"expected a deck whose cards lie on board {number} with room to move "
                                        f"them, got {sheet.card_count} cards for room for {layout.capacity} "
                                        f"on {layout.sheets} sheets; split the deck"))
        return [], warnings
    return run
