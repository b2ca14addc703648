"""Turn guides à la volée into pocket cards with reportlab: a question side measured at the largest
type scale that fits its card, and a note side to write on in the street, four cards to a sheet.

kit.generators.guide plans the output and its sheet geometry (`pocket_sheet`, `content_box`);
this module sets the type (reportlab measures each paragraph before drawing) and draws. The
fronts are one page, the note sides the next, placed behind their fronts for the duplex flip of
kit.yaml (`kit.imposition.backs`), as the card decks are.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from reportlab.pdfbase.pdfmetrics import stringWidth

from kit.cards.text import largest_that_fits
from kit.canvas import draw_marks, new_canvas
from kit.content import Content
from kit.content.guides import Guide
from kit.errors import Problem
from kit.generators.guide import (CARD_PADDING_MM, FOOTER_BAND_PT, card_sequence, content_box, guide_stamp,
                                  pocket_sheet)
from kit.imposition import Rect, back_rotation, backs
from kit.labels import Labels
from kit.markup import reportlab_spaces, to_reportlab
from kit.render.decks import DUPLEX_PREFERENCE, place
from kit.theme import MM, RL_FONTS, Theme, register_reportlab_fonts
from kit.typography import typeset

# Type sizes on a card at scale 1, in points: readable at arm's length, questions largest.
CARD_TYPE = {
    "kicker": 8.0, "title": 13.5, "reminder": 8.6, "label": 8.0, "hook": 9.6,
    "question": 11.0, "probe": 9.8, "listen": 8.6, "footer": 8.0,
}
# Nothing on a card is set smaller, whatever the scale: below 8 pt a card read standing in a
# corridor, in poor light, stops being read. A guide that does not fit at that floor is warned about.
MIN_TYPE_PT = 8.0
LEADING = 1.22               # line height as a multiple of the type size
# The type shrinks in 2 % steps until the guide fits (small roles stay at MIN_TYPE_PT); below 84 %
# (questions under 9.3 pt) a card stops being readable at arm's length, so the build warns instead.
CARD_SCALE_STEP = 0.02
MIN_CARD_SCALE = 0.84
CARD_SCALES = tuple(round(1.0 - i * CARD_SCALE_STEP, 2)
                    for i in range(round((1.0 - MIN_CARD_SCALE) / CARD_SCALE_STEP) + 1))
HEARD_LINE_PITCH_MM = 7.0    # a handwritten line on a card held in one hand
RULE_WIDTH_PT = 0.5
REMINDER_BAR_PT = 2.2
REMINDER_PADDING_PT = 5.0
QUESTION_GAP_PT = 6.0
PROBE_INDENT_PT = 11.0
NUMBER_INDENT_PT = 14.0


class RuledLines(Flowable):
    """Lines to write on: `count` rules `pitch` apart, the full width."""

    def __init__(self, count: int, pitch: float, colour: str):
        super().__init__()
        self.count, self.pitch, self.colour = count, pitch, colour

    def wrap(self, avail_w, avail_h):
        self.width = avail_w
        return avail_w, self.count * self.pitch

    def draw(self):
        self.canv.setStrokeColor(HexColor(self.colour))
        self.canv.setLineWidth(RULE_WIDTH_PT)
        for index in range(self.count):
            y = index * self.pitch
            self.canv.line(0, y, self.width, y)


class Boxed(Flowable):
    """Paragraphs on a tinted ground with a coloured bar on the left: the method reminder."""

    def __init__(self, inner: list[Flowable], fill: str, bar: str, padding: float):
        super().__init__()
        self.inner, self.fill, self.bar, self.padding = inner, fill, bar, padding

    def wrap(self, avail_w, avail_h):
        self.width = avail_w
        inner_w = avail_w - 2 * self.padding - REMINDER_BAR_PT
        self.sizes = [f.wrap(inner_w, avail_h) for f in self.inner]
        self.height = sum(h for _, h in self.sizes) + 2 * self.padding
        return avail_w, self.height

    def draw(self):
        canvas = self.canv
        canvas.setFillColor(HexColor(self.fill))
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        canvas.setFillColor(HexColor(self.bar))
        canvas.rect(0, 0, REMINDER_BAR_PT, self.height, stroke=0, fill=1)
        y = self.height - self.padding
        for flowable, (_, h) in zip(self.inner, self.sizes):
            y -= h
            flowable.drawOn(canvas, REMINDER_BAR_PT + self.padding, y)


@dataclass
class Placed:
    flowable: Flowable
    space_before: float = 0.0


class PocketCard:
    """One guide à la volée laid out on one card at a type scale: measured, then drawn."""

    def __init__(self, guide: Guide, content: Content, theme: Theme, scale: float):
        self.guide, self.theme, self.scale = guide, theme, scale
        self.labels = theme.labels
        self.language = theme.language
        self.config = content.config
        self.items = self.flowables()

    def style(self, role: str, font: str = "Inter", colour: str = "ink", **extra) -> ParagraphStyle:
        size = type_size(role, self.scale)
        return ParagraphStyle(role, fontName=font, fontSize=size, leading=size * LEADING,
                              textColor=HexColor(self.theme.colour(colour)),
                              hyphenationLang=self.labels.hyphenation, **extra)

    def para(self, markup: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(reportlab_spaces(markup), style)

    def text(self, text: str) -> str:
        """A plain label typeset and escaped for reportlab."""
        return escape(typeset(text, self.language), quote=False)

    def markdown(self, text: str) -> str:
        """A text field's Markdown subset as one reportlab paragraph (list items on their own lines)."""
        runs = to_reportlab(text, self.language)
        return "<br/>".join(f"{run.bullet} {run.markup}" if run.bullet else run.markup for run in runs)

    def flowables(self) -> list[Placed]:
        guide, labels, s = self.guide, self.labels, self.scale
        accent = self.theme.colour("accent")
        kicker = labels(f"guide.mode.{guide.mode}").upper()
        if guide.duration:
            kicker += f" · {labels.length(guide.duration).upper()}"
        items = [
            Placed(self.para(self.text(kicker), self.style("kicker", "Inter-SemiBold", "muted"))),
            Placed(self.para(self.text(guide.title), self.style("title", "Inter-Bold", "primary")), 2 * s),
        ]
        reminder = [
            self.para(self.text(labels("guide.reminder.title")).upper(),
                      self.style("label", "Inter-Bold", "accent", spaceAfter=1.5 * s)),
            self.para(self.markdown(guide.reminder or labels("guide.reminder")), self.style("reminder")),
        ]
        items.append(Placed(Boxed(reminder, self.theme.colour("light"), accent, REMINDER_PADDING_PT * s), 6 * s))
        if guide.hook:
            items.append(Placed(self.para(self.text(labels("guide.hook")).upper(),
                                          self.style("label", "Inter-Bold", "muted")), 7 * s))
            items.append(Placed(self.para(f"<i>{self.markdown(guide.hook)}</i>", self.style("hook")), 1.5 * s))
        question_style = self.style("question", "Inter-Bold", leftIndent=NUMBER_INDENT_PT * s,
                                    bulletFontName="Inter-Bold", bulletColor=HexColor(self.theme.colour("primary")))
        probe_style = self.style("probe", leftIndent=(NUMBER_INDENT_PT + PROBE_INDENT_PT) * s,
                                 bulletIndent=NUMBER_INDENT_PT * s, bulletFontName="Inter-Bold",
                                 bulletColor=HexColor(accent))
        listen_style = self.style("listen", colour="muted", leftIndent=NUMBER_INDENT_PT * s)
        for number, question in enumerate(guide.questions, start=1):
            ask = self.para(self.markdown(question.text), question_style)
            ask.bulletText = str(number)
            items.append(Placed(ask, QUESTION_GAP_PT * s + (3 * s if number == 1 else 0)))
            for probe in question.probes:
                para = self.para(self.markdown(probe.text), probe_style)
                para.bulletText = "↳"
                items.append(Placed(para, 1.5 * s))
            if question.listen:
                listen = " · ".join(self.markdown(point) for point in question.listen)
                label = self.text(labels.colon(labels("guide.listen")))
                items.append(Placed(self.para(f"<b>{label}</b> <i>{listen}</i>", listen_style), 1.5 * s))
        if guide.heard_lines:
            items.append(Placed(self.para(self.text(labels("guide.heard")).upper(),
                                          self.style("label", "Inter-Bold", "muted")), 8 * s))
            items.append(Placed(RuledLines(guide.heard_lines, HEARD_LINE_PITCH_MM * MM, self.theme.colour("muted"))))
        return items

    def height(self, width: float) -> float:
        return sum(p.space_before + p.flowable.wrap(width, 10_000)[1] for p in self.items)

    def fits(self, box: Rect) -> bool:
        return self.height(box.w) <= box.h

    def draw(self, canvas: Canvas, box: Rect, trim: Rect) -> None:
        """Draw from the top of the box; a guide too long (already warned about) is cut above the footer."""
        canvas.saveState()
        clip = canvas.beginPath()
        clip.rect(trim.x, box.y, trim.w, trim.top - box.y)
        canvas.clipPath(clip, stroke=0, fill=0)
        y = box.top
        for placed in self.items:
            _, height = placed.flowable.wrap(box.w, box.h)
            y -= placed.space_before + height
            placed.flowable.drawOn(canvas, box.x, y)
        canvas.restoreState()


