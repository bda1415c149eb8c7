"""Slack delivers an event again when it thinks the first delivery failed; answer it once.

Two signals. Over HTTP a retry carries ``X-Slack-Retry-Num`` above 0 (Socket Mode's first
delivery already says attempt 0, so only a number above 0 counts) and says why in
``X-Slack-Retry-Reason``. And every delivery of one event carries the same ``event_id``,
remembered here for a while. Messages are also remembered by channel and timestamp, because
a DM that mentions the bot arrives as two different events.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.adapters.slack.cache import TTLCache

# Slack retries three times over about five minutes; remember events well past that.
REMEMBER_SECONDS = 15 * 60.0
REMEMBER_ENTRIES = 20000

# Retry reasons that mean the earlier delivery never reached the bot (it was down, or TLS or
# a proxy failed): such a retry is the first the bot hears of the event.
NEVER_ARRIVED = frozenset({"connection_failed", "ssl_error", "too_many_redirects"})

Headers = Mapping[str, Sequence[str] | str]


def retry_number(headers: Headers) -> int:
    """The delivery attempt in ``X-Slack-Retry-Num`` (0 for a first delivery or none)."""
    try:
        return max(int(_header(headers, "x-slack-retry-num") or "0"), 0)
    except ValueError:
        return 0


def is_redelivery(headers: Headers) -> bool:
    """True for an HTTP retry of a delivery that reached the bot (Slack only missed the 200);
    a retry after a failed connection is still news, and ``event_id`` alone decides."""
    reason = _header(headers, "x-slack-retry-reason")
    return retry_number(headers) > 0 and reason not in NEVER_ARRIVED


class Deduplicator(TTLCache[str, bool]):
    """Says whether a key (an event_id, a channel:ts) is new; bounded and forgetful."""

    def first_time(self, key: str) -> bool:
        """True the first time ``key`` is offered (within the memory window), False after."""
        if not key:
            return True
        if key in self:
            return False
        self.put(key, True)
        return True


def _header(headers: Headers, name: str) -> str:
    for key, values in headers.items():
        if key.lower() == name:
            return values if isinstance(values, str) else (values[0] if values else "")
    return ""
