"""Imposition as data: cards per sheet, crop marks, duplex backs, fold-over, bleed, calibration."""

from __future__ import annotations

import itertools

import pytest

from kit.imposition import (
    BLEED_MM,
    CARD_SIZES_MM,
    CROP_MARK_MIN_LENGTH_MM,
    CROP_MARK_OFFSET_MM,
    CROP_MARK_WIDTH_PT,
    MM,
    SAFE_MM,
    SHEET_MARGIN_MM,
    CropMark,
    Rect,
    back_rotation,
    backs,
    calibration,
    card_size_mm,
    fold_over,
    grid,
    mm_to_pt,
    safe_area,
    shop_page,
)

A4 = mm_to_pt((210, 297))
LETTER = mm_to_pt((215.9, 279.4))
A3 = mm_to_pt((297, 420))
PAPERS = {"A4": A4, "letter": LETTER, "A3": A3}
TOL = 1e-6


def ends(line: CropMark) -> list[float]:
    """A segment's two ends, in a fixed order, flattened: to compare segments drawn either way."""
    return [v for point in sorted([(line.x1, line.y1), (line.x2, line.y2)]) for v in point]


def flat(lists) -> list[float]:
    return [v for values in lists for v in values]


def card(name: str) -> tuple[float, float]:
    return mm_to_pt(CARD_SIZES_MM[name])


# --- card sizes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("poker", (63, 88)),
        ("Poker", (63, 88)),
        (" tarot ", (70, 120)),
        ("A6", (105, 148)),
        ("a7", (74, 105)),
        ("square", (70, 70)),
        ("63x88", (63, 88)),
        ("63 x 88 mm", (63, 88)),
        ("63,5 × 88", (63.5, 88)),
        ("50X50", (50, 50)),
        ("63mm x 88mm", (63, 88)),
        ((63, 88), (63, 88)),
        ([55.5, 85], (55.5, 85)),
    ],
)
def test_card_size_mm_understands_names_and_sizes(spec, expected):
    assert card_size_mm(spec) == pytest.approx(expected)


@pytest.mark.parametrize(
    "spec",
    ["", "huge", "63", "63x", "x88", "0x88", "63x-88", "63 by 88", "63x88x10", "A5 card", (63,), (63, 0),
     (63, "88"), (True, 88), (float("inf"), 88), (float("nan"), 88), None, 63, {"w": 63}],
)
def test_card_size_mm_refuses_what_it_does_not_understand(spec):
    assert card_size_mm(spec) is None


# --- N-up sheets --------------------------------------------------------------------------------

# (paper, card) → (cards per sheet, rotated). The counts users were promised, then the others measured.
EXPECTED_COUNTS = {
    ("A4", "poker"): (9, False),
    ("letter", "poker"): (9, False),
    ("A3", "poker"): (18, True),
    # A6 is exactly a quarter of A4: four would touch the sheet's edges, which the printer
    # cannot print and which invites "fit to page". Two quarter-turned A6 keep the margin.
    ("A4", "A6"): (2, True),
    ("letter", "A6"): (2, True),
    ("A3", "A6"): (4, False),
    ("A4", "tarot"): (4, False),
    ("letter", "tarot"): (4, False),
    ("A3", "tarot"): (12, False),
    ("A4", "A7"): (4, False),
    ("A3", "A7"): (10, True),
    ("A4", "square"): (8, False),
    ("letter", "square"): (6, False),
    ("A3", "square"): (20, False),
}


@pytest.mark.parametrize("paper, name", sorted(EXPECTED_COUNTS))
def test_cards_per_sheet(paper, name):
    sheet = grid(PAPERS[paper], card(name))
    assert (sheet.per_sheet, sheet.rotated) == EXPECTED_COUNTS[(paper, name)]
    assert len(sheet.fronts) == sheet.per_sheet == sheet.cols * sheet.rows


def test_custom_card_size_counts():
    assert grid(A4, mm_to_pt((50, 50))).per_sheet == 15  # 3 × 5
    assert grid(A4, mm_to_pt((88, 63))).per_sheet == 9   # landscape poker turns upright
    assert grid(A4, mm_to_pt((88, 63))).rotated
    assert grid(A4, mm_to_pt((88, 63)), rotate_if_better=False).per_sheet == 8


