"""When a subscription fires: a wall-clock time in an IANA zone, every day or on weekdays.

Daylight-saving rules:
- spring forward: a time that doesn't exist that day (02:30 when clocks jump from 02:00 to
  03:00) fires at the first valid instant after the jump, so the day is never skipped;
- fall back: a time that happens twice fires once, at its first occurrence.
Each local date has exactly one fire instant, and fire instants grow with the date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.tips.models import Days, Fire

# Weekdays-only schedules skip at most a weekend, so a fire is always found within this many
# local days (the extra ones cover zones whose date differs from UTC's and calendar oddities).
_SEARCH_DAYS = 10
_ONE_DAY = timedelta(days=1)


def fire_on(day: date, at: time, zone: ZoneInfo) -> Fire:
    """The UTC instant of the post for local date ``day`` at wall-clock ``at`` in ``zone``."""
    wall = datetime.combine(day, at.replace(second=0, microsecond=0), tzinfo=zone)  # fold=0
    instant = wall.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return Fire(day, instant)  # the time exists; in a fold, fold=0 is the first occurrence
    return Fire(day, _end_of_gap(wall, zone))


def _end_of_gap(wall: datetime, zone: ZoneInfo) -> datetime:
    """The transition instant that skips over ``wall``: the first valid moment after it.

    Read with the offset after the jump (fold=1) a gap time lands before the transition; read
    with the offset before it (fold=0) it lands after. Bisect between the two, in whole seconds
    (transitions fall on whole minutes), for the first instant on the new offset.
    """
    before = wall.replace(fold=1).astimezone(UTC)
    after = wall.replace(fold=0).astimezone(UTC)
    new_offset = after.astimezone(zone).utcoffset()
    low, high = int(before.timestamp()), int(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(zone).utcoffset() == new_offset:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def next_fire(after: datetime, at: time, zone: ZoneInfo, days: Days) -> Fire:
    """The first post strictly after ``after``."""
    start = after.astimezone(zone).date() - _ONE_DAY
    for offset in range(_SEARCH_DAYS):
        day = start + offset * _ONE_DAY
        if days.includes(day):
            fire = fire_on(day, at, zone)
            if fire.at > after:
                return fire
    raise AssertionError(f"no fire time within {_SEARCH_DAYS} days of {after}")  # pragma: no cover


def latest_fire(moment: datetime, at: time, zone: ZoneInfo, days: Days) -> Fire:
    """The last post at or before ``moment``."""
    start = moment.astimezone(zone).date() + _ONE_DAY
    for offset in range(_SEARCH_DAYS):
        day = start - offset * _ONE_DAY
        if days.includes(day):
            fire = fire_on(day, at, zone)
            if fire.at <= moment:
                return fire
    raise AssertionError(f"no fire time within {_SEARCH_DAYS} days of {moment}")  # pragma: no cover
