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
    """What a sheet of possibly quarter-turned cards derives from `card` and `rotated`."""

    card: tuple[float, float]
    rotated: bool

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
    marks: tuple[CropMark, ...]        # outside every trim box, inside the sheet margin
    rotated: bool = False              # cards turned a quarter turn to fit more

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

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


def _cells(x0: float, top: float, cols: int, rows: int, slot: tuple[float, float]) -> tuple[Rect, ...]:
    """Boxes butted in a grid whose top-left corner is (x0, top), row by row from the top-left."""
    w, h = slot
    return tuple(Rect(x0 + c * w, top - (r + 1) * h, w, h) for r in range(rows) for c in range(cols))


def _cut_lines(x0: float, y0: float, cols: int, rows: int, slot: tuple[float, float]):
    """The x of every vertical cut line and the y of every horizontal one of a butted grid."""
    w, h = slot
    return [x0 + c * w for c in range(cols + 1)], [y0 + r * h for r in range(rows + 1)]


def _grid(paper: tuple[float, float], card: tuple[float, float], rotated: bool) -> Sheet:
    paper_w, paper_h = paper
    slot = (card[1], card[0]) if rotated else card
    room = 2 * (SHEET_MARGIN_MM * MM + _mark_room_pt())
    cols, rows = _fit(paper_w - room, slot[0]), _fit(paper_h - room, slot[1])
    if cols == 0 or rows == 0:
        return Sheet(paper, card, 0, 0, (), (), rotated)
    grid_w, grid_h = cols * slot[0], rows * slot[1]
    x0, y0 = (paper_w - grid_w) / 2, (paper_h - grid_h) / 2
    fronts = _cells(x0, y0 + grid_h, cols, rows, slot)
    xs, ys = _cut_lines(x0, y0, cols, rows, slot)
    offset = CROP_MARK_OFFSET_MM * MM
    across, up = _mark_length(x0), _mark_length(y0)
    marks = []
    for x in xs:  # every vertical cut line, extended above and below the grid
        marks.append(CropMark(x, y0 + grid_h + offset, x, y0 + grid_h + offset + up))
        marks.append(CropMark(x, y0 - offset, x, y0 - offset - up))
    for y in ys:  # every horizontal cut line, extended left and right of the grid
        marks.append(CropMark(x0 - offset - across, y, x0 - offset, y))
        marks.append(CropMark(x0 + grid_w + offset, y, x0 + grid_w + offset + across, y))
    return Sheet(paper, card, cols, rows, fronts, tuple(marks), rotated)


def grid(paper_pt: tuple[float, float], card_pt: tuple[float, float], rotate_if_better: bool = True) -> Sheet:
    """Cards butted N-up, centred, with crop marks extending every cut line; rotated if that fits more.

    A card too large for the paper gives a sheet with no card (`per_sheet == 0`): the caller
    reports it as a content error naming the deck.
    """
    upright = _grid(paper_pt, card_pt, rotated=False)
    if rotate_if_better:
        turned = _grid(paper_pt, card_pt, rotated=True)
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


