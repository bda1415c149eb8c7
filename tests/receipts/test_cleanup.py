"""The clean-up loop forgets receipts older than the TTL, on the injected clock, and carries
on when the database fails."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.errors import StorageError
from bot.receipts.cleanup import EVERY, TTL, purge_forever
from bot.receipts.memory import MemoryReceipts
from bot.receipts.ports import Receipt
from bot.tips.testing import FakeClock

START = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


async def test_old_receipts_are_forgotten_every_few_minutes() -> None:
    clock = FakeClock(START)
    receipts = MemoryReceipts()
    await receipts.claim("old", START, LEASE)
    await receipts.claim("recent", START + TTL, LEASE)
    loop = asyncio.create_task(purge_forever(receipts, clock))
    try:
        assert await clock.wait_for_sleeper() == START + EVERY
        # Nothing is older than the TTL yet.
        assert await receipts.claim("old", START, LEASE) is Receipt.IN_HAND
        clock.set(START + TTL + EVERY)
        await clock.wait_for_sleeper()
        assert await receipts.claim("old", START + TTL + EVERY, LEASE) is Receipt.FIRST
        assert await receipts.claim("recent", START + TTL, LEASE) is Receipt.IN_HAND
    finally:
        loop.cancel()
        await asyncio.gather(loop, return_exceptions=True)


class FailingOnce(MemoryReceipts):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    async def purge(self, before: datetime) -> int:
        self.calls += 1
        if self.calls == 1:
            raise StorageError("tips database: could not forget old events: locked")
        return await super().purge(before)


async def test_a_failing_database_is_tried_again_next_time() -> None:
    clock = FakeClock(START)
    receipts = FailingOnce()
    loop = asyncio.create_task(purge_forever(receipts, clock))
    try:
        await clock.wait_for_sleeper()
        clock.advance(EVERY)
        await clock.wait_for_sleeper()
        assert receipts.calls == 2
        assert not loop.done()
    finally:
        loop.cancel()
        await asyncio.gather(loop, return_exceptions=True)
