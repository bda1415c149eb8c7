"""Forgetting old receipts: a loop in the running bot, on an injected clock."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.errors import StorageError
from bot.receipts.ports import EventReceipts
from bot.tips.clock import Clock

log = logging.getLogger(__name__)

# How long an event is remembered. Slack retries a delivery three times within about five
# minutes (at once, after a minute, after five); an hour is far past that, leaves room for
# clocks that differ between replicas and for Socket Mode redeliveries after a reconnect,
# and still keeps the table small (one short row per event, a few thousand an hour).
TTL = timedelta(hours=1)
# How often the old ones are deleted: each run is one indexed DELETE.
EVERY = timedelta(minutes=5)


async def purge_forever(
    receipts: EventReceipts, clock: Clock, *, ttl: timedelta = TTL, every: timedelta = EVERY
) -> None:
    """Delete receipts older than ``ttl`` every ``every``, until cancelled; a failing
    database is logged and tried again next time (every replica runs this; that is fine,
    a DELETE of nothing costs nothing)."""
    while True:
        try:
            gone = await receipts.purge(clock.now() - ttl)
            if gone:
                log.debug("event receipts: forgot %d older than %s", gone, ttl)
        except StorageError as exc:
            log.warning("event receipts: could not forget old ones: %s", exc)
        await clock.sleep_until(clock.now() + every)