def test_a_card_larger_than_the_paper_gives_an_empty_sheet():
    sheet = grid(A4, mm_to_pt((250, 300)))
    assert sheet.per_sheet == 0 and sheet.fronts == () and sheet.marks == () and sheet.bounds is None


def _sheets():
    for paper, name in sorted(EXPECTED_COUNTS):
        yield pytest.param(grid(PAPERS[paper], card(name)), id=f"{name}-on-{paper}")
    yield pytest.param(grid(A4, mm_to_pt((50, 50))), id="50x50-on-A4")


SHEETS = list(_sheets())


@pytest.mark.parametrize("sheet", SHEETS)
def test_fronts_are_the_card_size_inside_the_margin_and_never_overlap(sheet):
    margin = SHEET_MARGIN_MM * MM
    printable = Rect(margin, margin, sheet.paper[0] - 2 * margin, sheet.paper[1] - 2 * margin)
    for front in sheet.fronts:
        assert (front.w, front.h) == pytest.approx(sheet.slot)
        assert printable.contains(front)
    for a, b in itertools.combinations(sheet.fronts, 2):
        assert not a.overlaps(b)


@pytest.mark.parametrize("sheet", SHEETS)
def test_the_grid_is_butted_and_centred(sheet):
    bounds = sheet.bounds
    assert bounds.w == pytest.approx(sheet.cols * sheet.slot[0])  # butted: no gutter
    assert bounds.h == pytest.approx(sheet.rows * sheet.slot[1])
    assert bounds.centre == pytest.approx((sheet.paper[0] / 2, sheet.paper[1] / 2))


def test_fronts_are_in_reading_order():
    sheet = grid(A4, card("poker"))
    first, second, fourth = sheet.fronts[0], sheet.fronts[1], sheet.fronts[3]
    assert second.x > first.x and second.y == pytest.approx(first.y)   # along the row
    assert fourth.x == pytest.approx(first.x) and fourth.top == pytest.approx(first.y)  # next row, below
    assert first.top == pytest.approx(max(f.top for f in sheet.fronts))


def test_poker_on_a4_positions():
    sheet = grid(A4, card("poker"))
    assert sheet.fronts[0].x / MM == pytest.approx(10.5)          # (210 − 3 × 63) / 2
    assert sheet.fronts[-1].y / MM == pytest.approx(16.5)         # (297 − 3 × 88) / 2
    assert sheet.fronts[0].top / MM == pytest.approx(297 - 16.5)


@pytest.mark.parametrize("sheet", SHEETS)
def test_crop_marks_stay_outside_every_card_and_inside_the_margin(sheet):
    margin = SHEET_MARGIN_MM * MM
    offset = CROP_MARK_OFFSET_MM * MM
    for mark in sheet.marks:
        assert mark.length >= CROP_MARK_MIN_LENGTH_MM * MM - TOL
        for x, y in ((mark.x1, mark.y1), (mark.x2, mark.y2)):
            assert margin - TOL <= x <= sheet.paper[0] - margin + TOL
            assert margin - TOL <= y <= sheet.paper[1] - margin + TOL
        for front in sheet.fronts:
            assert not mark.crosses(front)
            # and a little outside: no end of a mark within the offset of a trim box
            grown = front.inset(-offset + TOL)
            assert not mark.crosses(grown)
    assert CROP_MARK_WIDTH_PT >= 0.25


@pytest.mark.parametrize("sheet", SHEETS)
def test_every_cut_line_is_marked_at_both_ends(sheet):
    bounds = sheet.bounds
    xs = {round(bounds.x + c * sheet.slot[0], 6) for c in range(sheet.cols + 1)}
    ys = {round(bounds.y + r * sheet.slot[1], 6) for r in range(sheet.rows + 1)}
    vertical = [m for m in sheet.marks if m.x1 == m.x2]
    horizontal = [m for m in sheet.marks if m.y1 == m.y2]
    assert len(vertical) + len(horizontal) == len(sheet.marks) == 2 * (len(xs) + len(ys))
    for x in xs:
        ends = [m for m in vertical if round(m.x1, 6) == x]
        assert sorted(min(m.y1, m.y2) > bounds.top for m in ends) == [False, True]  # one above, one below
    for y in ys:
        ends = [m for m in horizontal if round(m.y1, 6) == y]
        assert sorted(min(m.x1, m.x2) > bounds.right for m in ends) == [False, True]  # one left, one right


