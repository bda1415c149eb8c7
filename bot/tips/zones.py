"""Time-zone names as people type them: case-insensitive IANA names and did-you-mean."""

from __future__ import annotations

import re
import zoneinfo
from functools import cache
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process

# Entries of the zone database that are files but not zones anyone should pick.
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
# "UTC+2", "GMT-05:00", "+0100": fixed offsets, which don't follow daylight saving.
FIXED_OFFSET = re.compile(r"^(?:utc|gmt)?\s*[+-]\s*\d{1,2}(?::?\d{2})?$", re.IGNORECASE)


def _folded(name: str) -> str:
    return name.lower().replace(" ", "_")


@cache
def zone_names() -> dict[str, str]:
    """Every IANA zone name, keyed by its lower-case form (read once: it walks the zone files)."""
    names = zoneinfo.available_timezones() - _NOT_ZONES
    return {_folded(name): name for name in sorted(names)}


@cache
def _search_choices() -> tuple[dict[str, str], dict[str, str]]:
    """(zone -> folded full name, zone -> folded city) for fuzzy matching."""
    full = {name: folded for folded, name in zone_names().items()}
    cities = {name: folded.rsplit("/", 1)[-1] for name, folded in full.items()}
    return full, cities


def canonical_zone(text: str) -> str | None:
    """The IANA name ``text`` spells, in any case (``europe/berlin`` -> ``Europe/Berlin``)."""
    return zone_names().get(_folded(text.strip()))


def load_zone(name: str) -> ZoneInfo | None:
    """The zone called ``name``, or None when the zone database has no such zone."""
    try:
        return ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def suggest_zones(text: str, limit: int = 3) -> list[str]:
    """Zone names close to ``text``: whole names (``Europe/Berln``) or city parts (``berlin``)."""
    query = _folded(text.strip())
    if not query:
        return []
    full, cities = _search_choices()
    scores: dict[str, float] = {}
    for choices, cutoff in ((full, 75.0), (cities, 80.0)):
        for _, score, name in process.extract(
            query, choices, scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff
        ):
            scores[name] = max(scores.get(name, 0.0), score)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [name for name, _ in ranked[:limit]]
