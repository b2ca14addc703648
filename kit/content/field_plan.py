"""Turn content/field/*.yaml into FieldPlan objects: sites, pairs and the slots of a field day.

A field plan says who goes where and when on the survey day: sites (name, address, contact,
how a visit works there), pairs (binômes), and slots (a time, a site, a pair, a mode and the
interview guide to use). A slot naming an unknown site, pair or guide, or sending a pair to two
places at once, is a content error at the slot's line. Guides are looked up among the guides
already loaded, so `guides` must come before `field` in the content kinds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kit.content.fields import Fields, check_id, shown
from kit.errors import Problem
from kit.content.guides import MODES, RENDEZ_VOUS, VOLEE

__all__ = ["Site", "Pair", "Slot", "Departure", "FieldPlan", "load_field_plan", "travel_problems",
           "MODES", "RENDEZ_VOUS", "VOLEE"]

# A pair is two people; a third is sometimes added (a newcomer shadowing), never more.
PAIR_SIZE = (2, 3)
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Site:
    """A place of the survey: where it is, whom to ask for, and how visits work there."""

    id: str
    name: str
    address: str | None
    contact: str | None
    mode: str            # "rendez-vous" | "à la volée"
    line: int = 0
    notes: str | None = None
    materials: tuple[str, ...] = ()  # what to bring to this site besides the plan's materials
    phone: str | None = None
    address_confirmed: bool = True   # False (or no address): the mission sheet flags it to check
    travel: int | None = None        # minutes to get here from another site (None: the plan's travel:)
    travel_from: tuple[tuple[str, int], ...] = ()  # minutes from particular sites (a neighbour is closer)


@dataclass(frozen=True)
class Pair:
    """A binôme: the people who go out together."""

    id: str
    members: tuple[str, ...]
    line: int = 0
    phone: str | None = None


@dataclass(frozen=True)
class Slot:
    """A pair at a site from `start` to `end` (minutes since midnight), met in one mode with one guide."""

    start: int
    end: int
    site: str
    pair: str
    mode: str
    guide: str | None
    line: int = 0
    notes: str | None = None
    path: str = ""  # the slot's field path ("slots[3]"), for messages

    @property
    def duration(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Departure:
    """When (minutes since midnight) and from which site, if one of the plan's, the pairs leave."""

    time: int
    site: str | None = None
    line: int = 0


@dataclass(frozen=True)
class FieldPlan:
    """The survey day: its sites, pairs and slots, and what every pair brings."""

    id: str
    title: str
    date: dt.date
    file: str
    sites: dict[str, Site]
    pairs: dict[str, Pair]
    slots: tuple[Slot, ...]
    line: int = 1
    materials: tuple[str, ...] = ()
    notes: str | None = None          # printed on every mission sheet (meeting point, method rule)
    meeting: str | None = None        # where and when pairs meet before leaving
    debrief: str | None = None        # where and when pairs come back
    travel: int | None = None         # default minutes from one site to another
    departure: Departure | None = None
    date_line: int = 1

    def slots_of(self, pair: str) -> tuple[Slot, ...]:
        return tuple(sorted((s for s in self.slots if s.pair == pair), key=lambda s: (s.start, s.end)))

    def slots_at(self, site: str) -> tuple[Slot, ...]:
        return tuple(sorted((s for s in self.slots if s.site == site), key=lambda s: (s.start, s.end)))

    def guides_of(self, pair: str) -> tuple[str, ...]:
        """The guides a pair uses, in the order it first needs them."""
        return tuple(dict.fromkeys(s.guide for s in self.slots_of(pair) if s.guide))


def _known(names, what: str, value: str) -> str:
    known = ", ".join(sorted(names)) or "none"
    guess = difflib.get_close_matches(value, sorted(names), n=1)
    hint = f' (did you mean "{guess[0]}"?)' if guess else ""
    return f'expected a {what} ({known}), got "{value}"{hint}'


def _mode(doc: Fields, key: str = "mode", required: bool = False, default: str | None = None) -> str | None:
    return doc.choice(key, MODES, required=required, default=default)