def test_marks_shrink_to_fit_letter_but_stay_visible():
    sheet = grid(LETTER, card("poker"))
    vertical = [m for m in sheet.marks if m.x1 == m.x2]
    # 279.4 − 3 × 88 = 15.4 mm, 7.7 per side: 5 margin + 1 offset leaves 1.7 mm.
    assert all(m.length / MM == pytest.approx(1.7) for m in vertical)


# --- duplex backs -------------------------------------------------------------------------------


@pytest.mark.parametrize("sheet", SHEETS)
def test_long_edge_backs_mirror_the_fronts_about_the_vertical_axis(sheet):
    page_w = sheet.paper[0]
    for front, back in zip(sheet.fronts, backs(sheet, "long"), strict=True):
        assert back.x + back.w / 2 == pytest.approx(page_w - (front.x + front.w / 2))
        assert (back.y, back.w, back.h) == pytest.approx((front.y, front.w, front.h))


@pytest.mark.parametrize("sheet", SHEETS)
def test_short_edge_backs_mirror_the_fronts_about_the_horizontal_axis(sheet):
    page_h = sheet.paper[1]
    for front, back in zip(sheet.fronts, backs(sheet, "short"), strict=True):
        assert back.y + back.h / 2 == pytest.approx(page_h - (front.y + front.h / 2))
        assert (back.x, back.w, back.h) == pytest.approx((front.x, front.w, front.h))


def test_long_edge_reverses_columns_and_short_edge_reverses_rows():
    sheet = grid(A4, card("poker"))
    long, short = backs(sheet, "long"), backs(sheet, "short")
    # the back of card 0 (top-left) is top-right for long edge, bottom-left for short edge
    assert (long[0].x, long[0].y) == pytest.approx((sheet.fronts[2].x, sheet.fronts[2].y))
    assert (short[0].x, short[0].y) == pytest.approx((sheet.fronts[6].x, sheet.fronts[6].y))
    assert backs(sheet, "none") == sheet.fronts


@pytest.mark.parametrize("duplex", ["long", "short", "none"])
def test_the_back_offset_moves_every_back(duplex):
    sheet = grid(A4, card("poker"))
    plain, shifted = backs(sheet, duplex), backs(sheet, duplex, offset_mm=(1.5, -0.5))
    for a, b in zip(plain, shifted, strict=True):
        assert ((b.x - a.x) / MM, (b.y - a.y) / MM) == pytest.approx((1.5, -0.5))
        assert (b.w, b.h) == (a.w, a.h)


def test_an_unknown_duplex_mode_is_refused():
    with pytest.raises(ValueError):
        backs(grid(A4, card("poker")), "sideways")


def test_back_rotation_reads_upright_when_turned_like_a_book_page():
    upright, turned = grid(A4, card("poker")), grid(A4, card("A6"))
    assert turned.rotated and turned.front_rotation == 90
    assert [back_rotation(upright, d) for d in ("long", "short", "none")] == [0, 180, 0]
    assert [back_rotation(turned, d) for d in ("long", "short", "none")] == [-90, 90, 90]


# --- fold-over ----------------------------------------------------------------------------------


def _fold_sheets():
    for paper, name in sorted(EXPECTED_COUNTS):
        yield pytest.param(fold_over(PAPERS[paper], card(name)), id=f"{name}-on-{paper}")


FOLD_SHEETS = list(_fold_sheets())


def test_fold_over_counts():
    assert fold_over(A4, card("poker")).per_sheet == 4       # quarter-turned, 2 × 2 each side
    assert fold_over(LETTER, card("poker")).per_sheet == 4
    assert fold_over(A4, card("tarot")).per_sheet == 2
    assert fold_over(A4, card("square")).per_sheet == 4
    assert fold_over(A4, card("A6")).per_sheet == 1
    assert fold_over(A4, mm_to_pt((300, 300))).per_sheet == 0


@pytest.mark.parametrize("sheet", FOLD_SHEETS)
def test_fold_over_backs_mirror_the_fronts_about_the_fold(sheet):
    fold = sheet.fold
    assert len(sheet.backs) == len(sheet.fronts) > 0
    for front, back in zip(sheet.fronts, sheet.backs, strict=True):
        (fx, fy), (bx, by) = front.centre, back.centre
        if sheet.vertical_fold:
            assert (fx + bx) / 2 == pytest.approx(fold.x1) and fy == pytest.approx(by)
            assert front.right < fold.x1 < back.x
        else:
            assert (fy + by) / 2 == pytest.approx(fold.y1) and fx == pytest.approx(bx)
            assert back.top < fold.y1 < front.y
        assert (front.w, front.h) == (back.w, back.h) == pytest.approx(sheet.slot)