def _fold_sheet(paper: tuple[float, float], card: tuple[float, float], vertical: bool, rotated: bool) -> FoldSheet:
    paper_w, paper_h = paper
    slot = (card[1], card[0]) if rotated else card
    margin, room, gap = SHEET_MARGIN_MM * MM, _mark_room_pt(), FOLD_GAP_MM * MM
    offset = CROP_MARK_OFFSET_MM * MM
    inner = gap - offset - FOLD_CLEARANCE_MM * MM  # marks inside the strip that is cut away with the fold
    if vertical:
        fold_x = paper_w / 2
        cols = _fit(fold_x - gap - margin - room, slot[0])
        rows = _fit(paper_h - 2 * (margin + room), slot[1])
        fold = CropMark(fold_x, margin, fold_x, paper_h - margin)
    else:
        fold_y = paper_h / 2
        cols = _fit(paper_w - 2 * (margin + room), slot[0])
        rows = _fit(paper_h - fold_y - gap - margin - room, slot[1])
        fold = CropMark(margin, fold_y, paper_w - margin, fold_y)
    if cols == 0 or rows == 0:
        return FoldSheet(paper, card, (), (), fold, (), 0, 0, rotated)
    grid_w, grid_h = cols * slot[0], rows * slot[1]
    if vertical:  # fronts on the left half, their right edge a gap away from the fold
        x0, y0 = fold_x - gap - grid_w, (paper_h - grid_h) / 2
    else:  # fronts on the top half, their bottom edge a gap away from the fold
        x0, y0 = (paper_w - grid_w) / 2, fold_y + gap
    fronts = _cells(x0, y0 + grid_h, cols, rows, slot)
    mirror = (lambda r: r.mirrored_x(paper_w)) if vertical else (lambda r: r.mirrored_y(paper_h))
    backs_ = tuple(mirror(r) for r in fronts)

    xs, ys = _cut_lines(x0, y0, cols, rows, slot)
    front_marks = []
    if vertical:
        across, up = min(CROP_MARK_LENGTH_MM * MM, x0 - margin - offset), _mark_length(y0)
        for x in xs:
            front_marks.append(CropMark(x, y0 + grid_h + offset, x, y0 + grid_h + offset + up))
            front_marks.append(CropMark(x, y0 - offset, x, y0 - offset - up))
        for y in ys:
            front_marks.append(CropMark(x0 - offset - across, y, x0 - offset, y))
            front_marks.append(CropMark(x0 + grid_w + offset, y, x0 + grid_w + offset + inner, y))
        mirror_mark = lambda m: m.mirrored_x(paper_w)  # noqa: E731
    else:
        across, up = _mark_length(x0), min(CROP_MARK_LENGTH_MM * MM, paper_h - (y0 + grid_h) - margin - offset)
        for x in xs:
            front_marks.append(CropMark(x, y0 + grid_h + offset, x, y0 + grid_h + offset + up))
            front_marks.append(CropMark(x, y0 - offset, x, y0 - offset - inner))
        for y in ys:
            front_marks.append(CropMark(x0 - offset - across, y, x0 - offset, y))
            front_marks.append(CropMark(x0 + grid_w + offset, y, x0 + grid_w + offset + across, y))
        mirror_mark = lambda m: m.mirrored_y(paper_h)  # noqa: E731
    marks = tuple(front_marks) + tuple(mirror_mark(m) for m in front_marks)
    return FoldSheet(paper, card, fronts, backs_, fold, marks, cols, rows, rotated)


def fold_over(paper_pt: tuple[float, float], card_pt: tuple[float, float]) -> FoldSheet:
    """As many front/back pairs as fit, mirrored about a fold line through the middle of the sheet.

    Tries a vertical and a horizontal fold, upright and quarter-turned cards; keeps the layout with
    the most pairs, preferring (on a tie) upright cards, then a vertical fold.
    """
    best = None
    for rotated in (False, True):
        for vertical in (True, False):
            candidate = _fold_sheet(paper_pt, card_pt, vertical, rotated)
            if best is None or candidate.per_sheet > best.per_sheet:
                best = candidate
    return best


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

CALIBRATION_RANGE_MM = 5.0        # the scales read offsets up to this far, either way
CALIBRATION_STEP_MM = 0.5         # a tick every half millimetre
CALIBRATION_CROSS_MM = 20.0       # half the length of each arm of the centre cross
CALIBRATION_SCALE_GAP_MM = 30.0   # the scales sit this far from the cross, clear of its arms
CALIBRATION_TICK_MM = (2.0, 4.0)  # half-millimetre and whole-millimetre tick lengths
CALIBRATION_POINTER_MM = 8.0      # the back's pointer, long enough to see through the paper
CALIBRATION_LABEL_GAP_MM = 1.5    # between a whole-millimetre tick's end and its number
# Numbers one millimetre apart cannot sit in one row: odd millimetres take the row next to the
# ticks, even ones a second row this much further out, so neighbours in a row are 2 mm apart.
CALIBRATION_LABEL_ROW_MM = 2.5
CALIBRATION_LABEL_SIZE_PT = 4.5   # "−5" at this size is under 2 mm wide: neighbours in a row never touch
CALIBRATION_NOTE_CLEARANCE_MM = 12.0  # the instructions start this far below the horizontal scale, clear of its numbers


@dataclass(frozen=True)
class Label:
    """A number printed on the calibration sheet: its value, where its anchor point is, how it aligns."""

    x: float
    y: float
    value: float
    # "centre": below the horizontal scale, the text centred on x with its top at y;
    # "left": right of the vertical scale, the text starting at x, centred vertically on y.
    align: str

    @property
    def text(self) -> str:
        """The value as printed in French: sign, decimal comma, a real minus sign."""
        if abs(self.value) < _EPSILON:
            return "0"
        digits = f"{abs(self.value):.1f}".rstrip("0").rstrip(".").replace(".", ",")
        return ("+" if self.value > 0 else "\u2212") + digits