def layout_card(guide: Guide, content: Content, theme: Theme, box: Rect) -> tuple[PocketCard, bool]:
    """The card at the largest type scale whose text fits the box; (smallest, False) when none does."""
    return largest_that_fits(CARD_SCALES, lambda scale: PocketCard(guide, content, theme, scale),
                             lambda card: card.fits(box))


def type_size(role: str, scale: float = 1.0) -> float:
    """A role's type size at a scale, never below MIN_TYPE_PT."""
    return max(MIN_TYPE_PT, CARD_TYPE[role] * scale)


def draw_card_footer(canvas: Canvas, trim: Rect, guide: Guide, content: Content, theme: Theme,
                     right: str | None = None) -> None:
    """Version and date on the left; on the right the kit's title, or `right` (the front's pointer
    to the note side), in the accent colour."""
    labels = Labels(theme.language)
    stamp = guide_stamp(guide, content, labels, "")
    inner = trim.inset(CARD_PADDING_MM * MM)
    size = type_size("footer")
    canvas.setFont(RL_FONTS["regular"], size)
    canvas.setFillColor(HexColor(theme.colour("muted")))
    canvas.drawString(inner.x, inner.y, f"{labels('version')} {stamp.version} · {stamp.date}")
    if right is None:
        canvas.drawRightString(inner.right, inner.y, reportlab_spaces(typeset(stamp.kit_title, theme.language)))
    else:
        canvas.setFont(RL_FONTS["semibold"], size)
        canvas.setFillColor(HexColor(theme.colour("accent")))
        canvas.drawRightString(inner.right, inner.y, reportlab_spaces(typeset(right, theme.language)))


