"""Fire times for a wall-clock time in an IANA zone, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.tips.models import Days
from bot.tips.schedule import fire_on, latest_fire, next_fire

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        # Spring forward: 02:00 -> 03:00; 02:30 doesn't exist, so post at 03:00 local.
        (BERLIN, date(2024, 3, 31), time(2, 30), utc(2024, 3, 31, 1, 0)),
        (NEW_YORK, date(2024, 3, 10), time(2, 30), utc(2024, 3, 10, 7, 0)),
        (NEW_YORK, date(2024, 3, 10), time(2, 0), utc(2024, 3, 10, 7, 0)),
        # Fall back: the repeated hour fires at its first occurrence (summer time).
        (BERLIN, date(2024, 10, 27), time(2, 30), utc(2024, 10, 27, 0, 30)),
        (NEW_YORK, date(2024, 11, 3), time(1, 30), utc(2024, 11, 3, 5, 30)),
        # Ordinary times on the change days keep their wall-clock time.
        (BERLIN, date(2024, 3, 31), time(9, 0), utc(2024, 3, 31, 7, 0)),
        (BERLIN, date(2024, 10, 27), time(9, 0), utc(2024, 10, 27, 8, 0)),
        (NEW_YORK, date(2024, 11, 3), time(9, 0), utc(2024, 11, 3, 14, 0)),
    ],
)
def test_fire_on_dst_days(zone: ZoneInfo, day: date, at: time, expected: datetime) -> None:
    """A gap time posts at the first valid instant that day; a fold time at its first occurrence."""
    fire = fire_on(day, at, zone)
    assert fire.at == expected
    assert fire.day == day


def test_autumn_fold_posts_once_then_next_day() -> None:
    """After the first 02:30 of the Berlin fall-back night, the next post is the next day."""
    first = utc(2024, 10, 27, 0, 30)
    following = next_fire(first, time(2, 30), BERLIN, Days.DAILY)
    assert following.day == date(2024, 10, 28)
    assert following.at == utc(2024, 10, 28, 1, 30)
    # At the second 02:30 (01:30 UTC) the latest fire is still the first one.
    assert latest_fire(utc(2024, 10, 27, 1, 30), time(2, 30), BERLIN, Days.DAILY).at == first


@pytest.mark.parametrize("zone", [BERLIN, NEW_YORK, ZoneInfo("Australia/Lord_Howe")])
@pytest.mark.parametrize("at", [time(0, 30), time(1, 30), time(2, 0), time(2, 30), time(9, 0)])
def test_a_whole_year_fires_once_per_local_day(zone: ZoneInfo, at: time) -> None:
    """Walking next_fire through 2024 gives every local date exactly once, in order."""
    moment = utc(2023, 12, 31, 12, 0)
    days: list[date] = []
    while True:
        fire = next_fire(moment, at, zone, Days.DAILY)
        if fire.day.year > 2024:
            break
        assert fire.at > moment
        assert fire.at.astimezone(zone).date() == fire.day
        if fire.day.year == 2024:
            days.append(fire.day)
        moment = fire.at
    expected = [date(2024, 1, 1) + timedelta(days=n) for n in range(366)]
    assert days == expected


def test_weekdays_skip_the_weekend() -> None:
    """A Friday post is followed by Monday's on a weekdays schedule."""
    friday = fire_on(date(2024, 6, 7), time(9, 0), BERLIN)
    following = next_fire(friday.at, time(9, 0), BERLIN, Days.WEEKDAYS)
    assert following.day == date(2024, 6, 10)
    assert next_fire(friday.at, time(9, 0), BERLIN, Days.DAILY).day == date(2024, 6, 8)


def test_weekdays_are_judged_by_the_local_date() -> None:
    """Monday 08:00 in Auckland is Sunday in UTC, and still a weekday post."""
    auckland = ZoneInfo("Pacific/Auckland")
    saturday_noon = utc(2024, 6, 8, 12, 0)
    fire = next_fire(saturday_noon, time(8, 0), auckland, Days.WEEKDAYS)
    assert fire.day == date(2024, 6, 10)
    assert fire.at == utc(2024, 6, 9, 20, 0)  # a Sunday in UTC


def test_latest_fire_is_at_or_before_the_moment() -> None:
    """latest_fire returns the fire itself at the exact moment, and yesterday's just before."""
    today = fire_on(date(2024, 6, 4), time(9, 0), NEW_YORK)
    assert latest_fire(today.at, time(9, 0), NEW_YORK, Days.DAILY) == today
    before = latest_fire(today.at - timedelta(seconds=1), time(9, 0), NEW_YORK, Days.DAILY)
    assert before.day == date(2024, 6, 3)
    monday = latest_fire(utc(2024, 6, 10, 12), time(9, 0), NEW_YORK, Days.WEEKDAYS)
    assert monday.day == date(2024, 6, 7)  # 08:00 New York on Monday is before 09:00