@pytest.mark.parametrize("sheet", FOLD_SHEETS)
def test_fold_over_stays_inside_the_margin_and_marks_outside_the_cards(sheet):
    margin = SHEET_MARGIN_MM * MM
    printable = Rect(margin, margin, sheet.paper[0] - 2 * margin, sheet.paper[1] - 2 * margin)
    boxes = sheet.fronts + sheet.backs
    for box in boxes:
        assert printable.contains(box)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    for line in (*sheet.marks, sheet.fold):
        assert printable.contains(Rect(min(line.x1, line.x2), min(line.y1, line.y2), abs(line.x2 - line.x1), abs(line.y2 - line.y1)))
        for box in boxes:
            assert not line.crosses(box)
    # the marks of the back half are the mirror of the front half's: one cut goes through both layers
    half = len(sheet.marks) // 2
    mirror = (lambda m: m.mirrored_x(sheet.paper[0])) if sheet.vertical_fold else (lambda m: m.mirrored_y(sheet.paper[1]))
    assert flat(ends(mirror(m)) for m in sheet.marks[:half]) == pytest.approx(flat(ends(m) for m in sheet.marks[half:]))


def test_fold_line_is_in_the_middle_of_the_sheet():
    sheet = fold_over(A4, card("poker"))
    assert sheet.vertical_fold and sheet.fold.x1 == pytest.approx(A4[0] / 2)
    assert sheet.rotated and sheet.back_rotation == -90


# --- print shop ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CARD_SIZES_MM))
def test_shop_page_is_trim_plus_bleed_with_nested_boxes(name):
    page = shop_page(card(name))
    w, h = CARD_SIZES_MM[name]
    assert (page.media[0] / MM, page.media[1] / MM) == pytest.approx((w + 2 * BLEED_MM, h + 2 * BLEED_MM))
    assert (page.trim.w / MM, page.trim.h / MM) == pytest.approx((w, h))
    assert page.bleed == Rect(0, 0, *page.media)
    assert page.bleed.contains(page.trim) and page.trim.contains(page.safe)
    assert page.trim.x / MM == pytest.approx(BLEED_MM) and page.trim.y / MM == pytest.approx(BLEED_MM)
    assert (page.trim.x - page.bleed.x) / MM == pytest.approx(BLEED_MM)
    assert (page.bleed.right - page.trim.right) / MM == pytest.approx(BLEED_MM)


def test_safe_area_is_inside_the_trim_by_the_safe_margin():
    trim = Rect(10, 20, 63 * MM, 88 * MM)
    safe = safe_area(trim)
    assert ((safe.x - trim.x) / MM, (trim.top - safe.top) / MM) == pytest.approx((SAFE_MM, SAFE_MM))
    assert (safe.w / MM, safe.h / MM) == pytest.approx((63 - 2 * SAFE_MM, 88 - 2 * SAFE_MM))


def test_rect_helpers():
    r = Rect(10, 20, 30, 40)
    assert (r.right, r.top) == (40, 60)
    assert r.mirrored_x(100) == Rect(60, 20, 30, 40)
    assert r.mirrored_y(100) == Rect(10, 40, 30, 40)
    assert r.moved(1, -2) == Rect(11, 18, 30, 40)
    assert not r.overlaps(Rect(40, 20, 10, 10))  # touching along a cut line
    assert r.overlaps(Rect(39, 20, 10, 10))
    assert CropMark(0, 0, 3, 4).length == 5


# --- calibration --------------------------------------------------------------------------------

# Printer errors, mm, in front coordinates (+ = right / up): how far a printer moves what it
# prints on the back. All are multiples of the calibration step but the last.
ERRORS_ON_THE_STEP = [(0, 0), (2, -1), (-3, 0.5), (1.5, 2.5)]
ERROR_OFF_THE_STEP = (1.3, -0.7)


