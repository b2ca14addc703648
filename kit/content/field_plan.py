"""Turn content/field/*.yaml into FieldPlan objects: sites, pairs and the slots of a field day.

A field plan says who goes where and when on the survey day: sites (name, address, contact,
how a visit works there), pairs (binômes), and slots (a time, a site, a pair, a mode and the
interview guide to use). A slot naming an unknown site, pair or guide, or sending a pair to two
places at once, is a content error at the slot's line. Guides are looked up among the guides
already loaded, so `guides` must come before `field` in the content kinds.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kit.content.fields import Fields, check_id, shown
from kit.content.guides import MODES, RENDEZ_VOUS, VOLEE

__all__ = ["Site", "Pair", "Slot", "FieldPlan", "load_field_plan", "MODES", "RENDEZ_VOUS", "VOLEE"]

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


@dataclass(frozen=True)
class Pair:
    """A binôme: the people who go out together."""

    id: str
    members: tuple[str, ...]
    line: int = 0


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


def _load_sites(doc: Fields) -> dict[str, Site]:
    sites: dict[str, Site] = {}
    for ident, entry in doc.named("sites", required=True):
        sites[ident] = Site(
            id=ident,
            name=entry.text("name", required=True, default=ident),
            address=entry.text("address"),
            contact=entry.text("contact"),
            mode=_mode(entry, required=True, default=RENDEZ_VOUS),
            line=entry.line,
            notes=entry.text("notes"),
            materials=tuple(entry.texts("materials")),
        )
        entry.done()
    return sites


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
        if isinstance(item, CommentedMap):
            entry = Fields(item, doc.file, path, doc.problems, line)
            members = entry.texts("members", required=True)
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
        pairs[str(ident)] = Pair(id=str(ident), members=tuple(members), line=line)
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
    )
    doc.done()
    return plan

