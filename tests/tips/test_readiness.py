"""The tips store's ``Readiness`` (``/readyz``'s database check): one contract for every
store implementation; add a factory to ``STORES`` for a new one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.core.ports import Readiness
from bot.tips.sqlite_store import SqliteStore

Opened = tuple[Readiness, Callable[[], None]]  # the store, and how to close it


def sqlite(tmp_path: Path) -> Opened:
    store = SqliteStore.open(f"sqlite:///{tmp_path / 'tips.db'}")
    return store, store.close


STORES = {"sqlite": sqlite}


@pytest.fixture(params=sorted(STORES))
def opened(request: pytest.FixtureRequest, tmp_path: Path) -> Opened:
    return STORES[request.param](tmp_path)


async def test_an_open_store_is_ready(opened: Opened) -> None:
    store, close = opened
    try:
        assert await store.ready() is None
    finally:
        close()


async def test_a_store_that_cannot_be_read_says_why(opened: Opened) -> None:
    store, close = opened
    close()
    problem = await store.ready()
    assert problem is not None
    assert problem.startswith("tips database: ")


async def test_sqlite_whose_tables_are_gone_is_not_ready(tmp_path: Path) -> None:
    store = SqliteStore.open(f"sqlite:///{tmp_path / 'tips.db'}")
    try:
        store._conn.execute("DROP TABLE subscriptions")
        assert await store.ready() == "tips database: no such table: subscriptions"
    finally:
        store.close()
