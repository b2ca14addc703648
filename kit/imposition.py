"""Turn a card size and a paper size into print geometry: N-up sheets, crop marks, duplex backs, fold-over, bleed.

Pure geometry, no drawing: every position is a frozen dataclass in PostScript points with the
origin at the bottom-left of the page, as reportlab draws. Sizes users type are in millimetres.

Conventions the drawers rely on:
- `Sheet.fronts` are the trim boxes as placed on the paper, in reading order (row by row from the
  top-left). When `Sheet.rotated` is true the card is drawn turned a quarter turn counter-clockwise
  in its box (its top towards the left of the sheet), so a box is `card` with width and height swapped.
- Backs are placed so that each lands behind its front once the sheet is flipped (or folded), and
  `back_rotation` says how to turn the back's drawing so that a cut card turned over like a book
  page (about its own vertical axis) reads upright on both sides.
- Angles are degrees counter-clockwise, as `canvas.rotate` takes them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MM = 72 / 25.4  # PostScript points per millimetre (the same as kit.theme.MM; this module imports nothing of kit)

CARD_SIZES_MM: dict[str, tuple[float, float]] = {
    "poker": (63.0, 88.0),
    "tarot": (70.0, 120.0),
    "A6": (105.0, 148.0),
    "A7": (74.0, 105.0),
    "square": (70.0, 70.0),
}
BLEED_MM = 3.0    # print-shop bleed on every side: what a guillotine's drift needs
SAFE_MM = 4.0     # text stays this far inside the trim, so a slightly-off cut never touches it
# Office lasers cannot put toner within about 4.2 mm of the edge (inkjets 3 mm); a PDF with ink
# there makes print dialogs propose "fit to page", which shrinks the cards. 5 mm clears both.
SHEET_MARGIN_MM = 5.0
CROP_MARK_WIDTH_PT = 0.5     # twice the 0.25 pt minimum: a hairline vanishes on office printers
CROP_MARK_LENGTH_MM = 5.0    # the length a mark gets when the sheet leaves room for it
# Nine poker cards on Letter leave 7.7 mm above and below the grid: 5 mm margin, 1 mm offset, so
# vertical marks there get 1.7 mm. A mark shorter than this minimum is not worth a row of cards.
CROP_MARK_MIN_LENGTH_MM = 1.5
CROP_MARK_OFFSET_MM = 1.0    # marks start this far outside the trim, so a cut on the line hides them
# Home sheets: a gutter between cards, into which each card's colour bleeds by half the gutter, so
# a cut up to that far off the line shows the card's own colour, never its neighbour's band. It
# is narrowed (per axis) to keep as many cards a sheet as butted cards give: 9 poker cards on A4
# get 2 mm between columns, 3 mm between rows; on Letter the rows stay (almost) butted.
GUTTER_MM = 3.0
GUTTER_STEP_MM = 0.1         # a gutter narrowed to fit is rounded down to this
# A sheet's captions (the print hint above the cards, "deck — sheet n/m — front" below) need a
# strip this tall between the marks and the margin: one line of 8 pt text. Marks above and below
# the grid are shortened (never under CROP_MARK_MIN_LENGTH_MM) to leave it.
CAPTION_BAND_MM = 3.0
CAPTION_CLEARANCE_MM = 0.5   # between a caption and the marks or a card's bleed
FOLD_GAP_MM = 5.0            # fold-over: cards stay this far from the fold, which is cut away with the strip
FOLD_CLEARANCE_MM = 1.0      # fold-over: marks in the strip stop this short of the fold line

DUPLEX_MODES = ("long", "short", "none")
_EPSILON = 1e-6  # points; sizes equal up to float noise count as fitting

_SIZE_PATTERN = re.compile(
    r"^\s*(?P<w>\d+(?:[.,]\d+)?)\s*(?:mm)?\s*[x×*]\s*(?P<h>\d+(?:[.,]\d+)?)\s*(?:mm)?\s*$", re.IGNORECASE
)


def card_size_mm(spec: str | tuple[float, float]) -> tuple[float, float] | None:
    """A card size in mm from a name ("poker", "A6"), "63x88", "63,5 × 88 mm" or (63, 88); None if not understood."""
    if isinstance(spec, str):
        by_name = {name.lower(): size for name, size in CARD_SIZES_MM.items()}
        if spec.strip().lower() in by_name:
            return by_name[spec.strip().lower()]
        match = _SIZE_PATTERN.match(spec)
        if not match:
            return None
        size = (float(match["w"].replace(",", ".")), float(match["h"].replace(",", ".")))
    elif isinstance(spec, (tuple, list)) and len(spec) == 2:
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in spec):
            return None
        size = (float(spec[0]), float(spec[1]))
    else:
        return None
    if not all(math.isfinite(v) and v > 0 for v in size):
        return None
    return size


def mm_to_pt(size_mm: tuple[float, float]) -> tuple[float, float]:
    """A (w, h) in millimetres as points."""
    return size_mm[0] * MM, size_mm[1] * MM


def pt_to_mm(size_pt: tuple[float, float]) -> tuple[float, float]:
    """A (w, h) in points as millimetres."""
    return size_pt[0] / MM, size_pt[1] / MM


@dataclass(frozen=True)
class Rect:
    """A box on the page: bottom-left corner, width and height, in points."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def top(self) -> float:
        return self.y + self.h

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2

    def mirrored_x(self, page_w: float) -> Rect:
        """The same box seen through the page flipped about its vertical axis (left ↔ right)."""
        return Rect(page_w - self.right, self.y, self.w, self.h)

    def mirrored_y(self, page_h: float) -> Rect:
        """The same box seen through the page flipped about its horizontal axis (top ↔ bottom)."""
        return Rect(self.x, page_h - self.top, self.w, self.h)

    def moved(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)

    def inset(self, d: float) -> Rect:
        """The box shrunk by d on every side (grown when d < 0)."""
        return Rect(self.x + d, self.y + d, self.w - 2 * d, self.h - 2 * d)

    def contains(self, other: Rect, tolerance: float = _EPSILON) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.top <= self.top + tolerance
        )

    def overlaps(self, other: Rect, tolerance: float = _EPSILON) -> bool:
        """True when the boxes share area; boxes that only touch along a cut line do not overlap."""
        return (
            self.x < other.right - tolerance
            and other.x < self.right - tolerance
            and self.y < other.top - tolerance
            and other.y < self.top - tolerance
        )


