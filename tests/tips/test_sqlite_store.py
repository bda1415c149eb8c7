"""The SQLite backend itself: its index, its transactions, and an event loop that never waits
for the file's write lock."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.errors import StorageError
from bot.tips.models import ClaimStatus, Deck
from bot.tips.ports import TipsStore
from bot.tips.sqlite_store import SqliteStore

from .conftest import SQLITE_ONLY
from .test_store_contract import KEY, LEASE, NOW, post, subscription

# How long the other connection holds the write lock in the loop-lag probe.
HOLD_SECONDS = 0.5


async def test_the_due_query_uses_the_due_index(tmp_path: Path, sqlite_url: str) -> None:
    """The due query is an index range scan, not a table scan (what keeps it fast at scale)."""
    await (await SqliteStore.open(sqlite_url)).close()
    conn = sqlite3.connect(tmp_path / "tips.db")
    plan = " ".join(
        str(row[-1])
        for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM subscriptions "
            "WHERE paused = 0 AND next_fire <= 1 AND platform IN ('slack') ORDER BY next_fire"
        )
    )
    conn.close()
    assert "subscriptions_due" in plan


@SQLITE_ONLY
async def test_a_claim_that_fails_half_way_is_rolled_back_deck_and_all(
    store: TipsStore, tmp_path: Path
) -> None:
    """The deck write and the post row go together: when the insert fails, neither is kept,
    and the connection is ready for the next claim."""
    other = sqlite3.connect(tmp_path / "tips.db", isolation_level=None)
    other.execute(
        "CREATE TRIGGER no_posts BEFORE INSERT ON posts BEGIN SELECT RAISE(ABORT, 'x'); END"
    )
    with pytest.raises(StorageError, match="claim a post"):
        await store.claim(post(), Deck(("tip-01",), 1), NOW, LEASE, 5)
    other.execute("DROP TRIGGER no_posts")
    other.close()
    assert await store.load_deck(KEY) is None  # the deck write was rolled back too
    claim = await store.claim(post(), Deck(("tip-01",), 1), NOW, LEASE, 5)
    assert claim.status is ClaimStatus.CLAIMED


def hold_write_lock(path: Path, locked: threading.Event) -> None:
    """What ``tips send-due`` from cron does to a bot sharing its file: take the write lock
    on a connection of its own, and keep it a while."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        locked.set()
        time.sleep(HOLD_SECONDS)
        conn.execute("ROLLBACK")
    finally:
        conn.close()


async def save(store: TipsStore) -> None:
    await store.save(subscription())


async def claim(store: TipsStore) -> None:
    assert (await store.claim(post(), Deck(("tip-01",), 1), NOW, LEASE, 5)).status is (
        ClaimStatus.CLAIMED
    )


@SQLITE_ONLY
@pytest.mark.parametrize("call", [save, claim], ids=["save", "claim"])
async def test_a_write_waiting_for_another_connections_lock_never_stalls_the_loop(
    store: TipsStore, tmp_path: Path, call: Callable[[TipsStore], Awaitable[None]]
) -> None:
    """While another connection holds the write lock, a write waits for it (SQLite's busy
    timeout) on the store's own thread: the event loop keeps running, never late by 100 ms."""
    locked = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(tmp_path / "tips.db", locked))
    holder.start()
    try:
        await asyncio.to_thread(locked.wait, 5)
        lags: list[float] = []

        async def probe() -> None:
            while True:
                before = time.perf_counter()
                await asyncio.sleep(0.01)
                lags.append(time.perf_counter() - before - 0.01)

        probing = asyncio.create_task(probe())
        began = time.perf_counter()
        await call(store)
        waited = time.perf_counter() - began
        probing.cancel()
    finally:
        await asyncio.to_thread(holder.join, 10)
    assert waited > HOLD_SECONDS * 0.8  # the write really waited for the other connection
    assert len(lags) > 10
    assert max(lags) < 0.1


@SQLITE_ONLY
async def test_a_claim_cancelled_while_waiting_for_the_lock_leaves_no_transaction_open(
    store: TipsStore, tmp_path: Path
) -> None:
    """A claim cancelled (the bot stopping) while it waits for another connection's write lock
    must not open its transaction later and keep the lock: the file stays writable for all."""
    other = sqlite3.connect(tmp_path / "tips.db", isolation_level=None, timeout=0.5)
    other.execute("BEGIN IMMEDIATE")
    claiming = asyncio.create_task(store.claim(post(), Deck(("tip-01",), 1), NOW, LEASE, 5))
    await asyncio.sleep(0.1)  # the claim now waits for the lock on the store's thread
    claiming.cancel()
    other.execute("ROLLBACK")  # the claim's BEGIN gets the lock now, then is rolled back
    with pytest.raises(asyncio.CancelledError):
        await claiming
    await store.save(subscription())
    other.execute("BEGIN IMMEDIATE")  # "database is locked" if the store still held it
    other.execute("ROLLBACK")
    other.close()
    assert await store.get(KEY) == subscription()
    assert await store.load_deck(KEY) is None
