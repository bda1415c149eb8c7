"""The event receipts contract, on every implementation: in memory, SQLite and PostgreSQL.

The SQL ones run on each backend of the ``db_url`` fixture; concurrent claims come from
separate connections, as they would from separate replicas.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.receipts.memory import MemoryReceipts
from bot.receipts.ports import EventReceipts, Receipt
from bot.receipts.sql import SqlReceipts
from bot.receipts.stores import open_receipts
from tests.postgres import PostgresServer

NOW = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
async def receipts(request: pytest.FixtureRequest, sqlite_url: str) -> AsyncIterator[EventReceipts]:
    if request.param == "memory":
        yield MemoryReceipts()
        return
    with contextlib.ExitStack() as stack:
        url = sqlite_url
        if request.param == "postgres":
            server: PostgresServer = request.getfixturevalue("postgres_server")
            url = stack.enter_context(server.database())
        store = await open_receipts(url)
        try:
            yield store
        finally:
            await store.close()


async def test_the_first_claim_wins_and_a_second_finds_it_in_hand(
    receipts: EventReceipts,
) -> None:
    assert await receipts.claim("event:Ev1", NOW, LEASE) is Receipt.FIRST
    assert await receipts.claim("event:Ev1", NOW + timedelta(seconds=1), LEASE) is Receipt.IN_HAND
    assert await receipts.claim("event:Ev2", NOW, LEASE) is Receipt.FIRST


async def test_a_finished_event_is_done_for_good(receipts: EventReceipts) -> None:
    await receipts.claim("event:Ev1", NOW, LEASE)
    await receipts.finish("event:Ev1")
    assert await receipts.claim("event:Ev1", NOW, LEASE) is Receipt.DONE
    # Even long after the lease: an answered event is never answered again.
    assert await receipts.claim("event:Ev1", NOW + timedelta(minutes=30), LEASE) is Receipt.DONE


async def test_a_claim_whose_holder_died_is_taken_over_after_its_lease(
    receipts: EventReceipts,
) -> None:
    """The holder was killed before answering: the next delivery after the lease answers."""
    await receipts.claim("event:Ev1", NOW, LEASE)
    just_before = NOW + LEASE - timedelta(milliseconds=1)
    assert await receipts.claim("event:Ev1", just_before, LEASE) is Receipt.IN_HAND
    assert await receipts.claim("event:Ev1", NOW + LEASE, LEASE) is Receipt.FIRST
    # The new holder has a lease of its own.
    assert await receipts.claim("event:Ev1", NOW + LEASE, LEASE) is Receipt.IN_HAND
    assert await receipts.claim("event:Ev1", NOW + 2 * LEASE, LEASE) is Receipt.FIRST


async def test_finishing_an_unknown_key_changes_nothing(receipts: EventReceipts) -> None:
    await receipts.finish("event:never")
    assert await receipts.claim("event:never", NOW, LEASE) is Receipt.FIRST


async def test_purge_forgets_receipts_first_seen_before_the_moment(
    receipts: EventReceipts,
) -> None:
    await receipts.claim("old", NOW, LEASE)
    await receipts.finish("old")
    await receipts.claim("stale-claim", NOW + timedelta(minutes=1), LEASE)
    await receipts.claim("new", NOW + timedelta(minutes=10), LEASE)
    assert await receipts.purge(NOW + timedelta(minutes=5)) == 2
    assert await receipts.purge(NOW + timedelta(minutes=5)) == 0
    # Forgotten keys are new again; the kept one is still claimed.
    assert await receipts.claim("old", NOW + timedelta(minutes=10), LEASE) is Receipt.FIRST
    assert await receipts.claim("new", NOW + timedelta(minutes=10), LEASE) is Receipt.IN_HAND


async def test_a_takeover_keeps_the_first_sighting_for_purging(receipts: EventReceipts) -> None:
    """A retaken claim still ages from when the event was first seen."""
    await receipts.claim("k", NOW, LEASE)
    await receipts.claim("k", NOW + LEASE, LEASE)
    assert await receipts.purge(NOW + timedelta(seconds=1)) == 1


async def test_of_many_concurrent_claimers_exactly_one_wins(db_url: str) -> None:
    """Five replicas (five connections) claim the same keys at once: one FIRST per key."""
    stores = [await open_receipts(db_url) for _ in range(5)]
    try:
        keys = [f"event:Ev{n}" for n in range(20)]
        results = await asyncio.gather(
            *(store.claim(key, NOW, LEASE) for key in keys for store in stores)
        )
        firsts = [result for result in results if result is Receipt.FIRST]
        assert len(firsts) == len(keys)
        assert set(results) <= {Receipt.FIRST, Receipt.IN_HAND}
    finally:
        for store in stores:
            await store.close()


async def test_receipts_survive_reopening_the_database(db_url: str) -> None:
    """A restarted replica (a new connection) still knows what was answered."""
    first = await open_receipts(db_url)
    await first.claim("event:Ev1", NOW, LEASE)
    await first.finish("event:Ev1")
    await first.close()
    again: SqlReceipts = await open_receipts(db_url)
    try:
        assert await again.claim("event:Ev1", NOW, LEASE) is Receipt.DONE
        assert await again.ready() is None
    finally:
        await again.close()
