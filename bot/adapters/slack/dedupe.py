"""Slack delivers an event again when it thinks the first delivery failed; answer it once.

Two signals: in HTTP mode a retry carries ``X-Slack-Retry-Num`` above 0 (Socket Mode's first
delivery already says 0, so only a number above 0 counts); and every delivery of one event
carries the same ``event_id``, remembered here for a while. Messages are also remembered by
channel and timestamp, because a DM that mentions the bot arrives as two different events.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from bot.adapters.slack.cache import Clock, TTLCache

# Slack retries three times over about five minutes; remember events well past that.
REMEMBER_SECONDS = 15 * 60.0
REMEMBER_ENTRIES = 20000


def retry_number(headers: Mapping[str, Sequence[str] | str]) -> int:
    """The delivery attempt in ``X-Slack-Retry-Num`` (0 for a first delivery or none)."""
    for name, values in headers.items():
        if name.lower() == "x-slack-retry-num":
            value = values if isinstance(values, str) else (values[0] if values else "0")
            try:
                return max(int(value), 0)
            except ValueError:
                return 0
    return 0


class Deduplicator:
    """Says whether a key (an event_id, a channel:ts) is new; bounded and forgetful."""

    def __init__(
        self,
        clock: Clock = time.monotonic,
        ttl: float = REMEMBER_SECONDS,
        max_entries: int = REMEMBER_ENTRIES,
    ) -> None:
        self._seen: TTLCache[str, bool] = TTLCache(ttl, max_entries, clock)

    def first_time(self, key: str) -> bool:
        """True the first time ``key`` is offered (within the memory window), False after."""
        if not key:
            return True
        if key in self._seen:
            return False
        self._seen.put(key, True)
        return True