@dataclass(frozen=True)
class CropMark:
    """A line segment from (x1, y1) to (x2, y2): a crop mark, a fold line, a calibration tick."""

    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def length(self) -> float:
        return math.hypot(self.x2 - self.x1, self.y2 - self.y1)

    def mirrored_x(self, page_w: float) -> CropMark:
        return CropMark(page_w - self.x1, self.y1, page_w - self.x2, self.y2)

    def mirrored_y(self, page_h: float) -> CropMark:
        return CropMark(self.x1, page_h - self.y1, self.x2, page_h - self.y2)

    def moved(self, dx: float, dy: float) -> CropMark:
        return CropMark(self.x1 + dx, self.y1 + dy, self.x2 + dx, self.y2 + dy)

    def crosses(self, box: Rect, tolerance: float = _EPSILON) -> bool:
        """True when the segment (axis-aligned, as all of ours are) enters the inside of the box."""
        left, right = sorted((self.x1, self.x2))
        bottom, top = sorted((self.y1, self.y2))
        return left < box.right - tolerance and right > box.x + tolerance and bottom < box.top - tolerance and top > box.y + tolerance


class _TurnedCards:
    """What a sheet of possibly quarter-turned cards derives from `card`, `rotated` and `gutter`."""

    card: tuple[float, float]
    rotated: bool
    gutter: tuple[float, float]

    @property
    def bleed(self) -> tuple[float, float]:
        """How far (x, y on the paper, pt) each card's colour runs past its trim: half the gutter."""
        return self.gutter[0] / 2, self.gutter[1] / 2

    @property
    def card_bleed(self) -> tuple[float, float]:
        """The bleed along the card's own width and height (swapped for quarter-turned cards)."""
        bx, by = self.bleed
        return (by, bx) if self.rotated else (bx, by)

    @property
    def slot(self) -> tuple[float, float]:
        """The size of a front box on the paper (the card's size, swapped when rotated)."""
        return (self.card[1], self.card[0]) if self.rotated else self.card

    @property
    def front_rotation(self) -> int:
        """How the card's drawing is turned in its box: 90 (counter-clockwise) when rotated."""
        return _QUARTER_TURN if self.rotated else 0


@dataclass(frozen=True)
class Sheet(_TurnedCards):
    """A home-print N-up sheet: where the fronts go on the paper and the crop marks around them."""

    paper: tuple[float, float]         # page size in pt
    card: tuple[float, float]          # the card's trim size in pt, as designed (upright)
    cols: int
    rows: int
    fronts: tuple[Rect, ...]           # trim boxes as placed, reading order
    marks: tuple[CropMark, ...]        # outside every trim box and its bleed, inside the sheet margin
    rotated: bool = False              # cards turned a quarter turn to fit more
    gutter: tuple[float, float] = (0.0, 0.0)  # pt between columns, between rows (0: butted)

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows


    @property
    def bleeds(self) -> tuple[Rect, ...]:
        """Each front's trim box grown by the bleed: what its colour covers on the paper."""
        bx, by = self.bleed
        return tuple(Rect(r.x - bx, r.y - by, r.w + 2 * bx, r.h + 2 * by) for r in self.fronts)

    @property
    def bounds(self) -> Rect | None:
        """The box around the whole grid, None for a sheet that holds no card."""
        if not self.fronts:
            return None
        x, y = min(r.x for r in self.fronts), min(r.y for r in self.fronts)
        return Rect(x, y, max(r.right for r in self.fronts) - x, max(r.top for r in self.fronts) - y)


_QUARTER_TURN = 90
_HALF_TURN = 180


def _fit(length: float, item: float) -> int:
    """How many items of that length fit, butted, in the given length."""
    if item <= 0 or length <= 0:
        return 0
    return int(math.floor(length / item + _EPSILON))


def _mark_room_pt() -> float:
    """What a sheet must keep between the grid and the margin for its shortest acceptable marks."""
    return (CROP_MARK_OFFSET_MM + CROP_MARK_MIN_LENGTH_MM) * MM


