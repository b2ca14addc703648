"""Turn service sheets and needs/solutions capture sheets into printable PDFs through weasyprint.

The service sheet prints blank on a full page, blank two to a page (A5 on A4, with a cut line),
and filled in for each example service of the content. Its writing space is shared out between
the fields by weight, in millimetres computed here (plain data, tested without rendering), so
that a blank sheet always fills its page and never runs onto a second one.
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.checks import Check
from kit.content import Content
from kit.content.worksheets import NEEDS_SHEET, SERVICE_FIELDS, SERVICE_SHEET, NeedsSheet, ServiceSheet, Worksheet
from kit.documents import Stamp, base_context, boxes, render_document, render_html, render_pdf
from kit.errors import Problem
from kit.file_names import named
from kit.generators import RenderContext, Rendered, register
from kit.labels import Labels
from kit.outputs import Output, needs
from kit.colours import to_grey
from kit.theme import PAPER_MM

# The service sheet's fields, row by row, and the share of writing space each row gets: the
# name is one line, "how it works" gets the most room.
SERVICE_ROWS: tuple[tuple[tuple[str, ...], float], ...] = (
    (("name",), 0.55),
    (("for_whom", "need"), 1.45),
    (("how",), 2.0),
    (("typology", "organisation"), 1.2),
    (("model", "partners"), 1.2),
)
assert sorted(k for row, _ in SERVICE_ROWS for k in row) == sorted(SERVICE_FIELDS)

# Page margins of the documents (kit/templates/base.css): top, right, bottom, left in mm.
BASE_MARGINS_MM = (20.0, 16.0, 18.0, 16.0)
# Two-up: each half keeps this padding, so nothing prints near the sheet edge or the cut.
HALF_PADDING_MM = 9.0
CUT_LINE_INSET_MM = 8.0  # the dashed cut line stops short of the sheet edge (no "fit to page")
# Rounding in the layout engine must never push the last row onto a second page.
SAFETY_MM = 3.0
FIELD_PADDING_MM = 1.6  # inside a field's frame (worksheet.css .fiche .field)


@dataclass(frozen=True)
class SheetLayout:
    """The room a service sheet has on its page, and what its title and footer take from it."""

    name: str            # "full" | "half"
    width_mm: float
    height_mm: float
    header_mm: float     # kicker, title and instructions
    footer_mm: float     # the "imagined by" line (and the stamp on a half sheet)
    gap_mm: float        # between rows
    ruling_mm: float     # line pitch of the writing lines

    label_mm: float      # the label and hint at the top of a field, above the writing lines

    def row_heights(self) -> tuple[float, ...]:
        """Each row's height in mm: the room left once title, footer and gaps are taken, by weight."""
        room = (self.height_mm - self.header_mm - self.footer_mm - SAFETY_MM
                - self.gap_mm * (len(SERVICE_ROWS) - 1))
        total = sum(weight for _, weight in SERVICE_ROWS)
        return tuple(round(room * weight / total, 2) for _, weight in SERVICE_ROWS)

    def writing_lines(self, height_mm: float) -> int:
        """How many ruled lines fit in a field of this height under its label."""
        return max(0, int((height_mm - self.label_mm - 2 * FIELD_PADDING_MM) // self.ruling_mm))


def full_layout(paper: str) -> SheetLayout:
    width, height = PAPER_MM[paper]
    top, right, bottom, left = BASE_MARGINS_MM
    return SheetLayout("full", width - left - right, height - top - bottom,
                       header_mm=19.0, footer_mm=9.0, gap_mm=3.0, ruling_mm=8.0, label_mm=7.5)


def half_layout(paper: str) -> SheetLayout:
    """Half of a landscape sheet: A5 when the kit prints on A4."""
    width, height = PAPER_MM[paper]
    return SheetLayout("half", height / 2 - 2 * HALF_PADDING_MM, width - 2 * HALF_PADDING_MM,
                       header_mm=21.0, footer_mm=12.0, gap_mm=2.2, ruling_mm=7.0, label_mm=6.5)


def sheet_paths(sheet: Worksheet, paper: str, config=None) -> dict[str, str]:
    """The files of a sheet by edition: blank, two-up ("a5" on A4) and examples for service sheets."""
    if sheet.kind != SERVICE_SHEET:
        return {"sheet": f"worksheets/{sheet.id}.pdf"}
    half = "worksheet-a5" if paper == "A4" else "worksheet-half-page"
    paths = {"blank": f"worksheets/{sheet.id}.pdf"}
    if sheet.two_up:
        paths["two-up"] = f"worksheets/{named(config, half, sheet=sheet.id)}"
    if sheet.services:
        paths["examples"] = f"worksheets/{named(config, 'worksheet-examples', sheet=sheet.id)}"
    return paths


def stamp_for(sheet: Worksheet, edition: str, content: Content) -> Stamp:
    config = content.config
    labels = Labels(config.language)
    return Stamp(kit_title=config.title, document=sheet.title, edition=edition,
                 version=config.version, date=labels.date(config.date, weekday=False))


class _SheetGenerator:
    """One kind of worksheet: its outputs from the content, rendered through one template."""

    kind = ""
    sheet_kind = ""
    template = ""
    renderers = ("weasyprint",)

    def outputs(self, content: Content) -> list[Output]:
        result = []
        for sheet in content.of("worksheets").values():
            if sheet is None or sheet.kind != self.sheet_kind:
                continue
            inputs = self.outputs_inputs(sheet, content)
            for edition, path in sheet_paths(sheet, sheet.paper, content.config).items():
                result.append(Output(self.kind, path, sheet.id, (sheet.file,), edition, inputs=inputs))
        return result

    def outputs_inputs(self, sheet, content: Content) -> tuple[str, ...]:
        return needs(files=[sheet.file], templates=[self.template], language=content.config.language)


@register
class ServiceSheetGenerator(_SheetGenerator):
    """The fiche-service: blank (full page and two-up) and the filled-in examples."""

    kind = "service-sheet"
    sheet_kind = SERVICE_SHEET
    template = "worksheet-service.html.j2"

    def render(self, output: Output, content: Content, context: RenderContext) -> Rendered:
        sheet: ServiceSheet = content.of("worksheets")[output.subject]
        laid_out = render_document([self.html(sheet, output.edition, content, context.theme)], context,
                                   inspect=overflowing_answers)
        return Rendered({output.path: laid_out.pdf}, laid_out.pages)

    def html(self, sheet: ServiceSheet, edition: str, content: Content, theme) -> str:
        labels = Labels(content.config.language)
        name = {"blank": labels("sheet.blank"), "two-up": labels("sheet.blank"),
                "examples": labels("sheet.example")}[edition]
        two_up = edition == "two-up"
        layout = half_layout(sheet.paper) if two_up else full_layout(sheet.paper)
        services = list(sheet.services) if edition == "examples" else [None]
        data = {
            **base_context(theme, stamp_for(sheet, name, content)),
            "sheet": sheet,
            "config": content.config,
            "layout": layout,
            "rows": [(keys, height) for (keys, _), height in zip(SERVICE_ROWS, layout.row_heights())],
            "services": services,
            "two_up": two_up,
            "page_size": f"{sheet.paper} landscape" if two_up else sheet.paper,
            "half_padding": HALF_PADDING_MM,
            "paper_size": (PAPER_MM[sheet.paper][1], PAPER_MM[sheet.paper][0]),
            "cut_inset": CUT_LINE_INSET_MM,
        }
        return render_html(self.template, data)

    def checks(self, content: Content) -> list[Check]:
        """The example sheets laid out (weasyprint, imported only then): an example text longer than
        its box is cut off on paper, so it is a warning at its line. The layout is kept in the cache,
        and rendering the examples afterwards reuses it."""
        def measure(sheet: ServiceSheet):
            def run(cache_dir=None):
                from kit.theme import Theme

                context = RenderContext(Theme.from_config(content.config), content.config.root, cache_dir)
                laid_out = render_document([self.html(sheet, "examples", content, context.theme)], context,
                                           inspect=overflowing_answers)
                return [], [overflow_warning(sheet, index, key, over) for index, key, over in laid_out.extra[0]]
            return run

        return [Check(f"service-examples:{sheet.id}", self.outputs_inputs(sheet, content), measure(sheet), cost=10)
                for sheet in content.of("worksheets").values()
                if sheet is not None and sheet.kind == SERVICE_SHEET and sheet.services]


def overflowing_answers(document) -> list[tuple[int, str, float]]:
    """(service index, field key, mm over) for each filled-in answer taller than its field.

    A field clips what overflows it (a blank sheet must stay one page), so an example text that
    is too long would silently lose its end: the boxes are read back to say so.
    """
    result = []
    for page in document.pages:
        for box in boxes(page._page_box):
            element = getattr(box, "element", None)
            if element is None or box.element_tag != "div" or element.get("data-field") is None:
                continue
            if "field" not in (element.get("class") or "").split():
                continue
            bottom = box.content_box_y() + box.height
            for inner in boxes(box):
                inner_element = getattr(inner, "element", None)
                if inner is box or inner_element is None or "answer" not in (inner_element.get("class") or ""):
                    continue
                over = inner.position_y + inner.margin_height() - bottom
                if over > OVERFLOW_TOLERANCE_PT:
                    result.append((int(element.get("data-service")), element.get("data-field"), over * 25.4 / 72))
                break
    return result


def overflow_warning(sheet: ServiceSheet, index: int, key: str, over_mm: float) -> Problem:
    service = sheet.services[index]
    return Problem(sheet.file, service.line, f"services[{index}].{key}",
                   f"expected a text that fits its box on the example sheet, got {over_mm:.0f} mm too much "
                   f"(the end is cut off); shorten it")


OVERFLOW_TOLERANCE_PT = 1.0

# The capture sheet's zones: a white head (title, prompt), then the ground the notes go on, a grey
# every note of the sheet stands out from (kit.postits); heights in mm.
NEEDS_ZONE_HEIGHT_MM = {"A3": 186.0, "A4": 100.0, "letter": 92.0}
NEEDS_ZONE_HEAD_MM = {"A3": 34.0, "A4": 26.0, "letter": 26.0}


@register
class NeedsSheetGenerator(_SheetGenerator):
    """The besoins / solutions capture sheet: legend of post-it colours, a zone for each."""

    kind = "needs-sheet"
    sheet_kind = NEEDS_SHEET
    template = "worksheet-needs.html.j2"

    def render(self, output: Output, content: Content, context: RenderContext) -> Rendered:
        from kit.postits import zone_ground

        sheet: NeedsSheet = content.of("worksheets")[output.subject]
        shade = to_grey if context.theme.greyscale else (lambda c: c)
        ground = zone_ground(tuple(dict.fromkeys(n.colour for z in sheet.zones for n in z.notes))) or "#ffffff"
        zones = []
        for zone in sheet.zones:
            zones.append({
                "zone": zone,
                "notes": [{"name": note.name, "colour": shade(note.colour), "meaning": note.meaning}
                          for note in zone.notes],
            })
        data = {
            **base_context(context.theme, stamp_for(sheet, "", content)),
            "sheet": sheet,
            "config": content.config,
            "zones": zones,
            "ground": shade(ground),
            "zone_height": NEEDS_ZONE_HEIGHT_MM[sheet.paper],
            "zone_head": NEEDS_ZONE_HEAD_MM[sheet.paper],
            "page_size": f"{sheet.paper} landscape",
        }
        pdf, pages = render_pdf(render_html(self.template, data), context)
        return Rendered({output.path: pdf}, pages)
