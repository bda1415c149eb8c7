"""Opening the event receipts in the database DATABASE_URL names, beside the tips tables."""

from __future__ import annotations

from bot.receipts.sql import SqlReceipts
from bot.tips.stores import backend


async def open_receipts(url: str) -> SqlReceipts:
    """Open (and migrate) the database at ``url`` for receipts; ``StorageError`` on failure.

    A connection (SQLite) or pool (PostgreSQL) of its own: a claim on the path of every
    answer never queues behind the tip scheduler's batch of posts.
    """
    if backend(url) == "postgres":
        from bot.tips.postgres_store import PostgresDatabase

        return SqlReceipts(await PostgresDatabase.open(url.strip()))
    from bot.tips.sqlite_store import SqliteDatabase

    return SqlReceipts(await SqliteDatabase.open(url))
