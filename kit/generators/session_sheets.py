"""Turn a session's people and sheets into PDFs: name badges, the survey-strategy canvas, the
method-debrief sheet and the announcement note to heads of service.

Each is made from the session file alone (and, for what it prints of them, the field plan and
guides its materials name), only when the session asks for it: badges when it lists
`participants:`, the others when it has `strategy_canvas:`, `debrief_sheet:` or `announcement:`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kit.checks import Check
from kit.content import Content
from kit.content.sessions import Session
from kit.documents import Stamp, base_context, render_html, render_pdf
from kit.errors import Problem
from kit.file_names import named
from kit.generators import RenderContext, Rendered, register
from kit.labels import Labels
from kit.outputs import Output, needs
from kit.theme import PAPER_MM

# Badges: cut to fit the common 90 × 60 mm badge holders, eight to a sheet with gutters, so a
# cut slightly off never shows the next badge.
BADGE_MM = (90.0, 60.0)
BADGE_GUTTER_MM = 6.0
BADGE_COLUMNS = 2
ROLE_ORDER = ("résident", "ambassadeur", "nouveau")

# Each sheet's name key (kit.file_names): its file is named in the kit's language or by kit.yaml.
NAME_KEYS = {"badges": "badges", "canvas": "strategy-canvas", "debrief": "debrief-sheet", "note": "service-heads-note"}


def session_sheet_path(session: Session, what: str, config=None) -> str:
    return f"{session.id}/{named(config, NAME_KEYS[what])}"


def session_field_plans(content: Content, session: Session) -> list:
    """The field plans a session's materials name, in order of first use."""
    plans = {}
    for day in session.days:
        for block in day.blocks:
            for material in block.every_material:
                if material.kind == "field" and material.ref in content.of("field"):
                    plans.setdefault(material.ref, content.of("field")[material.ref])
    return list(plans.values())


def session_guides(content: Content, session: Session) -> list:
    """The guides a session uses: named by its materials, or by its field plans' slots."""
    guides = content.of("guides")
    found: dict[str, object] = {}
    for day in session.days:
        for block in day.blocks:
            for material in block.every_material:
                if material.kind == "guides" and material.ref in guides:
                    found.setdefault(material.ref, guides[material.ref])
    for plan in session_field_plans(content, session):
        for slot in plan.slots:
            if slot.guide in guides:
                found.setdefault(slot.guide, guides[slot.guide])
    return list(found.values())


def survey_pairs(content: Content, session: Session) -> tuple[str, dict[str, str]]:
    """The survey day's date as printed and each participant's pair there (name → pair id), from
    the first field plan the session names; names are matched without case."""
    plans = session_field_plans(content, session)
    if not plans:
        return "", {}
    plan = plans[0]
    labels = Labels(content.config.language)
    pairs = {member.casefold(): pair.id for pair in plan.pairs.values() for member in pair.members}
    return labels.date(plan.date), pairs


@dataclass(frozen=True)
class Badge:
    name: str
    role: str
    role_label: str
    pair: str | None       # "Binôme 3 — vendredi 24 mai 2019"


def badges(content: Content, session: Session) -> list[Badge]:
    """One badge per participant, résidents first, then ambassadors and newcomers, in file order."""
    labels = Labels(content.config.language)
    day, pairs = survey_pairs(content, session)
    result = []
    for role in ROLE_ORDER:
        for person in session.with_role(role):
            pair = pairs.get(person.name.casefold())
            result.append(Badge(person.name, role, labels(f"pack.role.{role}"),
                                labels("pack.badge.pair", pair=pair, day=day) if pair else None))
    return result


# The badge sheet's page margins (mm): the stamp prints in them, nothing within 5 mm of the edge.
BADGE_PAGE_MARGIN_MM = 10.0


