"""Turn interview guides into PDFs: pocket cards à la volée, A4 rendez-vous guides, per-pair copies.

Three outputs, one generator:

- `guides/cartes-de-poche.pdf`: every guide à la volée as a pocket card, four cards to a sheet
  with crop marks. Cards are drawn with reportlab, not weasyprint, because a card is a fixed
  box that its text must fit: reportlab measures each paragraph before drawing, so the type
  shrinks in small steps until the guide fits (never below `MIN_CARD_SCALE`, which stays
  readable at arm's length; past that the build warns), and the boxes and marks come straight
  from `kit.imposition.grid` in its own coordinates (points, bottom-left origin). The guides
  share sheets: the cards run through the guides in order and repeat until the last sheet is
  full, so one sheet cut in four gives a pair every guide (one guide: four copies of it).
- `guides/<id>.pdf`: a rendez-vous guide on A4 through weasyprint (flowing text, page rules:
  a question never split from its note space, a section heading never ending a page).
- `field/<plan>/guides-binome-<pair>.pdf`: for each pair of a field plan, one copy of the rendez-vous
  guide per rendez-vous slot, its header filled in (pair, site, date, time): a mail merge. Each
  copy is laid out alone (its own "page n / m"), then the copies' pages are joined.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from kit.canvas import draw_marks, new_canvas
from kit.content import Content
from kit.content.guides import Guide, NoteSpace, Question, Section
from kit.documents import Stamp, base_context, render_html, render_joined, render_pdf
from kit.generators import RenderContext, Rendered, register
from kit.generators.field import pair_names
from kit.imposition import CARD_SIZES_MM, CROP_MARK_OFFSET_MM, SAFE_MM, SHEET_MARGIN_MM, Rect, Sheet, grid
from kit.labels import Labels
from kit.markup import reportlab_spaces, to_reportlab
from kit.plan import Output
from kit.schedule import clock
from kit.theme import MM, Theme, register_reportlab_fonts
from kit.typography import NBSP, typeset

POCKET_PATH = "guides/cartes-de-poche.pdf"
POCKET_LAYOUT = (2, 2)  # columns, rows: four cards to a sheet

# A4 is exactly four A6: true A6 cards would print to the sheet's edge, which office printers
# cannot do (and which makes print dialogs offer "fit to page"). So the pocket card is A6 less
# what the sheet margin and the crop marks need on each side: 96 × 139.5 mm on A4.
POCKET_MAX_MM = CARD_SIZES_MM["A6"]
POCKET_MARK_MM = 3.0          # shorter than the decks' marks: every millimetre goes to the card
POCKET_BORDER_MM = SHEET_MARGIN_MM + CROP_MARK_OFFSET_MM + POCKET_MARK_MM
# The safe margin of every card: text stays clear of a cut that drifts.
CARD_PADDING_MM = SAFE_MM

# Type sizes on a card at scale 1, in points: readable at arm's length, questions largest.
CARD_TYPE = {
    "kicker": 7.0, "title": 13.5, "reminder": 8.2, "label": 7.0, "hook": 9.6,
    "question": 11.0, "probe": 9.8, "listen": 8.0, "footer": 6.5,
}
LEADING = 1.22               # line height as a multiple of the type size
# The type shrinks in 2 % steps until the guide fits; below 84 % (questions under 9.3 pt) a card
# stops being readable at arm's length, so the build warns instead.
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
FOOTER_BAND_PT = 11.0         # room kept at the card's foot for the version and date
HYPHENATION = {"fr": "fr_FR", "en": "en_GB"}

# Rendez-vous documents: ruled note space, one rule per handwriting line.
NOTE_LINE_PITCH_MM = 8.0


# -- outputs -----------------------------------------------------------------------------------

def document_path(guide: Guide) -> str:
    return f"guides/{guide.id}.pdf"


def pair_copies_path(plan_id: str, pair_id: str) -> str:
    return f"field/{plan_id}/guides-binome-{pair_id}.pdf"


def on_the_fly_guides(content: Content) -> list[Guide]:
    return [g for g in content.of("guides").values() if g.on_the_fly]


def rendez_vous_slots(plan: Any, pair_id: str, guides: dict[str, Guide]) -> list[Any]:
    """The slots of a pair that call for a printed rendez-vous guide, in time order."""
    return [s for s in plan.slots_of(pair_id)
            if s.guide in guides and not guides[s.guide].on_the_fly]


# -- the views templates and cards draw from ---------------------------------------------------

@dataclass(frozen=True)
class NumberedQuestion:
    number: int
    question: Question
    lines: int           # ruled lines in its note space
    height_mm: float     # height of its note space


@dataclass(frozen=True)
class Part:
    """A warm-up or a section as printed: its title and numbered questions."""

    title: str
    section: Section
    questions: tuple[NumberedQuestion, ...]


@dataclass(frozen=True)
class FillIn:
    """One field of the header the pair fills in (or that the mail merge filled for them)."""

    label: str
    value: str = ""


def note_size(notes: NoteSpace) -> tuple[int, float]:
    """Ruled lines and height (mm) of a note space; a height in mm holds the lines that fit it."""
    if notes.height_mm is not None:
        return max(1, int(notes.height_mm // NOTE_LINE_PITCH_MM)), notes.height_mm
    lines = notes.lines or 0
    return lines, lines * NOTE_LINE_PITCH_MM


def guide_parts(guide: Guide, labels: Labels) -> list[Part]:
    """The warm-up and the sections with questions numbered through the whole interview."""
    parts = []
    number = 0
    sections = ((guide.warmup,) if guide.warmup else ()) + guide.sections
    for section in sections:
        numbered = []
        for question in section.questions:
            number += 1
            lines, height = note_size(question.notes)
            numbered.append(NumberedQuestion(number, question, lines, height))
        title = section.title or labels("guide.warmup")
        parts.append(Part(title, section, tuple(numbered)))
    return parts


def guide_stamp(guide: Guide, content: Content, labels: Labels, edition: str) -> Stamp:
    """The running header and footer: the guide's own version and date, else the kit's."""
    config = content.config
    return Stamp(kit_title=config.title, document=guide.title, edition=edition,
                 version=guide.version or config.version,
                 date=labels.date(guide.date or config.date, weekday=False))


def fill_ins(labels: Labels, pair: str = "", day: str = "", site: str = "", time: str = "") -> list[FillIn]:
    return [
        FillIn(labels("guide.pair"), pair),
        FillIn(labels("guide.date"), day),
        FillIn(labels("guide.site"), site),
        FillIn(labels("guide.time"), time),
        FillIn(labels("guide.role")),
        FillIn(labels("guide.duration")),
    ]


def document_context(guide: Guide, content: Content, theme: Theme, header: list[FillIn],
                     edition: str) -> dict:
    labels = Labels(theme.language)
    return {
        **base_context(theme, guide_stamp(guide, content, labels, edition)),
        "guide": guide,
        "parts": guide_parts(guide, labels),
        "header": header,
        "reminder": guide.reminder or labels("guide.reminder"),
        "page_size": theme.paper,
        "pitch_mm": NOTE_LINE_PITCH_MM,
    }


def edition_name(guide: Guide, labels: Labels) -> str:
    return f"{labels('guide.edition')} · {labels('guide.mode.' + guide.mode)}"


# -- pocket cards (reportlab) ------------------------------------------------------------------

def pocket_card_mm(paper_pt: tuple[float, float]) -> tuple[float, float]:
    """The pocket card's size: a quarter of the paper less the border, A6 at most."""
    columns, rows = POCKET_LAYOUT
    return (min(POCKET_MAX_MM[0], paper_pt[0] / MM / columns - 2 * POCKET_BORDER_MM / columns),
            min(POCKET_MAX_MM[1], paper_pt[1] / MM / rows - 2 * POCKET_BORDER_MM / rows))