@dataclass(frozen=True)
class Calibration:
    """A one-page duplex calibration sheet: what to print on the front and on the back, as lines and numbers.

    Read it by holding the printed sheet against the light, front side towards you: each pointer
    of the back shows through at a number of the front's scale; that number (x from the horizontal
    scale, y from the vertical one) is the `print.back_offset` to write into kit.yaml.
    """

    paper: tuple[float, float]
    duplex: str
    centre: tuple[float, float]
    front_lines: tuple[CropMark, ...]   # cross, scale baselines and ticks
    front_labels: tuple[Label, ...]     # the offset each whole-millimetre tick stands for
    back_lines: tuple[CropMark, ...]    # the same cross, placed as `backs` places a back, and two pointers
    note: Rect                          # free area (front, lower part) for the printed instructions


def _label_row(value: float) -> float:
    """How much further from the scale a number goes: even millimetres take the second row."""
    return CALIBRATION_LABEL_ROW_MM * MM if round(value) % 2 == 0 else 0.0


def _axis_signs(duplex: str) -> tuple[int, int]:
    """How far (in front coordinates) a back element moves when the back offset grows by one, per axis."""
    return {"long": (-1, 1), "short": (1, -1), "none": (1, 1)}[duplex]


def calibration(paper_pt: tuple[float, float], duplex: str, offset_mm: tuple[float, float] = (0.0, 0.0)) -> Calibration:
    """The calibration sheet for that paper and duplex mode, its backs drawn with the current offset.

    A back drawn at offset o lands, on a printer that needs offset T, at s·(o − T) from where it
    belongs (s = ±1 per axis and mode). So the front tick for offset T sits at s·(o − T) from the
    centre: the pointer shows the total offset to write, whatever offset was used to print.
    """
    _check_duplex(duplex)
    paper_w, paper_h = paper_pt
    cx, cy = paper_w / 2, paper_h / 2
    sx, sy = _axis_signs(duplex)
    arm, gap, pointer = CALIBRATION_CROSS_MM * MM, CALIBRATION_SCALE_GAP_MM * MM, CALIBRATION_POINTER_MM * MM
    short_tick, long_tick = (t * MM for t in CALIBRATION_TICK_MM)
    label_gap = CALIBRATION_LABEL_GAP_MM * MM
    cross = (CropMark(cx - arm, cy, cx + arm, cy), CropMark(cx, cy - arm, cx, cy + arm))

    scale_y = cy - gap   # the horizontal scale reads x, below the cross
    scale_x = cx + gap   # the vertical scale reads y, right of the cross
    half = CALIBRATION_RANGE_MM * MM
    front = [*cross, CropMark(cx - half, scale_y, cx + half, scale_y), CropMark(scale_x, cy - half, scale_x, cy + half)]
    labels = []
    steps = round(CALIBRATION_RANGE_MM / CALIBRATION_STEP_MM)
    for axis, sign, current in (("x", sx, offset_mm[0]), ("y", sy, offset_mm[1])):
        first = math.ceil((current - CALIBRATION_RANGE_MM) / CALIBRATION_STEP_MM - _EPSILON)
        for k in range(first, first + 2 * steps + 1):
            value = round(k * CALIBRATION_STEP_MM, 3)
            at = sign * (current - value) * MM
            whole = abs(value - round(value)) < _EPSILON
            length = long_tick if whole else short_tick
            if axis == "x":
                front.append(CropMark(cx + at, scale_y, cx + at, scale_y - length))
                if whole:
                    labels.append(Label(cx + at, scale_y - length - label_gap - _label_row(value), value, "centre"))
            else:
                front.append(CropMark(scale_x, cy + at, scale_x + length, cy + at))
                if whole:
                    labels.append(Label(scale_x + length + label_gap + _label_row(value), cy + at, value, "left"))

    # The back: the cross and a pointer crossing each scale, where the front's zero-error
    # position is, mirrored as the duplex flip mirrors it, then shifted by the current offset.
    back = [
        *cross,
        CropMark(cx, scale_y - pointer / 2, cx, scale_y + pointer / 2),
        CropMark(scale_x - pointer / 2, cy, scale_x + pointer / 2, cy),
    ]
    if duplex == "long":
        back = [m.mirrored_x(paper_w) for m in back]
    elif duplex == "short":
        back = [m.mirrored_y(paper_h) for m in back]
    back = [m.moved(offset_mm[0] * MM, offset_mm[1] * MM) for m in back]

    margin = SHEET_MARGIN_MM * MM
    note_top = scale_y - CALIBRATION_NOTE_CLEARANCE_MM * MM
    note = Rect(margin, margin, paper_w - 2 * margin, max(0.0, note_top - margin))
    return Calibration(paper_pt, duplex, (cx, cy), tuple(front), tuple(labels), tuple(back), note)