def _mark_length(free: float) -> float:
    """The mark length where `free` points separate the grid's edge from the paper's edge."""
    return min(CROP_MARK_LENGTH_MM * MM, free - (SHEET_MARGIN_MM + CROP_MARK_OFFSET_MM) * MM)


def _mark_length_leaving_captions(free: float) -> float:
    """The length of the marks above or below the grid when `free` points separate the grid's ink
    (its bleed) from the paper's edge: long enough, and short enough to leave the caption band."""
    with_band = free - (SHEET_MARGIN_MM + CROP_MARK_OFFSET_MM + CAPTION_BAND_MM + CAPTION_CLEARANCE_MM) * MM
    if with_band >= CROP_MARK_MIN_LENGTH_MM * MM - _EPSILON:
        return min(CROP_MARK_LENGTH_MM * MM, with_band)
    return _mark_length(free)


def _cells(x0: float, top: float, cols: int, rows: int, slot: tuple[float, float],
           gutter: tuple[float, float] = (0.0, 0.0)) -> tuple[Rect, ...]:
    """Boxes in a grid whose top-left corner is (x0, top), row by row from the top-left, `gutter` apart."""
    w, h = slot
    gx, gy = gutter
    return tuple(Rect(x0 + c * (w + gx), top - (r + 1) * h - r * gy, w, h) for r in range(rows) for c in range(cols))


def _cut_lines(x0: float, y0: float, cols: int, rows: int, slot: tuple[float, float],
               gutter: tuple[float, float] = (0.0, 0.0)):
    """The x of every vertical cut line and the y of every horizontal one (two per gutter, one where butted)."""
    w, h = slot
    gx, gy = gutter
    xs = sorted({round(x0 + c * (w + gx) + edge, 6) for c in range(cols) for edge in (0.0, w)})
    ys = sorted({round(y0 + r * (h + gy) + edge, 6) for r in range(rows) for edge in (0.0, h)})
    return xs, ys


def _gutter(length: float, item: float, count: int, room: float, nominal: float) -> float:
    """The widest gutter up to `nominal` that keeps `count` items (each with half a gutter of bleed
    on both sides) and `room` within `length`; in GUTTER_STEP_MM steps, 0 when none fits."""
    if nominal <= 0 or count <= 0:
        return 0.0
    free = (length - room - count * item) / count
    step = GUTTER_STEP_MM * MM
    widest = math.floor(free / step + _EPSILON) * step
    return max(0.0, min(nominal, widest))


def _grid(paper: tuple[float, float], card: tuple[float, float], rotated: bool, gutter_mm: float = 0.0) -> Sheet:
    paper_w, paper_h = paper
    slot = (card[1], card[0]) if rotated else card
    room = 2 * (SHEET_MARGIN_MM * MM + _mark_room_pt())
    cols, rows = _fit(paper_w - room, slot[0]), _fit(paper_h - room, slot[1])
    if cols == 0 or rows == 0:
        return Sheet(paper, card, 0, 0, (), (), rotated)
    # As many cards as butted ones give; the gutter takes what is left, up to the nominal width.
    gutter = (_gutter(paper_w, slot[0], cols, room, gutter_mm * MM), _gutter(paper_h, slot[1], rows, room, gutter_mm * MM))
    bx, by = gutter[0] / 2, gutter[1] / 2
    grid_w, grid_h = cols * slot[0] + (cols - 1) * gutter[0], rows * slot[1] + (rows - 1) * gutter[1]
    x0, y0 = (paper_w - grid_w) / 2, (paper_h - grid_h) / 2
    fronts = _cells(x0, y0 + grid_h, cols, rows, slot, gutter)
    xs, ys = _cut_lines(x0, y0, cols, rows, slot, gutter)
    offset = CROP_MARK_OFFSET_MM * MM
    across, up = _mark_length(x0 - bx), _mark_length_leaving_captions(y0 - by)
    marks = []
    for x in xs:  # every vertical cut line, extended above and below the grid, clear of the bleed
        marks.append(CropMark(x, y0 + grid_h + by + offset, x, y0 + grid_h + by + offset + up))
        marks.append(CropMark(x, y0 - by - offset, x, y0 - by - offset - up))
    for y in ys:  # every horizontal cut line, extended left and right of the grid
        marks.append(CropMark(x0 - bx - offset - across, y, x0 - bx - offset, y))
        marks.append(CropMark(x0 + grid_w + bx + offset, y, x0 + grid_w + bx + offset + across, y))
    return Sheet(paper, card, cols, rows, fronts, tuple(marks), rotated, gutter)


def grid(paper_pt: tuple[float, float], card_pt: tuple[float, float], rotate_if_better: bool = True,
         gutter_mm: float = 0.0) -> Sheet:
    """Cards N-up, centred, with crop marks extending every cut line; rotated if that fits more.

    With `gutter_mm`, cards stand that far apart (narrowed per axis so the count stays that of
    butted cards) and `Sheet.bleed` says how far their colour runs into it. A card too large for
    the paper gives a sheet with no card (`per_sheet == 0`): the caller reports it as a content
    error naming the deck.
    """
    upright = _grid(paper_pt, card_pt, rotated=False, gutter_mm=gutter_mm)
    if rotate_if_better:
        turned = _grid(paper_pt, card_pt, rotated=True, gutter_mm=gutter_mm)
        if turned.per_sheet > upright.per_sheet:
            return turned
    return upright