# A phone number as people write it: digits, spaces, dots, dashes, a leading + and brackets.
PHONE_RE = re.compile(r"^\+?[\d\s.\-()\u00a0\u202f]+$")
MIN_PHONE_DIGITS = 4       # an extension ("poste 4521") is a phone too
PHONE_EXPECTED = 'a phone number ("03 88 60 90 90", "+33 3 88 60 90 90", "4521")'


def _phone(entry: Fields) -> str | None:
    phone = entry.text("phone")
    if phone is not None and (not PHONE_RE.match(phone) or sum(c.isdigit() for c in phone) < MIN_PHONE_DIGITS):
        entry.error("phone", f'expected {PHONE_EXPECTED}, got "{phone}"')
        return None
    return phone


def _travel(entry: Fields) -> tuple[int | None, dict[str, tuple[int, int]]]:
    """`travel:` of a site: minutes to get there, or a mapping of minutes from particular sites with
    an optional `default:`; the sites named are checked once every site is known (line kept)."""
    value = entry.data.get("travel")
    if not isinstance(value, CommentedMap):
        return entry.minutes("travel"), {}
    holder = entry.mapping("travel")
    default = holder.minutes("default")
    origins: dict[str, tuple[int, int]] = {}
    for key in list(value):
        if key == "default":
            continue
        minutes = holder.minutes(str(key))
        if minutes is not None:
            origins[str(key)] = (minutes, holder.key_line(str(key)))
    return default, origins


def _load_sites(doc: Fields) -> dict[str, Site]:
    sites: dict[str, Site] = {}
    origins: dict[str, dict[str, tuple[int, int]]] = {}
    for ident, entry in doc.named("sites", required=True):
        travel, origins[ident] = _travel(entry)
        address = entry.text("address")
        sites[ident] = Site(
            id=ident,
            name=entry.text("name", required=True, default=ident),
            address=address,
            contact=entry.text("contact"),
            mode=_mode(entry, required=True, default=RENDEZ_VOUS),
            line=entry.line,
            notes=entry.text("notes"),
            materials=tuple(entry.texts("materials")),
            phone=_phone(entry),
            address_confirmed=entry.boolean("address_confirmed", default=True) and address is not None,
            travel=travel,
        )
        entry.done()
    for ident, named in origins.items():
        known = {}
        for origin, (minutes, line) in named.items():
            if origin in sites:
                known[origin] = minutes
            else:
                doc.problems.error(doc.file, line, f"{doc.field('sites')}.{ident}.travel.{origin}",
                                   _known(sites, "site of this plan (or default)", origin))
        if known:
            sites[ident] = dataclasses.replace(sites[ident], travel_from=tuple(known.items()))
    return sites


def _load_departure(doc: Fields, sites: dict[str, Site]) -> Departure | None:
    entry = doc.mapping("departure")
    if entry is None:
        return None
    time = entry.clock("time", required=True)
    site = entry.text("from")
    if site is not None and site not in sites:
        entry.error("from", _known(sites, "site of this plan", site))
        site = None
    entry.done()
    return Departure(time, site, entry.line) if time is not None else None


def _load_pairs(doc: Fields) -> dict[str, Pair]:
    """`pairs:` maps an id to its members: a list of names, or a mapping with `members:`."""
    pairs: dict[str, Pair] = {}
    value = doc.raw("pairs", required=True, expected="a mapping of pairs (b1: [Véronique, Karim])")
    if not isinstance(value, CommentedMap):
        if isinstance(value, (CommentedSeq, str, int)):
            doc.error("pairs", f"expected a mapping of pairs (b1: [Véronique, Karim]), got {shown(value)}")
        return pairs
    for ident, item in value.items():
        line = value.lc.key(ident)[0] + 1
        path = f"{doc.field('pairs')}.{ident}"
        # A pair's id names its guide copies (field/<plan>/guides-binome-<pair>.pdf).
        wrong = check_id(str(ident))
        if wrong:
            doc.problems.error(doc.file, line, doc.field("pairs"), f"{wrong} (a pair's id becomes a file name)")
            continue
        phone = None
        if isinstance(item, CommentedMap):
            entry = Fields(item, doc.file, path, doc.problems, line)
            members = entry.texts("members", required=True)
            phone = _phone(entry)
            entry.done()
        elif isinstance(item, CommentedSeq):
            holder = Fields(CommentedMap({"members": item}), doc.file, path, doc.problems, line)
            members = holder.texts("members")
        else:
            doc.problems.error(doc.file, line, path, f"expected a list of names ([Véronique, Karim]), got {shown(item)}")
            continue
        low, high = PAIR_SIZE
        if members and not low <= len(members) <= high:
            doc.problems.error(doc.file, line, path,
                               f"expected {low} or {high} names, got {len(members)} ({', '.join(members)})")
        pairs[str(ident)] = Pair(id=str(ident), members=tuple(members), line=line, phone=phone)
    return pairs