def landing(mark: CropMark, duplex: str, paper) -> CropMark:
    """Where a line drawn on the back page shows through, in front-page coordinates."""
    if duplex == "long":
        return mark.mirrored_x(paper[0])
    if duplex == "short":
        return mark.mirrored_y(paper[1])
    return mark


def _gap(cal, cell, axis: str, printer_error_mm) -> float:
    """How far apart a cell's front line and its back line are, seen against the light, across the line."""
    seen = landing(cell.back, cal.duplex, cal.paper).moved(printer_error_mm[0] * MM, printer_error_mm[1] * MM)
    if axis == "x":
        assert seen.x1 == pytest.approx(seen.x2) and cell.front.x1 == pytest.approx(cell.front.x2)  # vertical lines
        return abs(seen.x1 - cell.front.x1)
    assert seen.y1 == pytest.approx(seen.y2) and cell.front.y1 == pytest.approx(cell.front.y2)  # horizontal lines
    return abs(seen.y1 - cell.front.y1)


def merged_cells(cal, printer_error_mm=(0.0, 0.0)):
    """Read the sheet as a person would: in the row and in the column, the cell whose two lines look most like one."""
    found = []
    for axis, cells in (("x", cal.x_cells), ("y", cal.y_cells)):
        gaps = sorted((_gap(cal, cell, axis, printer_error_mm), index) for index, cell in enumerate(cells))
        found.append((cells[gaps[0][1]], gaps[0][0], gaps[1][0]))
    return found


def reading(cal, printer_error_mm=(0.0, 0.0)) -> tuple[float, float]:
    (x_cell, _, _), (y_cell, _, _) = merged_cells(cal, printer_error_mm)
    return x_cell.value, y_cell.value


def backs_land_behind_fronts(duplex: str, offset, error) -> float:
    """Print poker cards with that back offset on a printer with that error: the worst miss, in mm."""
    sheet = grid(A4, card("poker"))
    worst = 0.0
    for front, back in zip(sheet.fronts, backs(sheet, duplex, offset_mm=offset), strict=True):
        corner = CropMark(back.x, back.y, back.right, back.top)
        seen = landing(corner, duplex, A4).moved(error[0] * MM, error[1] * MM)
        worst = max(worst, abs(min(seen.x1, seen.x2) - front.x), abs(min(seen.y1, seen.y2) - front.y))
    return worst / MM


@pytest.mark.parametrize("duplex", ["long", "short", "none"])
@pytest.mark.parametrize("error", ERRORS_ON_THE_STEP)
def test_calibration_one_cell_per_scale_shows_a_single_line_and_its_number_cancels_the_error(duplex, error):
    cal = calibration(A4, duplex)
    for cell, gap, next_best in merged_cells(cal, error):
        assert gap < TOL  # the two lines are one
        assert next_best / MM == pytest.approx(0.5)  # its neighbours show two lines half a millimetre apart
    offset = reading(cal, error)
    assert backs_land_behind_fronts(duplex, offset, error) < TOL


@pytest.mark.parametrize("duplex", ["long", "short"])
def test_calibration_an_error_between_two_cells_reads_the_nearest(duplex):
    cal = calibration(A4, duplex)
    offset = reading(cal, ERROR_OFF_THE_STEP)
    assert backs_land_behind_fronts(duplex, offset, ERROR_OFF_THE_STEP) <= 0.25 + TOL
    assert backs_land_behind_fronts(duplex, offset, ERROR_OFF_THE_STEP) > 0  # the error is not on a cell


def test_calibration_printed_with_an_offset_still_reads_the_total_offset():
    error = (1, 2)
    needed = reading(calibration(A4, "long"), printer_error_mm=error)
    assert needed == (1, -2)  # long edge: x is mirrored, so x keeps the error's sign and y inverts it
    corrected = calibration(A4, "long", offset_mm=needed)
    assert reading(corrected, printer_error_mm=error) == needed
    # the scales are centred on the offset printed: a corrected printer merges the middle cells
    assert [cell for cell, _, _ in merged_cells(corrected, error)] == list(corrected.middle)
    # and the back's cross now lands exactly on the front's
    seen = [landing(m, "long", A4).moved(error[0] * MM, error[1] * MM) for m in corrected.back_cross]
    assert flat(ends(m) for m in seen) == pytest.approx(flat(ends(m) for m in corrected.front_cross))