def _check_duplex(duplex: str) -> None:
    if duplex not in DUPLEX_MODES:
        raise ValueError(f"duplex must be one of {', '.join(DUPLEX_MODES)}, got {duplex!r}")


def backs(sheet: Sheet, duplex: str, offset_mm: tuple[float, float] = (0.0, 0.0)) -> tuple[Rect, ...]:
    """Where the back of card i goes on the following page so it lands behind front i, plus the printer's offset.

    "long": the sheet turns about its long (vertical) edge, so x is mirrored: columns reversed.
    "short": it turns about its short edge, so y is mirrored: rows reversed.
    "none": backs are printed as separate sheets, in the fronts' places.
    The offset (x, y in mm, + = right / up on the back page) corrects a printer that shifts its backs.
    """
    _check_duplex(duplex)
    paper_w, paper_h = sheet.paper
    dx, dy = offset_mm[0] * MM, offset_mm[1] * MM
    if duplex == "long":
        placed = (r.mirrored_x(paper_w) for r in sheet.fronts)
    elif duplex == "short":
        placed = (r.mirrored_y(paper_h) for r in sheet.fronts)
    else:
        placed = iter(sheet.fronts)
    return tuple(r.moved(dx, dy) for r in placed)


def _turned_over(front_rotation: int, mirror_x: bool, mirror_y: bool) -> int:
    """The rotation that makes a back read upright when its card is turned over like a book page.

    The card's "up" keeps its physical direction when the card turns about its own vertical
    axis; seen on the back page that direction is the front's up with the mirrored axis flipped.
    """
    angle = math.radians(front_rotation)
    up_x, up_y = -math.sin(angle), math.cos(angle)  # "up" after a counter-clockwise turn
    if mirror_x:
        up_x = -up_x
    if mirror_y:
        up_y = -up_y
    degrees = round(math.degrees(math.atan2(-up_x, up_y)))
    degrees %= 2 * _HALF_TURN  # into -90, 0, 90, 180: the smallest turn, a half turn written 180
    return degrees - 2 * _HALF_TURN if degrees > _HALF_TURN else degrees


def back_rotation(sheet: Sheet, duplex: str) -> int:
    """How to turn each back's drawing in its box (degrees counter-clockwise) for that duplex mode.

    Long edge with upright cards: 0. Short edge turns the back upside down (180), as a sheet
    turned like a calendar does; quarter-turned cards get ±90. "none" draws backs as the fronts.
    """
    _check_duplex(duplex)
    if duplex == "none":
        return sheet.front_rotation
    return _turned_over(sheet.front_rotation, mirror_x=duplex == "long", mirror_y=duplex == "short")


@dataclass(frozen=True)
class FoldSheet(_TurnedCards):
    """A fold-over sheet for printers without duplex: fronts on one half, backs mirrored on the other."""

    paper: tuple[float, float]
    card: tuple[float, float]          # the card's trim size in pt, as designed (upright)
    fronts: tuple[Rect, ...]           # reading order within the fronts' half
    backs: tuple[Rect, ...]            # backs[i] is fronts[i] mirrored about the fold line
    fold: CropMark                     # the fold line, across the sheet inside its margin
    marks: tuple[CropMark, ...]
    cols: int = 0
    rows: int = 0
    rotated: bool = False
    gutter: tuple[float, float] = (0.0, 0.0)  # pt between columns, between rows (0: butted)

    @property
    def per_sheet(self) -> int:
        return len(self.fronts)


    @property
    def vertical_fold(self) -> bool:
        """True when the fold runs top to bottom (fronts on the left half, backs on the right)."""
        return self.fold.x1 == self.fold.x2

    @property
    def back_rotation(self) -> int:
        """How to turn each back's drawing so the folded card reads upright when turned like a book page."""
        return _turned_over(self.front_rotation, mirror_x=self.vertical_fold, mirror_y=not self.vertical_fold)