def badge_sheet(paper: str) -> tuple[int, int, float, float]:
    """(columns, rows, left, top) of the badges on one sheet: left and top in mm from the page's
    content box (inside BADGE_PAGE_MARGIN_MM), the block of badges centred in it."""
    width, height = (side - 2 * BADGE_PAGE_MARGIN_MM for side in PAPER_MM[paper])
    rows = int((height + BADGE_GUTTER_MM) // (BADGE_MM[1] + BADGE_GUTTER_MM))
    block_w = BADGE_COLUMNS * BADGE_MM[0] + (BADGE_COLUMNS - 1) * BADGE_GUTTER_MM
    block_h = rows * BADGE_MM[1] + (rows - 1) * BADGE_GUTTER_MM
    return BADGE_COLUMNS, rows, round((width - block_w) / 2, 2), round((height - block_h) / 2, 2)


# The theme colour of each role's band on a badge.
ROLE_COLOURS = {"résident": "primary", "ambassadeur": "ink", "nouveau": "accent"}


def role_bands(theme) -> dict[str, tuple[str, str]]:
    """Each role's band as (background, text colour), the text readable on it (WCAG 4.5:1)."""
    from kit.colours import text_on

    ink = theme.colour("ink")
    return {role: text_on(theme.colour(name), ink) for role, name in ROLE_COLOURS.items()}


def _stamp(content: Content, session: Session, edition: str) -> Stamp:
    config = content.config
    labels = Labels(config.language)
    return Stamp(kit_title=config.title, document=session.title, edition=edition, version=config.version,
                 date=labels.date(config.date, weekday=False))


# Service ideas an announcement must not list: the seed regrets that the note sent before the
# survey did, and the people met came with a wish list.
def service_ideas(content: Content) -> dict[str, str]:
    """Each service idea the kit holds (photo-debate cards, example service sheets), by lower-case name."""
    ideas: dict[str, str] = {}
    for deck in content.of("decks").values():
        if deck is not None and getattr(deck, "kind", "") == "photo-debate":
            for card in deck.cards:
                ideas[card.title.casefold()] = card.title
    for sheet in content.of("worksheets").values():
        for service in getattr(sheet, "services", ()) or ():
            ideas[service.name.casefold()] = service.name
    return ideas


def ideas_named(text: str, ideas: dict[str, str]) -> list[str]:
    folded = re.sub(r"\s+", " ", text.casefold().replace("\u2019", "'"))
    return [name for key, name in ideas.items() if re.search(r"(?<!\w)" + re.escape(key) + r"(?!\w)", folded)]


class _SessionSheet:
    """A document made from a session file, through one template."""

    kind = ""
    what = ""
    template = ""
    renderers = ("weasyprint",)

    def wanted(self, session: Session) -> bool:
        raise NotImplementedError

    def extra_files(self, content: Content, session: Session) -> list[str]:
        return []

    def values(self, content: Content, session: Session) -> dict[str, str]:
        return {}

    def outputs(self, content: Content) -> list[Output]:
        result = []
        for session in content.sessions.values():
            if not self.wanted(session):
                continue
            inputs = needs(files=[session.file, *self.extra_files(content, session)], templates=[self.template],
                           language=content.config.language, values=self.values(content, session))
            result.append(Output(self.kind, session_sheet_path(session, self.what, content.config),
                                 session.id, (session.file,), self.what, inputs=inputs))
        return result

    def data(self, session: Session, content: Content, context: RenderContext) -> dict:
        raise NotImplementedError

    def render(self, output: Output, content: Content, context: RenderContext) -> Rendered:
        session = content.sessions[output.subject]
        # Every sheet's running header names the kit, the session and the sheet (label pack.<what>).
        edition = Labels(content.config.language)(f"pack.{self.what}")
        html = render_html(self.template, {**base_context(context.theme, _stamp(content, session, edition)),
                                           "session": session, "config": content.config,
                                           **self.data(session, content, context)})
        pdf, pages = render_pdf(html, context)
        return Rendered({output.path: pdf}, pages)


@register
class BadgesGenerator(_SessionSheet):
    """Name badges, eight to a sheet: name, role, and the pair on survey day."""

    kind = "badges"
    what = "badges"
    template = "session-badges.html.j2"

    def wanted(self, session: Session) -> bool:
        return bool(session.participants)

    def values(self, content: Content, session: Session) -> dict[str, str]:
        day, pairs = survey_pairs(content, session)
        return {"survey pairs": f"{day}: " + "; ".join(f"{k}={v}" for k, v in sorted(pairs.items()))}

    def data(self, session: Session, content: Content, context: RenderContext) -> dict:
        columns, rows, left, top = badge_sheet(content.config.paper)
        people = badges(content, session)
        per_sheet = columns * rows
        sheets = [people[i:i + per_sheet] for i in range(0, len(people), per_sheet)]
        placed = [[{"badge": badge, "x": left + (n % columns) * (BADGE_MM[0] + BADGE_GUTTER_MM),
                    "y": top + (n // columns) * (BADGE_MM[1] + BADGE_GUTTER_MM)} for n, badge in enumerate(sheet)]
                  for sheet in sheets]
        return {"sheets": placed, "badge_w": BADGE_MM[0], "badge_h": BADGE_MM[1], "margin": BADGE_PAGE_MARGIN_MM,
                "sheet_h": PAPER_MM[content.config.paper][1] - 2 * BADGE_PAGE_MARGIN_MM - 1,
                "role_bands": role_bands(context.theme)}


# The canvas page: base.css margins (top and bottom), the title block, the profiles line and the
# table's column heads take this much of the page's height; the rows share the rest.
CANVAS_MARGINS_MM = 38.0
CANVAS_HEADER_MM = 30.0
CANVAS_PROFILES_MM = 12.0
CANVAS_HEADS_MM = 16.0
CANVAS_SAFETY_MM = 4.0
CANVAS_CELL_PADDING_MM = 2.0  # above and below, inside a row's height


def canvas_row_height(paper: str, rows: int, profiles: bool) -> float:
    """Each row's height in mm, so that the rows fill a landscape page and never spill onto a second."""
    height = PAPER_MM[paper][0]  # landscape: the short side is the height
    room = (height - CANVAS_MARGINS_MM - CANVAS_HEADER_MM - CANVAS_HEADS_MM - CANVAS_SAFETY_MM
            - (CANVAS_PROFILES_MM if profiles else 0))
    return round(room / rows, 1)


@register
class StrategyCanvasGenerator(_SessionSheet):
    """The survey-strategy canvas of a group: whom to meet, where, why, how, who opens the door."""

    kind = "strategy-canvas"
    what = "canvas"
    template = "session-canvas.html.j2"

    def wanted(self, session: Session) -> bool:
        return session.strategy_canvas is not None

    def data(self, session: Session, content: Content, context: RenderContext) -> dict:
        labels = Labels(content.config.language)
        canvas = session.strategy_canvas
        return {"canvas": canvas, "title": canvas.title or labels("pack.canvas.title"),
                "page_size": f"{canvas.paper} landscape", "cell_padding": CANVAS_CELL_PADDING_MM,
                "row_h": canvas_row_height(canvas.paper, canvas.rows, bool(canvas.profiles))}


@register
class DebriefSheetGenerator(_SessionSheet):
    """The method-debrief capture sheet: each exercise of the session, then each guide's changes."""

    kind = "debrief-sheet"
    what = "debrief"
    template = "session-debrief.html.j2"

    def wanted(self, session: Session) -> bool:
        return session.debrief_sheet is not None

    def values(self, content: Content, session: Session) -> dict[str, str]:
        return {"guides": "; ".join(f"{g.id}: {g.title} {g.version}" for g in session_guides(content, session))}

    def extra_files(self, content: Content, session: Session) -> list[str]:
        return [content.formats[b.format].file for day in session.days for b in day.blocks
                if b.format in content.formats]

    def data(self, session: Session, content: Content, context: RenderContext) -> dict:
        labels = Labels(content.config.language)
        exercises = list(dict.fromkeys(block.title for day in session.days for block in day.blocks
                                       if block.format and block.kind != "pause" and block.audience == "everyone"))
        return {"title": session.debrief_sheet.title or labels("pack.debrief.title"),
                "exercises": exercises, "guides": session_guides(content, session)}


@register
class AnnouncementGenerator(_SessionSheet):
    """The note to heads of service: the survey's day, sites and ways, and no service idea."""

    kind = "announcement"
    what = "note"
    template = "session-note.html.j2"

    def wanted(self, session: Session) -> bool:
        return session.announcement is not None

    def values(self, content: Content, session: Session) -> dict[str, str]:
        return {"survey": repr(self.facts(content, session))}

    @staticmethod
    def facts(content: Content, session: Session) -> dict:
        """What the note states about the survey, from the session's first field plan."""
        plans = session_field_plans(content, session)
        if not plans:
            return {}
        plan = plans[0]
        labels = Labels(content.config.language)
        starts = [slot.start for slot in plan.slots]
        ends = [slot.end for slot in plan.slots]
        durations = {g.mode: g.duration for g in content.of("guides").values() if g is not None and g.duration}
        return {"date": labels.date(plan.date), "start": min(starts, default=0), "end": max(ends, default=0),
                "sites": [site.name for site in plan.sites.values()], "pairs": len(plan.pairs),
                "durations": durations}

    def data(self, session: Session, content: Content, context: RenderContext) -> dict:
        labels = Labels(content.config.language)
        note = session.announcement
        return {"note": note, "facts": self.facts(content, session),
                "sent": labels.date(note.date, weekday=False) if note.date else None}

    def checks(self, content: Content) -> list[Check]:
        """A note naming a service idea of the kit is a warning at its text."""
        checks = []
        ideas = service_ideas(content)
        files = sorted({item.file for kind in ("decks", "worksheets") for item in content.of(kind).values()
                        if item is not None})
        for session in content.sessions.values():
            note = session.announcement
            if note is None or not note.text:
                continue

            def run(cache_dir=None, session=session, note=note):
                named = ideas_named(note.text, ideas)
                if not named:
                    return [], []
                listed = ", ".join(f"« {name} »" for name in named)
                return [], [Problem(session.file, note.text_line, "announcement.text",
                                    f"expected a note that presents the survey without any service idea, got "
                                    f"{listed}: the people met would come with a wish list; take it out")]
            checks.append(Check(f"announcement:{session.id}", needs(files=[session.file, *files], settings=(),
                                                                    fonts=False), run))
        return checks
