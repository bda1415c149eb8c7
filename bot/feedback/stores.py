"""Opening the votes store in the database DATABASE_URL names (SQLite or PostgreSQL)."""

from __future__ import annotations

from bot.feedback.sql_store import SqlVoteStore
from bot.tips.stores import backend


async def open_vote_store(url: str) -> SqlVoteStore:
    """Open (and migrate) the database at ``url`` for votes; ``StorageError`` when that fails.

    The votes live in the same database as the tips (one schema, one migration list); a
    caller that already holds the tips ``Database`` can share it with ``SqlVoteStore``.
    """
    if backend(url) == "postgres":
        from bot.tips.postgres_store import PostgresDatabase

        return SqlVoteStore(await PostgresDatabase.open(url.strip()))
    from bot.tips.sqlite_store import SqliteDatabase

    return SqlVoteStore(await SqliteDatabase.open(url))