# -- the note side -----------------------------------------------------------------------------

# The note side, in the order it is filled in the street: who was met, then what jams (needs),
# then the service ideas heard, kept apart so the mise en commun sorts them without rereading.
NOTE_LINE_PITCH_MM = 7.0     # a handwritten line on a card held in one hand
MET_ROW_PITCH_MM = 8.0       # a fill-in row: its label and a line to write on, side by side
MET_FIELDS = ("guide.notes.job", "guide.notes.site", "guide.notes.hours")
NOTE_TITLE_PT = 11.5
NOTE_LABEL_PT = 8.5
NOTE_HINT_PT = 8.0
SECTION_GAP_MM = 3.5
# Of the lines left for writing, needs take two thirds (the survey is about them), ideas the rest.
NEEDS_SHARE = 2 / 3
MIN_IDEA_LINES = 3


@dataclass(frozen=True)
class NoteRule:
    """A line to write on, in the card's coordinates (points from its bottom-left corner)."""

    x1: float
    x2: float
    y: float
    part: str                 # "met", "needs" or "ideas"


@dataclass(frozen=True)
class NoteText:
    x: float
    y: float                  # baseline
    text: str
    font: str
    size: float
    colour: str               # a theme colour role


@dataclass(frozen=True)
class NoteSide:
    """The note side of a pocket card laid out as data: its texts and its lines to write on."""

    texts: tuple[NoteText, ...]
    rules: tuple[NoteRule, ...]

    def lines(self, part: str) -> int:
        return sum(1 for rule in self.rules if rule.part == part)


