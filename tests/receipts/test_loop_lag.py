"""While another connection holds SQLite's write lock, claims wait for it off the event
loop: a probe task sleeping in short steps is never late by more than 100 ms."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.receipts.ports import Receipt
from bot.receipts.stores import open_receipts

HOLD_SECONDS = 1.5  # how long the other connection keeps the write lock
STEP = 0.01  # the probe's sleep
LIMIT = 0.1  # the longest stall allowed
NOW = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)


async def probe(stop: asyncio.Event, late: list[float]) -> None:
    """Sleep ``STEP`` again and again; note how much later than asked each wake came."""
    while not stop.is_set():
        asked = time.perf_counter()
        await asyncio.sleep(STEP)
        late.append(time.perf_counter() - asked - STEP)


async def test_the_loop_keeps_running_while_another_connection_holds_the_write_lock(
    tmp_path: Path,
) -> None:
    path = tmp_path / "locked.db"
    receipts = await open_receipts(f"sqlite:///{path}")  # migrated, so the table exists
    other = sqlite3.connect(path, isolation_level=None)
    late: list[float] = []
    stop = asyncio.Event()
    probing = asyncio.create_task(probe(stop, late))
    try:
        other.execute("BEGIN IMMEDIATE")  # another writer (a cron `tips send-due`, a replica)
        held = time.perf_counter()
        claims = [
            asyncio.create_task(receipts.claim(f"event:Ev{n}", NOW, timedelta(seconds=30)))
            for n in range(5)
        ]
        await asyncio.sleep(HOLD_SECONDS)
        assert not any(claim.done() for claim in claims)  # they really waited for the lock
        other.execute("ROLLBACK")
        results = await asyncio.gather(*claims)
        waited = time.perf_counter() - held
    finally:
        stop.set()
        await probing
        other.close()
        await receipts.close()
    assert results == [Receipt.FIRST] * 5
    assert waited >= HOLD_SECONDS
    assert len(late) > HOLD_SECONDS / STEP / 4  # the probe ran all along
    print(f"\nloop lag while the lock was held: max {max(late) * 1000:.1f} ms over {len(late)}")
    assert max(late) < LIMIT