def pocket_sheet(paper_pt: tuple[float, float]) -> Sheet:
    """Four pocket cards, two by two, with crop marks, as kit.imposition places them."""
    width, height = pocket_card_mm(paper_pt)
    return grid(paper_pt, (width * MM, height * MM), rotate_if_better=False)


def card_sequence(guides: list[Guide], per_sheet: int) -> list[Guide]:
    """The guides in order, repeated until the last sheet is full."""
    if not guides:
        return []
    sheets = -(-len(guides) // per_sheet)
    total = sheets * per_sheet
    return [guides[i % len(guides)] for i in range(total)]


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
        self.labels = Labels(theme.language)
        self.language = theme.language
        self.config = content.config
        self.items = self.flowables()

    def style(self, role: str, font: str = "Inter", colour: str = "ink", **extra) -> ParagraphStyle:
        size = CARD_TYPE[role] * self.scale
        return ParagraphStyle(role, fontName=font, fontSize=size, leading=size * LEADING,
                              textColor=HexColor(self.theme.colour(colour)),
                              hyphenationLang=HYPHENATION.get(self.language, ""), **extra)

    def para(self, markup: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(reportlab_spaces(markup), style)

    def text(self, text: str) -> str:
        """A plain label typeset and escaped for reportlab."""
        return escape(typeset(text, self.language))

    def markdown(self, text: str) -> str:
        """A text field's Markdown subset as one reportlab paragraph (list items on their own lines)."""
        runs = to_reportlab(text, self.language)
        return "<br/>".join(f"{run.bullet} {run.markup}" if run.bullet else run.markup for run in runs)

    def flowables(self) -> list[Placed]:
        guide, labels, s = self.guide, self.labels, self.scale
        accent = self.theme.colour("accent")
        kicker = labels(f"guide.mode.{guide.mode}").upper()
        if guide.duration:
            kicker += f" · {guide.duration}{NBSP}MIN"
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
                label = self.text(labels("guide.listen") + " :")
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


def content_box(trim: Rect) -> Rect:
    """Where a card's text goes: inside the padding, above the footer band."""
    inner = trim.inset(CARD_PADDING_MM * MM)
    return Rect(inner.x, inner.y + FOOTER_BAND_PT, inner.w, inner.h - FOOTER_BAND_PT)


def layout_card(guide: Guide, content: Content, theme: Theme, box: Rect) -> tuple[PocketCard, bool]:
    """The card at the largest type scale whose text fits the box; (smallest, False) when none does."""
    card = None
    for scale in CARD_SCALES:
        card = PocketCard(guide, content, theme, scale)
        if card.fits(box):
            return card, True
    return card, False


def draw_card_footer(canvas: Canvas, trim: Rect, guide: Guide, content: Content, theme: Theme) -> None:
    labels = Labels(theme.language)
    stamp = guide_stamp(guide, content, labels, "")
    inner = trim.inset(CARD_PADDING_MM * MM)
    canvas.setFont("Inter", CARD_TYPE["footer"])
    canvas.setFillColor(HexColor(theme.colour("muted")))
    canvas.drawString(inner.x, inner.y, f"{labels('version')} {stamp.version} · {stamp.date}")
    canvas.drawRightString(inner.right, inner.y, reportlab_spaces(typeset(stamp.kit_title, theme.language)))


def render_pocket_cards(guides: list[Guide], content: Content, theme: Theme) -> tuple[bytes, int, list[str]]:
    register_reportlab_fonts()
    labels = Labels(theme.language)
    sheet = pocket_sheet(theme.paper_pt)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, theme.paper_pt, f"{content.config.title} — {labels('guide.pocket')}", content.config)
    warnings = []
    layouts: dict[str, PocketCard] = {}
    box = content_box(sheet.fronts[0].moved(-sheet.fronts[0].x, -sheet.fronts[0].y))
    for guide in guides:
        card, fits = layout_card(guide, content, theme, box)
        layouts[guide.id] = card
        if not fits:
            warnings.append(f"{guide.file}: the guide does not fit a pocket card even at "
                            f"{round(MIN_CARD_SCALE * 100)} % type size; shorten the hook, questions or probes")
    sequence = card_sequence(guides, sheet.per_sheet)
    pages = 0
    for start in range(0, len(sequence), sheet.per_sheet):
        for guide, trim in zip(sequence[start:start + sheet.per_sheet], sheet.fronts):
            layouts[guide.id].draw(canvas, content_box(trim), trim)
            draw_card_footer(canvas, trim, guide, content, theme)
        draw_marks(canvas, sheet.marks)
        canvas.showPage()
        pages += 1
    canvas.save()
    return buffer.getvalue(), pages, warnings


# -- the generator -----------------------------------------------------------------------------

@register
class GuideGenerator:
    """Interview guides: pocket cards, rendez-vous documents, and the pairs' filled-in copies."""

    kind = "guide"

    def outputs(self, content: Content) -> list[Output]:
        guides: dict[str, Guide] = content.of("guides")
        result = []
        pocket = on_the_fly_guides(content)
        if pocket:
            result.append(Output(self.kind, POCKET_PATH, "pocket", tuple(g.file for g in pocket), "pocket"))
        for guide in guides.values():
            if not guide.on_the_fly:
                result.append(Output(self.kind, document_path(guide), guide.id, (guide.file,), "document"))
        for plan in content.of("field").values():
            for pair_id in plan.pairs:
                slots = rendez_vous_slots(plan, pair_id, guides)
                if not slots:
                    continue
                used = sorted({guides[s.guide].file for s in slots})
                result.append(Output(self.kind, pair_copies_path(plan.id, pair_id), plan.id,
                                     (plan.file, *used), "pair", (("pair", pair_id),)))
        return result

    def render(self, output: Output, content: Content, context: RenderContext) -> Rendered:
        if output.edition == "pocket":
            pdf, pages, warnings = render_pocket_cards(on_the_fly_guides(content), content, context.theme)
            return Rendered({output.path: pdf}, pages, warnings)
        if output.edition == "document":
            guide = content.of("guides")[output.subject]
            labels = Labels(context.theme.language)
            html = render_html("guide.html.j2", document_context(
                guide, content, context.theme, fill_ins(labels), edition_name(guide, labels)))
            pdf, pages = render_pdf(html, context.kit_root)
            return Rendered({output.path: pdf}, pages)
        return self.render_pair(output, content, context)

    def render_pair(self, output: Output, content: Content, context: RenderContext) -> Rendered:
        plan = content.of("field")[output.subject]
        guides = content.of("guides")
        pair = plan.pairs[output.option("pair")]
        labels = Labels(context.theme.language)
        htmls = []
        for slot in rendez_vous_slots(plan, pair.id, guides):
            guide, site = guides[slot.guide], plan.sites[slot.site]
            names = pair_names(pair, labels)
            header = fill_ins(labels, pair=names, day=labels.date(plan.date), site=site.name,
                              time=f"{clock(slot.start)} – {clock(slot.end)}")
            edition = f"{labels('guide.copy', pair=names)} · {clock(slot.start)}"
            htmls.append(render_html("guide.html.j2", document_context(guide, content, context.theme, header, edition)))
        pdf, pages = render_joined(htmls, context.kit_root)
        return Rendered({output.path: pdf}, pages)
