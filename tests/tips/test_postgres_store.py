"""The PostgreSQL backend itself: migrations under an advisory lock, its index, its
transactions, and connections the server drops."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import psycopg
import pytest

from bot.errors import StorageError
from bot.tips.migrations import LATEST_VERSION, MIGRATIONS
from bot.tips.models import ClaimStatus, Deck
from bot.tips.ports import TipsStore
from bot.tips.postgres_store import MIGRATION_LOCK, PostgresStore, migrate, schema_version

from .conftest import POSTGRES_ONLY
from .test_store_contract import KEY, LEASE, NOW, post, subscription

pytestmark = POSTGRES_ONLY


@pytest.fixture
async def admin(db_url: str) -> AsyncIterator[psycopg.AsyncConnection[tuple[object, ...]]]:
    """A connection of the test's own to the store's database, as another process would have."""
    conn = await psycopg.AsyncConnection.connect(db_url, autocommit=True)
    yield conn
    await conn.close()


async def applied(conn: psycopg.AsyncConnection[tuple[object, ...]]) -> list[object]:
    cursor = await conn.execute("SELECT version FROM schema_migrations ORDER BY version")
    return [row[0] for row in await cursor.fetchall()]


async def test_replicas_starting_together_migrate_once(
    db_url: str, admin: psycopg.AsyncConnection[tuple[object, ...]]
) -> None:
    """Four bots opening a new database at the same moment: all start, each step ran once."""
    stores = await asyncio.gather(*(PostgresStore.open(db_url) for _ in range(4)))
    try:
        assert await applied(admin) == [m.version for m in MIGRATIONS]
        await stores[0].save(subscription())
        assert await stores[3].get(KEY) == subscription()
    finally:
        await asyncio.gather(*(store.close() for store in stores))


async def test_migrating_waits_for_the_advisory_lock(
    db_url: str, admin: psycopg.AsyncConnection[tuple[object, ...]]
) -> None:
    """While another process holds the migration lock, a start-up waits instead of racing."""
    async with admin.transaction():
        await admin.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        opening = asyncio.create_task(PostgresStore.open(db_url))
        await asyncio.sleep(0.3)
        assert not opening.done()
        assert await schema_version(admin) == 0
    store = await opening
    await store.close()
    assert await schema_version(admin) == LATEST_VERSION


async def test_an_older_database_is_upgraded_with_its_data(
    db_url: str, admin: psycopg.AsyncConnection[tuple[object, ...]]
) -> None:
    """A database left at schema 1 keeps its subscription and gains the decks and the index."""
    assert await migrate(admin, target=1) == 1
    await admin.execute(
        "INSERT INTO subscriptions (platform, channel, at, zone, days, next_fire, updated_at) "
        "VALUES ('discord', '42', '08:30', 'Europe/Berlin', 'weekdays', 1717396200, 1717390000)"
    )
    store = await PostgresStore.open(db_url)
    try:
        assert [s.key.channel for s in await store.all()] == ["42"]
    finally:
        await store.close()
    assert await applied(admin) == [m.version for m in MIGRATIONS]
    cursor = await admin.execute("SELECT to_regclass('subscriptions_due') IS NOT NULL")
    assert await cursor.fetchone() == (True,)


async def test_a_database_from_a_newer_release_is_refused(
    db_url: str, admin: psycopg.AsyncConnection[tuple[object, ...]]
) -> None:
    await migrate(admin)
    await admin.execute(
        "INSERT INTO schema_migrations (version, name) VALUES (%s, 'from the future')",
        (LATEST_VERSION + 1,),
    )
    with pytest.raises(StorageError, match="newer"):
        await PostgresStore.open(db_url)
    assert await schema_version(admin) == LATEST_VERSION + 1


async def test_a_failed_migration_leaves_the_database_as_it_was(
    db_url: str, admin: psycopg.AsyncConnection[tuple[object, ...]]
) -> None:
    """Migrations run in one transaction: if a step fails, nothing of the run is kept."""
    await migrate(admin, target=1)
    await admin.execute("CREATE TABLE decks (oops TEXT)")  # makes migration 2 fail
    with pytest.raises(StorageError, match="cannot prepare"):
        await PostgresStore.open(db_url)
    assert await applied(admin) == [1]
    cursor = await admin.execute("SELECT to_regclass('subscriptions_due') IS NULL")
    assert await cursor.fetchone() == (True,)


async def test_a_batch_of_due_subscriptions_is_one_index_range_scan(
    store: TipsStore, admin: psycopg.AsyncConnection[tuple[object, ...]]
) -> None:
    """The scheduler's batch query (every platform, after the last one read, in due order) is
    answered from the due walk's index in its order: no sort, no scan of every due row."""
    cursor = await admin.execute(
        "EXPLAIN SELECT * FROM subscriptions WHERE paused = 0 "
        "AND platform IN ('discord', 'slack') AND next_fire <= 9 AND next_fire >= 1 "
        "AND (next_fire, platform, channel) > (1, 'slack', 'C1') "
        "ORDER BY next_fire, platform, channel LIMIT 200"
    )
    plan = " ".join(str(row[0]) for row in await cursor.fetchall())
    assert "Index Scan using subscriptions_due_walk" in plan
    assert "Sort" not in plan


async def test_a_claim_that_fails_half_way_is_rolled_back_deck_and_all(
    store: TipsStore, admin: psycopg.AsyncConnection[tuple[object, ...]]
) -> None:
    """The deck write and the post row go together: when the insert fails, neither is kept,
    and the pool's connection is fine for the next claim."""
    await admin.execute(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'no posts today'; END $$"
    )
    await admin.execute(
        "CREATE TRIGGER no_posts BEFORE INSERT ON posts FOR EACH ROW EXECUTE FUNCTION refuse()"
    )
    with pytest.raises(StorageError, match="claim a post: no posts today"):
        await store.claim(post(), Deck(("tip-01",), 1), NOW, LEASE, 5)
    await admin.execute("DROP TRIGGER no_posts ON posts")
    assert await store.load_deck(KEY) is None  # the deck write was rolled back too
    claim = await store.claim(post(), Deck(("tip-01",), 1), NOW, LEASE, 5)
    assert claim.status is ClaimStatus.CLAIMED


async def test_connections_the_server_dropped_are_replaced(
    store: TipsStore, admin: psycopg.AsyncConnection[tuple[object, ...]]
) -> None:
    """After the server ends the store's connections (a restart, a failover), the next calls
    get new ones: no error reaches the scheduler or a user."""
    await store.save(subscription())
    await admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name = current_setting('application_name') "
        "AND pid <> pg_backend_pid()"
    )
    assert await store.ready() is None
    assert await store.get(KEY) == subscription()
