"""The seam between ``SqlStore``'s queries and a database driver: sessions and transactions.

SQLite (``bot.tips.sqlite_store``) runs each statement on a thread of its own, PostgreSQL
(``bot.tips.postgres_store``) on an async connection pool; the store above sees neither.
Every driver error leaves a session as a ``StorageError`` naming the action.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

# How long ``ready`` waits for the database to answer before calling it unavailable.
READY_TIMEOUT_SECONDS = 2.0


class Session(Protocol):
    """Statements on one connection, with ``?`` placeholders."""

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Every row the query returns."""
        ...

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        """The query's first row, or None."""
        ...

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run a write statement; how many rows it changed."""
        ...


class Database(Protocol):
    """Where a ``SqlStore`` runs its statements."""

    # Appended to the SELECT that a transaction reads before it writes: " FOR UPDATE" where
    # the backend locks rows (PostgreSQL), "" where the transaction already locks the file.
    lock_rows: str

    def session(self, action: str) -> AbstractAsyncContextManager[Session]:
        """A connection for single statements, each committed on its own."""
        ...

    def transaction(self, action: str) -> AbstractAsyncContextManager[Session]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        ...

    async def ready(self) -> str | None:
        """None when a query is answered within ``READY_TIMEOUT_SECONDS``; else the problem."""
        ...

    async def close(self) -> None:
        """Release the connections."""
        ...