def note_side(card: tuple[float, float], labels: Labels, language: str) -> NoteSide:
    """Lay out the note side of a card `card` points wide and high: who was met (job, site, hours),
    the needs heard and the service ideas heard, each with its lines, filling the card to its footer."""
    inner = Rect(0, 0, *card).inset(CARD_PADDING_MM * MM)
    left, right = inner.x, inner.right
    texts: list[NoteText] = []
    rules: list[NoteRule] = []

    def text(value: str) -> str:
        return reportlab_spaces(typeset(value, language))

    y = inner.top - NOTE_TITLE_PT
    texts.append(NoteText(left, y, text(labels("guide.notes.title")), RL_FONTS["bold"], NOTE_TITLE_PT, "primary"))
    y -= SECTION_GAP_MM * MM + NOTE_LABEL_PT
    texts.append(NoteText(left, y, text(labels("guide.notes.met")).upper(), RL_FONTS["bold"], NOTE_LABEL_PT, "muted"))
    label_width = max(stringWidth(text(labels(key)), RL_FONTS["semibold"], NOTE_LABEL_PT) for key in MET_FIELDS)
    for key in MET_FIELDS:
        y -= MET_ROW_PITCH_MM * MM
        texts.append(NoteText(left, y + 1.2 * MM, text(labels(key)), RL_FONTS["semibold"], NOTE_LABEL_PT, "ink"))
        rules.append(NoteRule(left + label_width + 2 * MM, right, y, "met"))

    pitch = NOTE_LINE_PITCH_MM * MM
    heading = SECTION_GAP_MM * MM + NOTE_LABEL_PT + 1.5 + NOTE_HINT_PT   # label and its hint line
    writing_bottom = inner.y + FOOTER_BAND_PT
    free = y - writing_bottom - 2 * heading
    total = max(0, int(free // pitch))
    ideas = max(MIN_IDEA_LINES, total - round(total * NEEDS_SHARE))
    counts = {"needs": total - ideas, "ideas": ideas}
    for part in ("needs", "ideas"):
        y -= SECTION_GAP_MM * MM + NOTE_LABEL_PT
        texts.append(NoteText(left, y, text(labels(f"guide.notes.{part}")).upper(), RL_FONTS["bold"],
                              NOTE_LABEL_PT, "accent" if part == "needs" else "primary"))
        y -= 1.5 + NOTE_HINT_PT
        texts.append(NoteText(left, y, text(labels(f"guide.notes.{part}.hint")), RL_FONTS["italic"],
                              NOTE_HINT_PT, "muted"))
        for _ in range(counts[part]):
            y -= pitch
            rules.append(NoteRule(left, right, y, part))
    return NoteSide(tuple(texts), tuple(rules))


def draw_note_side(canvas: Canvas, side: NoteSide, theme: Theme) -> None:
    """Draw a laid-out note side in the card's coordinates (the canvas placed on the card)."""
    for item in side.texts:
        canvas.setFont(item.font, item.size)
        canvas.setFillColor(HexColor(theme.colour(item.colour)))
        canvas.drawString(item.x, item.y, item.text)
    canvas.setLineWidth(RULE_WIDTH_PT)
    for rule in side.rules:
        canvas.setStrokeColor(HexColor(theme.colour("ink" if rule.part == "met" else "muted")))
        canvas.line(rule.x1, rule.y, rule.x2, rule.y)


def render_pocket_cards(guides: list[Guide], content: Content, theme: Theme) -> tuple[bytes, int]:
    """Each sheet: the question sides, then the note sides behind them for the kit's duplex flip."""
    register_reportlab_fonts()
    labels = Labels(theme.language)
    printing = content.config.printing
    sheet = pocket_sheet(theme.paper_pt)
    back_boxes = backs(sheet, printing.duplex, printing.back_offset_mm)
    turn = back_rotation(sheet, printing.duplex)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, theme.paper_pt, f"{content.config.title} — {labels('guide.pocket')}", content.config)
    canvas.setViewerPreference("Duplex", DUPLEX_PREFERENCE[printing.duplex])
    box = card_box(theme)
    layouts = {guide.id: layout_card(guide, content, theme, box)[0] for guide in guides}
    notes = note_side(sheet.card, labels, theme.language)
    sequence = card_sequence(guides, sheet.per_sheet)
    pages = 0
    for start in range(0, len(sequence), sheet.per_sheet):
        cards = sequence[start:start + sheet.per_sheet]
        for guide, trim in zip(cards, sheet.fronts):
            layouts[guide.id].draw(canvas, content_box(trim), trim)
            draw_card_footer(canvas, trim, guide, content, theme, right=labels("guide.notes.turn"))
        draw_marks(canvas, sheet.marks)
        canvas.showPage()
        for guide, trim in zip(cards, back_boxes):
            canvas.saveState()
            place(canvas, trim, turn)
            draw_note_side(canvas, notes, theme)
            draw_card_footer(canvas, Rect(0, 0, trim.w, trim.h), guide, content, theme)
            canvas.restoreState()
        canvas.showPage()
        pages += 2
    canvas.save()
    return buffer.getvalue(), pages


def card_box(theme: Theme) -> Rect:
    """Where a pocket card's text goes, in the card's own coordinates."""
    sheet = pocket_sheet(theme.paper_pt)
    return content_box(sheet.fronts[0].moved(-sheet.fronts[0].x, -sheet.fronts[0].y))


def fit_problem(guide: Guide, content: Content, theme: Theme) -> Problem | None:
    """A warning when the guide does not fit its pocket card even at the smallest type scale."""
    register_reportlab_fonts()  # measured in a process that may have drawn nothing yet
    if layout_card(guide, content, theme, card_box(theme))[1]:
        return None
    return Problem(guide.file, guide.line, "questions",
                   f"expected a guide that fits a pocket card, got one too long even at "
                   f"{round(MIN_CARD_SCALE * 100)} % type size; shorten the hook, questions or probes")


