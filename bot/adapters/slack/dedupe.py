"""Slack delivers an event again when it thinks the first delivery failed; answer it once.

Every delivery of one event carries the same ``event_id``, and messages are also known by
channel and timestamp, because a DM that mentions the bot arrives as two different events.
Both keys are claimed in the event receipts (``bot.receipts``), which every replica on the
database shares, before answering, and marked done after: so N replicas behind a load
balancer, or N Socket Mode connections, answer each event once. ``Claims`` is the Slack
side of it, with a small in-memory front for what this process finished.

Over HTTP a retry also carries ``X-Slack-Retry-Num`` above 0 (Socket Mode's first delivery
already says attempt 0, so only a number above 0 counts) and says why in
``X-Slack-Retry-Reason``; the receipts decide, so the headers only explain (a retry of a
delivery whose replica died before answering must be answered).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta

from bot.adapters.slack.cache import Clock, TTLCache
from bot.errors import StorageError
from bot.receipts.ports import EventReceipts, Receipt

log = logging.getLogger(__name__)

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


class Claims:
    """Claim an event's keys before answering it and finish them after.

    ``store`` decides (it is shared by every replica); a key this process finished is
    remembered in memory too, so a redelivery to the same process costs no database call.
    ``now`` is the wall clock (receipts are compared across machines), ``clock`` the
    monotonic one of the memory. When the database fails the claim falls back to this
    process's memory alone, logged: an answer, perhaps twice, beats silence.
    """

    def __init__(
        self,
        store: EventReceipts,
        lease: timedelta,
        now: Callable[[], datetime],
        clock: Clock = time.monotonic,
    ) -> None:
        self.store = store
        self.lease = lease
        self._now = now
        self._finished = Deduplicator(REMEMBER_SECONDS, REMEMBER_ENTRIES, clock)
        self._fallback = Deduplicator(REMEMBER_SECONDS, REMEMBER_ENTRIES, clock)

    async def claim(self, key: str, *, inner: bool = False) -> Receipt:
        """Claim ``key`` for a lease; ``FIRST`` means answer now (an empty key always is).

        ``inner`` is for a key claimed while holding another (a message, inside its event's
        claim): its lease is half as long, so when the event's claim is taken over because
        its holder died, the message's has lapsed as well.
        """
        if not key:
            return Receipt.FIRST
        if key in self._finished:
            return Receipt.DONE
        lease = self.lease / 2 if inner else self.lease
        try:
            return await self.store.claim(key, self._now(), lease)
        except StorageError as exc:
            log.warning("event receipts unavailable, deduplicating in memory only: %s", exc)
            return Receipt.FIRST if self._fallback.first_time(key) else Receipt.IN_HAND

    async def finish(self, key: str) -> None:
        """Mark ``key`` answered (never raises: a failure leaves the claim to lapse)."""
        if not key:
            return
        self._finished.first_time(key)
        try:
            await self.store.finish(key)
        except StorageError as exc:
            log.warning("could not mark an event answered: %s", exc)


def event_key(body: Mapping[str, object]) -> str:
    """The receipt key of an event callback ("" without an event_id: never deduplicated)."""
    event_id = body.get("event_id")
    return f"event:{event_id}" if event_id else ""


def message_key(event: Mapping[str, object]) -> str:
    """The receipt key of a message, whichever event (message.im, app_mention) carried it."""
    return f"message:{event.get('channel')}:{event.get('ts')}"


def _header(headers: Headers, name: str) -> str:
    for key, values in headers.items():
        if key.lower() == name:
            return values if isinstance(values, str) else (values[0] if values else "")
    return ""
