"""Reading ``tips on`` arguments: a time, a time zone and which days, in any order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from rapidfuzz import fuzz

from bot.tips.models import Days
from bot.tips.zones import FIXED_OFFSET, canonical_zone, suggest_zones

# 9, 09:00, 9:30, 9.30, 9h30, 9am, 9:30pm, 12 a.m.
_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?(am|pm|a\.m\.|p\.m\.)?$")
_MERIDIEM = {"am", "pm", "a.m.", "p.m."}
DAY_WORDS: dict[str, Days] = {
    "daily": Days.DAILY,
    "everyday": Days.DAILY,
    "weekdays": Days.WEEKDAYS,
    "weekday": Days.WEEKDAYS,
    "workdays": Days.WEEKDAYS,
}
TIME_HELP = "Use HH:MM on the 24-hour clock, like 09:00 or 21:30, or 9am / 9:30pm."


class TipsInputError(ValueError):
    """Arguments we couldn't read; ``message`` says why kindly, ``fixes`` are corrected args."""

    def __init__(self, message: str, fixes: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.fixes = fixes


@dataclass(frozen=True, slots=True)
class OnArgs:
    """What ``tips on`` asked for; None where it was left out."""

    at: time | None = None
    zone: str | None = None
    days: Days | None = None


def parse_time(token: str) -> time:
    """``9``, ``09:00``, ``21:30``, ``9am``, ``9:30pm`` as a time of day (minutes only)."""
    found = _TIME.match(token.strip().lower())
    if not found:
        raise TipsInputError(f"I couldn't read \u201c{token}\u201d as a time. {TIME_HELP}")
    hour, minute = int(found.group(1)), int(found.group(2) or 0)
    meridiem = found.group(3)
    if meridiem:
        if not 1 <= hour <= 12:
            raise TipsInputError(
                f"\u201c{token}\u201d isn't a time on the 12-hour clock. {TIME_HELP}"
            )
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise TipsInputError(f"\u201c{token}\u201d isn't a time of day. {TIME_HELP}")
    return time(hour, minute)


def _tokens(args: str) -> list[str]:
    """Split on spaces, joining a separate am/pm to the number before it."""
    tokens: list[str] = []
    for word in args.split():
        if word.lower() in _MERIDIEM and tokens and tokens[-1][:1].isdigit():
            tokens[-1] += word
        else:
            tokens.append(word)
    return tokens


def parse_on(args: str) -> OnArgs:
    """Read ``[HH:MM] [TIME_ZONE] [weekdays|daily]`` in any order; raise ``TipsInputError``."""
    at: time | None = None
    days: Days | None = None
    time_words: list[str] = []
    day_words: list[str] = []
    zone_words: list[str] = []
    for token in _tokens(args):
        lowered = token.lower()
        if lowered in DAY_WORDS:
            if days is not None and DAY_WORDS[lowered] is not days:
                raise TipsInputError("Choose either daily or weekdays, not both.")
            days = DAY_WORDS[lowered]
            day_words.append(lowered)
        elif token[:1].isdigit():
            if at is not None:
                raise TipsInputError(f"I see two times there. Give just one. {TIME_HELP}")
            at = parse_time(token)
            time_words.append(token)
        else:
            zone_words.append(token)
    zone = _parse_zone(zone_words, time_words, day_words) if zone_words else None
    return OnArgs(at, zone, days)


def _parse_zone(words: list[str], time_words: list[str], day_words: list[str]) -> str:
    # "New York" and "America/New York" mean the zone spelled with underscores.
    typed = " ".join(words)
    zone = canonical_zone("_".join(words))
    if zone is not None:
        return zone
    for word in words:
        for day_word in ("daily", "weekdays"):
            if fuzz.ratio(word.lower(), day_word) >= 75:
                fixed = " ".join(["on", *time_words, day_word])
                raise TipsInputError(f"Did you mean \u201c{day_word}\u201d?", (fixed,))
    if FIXED_OFFSET.match(typed):
        raise TipsInputError(
            f"Fixed offsets like \u201c{typed}\u201d don't follow daylight saving. Use your "
            "area's time zone name instead, like Europe/Berlin or America/New_York."
        )
    suggestions = suggest_zones(typed)
    if suggestions:
        fixes = tuple(" ".join(["on", *time_words, name, *day_words]) for name in suggestions)
        names = " or ".join(suggestions)
        raise TipsInputError(
            f"I don't know the time zone \u201c{typed}\u201d. Did you mean {names}?", fixes
        )
    raise TipsInputError(
        f"I don't know the time zone \u201c{typed}\u201d. Use a name from the IANA time-zone "
        "list, like Europe/Berlin, America/New_York, Asia/Kolkata or UTC."
    )
