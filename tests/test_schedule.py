"""Clock times as data: sequential blocks, fixed starts, free time, overruns, half-days, several days."""

from __future__ import annotations

import datetime as dt

import pytest

from kit.content import load_kit
from kit.content.fields import Problems, parse_clock, parse_minutes
from kit.content.sessions import Block, Day, Session
from kit.errors import ContentError
from kit.schedule import check_session, clock, schedule_day


def block(title, duration, at=None, kind=None, audience="everyone", line=1):
    return Block(title=title, duration=duration, file="content/sessions/s.yaml", line=line,
                 path=f"days[0].blocks[{line}]", at=at, kind=kind, audience=audience)


def day(*blocks, start="9:00", date=dt.date(2019, 5, 23)):
    return Day(date=date, start=parse_clock(start), line=3, path="days[0]", blocks=blocks)


@pytest.mark.parametrize("text, minutes", [
    (45, 45), ("45", 45), ("45 min", 45), ("1h30", 90), ("1 h 30", 90), ("2h", 120), ("1h05", 65),
    ("90min", 90), ("beaucoup", None), (0, None), (True, None), ("", None),
])
def test_durations(text, minutes):
    assert parse_minutes(text) == minutes


@pytest.mark.parametrize("text, minutes", [
    ("9:00", 540), ("12:30", 750), ("9h30", 570), ("14h", 840), ("24:00", None), ("midi", None), (930, None),
])
def test_clock_times(text, minutes):
    assert parse_clock(text) == minutes


def test_blocks_follow_each_other_from_the_day_start():
    schedule = schedule_day(day(block("Accueil", 30), block("Dérive", 75), block("Pause", 15, kind="pause")))
    assert [(clock(s.start), clock(s.end)) for s in schedule.slots] == [("9:00", "9:30"), ("9:30", "10:45"), ("10:45", "11:00")]
    assert clock(schedule.end) == "11:00"
    assert schedule.conflicts == ()


def test_gap_before_a_fixed_block_is_free_time():
    schedule = schedule_day(day(block("Photos débat", 150), block("Déjeuner", 60, at=parse_clock("12:30"), kind="pause"),
                                block("Préparation", 120)))
    lunch = schedule.slots[1]
    assert (clock(lunch.start), lunch.free_before) == ("12:30", 60)
    assert clock(schedule.slots[2].start) == "13:30"
    halves = schedule.half_days()
    assert [(h.name, clock(h.start), clock(h.end), h.minutes) for h in halves] == [
        ("morning", "9:00", "12:30", 210), ("afternoon", "13:30", "15:30", 120)]


def test_overrun_of_a_fixed_block_names_both_blocks_and_their_times():
    session = Session(id="s", title="S", file="content/sessions/s.yaml",
                      days=(day(block("Photos débat", 240, line=7), block("Déjeuner", 60, at=parse_clock("12:30"), kind="pause", line=9)),))
    problems = Problems()
    check_session(session, problems)
    assert [str(p) for p in problems.errors] == [
        'content/sessions/s.yaml:9: days[0].blocks[9].at: expected "Photos débat" (9:00–13:00) to end by the fixed start '
        'of "Déjeuner" (at 12:30), got an overlap of 30 min'
    ]


def test_two_fixed_blocks_overlapping():
    schedule = schedule_day(day(block("A", 60, at=parse_clock("10:00")), block("B", 30, at=parse_clock("10:30"))))
    (conflict,) = schedule.conflicts
    assert (conflict.earlier.block.title, conflict.fixed.block.title) == ("A", "B")


def test_a_fixed_block_before_the_announced_start_opens_the_day_earlier():
    schedule = schedule_day(day(block("Accueil des nouveaux", 30, at=parse_clock("8:30"), audience="newcomers"),
                                block("Ouverture", 15)))
    assert [clock(s.start) for s in schedule.slots] == ["8:30", "9:00"]
    everyone = schedule.for_audiences(frozenset({"everyone"}))
    assert clock(everyone.start) == "9:00"


def test_a_day_without_lunch_is_one_half():
    schedule = schedule_day(day(block("Présentation", 20), block("Stratégie", 25), start="14:00"))
    assert [(h.name, h.minutes) for h in schedule.half_days()] == [("afternoon", 45)]


def test_the_fixture_kit_session_8_times(fixture_kit):
    from kit.schedule import schedule

    session = load_kit(fixture_kit).sessions["session-08"]
    day1, day2 = schedule(session)
    assert [(clock(s.start), s.block.title) for s in day1.slots][:4] == [
        ("8:30", "Accueil des nouvelles ambassadrices"), ("9:00", "Ouverture de la session"),
        ("9:15", "Dérive créative — avec images"), ("10:30", "Pause")]
    assert clock(day1.lunch.start) == "12:30" and clock(day2.lunch.start) == "12:30"
    assert day2.day.date == dt.date(2019, 5, 24)


def test_same_date_twice_is_an_error(make_kit):
    root = make_kit({"content/sessions/s.yaml": """\
        title: S
        days:
          - date: 2019-05-23
            start: "9:00"
            blocks: [{title: A, duration: 30}]
          - date: 2019-05-23
            start: "9:00"
            blocks: [{title: B, duration: 30}]
        """})
    with pytest.raises(ContentError) as caught:
        load_kit(root)
    assert [str(p) for p in caught.value.problems] == [
        "content/sessions/s.yaml:6: days[1].date: expected a date of its own, got 2019-05-23 which days[0] already has"]
