"""Turn interview guides into PDFs: pocket cards à la volée, A4 rendez-vous guides, per-pair copies.

Three outputs, one generator:

- `guides/cartes-de-poche.pdf`: every guide à la volée as a pocket card, four cards to a sheet
  with crop marks, questions on the front and a note side on the back (who was met, the needs,
  the service ideas heard, apart). Cards are drawn with reportlab, not weasyprint, because a card
  is a fixed box that its text must fit: reportlab measures each paragraph before drawing, so the
  type shrinks in small steps until the guide fits (never below `MIN_CARD_SCALE`, and no text
  below 8 pt; past that the build warns), and the boxes and marks come straight
  from `kit.imposition.grid` in its own coordinates (points, bottom-left origin). The guides
  share sheets: the cards run through the guides in order and repeat until the last sheet is
  full, so one sheet cut in four gives a pair every guide (one guide: four copies of it).
- `guides/<id>.pdf`: a rendez-vous guide on A4 through weasyprint (flowing text, page rules:
  a question never split from its note space, a section heading never ending a page).
- `field/<plan>/guides-binome-<pair>.pdf`: for each pair of a field plan, one copy of the rendez-vous
  guide per rendez-vous slot, its header filled in (pair, site, date, time): a mail merge. The
  guide is laid out once, blank, stamped with the version in force on the plan's day and without
  the change list (that belongs to guides/<id>.pdf); each copy is that layout with its values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kit.checks import Check
from kit.content import Content
from kit.content.guides import Guide, NoteSpace, Question, Section
from kit.documents import Stamp, base_context, render_document, render_html, render_with_tail
from kit.errors import Problem
from kit.file_names import named
from kit.generators import RenderContext, Rendered, register
from kit.generators.field import pair_names
from kit.imposition import CARD_SIZES_MM, CROP_MARK_OFFSET_MM, SAFE_MM, SHEET_MARGIN_MM, Rect, Sheet, grid
from kit.labels import Labels
from kit.outputs import DOCUMENT_SETTINGS, PRINTER_SETTINGS, Output, needs
from kit.theme import MM, Theme

POCKET_PATH = "guides/cartes-de-poche.pdf"  # a French kit's; pocket_path() for any kit
POCKET_LAYOUT = (2, 2)  # columns, rows: four cards to a sheet

# A4 is exactly four A6: true A6 cards would print to the sheet's edge, which office printers
# cannot do (and which makes print dialogs offer "fit to page"). So the pocket card is A6 less
# what the sheet margin and the crop marks need on each side: 96 × 139.5 mm on A4.
POCKET_MAX_MM = CARD_SIZES_MM["A6"]
POCKET_MARK_MM = 3.0          # shorter than the decks' marks: every millimetre goes to the card
POCKET_BORDER_MM = SHEET_MARGIN_MM + CROP_MARK_OFFSET_MM + POCKET_MARK_MM
# The safe margin of every card: text stays clear of a cut that drifts.
CARD_PADDING_MM = SAFE_MM

FOOTER_BAND_PT = 11.0         # room kept at the card's foot for the version and date

# Rendez-vous documents: ruled note space, one rule per handwriting line.
NOTE_LINE_PITCH_MM = 8.0


# -- outputs -----------------------------------------------------------------------------------

def document_path(guide: Guide) -> str:
    return f"guides/{guide.id}.pdf"


def pocket_path(config=None) -> str:
    return f"guides/{named(config, 'pocket-cards')}"


def pair_copies_path(plan_id: str, pair_id: str, config=None) -> str:
    return f"field/{plan_id}/{named(config, 'pair-guides', pair=pair_id)}"


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


def version_on(guide: Guide, content: Content, day: dt.date | None = None) -> tuple[str, dt.date]:
    """The version a guide printed for `day` carries, and its date: the one in force that day (from the
    guide's `changes:` history), else the current one; the kit's version and date stand in for unset ones."""
    config = content.config
    revision = guide.revision_on(day) if day is not None else None
    if revision is not None:
        return revision.version or guide.version or config.version, revision.date or guide.date or config.date
    return guide.version or config.version, guide.date or config.date


def version_problem(plan: Any, guide: Guide) -> Problem | None:
    """A warning when a plan's copies of a guide are for a day before every version its history knows:
    they cannot carry the version in force that day."""
    if guide.revision_on(plan.date) is not None or not guide.revisions:
        return None
    first = guide.revisions[-1]
    english = Labels("en")
    return Problem(plan.file, plan.date_line, "date",
                   f'expected a version of guide "{guide.id}" in force on {english.date(plan.date, weekday=False)} '
                   f"(its changes: start with {first.version} of {english.date(first.date, weekday=False)}), got none; "
                   f"its copies for that day carry the current version, {guide.version}")


def guide_stamp(guide: Guide, content: Content, labels: Labels, edition: str, day: dt.date | None = None) -> Stamp:
    """The running header and footer: the guide's version and date (for a copy, those in force on its
    day), else the kit's."""
    version, date = version_on(guide, content, day)
    return Stamp(kit_title=content.config.title, document=guide.title, edition=edition,
                 version=version, date=labels.date(date, weekday=False))


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
                     edition: str, day: dt.date | None = None, part: str = "whole") -> dict:
    """What the template prints; `day` makes it a pair's copy for that day: the version in force then,
    and no change list (the changelog belongs to the facilitators' guide, guides/<id>.pdf). `part`:
    the "whole" guide, its "body" without the change list, or the "changes" alone."""
    labels = Labels(theme.language)
    return {
        **base_context(theme, guide_stamp(guide, content, labels, edition, day)),
        "changelog": day is None and part != "body",
        "changes_only": part == "changes",
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


def content_box(trim: Rect) -> Rect:
    """Where a card's text goes: inside the padding, above the footer band."""
    inner = trim.inset(CARD_PADDING_MM * MM)
    return Rect(inner.x, inner.y + FOOTER_BAND_PT, inner.w, inner.h - FOOTER_BAND_PT)


# -- the generator -----------------------------------------------------------------------------

TEMPLATE = "guide.html.j2"


@register
class GuideGenerator:
    """Interview guides: pocket cards, rendez-vous documents, and the pairs' filled-in copies."""

    kind = "guide"
    # Pocket cards are reportlab's alone; a guide is laid out by weasyprint, and its pairs' copies
    # are written over with reportlab (a question edit need not import the pocket cards).
    RENDERERS_BY_EDITION = {"pocket": ("kit.render.pocket_cards",), "document": ("weasyprint",),
                            "pair": ("weasyprint", "kit.render.copies")}
    renderers = tuple(sorted({m for modules in RENDERERS_BY_EDITION.values() for m in modules}))

    @classmethod
    def renderers_for(cls, edition: str) -> tuple[str, ...]:
        return cls.RENDERERS_BY_EDITION.get(edition, cls.renderers)

    def outputs(self, content: Content) -> list[Output]:
        guides: dict[str, Guide] = content.of("guides")
        language = content.config.language
        result = []
        pocket = on_the_fly_guides(content)
        if pocket:
            files = tuple(g.file for g in pocket)
            # The note sides are placed behind their cards for the printer's duplex flip and offset.
            result.append(Output(self.kind, pocket_path(content.config), "pocket", files, "pocket",
                                 inputs=needs(files=files, language=language,
                                              settings=DOCUMENT_SETTINGS + PRINTER_SETTINGS)))
        for guide in guides.values():
            if not guide.on_the_fly:
                result.append(Output(self.kind, document_path(guide), guide.id, (guide.file,), "document",
                                     inputs=needs(files=[guide.file], templates=[TEMPLATE], language=language)))
        for plan in content.of("field").values():
            for pair_id in plan.pairs:
                slots = rendez_vous_slots(plan, pair_id, guides)
                if not slots:
                    continue
                used = sorted({guides[s.guide].file for s in slots})
                result.append(Output(self.kind, pair_copies_path(plan.id, pair_id, content.config), plan.id,
                                     (plan.file, *used), "pair", (("pair", pair_id),),
                                     inputs=needs(files=[plan.file, *used], templates=[TEMPLATE], language=language)))
        return result

    def checks(self, content: Content) -> list[Check]:
        """Each guide à la volée measured on its pocket card (reportlab, imported only to measure)."""
        def measure(guide: Guide):
            def run(cache_dir=None):
                from kit.render.pocket_cards import fit_problem
                from kit.theme import Theme

                problem = fit_problem(guide, content, Theme.from_config(content.config))
                return [], [problem] if problem else []
            return run

        checks = [Check(f"pocket-card:{guide.id}", needs(files=[guide.file], language=content.config.language),
                        measure(guide))
                  for guide in on_the_fly_guides(content)]
        guides = content.of("guides")
        for plan in content.of("field").values():
            used = sorted({s.guide for pair in plan.pairs for s in rendez_vous_slots(plan, pair, guides)})
            if used:
                checks.append(Check(f"copies-version:{plan.id}",
                                    needs(files=[plan.file, *(guides[g].file for g in used)], settings=(), fonts=False),
                                    lambda cache_dir=None, plan=plan, used=used: (
                                        [], [p for g in used if (p := version_problem(plan, guides[g]))])))
        return checks

    def render(self, output: Output, content: Content, context: RenderContext) -> Rendered:
        if output.edition == "pocket":
            from kit.render.pocket_cards import render_pocket_cards

            pdf, pages = render_pocket_cards(on_the_fly_guides(content), content, context.theme)
            return Rendered({output.path: pdf}, pages)
        if output.edition == "document":
            guide = content.of("guides")[output.subject]
            labels = Labels(context.theme.language)

            def html(part: str) -> str:
                return render_html(TEMPLATE, document_context(
                    guide, content, context.theme, fill_ins(labels), edition_name(guide, labels), part=part))

            # The guide without its change list is the pairs' blank master, laid out once for both.
            laid_out = render_with_tail(html("body"), html("changes"), lambda: html("whole"), context,
                                        inspect=master_facts)
            return Rendered({output.path: laid_out.pdf}, laid_out.pages)
        return self.render_pair(output, content, context)

    def render_pair(self, output: Output, content: Content, context: RenderContext) -> Rendered:
        """One copy of the guide per rendez-vous of the pair, its header filled in. The guide is laid
        out once, blank (and that layout is cached); each copy is its pages with the pair, day, site,
        time and the copy's name written over the blank lines (kit.render.copies)."""
        from kit.render.copies import FillInValues, edition_slot, fill_copies

        plan = content.of("field")[output.subject]
        guides = content.of("guides")
        pair = plan.pairs[output.option("pair")]
        labels = context.theme.labels
        names = pair_names(pair, labels)
        masters = {}
        copies = []
        for slot in rendez_vous_slots(plan, pair.id, guides):
            guide, site = guides[slot.guide], plan.sites[slot.site]
            if guide.id not in masters:
                html = render_html(TEMPLATE, document_context(guide, content, context.theme, fill_ins(labels),
                                                              BLANK_EDITION, day=plan.date))
                masters[guide.id] = render_document([html], context, inspect=master_facts,
                                                   inspect_stamp=edition_slot)
            values = [field.value for field in fill_ins(labels, pair=names, day=labels.date(plan.date),
                                                        site=site.name, time=f"{labels.time(slot.start)} – {labels.time(slot.end)}")]
            edition = f"{labels('guide.copy', pair=names)} · {labels.time(slot.start)}"
            copies.append(FillInValues(masters[guide.id], values, edition))
        pdf, pages = fill_copies(copies, context)
        return Rendered({output.path: pdf}, pages)


def master_facts(document) -> dict:
    """What is read off the blank master's boxes: its blank lines, which each pair's copy writes on
    (kit.render.copies), and where its flow ends, which the facilitators' guide puts its change
    list after (kit.documents.render_with_tail). One reader for both: they share the layout."""
    from kit.documents import flow_end
    from kit.render.copies import blank_lines

    return {"lines": blank_lines(document), "end": flow_end(document)}


# The running header of the blank master: the copy's own name is written over it.
BLANK_EDITION = "\u00a0"
