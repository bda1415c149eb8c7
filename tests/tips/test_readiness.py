"""The tips store's ``Readiness`` (``/readyz``'s database check), on every backend: ready
while the database answers, and saying why not when it doesn't."""

from __future__ import annotations

from bot.core.ports import Readiness
from bot.tips.sqlite_store import SqliteStore
from bot.tips.stores import open_store


async def test_an_open_store_is_ready(db_url: str) -> None:
    store = await open_store(db_url)
    try:
        checked: Readiness = store
        assert await checked.ready() is None
    finally:
        await store.close()


async def test_a_closed_store_says_why_it_is_not_ready(db_url: str) -> None:
    store = await open_store(db_url)
    await store.close()
    problem = await store.ready()
    assert problem is not None
    assert problem.startswith("tips database")


async def test_sqlite_whose_tables_are_gone_is_not_ready(sqlite_url: str) -> None:
    store = await SqliteStore.open(sqlite_url)
    try:
        async with store._db.session("drop the table") as session:
            await session.execute("DROP TABLE subscriptions", ())
        problem = await store.ready()
        assert problem is not None
        assert "no such table: subscriptions" in problem
    finally:
        await store.close()