def _guide_for(mode: str, guides: dict[str, Any]) -> str | None:
    """The kit's one guide of a mode, when there is exactly one; else the slot must name it."""
    matching = [ident for ident, guide in guides.items() if getattr(guide, "mode", None) == mode]
    return matching[0] if len(matching) == 1 else None


def _load_slot(entry: Fields, sites: dict[str, Site], pairs: dict[str, Pair], guides: dict[str, Any],
               broken: set[str] = frozenset()) -> Slot | None:
    start = entry.clock("time", required=True)
    has_duration, has_until = entry.has("duration"), entry.has("until")
    end = None
    if has_duration and has_until:
        entry.error("until", "expected either duration: or until:, got both")
    elif has_duration:
        minutes = entry.minutes("duration")
        end = start + minutes if start is not None and minutes else None
    elif has_until:
        until = entry.clock("until")
        if start is not None and until is not None:
            if until <= start:
                entry.error("until", f"expected a time after {_clock(start)}, got {_clock(until)}")
            else:
                end = until
    else:
        entry.problems.error(entry.file, entry.line, entry.field("duration"),
                             'expected duration: (45, "1h") or until: ("10:15"), got neither')
    if end is not None and end > MINUTES_PER_DAY:
        entry.error("duration", f"expected the slot to end by midnight, got {_clock(start)} + {end - start} min")
        end = None

    site_id = entry.text("site", required=True)
    site = sites.get(site_id) if site_id else None
    if site_id and site is None:
        entry.error("site", _known(sites, "site of this plan", site_id))
    pair_id = entry.text("pair", required=True)
    if pair_id and pair_id not in pairs:
        entry.error("pair", _known(pairs, "pair of this plan", pair_id))
    mode = _mode(entry, default=site.mode if site else None)

    guide_id = entry.text("guide")
    if guide_id is not None and guide_id in broken:
        guide_id = None  # the guide's own file error says it all
    elif guide_id is not None and guide_id not in guides:
        entry.error("guide", _known(guides, "guide of content/guides/", guide_id))
        guide_id = None
    elif guide_id is not None and mode is not None:
        guide_mode = getattr(guides[guide_id], "mode", None)
        if guide_mode and guide_mode != mode:
            entry.warn("guide", f'expected a {mode} guide for a {mode} visit, got "{guide_id}" ({guide_mode})')
    elif guide_id is None and mode is not None:
        guide_id = _guide_for(mode, guides)
        if guide_id is None:
            entry.warn("guide", f"expected a guide: for this {mode} visit (the kit has no single {mode} guide "
                                f"to use by default), got none; the mission sheet will name no guide")
    notes = entry.text("notes")
    entry.done()
    if start is None or end is None or site is None or pair_id not in pairs or mode is None:
        return None
    return Slot(start=start, end=end, site=site.id, pair=pair_id, mode=mode, guide=guide_id,
                line=entry.line, notes=notes, path=entry.path)


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def check_overlaps(slots: list[Slot], sites: dict[str, Site], file: str, problems) -> None:
    """A pair cannot be in two places at once: each overlap is an error at the later slot's line."""
    by_pair: dict[str, list[Slot]] = {}
    for slot in slots:
        by_pair.setdefault(slot.pair, []).append(slot)
    for pair, own in by_pair.items():
        own.sort(key=lambda s: (s.start, s.end, s.line))
        for index, later in enumerate(own):
            for earlier in own[:index]:
                if earlier.end > later.start:
                    where = sites[earlier.site].name
                    problems.error(file, later.line, later.path or "slots",
                                   f"expected pair {pair} in one place at a time, got it at "
                                   f"{sites[later.site].name} {_clock(later.start)}–{_clock(later.end)} "
                                   f"while still at {where} {_clock(earlier.start)}–{_clock(earlier.end)} "
                                   f"(line {earlier.line})")


