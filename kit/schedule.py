"""Turn a session's days of blocks into clock times: starts, ends, free time, half-days, conflicts.

Each block starts when the previous one ends, unless it has a fixed start (`at:`). A fixed
block that the blocks before it overrun is a conflict naming both blocks and their times; a gap
before a fixed block is free time. The result is plain data, tested without rendering.
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.content.fields import Problems
from kit.content.sessions import Block, Day, Session

NOON = 12 * 60
# A pause starting in this window is the lunch break that splits the day into half-days.
LUNCH_WINDOW = (11 * 60 + 30, 14 * 60)


def clock(minutes: int) -> str:
    """Minutes since midnight as a 24-hour clock time ("9:05", "14:30")."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def length(minutes: int, language: str = "fr") -> str:
    """A duration as a reader says it: "45 min", "1 h 30", "2 h"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}\u00a0min"
    if not rest:
        return f"{hours}\u00a0h"
    return f"{hours}\u00a0h\u00a0{rest:02d}"


@dataclass(frozen=True)
class Slot:
    """A block placed on the clock; `free_before` is the free time left before a fixed start."""

    block: Block
    start: int
    end: int
    free_before: int = 0

    @property
    def duration(self) -> int:
        return self.end - self.start


class ClockSpan:
    """Something between two clock times (minutes since midnight), and how long it lasts."""

    start: int
    end: int

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class HalfDay(ClockSpan):
    name: str  # "morning" | "afternoon"
    start: int
    end: int


@dataclass(frozen=True)
class Conflict:
    """A fixed block that the blocks before it overrun."""

    earlier: Slot
    fixed: Slot

    def message(self) -> str:
        return (f'expected "{self.earlier.block.title}" ({clock(self.earlier.start)}–{clock(self.earlier.end)}) '
                f'to end by the fixed start of "{self.fixed.block.title}" (at {clock(self.fixed.start)}), '
                f"got an overlap of {self.earlier.end - self.fixed.start} min")


@dataclass(frozen=True)
class DaySchedule:
    day: Day
    slots: tuple[Slot, ...]
    conflicts: tuple[Conflict, ...] = ()

    @property
    def start(self) -> int:
        return self.slots[0].start if self.slots else self.day.start

    @property
    def end(self) -> int:
        return self.slots[-1].end if self.slots else self.day.start

    @property
    def lunch(self) -> Slot | None:
        for slot in self.slots:
            if slot.block.kind == "pause" and LUNCH_WINDOW[0] <= slot.start <= LUNCH_WINDOW[1]:
                return slot
        return None

    def half_days(self) -> tuple[HalfDay, ...]:
        """Morning and afternoon around lunch; a day without lunch is the half it starts in."""
        if not self.slots:
            return ()
        lunch = self.lunch
        if lunch is None:
            return (HalfDay("morning" if self.start < NOON else "afternoon", self.start, self.end),)
        halves = []
        if lunch.start > self.start:
            halves.append(HalfDay("morning", self.start, lunch.start))
        if self.end > lunch.end:
            halves.append(HalfDay("afternoon", lunch.end, self.end))
        return tuple(halves)

    def for_audiences(self, audiences: frozenset[str]) -> DaySchedule:
        """The same day as one audience sees it: other audiences' blocks left out, times unchanged."""
        return DaySchedule(self.day, tuple(s for s in self.slots if s.block.audience in audiences), self.conflicts)

    def half_of(self, slot: Slot) -> str:
        lunch = self.lunch
        if lunch is None:
            return "morning" if self.start < NOON else "afternoon"
        return "morning" if slot.start < lunch.start else ("lunch" if slot is lunch else "afternoon")


def schedule_day(day: Day) -> DaySchedule:
    slots: list[Slot] = []
    conflicts: list[Conflict] = []
    cursor = day.start
    for block in day.blocks:
        start = cursor
        free = 0
        if block.at is not None:
            start = block.at
            if block.at > cursor:
                free = block.at - cursor
        slot = Slot(block, start, start + block.duration, free)
        if block.at is not None and slots and slots[-1].end > block.at:
            conflicts.append(Conflict(slots[-1], slot))
        slots.append(slot)
        cursor = slot.end
    return DaySchedule(day, tuple(slots), tuple(conflicts))


def schedule(session: Session) -> tuple[DaySchedule, ...]:
    """Every day of a session on the clock."""
    return tuple(schedule_day(day) for day in session.days)


def check_session(session: Session, problems: Problems) -> None:
    """Record each overrun fixed block as a content error at the fixed block's line."""
    for day in schedule(session):
        for conflict in day.conflicts:
            block = conflict.fixed.block
            problems.error(block.file, block.line, f"{block.path}.at", conflict.message())
    dates = {}
    for day in session.days:
        if day.date in dates:
            problems.error(session.file, day.line, f"{day.path}.date",
                           f"expected a date of its own, got {day.date} which {dates[day.date]} already has")
        dates.setdefault(day.date, day.path)
