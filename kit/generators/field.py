"""Turn a field plan into its overview table (sites × time) and one mission sheet per pair.

The overview's grid is computed here as plain data (time bands between every slot boundary, a
lane per site row and more when two pairs share a site at once) so that it is tested without
rendering; the templates only draw it.
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.checks import Check
from kit.content import Content
from kit.content.field_plan import RENDEZ_VOUS, FieldPlan, Pair, Site, Slot, travel_problems
from kit.documents import Stamp, base_context, render_html, render_pdf
from kit.generators import RenderContext, Rendered, register
from kit.colours import tint
from kit.file_names import named
from kit.labels import Labels
from kit.outputs import Output, needs
from kit.schedule import ClockSpan

# The overview reads better across: time runs left to right, sites down the page.
OVERVIEW_ORIENTATION = "landscape"
SITE_COLUMN_PERCENT = 21  # of the table width; the rest is shared by the time bands
# Slot cells are tinted by mode: a light wash of the theme colour that marks the mode's edge.
MODE_TINT = 0.16


def overview_path(plan_id: str, config=None) -> str:
    return f"field/{plan_id}/{named(config, 'field-overview')}"


def missions_path(plan_id: str, config=None) -> str:
    return f"field/{plan_id}/{named(config, 'field-missions')}"


@dataclass(frozen=True)
class Band(ClockSpan):
    """A column of the overview: the time between two consecutive slot boundaries."""

    start: int
    end: int


@dataclass(frozen=True)
class Cell:
    """A table cell of a lane: a slot spanning `span` bands, or an empty band."""

    span: int
    slot: Slot | None = None


@dataclass(frozen=True)
class Lane:
    """One table row: a site (named on its first lane) and its cells across the bands."""

    site: Site
    first: bool
    lanes: int  # how many lanes the site has (the rowspan of its name cell)
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Overview:
    bands: tuple[Band, ...]
    lanes: tuple[Lane, ...]

    @property
    def minutes(self) -> int:
        return sum(b.minutes for b in self.bands)


def lanes_of(slots: tuple[Slot, ...]) -> list[list[Slot]]:
    """Slots of one site split into lanes where none overlap (first lane that is free)."""
    lanes: list[list[Slot]] = []
    for slot in sorted(slots, key=lambda s: (s.start, s.end)):
        for lane in lanes:
            if lane[-1].end <= slot.start:
                lane.append(slot)
                break
        else:
            lanes.append([slot])
    return lanes


def overview(plan: FieldPlan) -> Overview:
    """The overview grid: bands between every slot boundary, lanes per site in the plan's order."""
    bounds = sorted({t for s in plan.slots for t in (s.start, s.end)})
    bands = tuple(Band(a, b) for a, b in zip(bounds, bounds[1:]))
    index = {band.start: i for i, band in enumerate(bands)}
    rows: list[Lane] = []
    for site in plan.sites.values():
        lanes = lanes_of(plan.slots_at(site.id)) or [[]]
        for number, lane in enumerate(lanes):
            cells: list[Cell] = []
            position = 0
            for slot in lane:
                first = index[slot.start]
                cells.extend(Cell(1) for _ in range(position, first))
                span = sum(1 for band in bands[first:] if band.end <= slot.end)
                cells.append(Cell(span, slot))
                position = first + span
            cells.extend(Cell(1) for _ in range(position, len(bands)))
            rows.append(Lane(site, number == 0, len(lanes), tuple(cells)))
    return Overview(bands, tuple(rows))


@dataclass(frozen=True)
class GuideCopy:
    """A guide a pair takes along, and how many copies."""

    id: str
    title: str
    mode: str
    count: int


def pair_names(pair: Pair, labels: Labels) -> str:
    """ "Véronique et Mehdi", "Véronique, Mehdi et Lou"."""
    return labels.names(pair.members)


def guide_copies(plan: FieldPlan, pair: Pair, content: Content) -> list[GuideCopy]:
    """One rendez-vous guide per appointment (its header is filled per visit); one pocket card each otherwise."""
    guides = content.of("guides")
    result = []
    for ident in plan.guides_of(pair.id):
        guide = guides.get(ident)
        mode = getattr(guide, "mode", None) or ""
        uses = sum(1 for s in plan.slots_of(pair.id) if s.guide == ident)
        count = uses if mode == RENDEZ_VOUS else len(pair.members)
        result.append(GuideCopy(ident, getattr(guide, "title", ident), mode, count))
    return result


def phone_text(number: str) -> str:
    """A phone number as printed: its spaces unbreakable, so it never wraps across two lines."""
    return " ".join(number.split()).replace(" ", "\u00a0")