def _fold_sheet(paper: tuple[float, float], card: tuple[float, float], vertical: bool, rotated: bool,
                gutter_mm: float = 0.0) -> FoldSheet:
    paper_w, paper_h = paper
    slot = (card[1], card[0]) if rotated else card
    margin, room, gap = SHEET_MARGIN_MM * MM, _mark_room_pt(), FOLD_GAP_MM * MM
    offset = CROP_MARK_OFFSET_MM * MM
    nominal = gutter_mm * MM
    if vertical:
        fold_x = paper_w / 2
        cols = _fit(fold_x - gap - margin - room, slot[0])
        rows = _fit(paper_h - 2 * (margin + room), slot[1])
        gutter = (_gutter(fold_x - gap, slot[0], cols, margin + room, nominal),
                  _gutter(paper_h, slot[1], rows, 2 * (margin + room), nominal))
        fold = CropMark(fold_x, margin, fold_x, paper_h - margin)
    else:
        fold_y = paper_h / 2
        cols = _fit(paper_w - 2 * (margin + room), slot[0])
        rows = _fit(paper_h - fold_y - gap - margin - room, slot[1])
        gutter = (_gutter(paper_w, slot[0], cols, 2 * (margin + room), nominal),
                  _gutter(paper_h - fold_y - gap, slot[1], rows, margin + room, nominal))
        fold = CropMark(margin, fold_y, paper_w - margin, fold_y)
    if cols == 0 or rows == 0:
        return FoldSheet(paper, card, (), (), fold, (), 0, 0, rotated)
    bx, by = gutter[0] / 2, gutter[1] / 2
    grid_w, grid_h = cols * slot[0] + (cols - 1) * gutter[0], rows * slot[1] + (rows - 1) * gutter[1]
    if vertical:  # fronts on the left half, their right edge a gap away from the fold
        x0, y0 = fold_x - gap - grid_w, (paper_h - grid_h) / 2
    else:  # fronts on the top half, their bottom edge a gap away from the fold
        x0, y0 = (paper_w - grid_w) / 2, fold_y + gap
    fronts = _cells(x0, y0 + grid_h, cols, rows, slot, gutter)
    mirror = (lambda r: r.mirrored_x(paper_w)) if vertical else (lambda r: r.mirrored_y(paper_h))
    backs_ = tuple(mirror(r) for r in fronts)

    xs, ys = _cut_lines(x0, y0, cols, rows, slot, gutter)
    front_marks = []
    if vertical:
        inner = gap - bx - offset - FOLD_CLEARANCE_MM * MM  # marks inside the strip cut away with the fold
        across, up = min(CROP_MARK_LENGTH_MM * MM, x0 - bx - margin - offset), _mark_length_leaving_captions(y0 - by)
        for x in xs:
            front_marks.append(CropMark(x, y0 + grid_h + by + offset, x, y0 + grid_h + by + offset + up))
            front_marks.append(CropMark(x, y0 - by - offset, x, y0 - by - offset - up))
        for y in ys:
            front_marks.append(CropMark(x0 - bx - offset - across, y, x0 - bx - offset, y))
            front_marks.append(CropMark(x0 + grid_w + bx + offset, y, x0 + grid_w + bx + offset + inner, y))
        mirror_mark = lambda m: m.mirrored_x(paper_w)  # noqa: E731
    else:
        inner = gap - by - offset - FOLD_CLEARANCE_MM * MM
        across = _mark_length(x0 - bx)
        up = min(_mark_length_leaving_captions(paper_h - (y0 + grid_h + by)),
                 paper_h - (y0 + grid_h + by) - margin - offset)
        for x in xs:
            front_marks.append(CropMark(x, y0 + grid_h + by + offset, x, y0 + grid_h + by + offset + up))
            front_marks.append(CropMark(x, y0 - by - offset, x, y0 - by - offset - inner))
        for y in ys:
            front_marks.append(CropMark(x0 - bx - offset - across, y, x0 - bx - offset, y))
            front_marks.append(CropMark(x0 + grid_w + bx + offset, y, x0 + grid_w + bx + offset + across, y))
        mirror_mark = lambda m: m.mirrored_y(paper_h)  # noqa: E731
    marks = tuple(front_marks) + tuple(mirror_mark(m) for m in front_marks)
    return FoldSheet(paper, card, fronts, backs_, fold, marks, cols, rows, rotated, gutter)


def fold_over(paper_pt: tuple[float, float], card_pt: tuple[float, float], gutter_mm: float = 0.0) -> FoldSheet:
    """As many front/back pairs as fit, mirrored about a fold line through the middle of the sheet.

    Tries a vertical and a horizontal fold, upright and quarter-turned cards; keeps the layout with
    the most pairs, preferring (on a tie) upright cards, then a vertical fold.
    """
    best = None
    for rotated in (False, True):
        for vertical in (True, False):
            candidate = _fold_sheet(paper_pt, card_pt, vertical, rotated, gutter_mm)
            if best is None or candidate.per_sheet > best.per_sheet:
                best = candidate
    return best


@dataclass(frozen=True)
class CaptionBox:
    """Where a caption line may go: a box and the direction its text runs (0: left to right;
    90: bottom to top, along the box's height)."""

    box: Rect
    rotation: int = 0

    @property
    def length(self) -> float:
        """How long a line of text the box takes."""
        return self.box.h if self.rotation else self.box.w

    @property
    def depth(self) -> float:
        """How tall a line of text the box takes."""
        return self.box.w if self.rotation else self.box.h


