"""Turn a session's days of blocks into clock times: starts, ends, free time, half-days, conflicts.

Each block starts when the previous one ends, unless it has a fixed start (`at:`). A fixed
block that the blocks before it overrun is a conflict naming both blocks and their times; a gap
before a fixed block is free time. The result is plain data, tested without rendering.
"""

from __future__ import annotations

from dataclasses import dataclass

from kit.content.fields import Problems
from kit.content.formats import Step
from kit.content.sessions import Block, Day, Session, Track

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
class TimedStep:
    """A step on the clock: it starts when the timed steps before it end.

    `start` is None when none of its list's steps has a duration (no clock time to print); a step
    without a duration among timed ones takes no time of its own: the next starts at its start.
    """

    step: Step
    start: int | None

    @property
    def end(self) -> int | None:
        return None if self.start is None else self.start + (self.step.minutes or 0)


def timed_steps(steps: tuple[Step, ...], start: int) -> tuple[TimedStep, ...]:
    """Steps on the clock from `start` (a block's or a track's)."""
    if not any(step.minutes for step in steps):
        return tuple(TimedStep(step, None) for step in steps)
    result = []
    for step in steps:
        result.append(TimedStep(step, start))
        start += step.minutes or 0
    return tuple(result)


@dataclass(frozen=True)
class TrackSlot:
    """A track on the clock: it starts with its block and ends when its own duration is over."""

    track: Track
    start: int
    end: int
    steps: tuple[TimedStep, ...]


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

    @property
    def steps(self) -> tuple[TimedStep, ...]:
        return timed_steps(self.block.steps, self.start)

    @property
    def tracks(self) -> tuple[TrackSlot, ...]:
        """The block's tracks, all starting with it, side by side."""
        return tuple(TrackSlot(track, self.start, self.start + track.duration, timed_steps(track.steps, self.start))
                     for track in self.block.tracks)


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


EVERYONE = "everyone"
# Blocks later than this would print on the next day: a day's blocks end by midnight.
MIDNIGHT = 24 * 60


@dataclass(frozen=True)
class Conflict:
    """Two blocks one audience attends that overlap: `earlier` runs past the start of `later`."""

    earlier: Slot
    later: Slot

    @property
    def fixed(self) -> Slot:
        return self.later

    @property
    def blamed(self) -> Slot:
        """The block whose line the error is at: the fixed start overrun, or else the block only
        some attend, which must fit around everyone's times (they never move for it)."""
        if self.later.block.at is None and self.earlier.block.audience != EVERYONE:
            return self.earlier
        return self.later

    def message(self) -> str:
        earlier, later = self.earlier, self.later
        overlap = earlier.end - later.start
        if self.blamed is earlier:
            return (f'expected "{earlier.block.title}" ({clock(earlier.start)}–{clock(earlier.end)}, '
                    f"{earlier.block.audience} only) to end by the start of \"{later.block.title}\" "
                    f"({clock(later.start)}), got an overlap of {overlap} min; everyone else's times never "
                    f"move for a block they do not attend: give it an earlier at: or a shorter duration")
        return (f'expected "{earlier.block.title}" ({clock(earlier.start)}–{clock(earlier.end)}) '
                f'to end by the fixed start of "{later.block.title}" (at {clock(later.start)}), '
                f"got an overlap of {overlap} min")


@dataclass(frozen=True)
class DaySchedule:
    day: Day
    slots: tuple[Slot, ...]
    conflicts: tuple[Conflict, ...] = ()

    @property
    def start(self) -> int:
        return min((s.start for s in self.slots), default=self.day.start)

    @property
    def end(self) -> int:
        return max((s.end for s in self.slots), default=self.day.start)

    @property
    def lunch(self) -> Slot | None:
        """The block marked `meal: true`; without one, the longest pause starting in LUNCH_WINDOW
        (the longest, so a coffee break at 11:30 is not taken for lunch at 12:30)."""
        for slot in self.slots:
            if slot.block.meal:
                return slot
        guesses = [s for s in self.slots if s.block.kind == "pause" and LUNCH_WINDOW[0] <= s.start <= LUNCH_WINDOW[1]]
        return max(guesses, key=lambda s: s.duration, default=None)

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
    """Clock times of a day's blocks.

    Everyone's blocks follow each other from the day's start (or their `at:`), counting only
    blocks everyone attends: a newcomer or facilitator block never moves the others' times. Such
    a block starts at its `at:`, or when the block before it in the list ends.
    """
    slots: list[Slot] = []
    cursor = day.start        # where the next block everyone attends starts
    previous_end = None       # where the block before in the list ended
    for block in day.blocks:
        follows = cursor if block.audience == EVERYONE or previous_end is None else previous_end
        start = block.at if block.at is not None else follows
        free = block.at - follows if block.at is not None and block.at > follows else 0
        slot = Slot(block, start, start + block.duration, free)
        slots.append(slot)
        previous_end = slot.end
        if block.audience == EVERYONE:
            cursor = slot.end
    return DaySchedule(day, tuple(slots), _conflicts(slots))


def _conflicts(slots: list[Slot]) -> tuple[Conflict, ...]:
    """Overlaps as each audience sees its day: everyone's blocks, plus those of one other audience."""
    found: dict[tuple[int, int], Conflict] = {}
    audiences = {s.block.audience for s in slots} - {EVERYONE}
    for audience in (EVERYONE, *sorted(audiences)):
        seen = [(i, s) for i, s in enumerate(slots) if s.block.audience in (EVERYONE, audience)]
        for (i, earlier), (j, later) in zip(seen, seen[1:]):
            if earlier.end > later.start and (i, j) not in found:
                found[(i, j)] = Conflict(earlier, later)
    return tuple(found[key] for key in sorted(found))


def schedule(session: Session) -> tuple[DaySchedule, ...]:
    """Every day of a session on the clock."""
    return tuple(schedule_day(day) for day in session.days)


def check_session(session: Session, problems: Problems) -> None:
    """Record each overlap at the line to change, each block past midnight, each date used twice."""
    if not session.days:
        return
    for day in schedule(session):
        for conflict in day.conflicts:
            block = conflict.blamed.block
            if block.at is not None:
                problems.error(block.file, block.at_line or block.line, f"{block.path}.at", conflict.message())
            else:
                problems.error(block.file, block.duration_line or block.line, f"{block.path}.duration",
                               conflict.message())
        for slot in day.slots:
            if slot.end > MIDNIGHT:
                block = slot.block
                problems.error(block.file, block.duration_line or block.line, f"{block.path}.duration",
                               f'expected the day to end by midnight, got "{block.title}" from '
                               f"{clock(slot.start)} to {clock(slot.end % MIDNIGHT)} the next day")
        meals = [slot.block for slot in day.slots if slot.block.meal]
        for extra in meals[1:]:
            problems.error(extra.file, extra.line, f"{extra.path}.meal",
                           f'expected one meal a day, got a second one ("{meals[0].title}" is already the meal)')
    dates = {}
    for day in session.days:
        if day.date in dates:
            problems.error(session.file, day.line, f"{day.path}.date",
                           f"expected a date of its own, got {day.date} which {dates[day.date]} already has")
        dates.setdefault(day.date, day.path)