def load_field_plan(doc: Fields, ident: str, guides: dict[str, Any], broken: set[str] = frozenset()) -> FieldPlan:
    """Read one field plan; `broken` names the guides whose files could not be read (already reported)."""
    sites = _load_sites(doc)
    pairs = _load_pairs(doc)
    slots = [slot for entry in doc.records("slots", required=True)
             if (slot := _load_slot(entry, sites, pairs, guides, broken)) is not None]
    check_overlaps(slots, sites, doc.file, doc.problems)
    used_pairs = {s.pair for s in slots}
    for pair in pairs.values():
        # After an error a pair's slot may simply have failed to load: warn only on a clean plan.
        if pair.id not in used_pairs and not doc.problems.errors:
            doc.problems.warn(doc.file, pair.line, f"pairs.{pair.id}",
                              "expected at least one slot for this pair, got none; its mission sheet is empty")
    plan = FieldPlan(
        id=ident,
        title=doc.text("title", required=True, default=ident),
        date=doc.date("date", required=True, default=dt.date(2000, 1, 1)),
        file=doc.file,
        sites=sites,
        pairs=pairs,
        slots=tuple(sorted(slots, key=lambda s: (s.start, s.site, s.pair))),
        materials=tuple(doc.texts("materials")),
        notes=doc.text("notes"),
        meeting=doc.text("meeting"),
        debrief=doc.text("debrief"),
        travel=doc.minutes("travel"),
        departure=_load_departure(doc, sites),
        date_line=doc.key_line("date"),
    )
    doc.done()
    return plan



# -- getting there in time ---------------------------------------------------------------------

def travel_minutes(plan: FieldPlan, origin: str | None, site: str) -> int | None:
    """Minutes from `origin` (a site id, or None: the departure point outside the plan's sites) to `site`:
    a time given between the two sites (either way), else the site's own travel:, else the plan's;
    None when nothing says (no check)."""
    if origin == site:
        return 0
    there = plan.sites[site]
    if origin is not None:
        for a, b in ((there, origin), (plan.sites[origin], site)):
            given = dict(a.travel_from).get(b)
            if given is not None:
                return given
    return there.travel if there.travel is not None else plan.travel


def travel_problems(plan: FieldPlan) -> list[Problem]:
    """A warning at each slot a pair cannot reach in time: from its previous slot's end (or the
    departure) to its start is less than the travel time to its site."""
    problems = []
    for pair in plan.pairs:
        previous = None
        for slot in plan.slots_of(pair):
            if previous is not None:
                origin, left = previous.site, previous.end
                where = f"{plan.sites[previous.site].name} (until {_clock(previous.end)}, line {previous.line})"
            elif plan.departure is not None:
                origin, left = plan.departure.site, plan.departure.time
                start = f", {plan.sites[origin].name}" if origin else ""
                where = f"the departure ({_clock(left)}{start}, line {plan.departure.line})"
            else:
                previous = slot
                continue
            needed = travel_minutes(plan, origin, slot.site)
            if needed is not None and slot.start - left < needed:
                problems.append(Problem(
                    plan.file, slot.line, f"{slot.path or 'slots'}.time",
                    f"expected pair {pair} to reach {plan.sites[slot.site].name} in time from {where}: "
                    f"{needed} min of travel, got {max(0, slot.start - left)} min before {_clock(slot.start)}; "
                    f"start at {_clock(left + needed)} or later, or set a shorter travel:", ))
            previous = slot
    return problems