def caption_boxes(sheet: Sheet | FoldSheet, above: bool) -> tuple[CaptionBox, ...]:
    """The places a sheet offers a caption, best first: the strip above (or below) the grid between
    its marks and the margin; then, turned a quarter, the strip left (or right) of the grid's middle
    row, between that row's marks. Empty boxes are left out; the caller takes the first its text fits.

    On a fold-over sheet the strips run across the fold: its line is drawn between them.
    """
    if not sheet.fronts:
        return ()
    paper_w, paper_h = sheet.paper
    margin, clear = SHEET_MARGIN_MM * MM, CAPTION_CLEARANCE_MM * MM
    bx, by = sheet.bleed
    cards = sheet.fronts + (sheet.backs if isinstance(sheet, FoldSheet) else ())
    left, right = margin, paper_w - margin  # across the fold too: the fold line stops short of the strips
    boxes = []
    if above:
        ink = max([r.top + by for r in cards] + [max(m.y1, m.y2) for m in sheet.marks])
        strip = Rect(left, ink + clear, right - left, paper_h - margin - ink - clear)
    else:
        ink = min([r.y - by for r in cards] + [min(m.y1, m.y2) for m in sheet.marks])
        strip = Rect(left, margin, right - left, ink - clear - margin)
    if strip.h >= CAPTION_BAND_MM * MM - _EPSILON:
        boxes.append(CaptionBox(strip))
    # Beside the middle row, between the marks of its cut lines, turned a quarter.
    rows = sorted({(r.y, r.top) for r in sheet.fronts})
    bottom, top = rows[len(rows) // 2]
    grid_left = min(r.x for r in cards) - bx
    grid_right = max(r.right for r in cards) + bx
    if above or (isinstance(sheet, FoldSheet) and sheet.vertical_fold):
        side = Rect(margin, bottom + clear, grid_left - clear - margin, top - bottom - 2 * clear)
    else:
        side = Rect(grid_right + clear, bottom + clear, paper_w - margin - grid_right - clear, top - bottom - 2 * clear)
    if side.w >= CAPTION_BAND_MM * MM - _EPSILON and side.h > 0:
        boxes.append(CaptionBox(side, 90))
    return tuple(boxes)


def caption_box(sheet: Sheet | FoldSheet, above: bool, length: float) -> CaptionBox | None:
    """The first place a caption `length` points long fits, None when none does."""
    return next((c for c in caption_boxes(sheet, above) if c.length >= length - _EPSILON), None)


@dataclass(frozen=True)
class ShopPage:
    """One card per page for a print shop: the media is the trim plus the bleed on every side."""

    media: tuple[float, float]
    trim: Rect
    bleed: Rect
    safe: Rect


def safe_area(trim: Rect) -> Rect:
    """Where text may go: SAFE_MM inside the trim."""
    return trim.inset(SAFE_MM * MM)


def shop_page(card_pt: tuple[float, float]) -> ShopPage:
    """The page of one card at trim size plus BLEED_MM on every side (MediaBox = BleedBox ⊃ TrimBox ⊃ safe)."""
    bleed = BLEED_MM * MM
    w, h = card_pt[0] + 2 * bleed, card_pt[1] + 2 * bleed
    trim = Rect(bleed, bleed, card_pt[0], card_pt[1])
    return ShopPage((w, h), trim, Rect(0.0, 0.0, w, h), safe_area(trim))


# --- Calibration sheet ------------------------------------------------------------------------
#
# A coincidence scale, read against the light. Each axis is a row (x) or a column (y) of cells,
# one per offset a printer might need. A cell's front line sits where its back line lands when
# the printer needs exactly the cell's value, so in one cell the two lines merge into one: its
# number is the offset to write. Its neighbours show two lines half a millimetre, one
# millimetre… apart, so the eye finds the single line without reading a ruler.

CALIBRATION_STEP_MM = 0.5          # between neighbouring cells: finer than scissors follow a crop mark
CALIBRATION_CELLS_EACH_SIDE = 6    # ±3 mm around the current offset: more than home duplex printers usually drift
CALIBRATION_CELL_MM = 11.0         # along the scale: room for "−1,5" in big figures and for the line's ±3 mm travel
CALIBRATION_FRONT_LINE_MM = 20.0   # long enough to judge by eye whether two lines are one
# The back line runs this much past each end of the front one: held to the light, its ends
# continue the front line straight when they coincide, and step aside when they do not.
CALIBRATION_BACK_OVERHANG_MM = 2.0
CALIBRATION_CELL_PAD_MM = 2.5      # inside a cell's edges, so a line shifted by the other axis's error stays in it
CALIBRATION_NUMBER_GAP_MM = 3.0    # between the back line's end and the number, for the same reason
# The cell's value: readable at arm's length against a window, and "−9,75" (9.5 mm at this size,
# in Inter SemiBold) still fits a row's cell.
CALIBRATION_NUMBER_PT = 9.5
CALIBRATION_NUMBER_HEIGHT_MM = 4.5  # room for a number above a row's lines (its figures are 2.5 mm tall)
CALIBRATION_NUMBER_WIDTH_MM = 11.0  # room for a number beside a column's lines
CALIBRATION_NUMBER_CLEARANCE_MM = 1.0  # between the numbers of neighbouring cells in the row, so they never run together
CALIBRATION_HEADING_MM = 7.0       # the axis name's strip above each scale
CALIBRATION_SCALE_GAP_MM = 8.0     # between the x row and the y column's heading
CALIBRATION_NOTE_INSET_MM = 5.0    # the instructions start this far inside the sheet margin, as a page's text does
CALIBRATION_NOTE_MM = 56.0         # the title and instructions at the top: seven short steps at 9 pt
CALIBRATION_NOTE_GAP_MM = 3.0      # at least this between the instructions and the scales
CALIBRATION_CROSS_MM = 10.0        # half the length of each arm of the cross, the coarse check beside the y column
CALIBRATION_CROSS_NOTE_MM = 12.0   # the strip under the cross for its caption
CALIBRATION_CROSS_NOTE_GAP_MM = 4.0  # between the cross and its caption: a back cross 3 mm off stays clear of the text


@dataclass(frozen=True)
class Label:
    """A number printed on the calibration sheet: its value, the centre of its figures, the width it may take."""

    x: float
    y: float
    value: float
    room: float = math.inf  # points; a longer number is set smaller

    @property
    def text(self) -> str:
        """The value as printed in French: sign, decimal comma, a real minus sign."""
        if abs(self.value) < _EPSILON:
            return "0"
        digits = f"{abs(self.value):.2f}".rstrip("0").rstrip(".").replace(".", ",")
        return ("+" if self.value > 0 else "\u2212") + digits


@dataclass(frozen=True)
class CalibrationCell:
    """One candidate offset on a scale: its box on the front, its number, and its two lines.

    `front` is drawn on the front page; `back` on the back page (already mirrored as the duplex
    flip mirrors it and moved by the current offset). They coincide, seen against the light, on
    a printer that needs exactly `value`.
    """

    value: float
    box: Rect
    number: Label
    front: CropMark
    back: CropMark


@dataclass(frozen=True)
class Calibration:
    """A one-page duplex calibration sheet: what to print on the front and on the back.

    Read it by holding the printed sheet against the light, front side towards you: in the x row
    and in the y column, the cell whose two lines merge into one holds the `print.back_offset`
    to write into kit.yaml. The scales are centred on the current offset, so on a printer that
    needs no more correction the merged lines are in the middle cells.
    """

    paper: tuple[float, float]
    duplex: str
    offset: tuple[float, float]          # the current back offset, mm: the middle cells' values
    x_cells: tuple[CalibrationCell, ...]  # left to right, increasing values
    y_cells: tuple[CalibrationCell, ...]  # top to bottom, decreasing values (+ is up)
    front_cross: tuple[CropMark, CropMark]
    back_cross: tuple[CropMark, CropMark]  # the same cross, placed as `backs` places a back
    x_heading: Rect                      # strip for the x axis's name, above the row
    y_heading: Rect                      # strip for the y axis's name, above the column
    cross_note: Rect                     # strip under the cross for its caption
    note: Rect                           # the top of the front: title, current offset, instructions

    @property
    def centre(self) -> tuple[float, float]:
        """The cross's centre: where its vertical arm crosses its horizontal one."""
        return self.front_cross[1].x1, self.front_cross[0].y1

    @property
    def cells(self) -> tuple[CalibrationCell, ...]:
        return self.x_cells + self.y_cells

    @property
    def middle(self) -> tuple[CalibrationCell, CalibrationCell]:
        """The x and y cells of the current offset."""
        return self.x_cells[len(self.x_cells) // 2], self.y_cells[len(self.y_cells) // 2]

    @property
    def front_lines(self) -> tuple[CropMark, ...]:
        return self.front_cross + tuple(cell.front for cell in self.cells)

    @property
    def back_lines(self) -> tuple[CropMark, ...]:
        return self.back_cross + tuple(cell.back for cell in self.cells)

    @property
    def front_labels(self) -> tuple[Label, ...]:
        return tuple(cell.number for cell in self.cells)


def _axis_signs(duplex: str) -> tuple[int, int]:
    """How far (in front coordinates) a back element moves when the back offset grows by one, per axis."""
    return {"long": (-1, 1), "short": (1, -1), "none": (1, 1)}[duplex]


def _cells_each_side(paper_pt: tuple[float, float], room_h: float) -> int:
    """As many cells either side of the middle as the paper's width (x row) and the room under the note (y column) take."""
    cell = CALIBRATION_CELL_MM * MM
    fixed_h = 2 * CALIBRATION_HEADING_MM * MM + _row_depth() + CALIBRATION_SCALE_GAP_MM * MM
    fit_w = (paper_pt[0] - 2 * SHEET_MARGIN_MM * MM) / cell
    fit_h = (room_h - fixed_h) / cell
    return max(1, min(CALIBRATION_CELLS_EACH_SIDE, math.floor((min(fit_w, fit_h) - 1) / 2 + _EPSILON)))


def _back_line_mm() -> float:
    return CALIBRATION_FRONT_LINE_MM + 2 * CALIBRATION_BACK_OVERHANG_MM


def _row_depth() -> float:
    """A row cell's height, top to bottom: pad, number, gap, back line, pad."""
    return (2 * CALIBRATION_CELL_PAD_MM + CALIBRATION_NUMBER_HEIGHT_MM + CALIBRATION_NUMBER_GAP_MM + _back_line_mm()) * MM


def _column_depth() -> float:
    """A column cell's width, left to right: pad, back line, gap, number, pad."""
    return (2 * CALIBRATION_CELL_PAD_MM + _back_line_mm() + CALIBRATION_NUMBER_GAP_MM + CALIBRATION_NUMBER_WIDTH_MM) * MM


def _on_back(line: CropMark, paper_pt: tuple[float, float], duplex: str, offset_mm: tuple[float, float]) -> CropMark:
    """A line drawn where it belongs, placed on the back page as `backs` places a card's back."""
    if duplex == "long":
        line = line.mirrored_x(paper_pt[0])
    elif duplex == "short":
        line = line.mirrored_y(paper_pt[1])
    return line.moved(offset_mm[0] * MM, offset_mm[1] * MM)


def calibration(paper_pt: tuple[float, float], duplex: str, offset_mm: tuple[float, float] = (0.0, 0.0)) -> Calibration:
    """The calibration sheet for that paper and duplex mode, its backs drawn with the current offset.

    A back drawn at offset o lands, on a printer that needs offset T, at s·(o − T) from where it
    belongs (s = ±1 per axis and mode). So the front line of the cell for value v sits at
    s·(o − v) from the cell's centre, and the back line at the centre: they coincide in the cell
    where v = T, whatever offset the sheet was printed with.
    """
    _check_duplex(duplex)
    paper_w, paper_h = paper_pt
    ox, oy = offset_mm
    sx, sy = _axis_signs(duplex)
    margin, cell = SHEET_MARGIN_MM * MM, CALIBRATION_CELL_MM * MM
    pad = CALIBRATION_CELL_PAD_MM * MM
    front_len, back_len = CALIBRATION_FRONT_LINE_MM * MM, _back_line_mm() * MM
    heading = CALIBRATION_HEADING_MM * MM

    inset = margin + CALIBRATION_NOTE_INSET_MM * MM
    note_h = CALIBRATION_NOTE_MM * MM
    note = Rect(inset, paper_h - inset - note_h, paper_w - 2 * inset, note_h)
    top = note.y - CALIBRATION_NOTE_GAP_MM * MM
    n = _cells_each_side(paper_pt, top - margin)
    count = 2 * n + 1
    row_depth, column_depth = _row_depth(), _column_depth()
    block_h = 2 * heading + row_depth + CALIBRATION_SCALE_GAP_MM * MM + count * cell
    top -= max(0.0, (top - margin - block_h) / 2)  # the scales centred in the room under the note

    def value(k: int, current: float) -> float:
        return round(current + k * CALIBRATION_STEP_MM, 6)

    # The x row: numbers at the top of each cell, the lines under them.
    row_x = paper_w / 2 - count * cell / 2
    x_heading = Rect(row_x, top - heading, count * cell, heading)
    row_y = x_heading.y - row_depth
    line_mid_y = row_y + pad + back_len / 2
    x_cells = []
    for i, k in enumerate(range(-n, n + 1)):
        v = value(k, ox)
        box = Rect(row_x + i * cell, row_y, cell, row_depth)
        mid = box.x + cell / 2
        at = mid + sx * (ox - v) * MM
        front = CropMark(at, line_mid_y - front_len / 2, at, line_mid_y + front_len / 2)
        back = _on_back(CropMark(mid, line_mid_y - back_len / 2, mid, line_mid_y + back_len / 2), paper_pt, duplex, offset_mm)
        number = Label(mid, box.top - pad - CALIBRATION_NUMBER_HEIGHT_MM * MM / 2, v,
                       cell - CALIBRATION_NUMBER_CLEARANCE_MM * MM)
        x_cells.append(CalibrationCell(v, box, number, front, back))

    # The y column, left-aligned with the row: lines on the left, numbers on their right; + is up.
    y_heading = Rect(row_x, row_y - CALIBRATION_SCALE_GAP_MM * MM - heading, column_depth, heading)
    column_top = y_heading.y
    line_mid_x = row_x + pad + back_len / 2
    y_cells = []
    for i, k in enumerate(range(n, -n - 1, -1)):
        v = value(k, oy)
        box = Rect(row_x, column_top - (i + 1) * cell, column_depth, cell)
        mid = box.y + cell / 2
        at = mid + sy * (oy - v) * MM
        front = CropMark(line_mid_x - front_len / 2, at, line_mid_x + front_len / 2, at)
        back = _on_back(CropMark(line_mid_x - back_len / 2, mid, line_mid_x + back_len / 2, mid), paper_pt, duplex, offset_mm)
        number = Label(box.right - pad - CALIBRATION_NUMBER_WIDTH_MM * MM / 2, mid, v, CALIBRATION_NUMBER_WIDTH_MM * MM)
        y_cells.append(CalibrationCell(v, box, number, front, back))

    # The cross, a coarse check, in the room right of the column and under the row.
    column_right, row_right = row_x + column_depth, row_x + count * cell
    cx = (column_right + row_right) / 2
    cy = column_top - count * cell / 2
    arm = CALIBRATION_CROSS_MM * MM
    front_cross = (CropMark(cx - arm, cy, cx + arm, cy), CropMark(cx, cy - arm, cx, cy + arm))
    back_cross = tuple(_on_back(line, paper_pt, duplex, offset_mm) for line in front_cross)
    caption_h = CALIBRATION_CROSS_NOTE_MM * MM
    caption_top = cy - arm - CALIBRATION_CROSS_NOTE_GAP_MM * MM
    cross_note = Rect(column_right + pad, caption_top - caption_h, row_right - column_right - 2 * pad, caption_h)
    return Calibration(paper_pt, duplex, (ox, oy), tuple(x_cells), tuple(y_cells), front_cross, back_cross,
                       x_heading, y_heading, cross_note, note)
