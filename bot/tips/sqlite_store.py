"""The SQLite backend of the tips store: one connection, on a thread of its own.

sqlite3 calls block: a write waits up to the busy timeout (5 s) when another process, such as
``mlcareer tips send-due`` from cron, holds the write lock. So every call runs on a worker
thread dedicated to the connection (sqlite3 releases the GIL while it works and waits), and
the event loop keeps serving meanwhile. An ``asyncio.Lock`` keeps one task's transaction from
interleaving with another task's statements on the shared connection.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from functools import partial
from typing import Any, TypeVar

from bot.errors import StorageError
from bot.tips.database import BUSY_TIMEOUT_SECONDS, open_database
from bot.tips.sql_database import READY_TIMEOUT_SECONDS
from bot.tips.sql_store import SqlStore

T = TypeVar("T")


@contextmanager
def _translated(action: str) -> Iterator[None]:
    """Turn sqlite3 errors into ``StorageError`` naming what we were doing."""
    try:
        yield
    except sqlite3.Error as exc:
        raise StorageError(f"tips database: could not {action}: {exc}") from exc


class _Worker:
    """The connection's own thread: every call on the connection runs there, in order."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mlcareer-sqlite")
        self._stopped = False

    async def run(self, call: Callable[[], T]) -> T:
        if self._stopped:  # as sqlite3 says of a closed connection, so callers see one error
            raise sqlite3.ProgrammingError("Cannot operate on a closed database.")
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)

    def stop(self) -> None:
        self._stopped = True
        self._pool.shutdown(wait=False)


class _SqliteSession:
    """``Session`` on the connection, each statement a call on the worker thread."""

    def __init__(self, conn: sqlite3.Connection, worker: _Worker) -> None:
        self._conn = conn
        self._worker = worker

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return await self._worker.run(lambda: self._conn.execute(sql, params).fetchall())

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = await self._worker.run(
            lambda: self._conn.execute(sql, params).fetchone()
        )
        return row

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return await self._worker.run(lambda: self._conn.execute(sql, params).rowcount)

    async def rollback(self) -> None:
        """Close the open transaction, if any, so the connection is usable for the next call."""

        def rollback() -> None:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")

        await self._worker.run(rollback)


class SqliteDatabase:
    """A ``Database`` on one SQLite connection (autocommit mode) and its worker thread."""

    lock_rows = ""  # BEGIN IMMEDIATE has taken the write lock for the whole file

    def __init__(self, conn: sqlite3.Connection, worker: _Worker) -> None:
        self._conn = conn
        self._worker = worker
        self._session = _SqliteSession(conn, worker)
        self._lock = asyncio.Lock()

    @classmethod
    async def open(cls, url: str, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> SqliteDatabase:
        """Open and migrate the database at ``url`` (a ``sqlite:///`` URL) on a new worker."""
        worker = _Worker()
        try:
            conn = await worker.run(partial(open_database, url, busy_timeout=busy_timeout))
        except BaseException:
            worker.stop()
            raise
        return cls(conn, worker)

    @asynccontextmanager
    async def session(self, action: str) -> AsyncIterator[_SqliteSession]:
        async with self._lock:
            with _translated(action):
                yield self._session

    @asynccontextmanager
    async def transaction(self, action: str) -> AsyncIterator[_SqliteSession]:
        """``BEGIN IMMEDIATE`` takes the write lock up front, so reads inside stay true.

        Whatever goes wrong, even the COMMIT, or the caller being cancelled, the transaction
        is closed, so the connection stays usable for the next call.
        """
        async with self._lock:
            with _translated(action):
                # BEGIN is inside the try: a caller cancelled while it waits for the lock must
                # not leave the transaction to open later, with nobody to close it. The worker
                # runs calls in order, so the rollback always comes after the BEGIN.
                try:
                    await self._session.execute("BEGIN IMMEDIATE")
                    yield self._session
                    await self._session.execute("COMMIT")
                except BaseException:
                    await self._session.rollback()
                    raise

    async def ready(self) -> str | None:
        try:
            async with asyncio.timeout(READY_TIMEOUT_SECONDS), self.session("check the database"):
                await self._session.fetch_one("SELECT 1 FROM subscriptions LIMIT 1")
        except TimeoutError:
            return f"tips database (SQLite): no answer within {READY_TIMEOUT_SECONDS:g} s"
        except StorageError as exc:
            return str(exc)
        return None

    async def close(self) -> None:
        async with self._lock:
            await self._worker.run(self._conn.close)
        self._worker.stop()


class SqliteStore(SqlStore):
    """Subscriptions, decks and the posts ledger in one SQLite file (the embedded default)."""

    @classmethod
    async def open(cls, url: str, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> SqliteStore:
        """Open the database at ``url`` (a ``sqlite:///`` DATABASE_URL), migrating it.

        ``busy_timeout`` is how many seconds a write waits for another connection's lock.
        """
        return cls(await SqliteDatabase.open(url, busy_timeout=busy_timeout))