def test_calibration_cells_read_in_french_centred_on_the_current_offset():
    cal = calibration(A4, "long")
    assert [cell.number.text for cell in cal.x_cells] == [
        "\u22123", "\u22122,5", "\u22122", "\u22121,5", "\u22121", "\u22120,5", "0",
        "+0,5", "+1", "+1,5", "+2", "+2,5", "+3"]
    assert [cell.number.text for cell in cal.y_cells][::6] == ["+3", "0", "\u22123"]  # + is up
    x_middle, y_middle = calibration(A4, "short", offset_mm=(0.5, -1.75)).middle
    assert (x_middle.number.text, y_middle.number.text) == ("+0,5", "\u22121,75")
    assert [c.box.x for c in cal.x_cells] == sorted(c.box.x for c in cal.x_cells)
    assert [c.box.y for c in cal.y_cells] == sorted((c.box.y for c in cal.y_cells), reverse=True)


CALIBRATION_SHEETS = [
    pytest.param(calibration(paper, duplex, offset), id=f"{paper_name}-{duplex}-{offset[0]}-{offset[1]}")
    for (paper_name, paper), duplex, offset in itertools.product(
        PAPERS.items(), ["long", "short", "none"], [(0, 0), (1.5, -0.75), (-3, 3)])
]


@pytest.mark.parametrize("cal", CALIBRATION_SHEETS)
def test_calibration_sheet_keeps_its_ink_inside_the_margin_and_its_cells_apart(cal):
    paper_w, paper_h = cal.paper
    margin = SHEET_MARGIN_MM * MM
    page = Rect(margin, margin, paper_w - 2 * margin, paper_h - 2 * margin)
    assert len(cal.x_cells) == len(cal.y_cells) == 13  # ±3 mm every half millimetre
    boxes = [c.box for c in cal.cells] + [cal.note, cal.x_heading, cal.y_heading, cal.cross_note]
    for box in boxes:
        assert page.contains(box)
    for line in cal.front_lines + cal.back_lines:
        for x, y in ((line.x1, line.y1), (line.x2, line.y2)):
            assert margin <= x <= paper_w - margin and margin <= y <= paper_h - margin
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    for line in cal.front_cross:
        assert not any(line.crosses(box) for box in boxes)
    for cell in cal.cells:
        assert cell.front.length / MM == pytest.approx(20)
        assert cell.back.length > cell.front.length  # its ends show past the front line's
        front = cell.front
        assert cell.box.contains(Rect(min(front.x1, front.x2), min(front.y1, front.y2),
                                      abs(front.x2 - front.x1), abs(front.y2 - front.y1)))


def test_calibration_numbers_stay_clear_of_their_lines():
    cal = calibration(A4, "long")
    for cell in cal.x_cells:
        assert cell.number.y - cell.number.room / 2 > max(cell.front.y1, cell.front.y2)  # above the line
    for cell in cal.y_cells:
        assert cell.number.x - cell.number.room / 2 > max(cell.front.x1, cell.front.x2)  # right of the line


@pytest.mark.parametrize("paper", [A4, LETTER], ids=["A4", "letter"])
@pytest.mark.parametrize("offset", [(0, 0), (1.75, -2.25), (-4.5, 3.5), (6.75, -6.5)])  # up to "+9,75"
def test_calibration_numbers_fit_their_cells(paper, offset):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from kit.render.decks import CALIBRATION_NUMBER_FONT
    from kit.imposition import CALIBRATION_NUMBER_PT
    from kit.theme import RL_FONTS, register_reportlab_fonts

    register_reportlab_fonts()
    cal = calibration(paper, "long", offset)
    for cell in cal.cells:
        assert cell.number.room < (cell.box.w if cell in cal.x_cells else cell.box.w / 2)
        assert stringWidth(cell.number.text, RL_FONTS[CALIBRATION_NUMBER_FONT], CALIBRATION_NUMBER_PT) <= cell.number.room


def test_calibration_on_a5_keeps_fewer_cells_inside_the_margin():
    a5 = mm_to_pt((148, 210))
    cal = calibration(a5, "long")
    assert 3 <= len(cal.x_cells) < 13 and len(cal.x_cells) == len(cal.y_cells)
    margin = SHEET_MARGIN_MM * MM
    page = Rect(margin, margin, a5[0] - 2 * margin, a5[1] - 2 * margin)
    assert all(page.contains(c.box) for c in cal.cells)
