"""Schema migrations run at start-up, upgrade an existing file in place, and refuse the future."""

from __future__ import annotations

import sqlite3
from datetime import date, time
from pathlib import Path

import pytest

from bot.errors import StorageError
from bot.tips.migrations import LATEST_VERSION, MIGRATIONS, migrate, schema_version
from bot.tips.models import ChannelKey, Days
from bot.tips.sqlite_store import SqliteStore


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_versions_increase_from_one() -> None:
    """Migration numbers start at 1 and only increase, so none is applied twice (gaps are
    fine: helpers own numbers in parallel branches, and every version above the current one
    is applied)."""
    versions = [m.version for m in MIGRATIONS]
    assert versions[0] == 1
    assert versions == sorted(set(versions))


async def test_an_existing_version_1_file_is_upgraded_with_its_data(tmp_path: Path) -> None:
    """A database left at schema 1 by an older release keeps its subscription and gains decks."""
    path = tmp_path / "old.db"
    conn = connect(path)
    assert migrate(conn, target=1) == 1
    conn.execute(
        "INSERT INTO subscriptions (platform, channel, at, zone, days, next_fire, updated_at) "
        "VALUES ('discord', '42', '08:30', 'Europe/Berlin', 'weekdays', 1717396200, 1717390000)"
    )
    conn.execute(
        "INSERT INTO posts (platform, channel, day, tip_id, scheduled, status, attempts) "
        "VALUES ('discord', '42', '2024-06-03', 'tip-01', 1717396200, 'sent', 1)"
    )
    conn.close()

    store = await SqliteStore.open(f"sqlite:///{path}")
    try:
        key = ChannelKey("discord", "42")
        subscription = await store.get(key)
        assert subscription is not None
        assert (subscription.at, subscription.zone, subscription.days) == (
            time(8, 30),
            "Europe/Berlin",
            Days.WEEKDAYS,
        )
        assert await store.load_deck(key) is None  # the new table exists and is empty
    finally:
        await store.close()
    check = connect(path)
    assert schema_version(check) == LATEST_VERSION
    indexes = {row[1] for row in check.execute("PRAGMA index_list(subscriptions)")}
    assert "subscriptions_due" in indexes
    ledger = check.execute("SELECT day, status FROM posts").fetchall()
    assert ledger == [(date(2024, 6, 3).isoformat(), "sent")]
    check.close()


def test_a_database_from_a_newer_release_is_refused(tmp_path: Path) -> None:
    """A file migrated by a newer mlcareer is left untouched and the error says to upgrade."""
    path = tmp_path / "future.db"
    conn = connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(StorageError, match="newer"):
        migrate(conn)
    assert schema_version(conn) == LATEST_VERSION + 1
    conn.close()


def test_a_failed_migration_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    """Migrations run in one transaction: if a step fails, nothing of the run is kept."""
    path = tmp_path / "clash.db"
    conn = connect(path)
    migrate(conn, target=1)
    conn.execute("CREATE TABLE decks (oops TEXT)")  # makes migration 2 fail
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn)
    assert schema_version(conn) == 1
    indexes = {row[1] for row in conn.execute("PRAGMA index_list(subscriptions)")}
    assert "subscriptions_due" not in indexes
    conn.close()