def site_materials(plan: FieldPlan, pair: Pair) -> list[str]:
    seen: dict[str, None] = {}
    for slot in plan.slots_of(pair.id):
        for item in plan.sites[slot.site].materials:
            seen.setdefault(item, None)
    return list(seen)


def field_context(plan: FieldPlan, edition: str, content: Content, context: RenderContext) -> dict:
    config = content.config
    labels = Labels(config.language)
    stamp = Stamp(kit_title=config.title, document=plan.title, edition=labels(f"field.{edition}"),
                  version=config.version, date=labels.date(config.date, weekday=False))
    guides = content.of("guides")
    missions = []
    for pair in plan.pairs.values():
        missions.append({
            "pair": pair,
            "names": pair_names(pair, labels),
            "slots": plan.slots_of(pair.id),
            "copies": guide_copies(plan, pair, content),
            "site_materials": site_materials(plan, pair),
        })
    return {
        **base_context(context.theme, stamp),
        "plan": plan,
        "date": labels.date(plan.date),
        "grid": overview(plan),
        "missions": missions,
        "names": {p.id: pair_names(p, labels) for p in plan.pairs.values()},
        "guide_title": lambda ident: getattr(guides.get(ident), "title", ident) if ident else labels("field.no_guide"),
        "mode_label": lambda mode: labels(f"field.mode.{mode}"),
        "phone": phone_text,
        "mode_class": lambda mode: "rdv" if mode == RENDEZ_VOUS else "volee",
        "copies_label": lambda n: labels("field.copies.one") if n == 1 else labels("field.copies.many", count=str(n)),
        "config": config,
        "site_width": SITE_COLUMN_PERCENT,
        "tints": {"rdv": tint(context.theme.colour("primary"), MODE_TINT),
                  "volee": tint(context.theme.colour("accent"), MODE_TINT)},
    }


class _FieldDocument:
    """What the overview and the mission sheets share: one output per plan, one template each."""

    kind = ""
    edition = ""
    template = ""
    orientation = ""
    renderers = ("weasyprint",)

    def path(self, plan_id: str, config=None) -> str:
        raise NotImplementedError

    def outputs(self, content: Content) -> list[Output]:
        return [Output(self.kind, self.path(plan.id, content.config), plan.id, self.sources(plan, content), self.edition,
                       inputs=self.inputs(plan, content))
                for plan in content.of("field").values()]

    def inputs(self, plan: FieldPlan, content: Content) -> tuple[str, ...]:
        """The plan itself; of its guides, only their titles and modes print (not their questions)."""
        guides = content.of("guides")
        used = sorted({s.guide for s in plan.slots if s.guide and s.guide in guides})
        shown = "; ".join(f"{g}: {guides[g].title} ({guides[g].mode})" for g in used)
        return needs(files=[plan.file], templates=[self.template], language=content.config.language,
                     values={"guide titles": shown})

    @staticmethod
    def sources(plan: FieldPlan, content: Content) -> tuple[str, ...]:
        guides = content.of("guides")
        used = sorted({s.guide for s in plan.slots if s.guide and s.guide in guides})
        return (plan.file, *(guides[g].file for g in used))

    def render(self, output: Output, content: Content, context: RenderContext) -> Rendered:
        plan = content.of("field")[output.subject]
        data = field_context(plan, self.edition, content, context)
        if self.orientation:
            data["page_size"] = f"{context.theme.paper} {self.orientation}"
        pdf, pages = render_pdf(render_html(self.template, data), context)
        return Rendered({output.path: pdf}, pages)


@register
class FieldOverview(_FieldDocument):
    """One page: the sites down, the morning across, the pair and mode in each slot."""

    kind = "field-overview"
    edition = "overview"
    template = "field-overview.html.j2"
    orientation = OVERVIEW_ORIENTATION

    def path(self, plan_id: str, config=None) -> str:
        return overview_path(plan_id, config)


@register
class FieldMissions(_FieldDocument):
    """One page per pair: its route, addresses, contacts, guides and what to bring."""

    kind = "field-missions"
    edition = "missions"
    template = "field-missions.html.j2"

    def path(self, plan_id: str, config=None) -> str:
        return missions_path(plan_id, config)

    def checks(self, content: Content) -> list[Check]:
        """Each pair's route timed against the travel times: a slot it cannot reach in time is a warning."""
        def measure(plan: FieldPlan):
            return lambda cache_dir=None: ([], travel_problems(plan))

        return [Check(f"field-travel:{plan.id}", needs(files=[plan.file], settings=(), fonts=False), measure(plan))
                for plan in content.of("field").values()]
