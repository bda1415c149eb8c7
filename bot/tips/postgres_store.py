"""The PostgreSQL backend of the tips store (``DATABASE_URL=postgresql://...``), for replicas.

psycopg 3, async, through a small connection pool (psycopg_pool): the event loop never waits
on the network, a connection the server dropped is replaced on the next call, and a command
answering a user needn't queue behind the scheduler's batch. The schema is migrated at
start-up, in one transaction under an advisory lock, so replicas starting together migrate
once: the others wait for the lock, then find the schema current.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from functools import cache
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

from bot.errors import StorageError
from bot.tips.migrations import LATEST_VERSION, MIGRATIONS, too_new
from bot.tips.sql_database import READY_TIMEOUT_SECONDS
from bot.tips.sql_store import SqlStore

# Connections per process: the scheduler's claims plus a few commands at once.
POOL_SIZE = 5
# How long a call waits for a free connection (or a new one), like SQLite's busy timeout.
CONNECT_TIMEOUT_SECONDS = 5.0
# The advisory lock taken while migrating: any fixed number, ours alone ("mlcareer").
MIGRATION_LOCK = 0x6D6C636172656572


@cache
def _dialect(sql: str) -> str:
    """Our ``?`` placeholders as psycopg's ``%s`` (the shared SQL has no other ``%``/``?``)."""
    return sql.replace("?", "%s")


def _cannot(what: str, exc: Exception) -> StorageError:
    """A start-up failure in the server's words (libpq's messages never include a password)."""
    return StorageError(f"cannot {what} the tips database at DATABASE_URL (PostgreSQL): {exc}")


@contextmanager
def _translated(action: str) -> Iterator[None]:
    """Turn psycopg errors into ``StorageError`` naming what we were doing."""
    try:
        yield
    except psycopg.Error as exc:
        raise StorageError(f"tips database: could not {action}: {exc}") from exc


class _PostgresSession:
    """``Session`` on one pooled connection."""

    def __init__(self, conn: psycopg.AsyncConnection[tuple[Any, ...]]) -> None:
        self._conn = conn

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = await self._conn.execute(_dialect(sql), params)
        return await cursor.fetchall()

    async def fetch_one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        cursor = await self._conn.execute(_dialect(sql), params)
        return await cursor.fetchone()

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        cursor = await self._conn.execute(_dialect(sql), params)
        return cursor.rowcount


class PostgresDatabase:
    """A ``Database`` on a pool of autocommit connections."""

    lock_rows = " FOR UPDATE"

    def __init__(self, pool: AsyncConnectionPool[psycopg.AsyncConnection[tuple[Any, ...]]]):
        self._pool = pool

    @classmethod
    async def open(cls, url: str) -> PostgresDatabase:
        """Connect, migrate, then open the pool; ``StorageError`` when the server says no.

        The first connection is made directly, not by the pool, so that a wrong host or
        password fails the start at once with the server's own words.
        """
        try:
            conn = await psycopg.AsyncConnection.connect(
                url, autocommit=True, connect_timeout=int(CONNECT_TIMEOUT_SECONDS)
            )
        except psycopg.Error as exc:
            raise _cannot("connect to", exc) from exc
        try:
            await migrate(conn)
        except psycopg.Error as exc:
            raise _cannot("prepare", exc) from exc
        finally:
            await conn.close()
        pool: AsyncConnectionPool[psycopg.AsyncConnection[tuple[Any, ...]]] = AsyncConnectionPool(
            url,
            min_size=1,
            max_size=POOL_SIZE,
            kwargs={"autocommit": True},
            check=AsyncConnectionPool.check_connection,
            timeout=CONNECT_TIMEOUT_SECONDS,
            name="mlcareer-tips",
            open=False,
        )
        try:
            await pool.open(wait=True, timeout=CONNECT_TIMEOUT_SECONDS)
        except psycopg.Error as exc:
            await pool.close()
            raise _cannot("connect to", exc) from exc
        return cls(pool)

    @asynccontextmanager
    async def session(self, action: str) -> AsyncIterator[_PostgresSession]:
        with _translated(action):
            async with self._pool.connection() as conn:
                yield _PostgresSession(conn)

    @asynccontextmanager
    async def transaction(self, action: str) -> AsyncIterator[_PostgresSession]:
        with _translated(action):
            async with self._pool.connection() as conn, conn.transaction():
                yield _PostgresSession(conn)

    async def ready(self) -> str | None:
        try:
            async with (
                asyncio.timeout(READY_TIMEOUT_SECONDS),
                self.session("check the database") as session,
            ):
                await session.fetch_one("SELECT 1 FROM subscriptions LIMIT 1")
        except TimeoutError:
            return f"tips database (PostgreSQL): no answer within {READY_TIMEOUT_SECONDS:g} s"
        except StorageError as exc:
            return str(exc)
        return None

    async def close(self) -> None:
        await self._pool.close()


async def schema_version(conn: psycopg.AsyncConnection[Any]) -> int:
    """The highest migration applied to the database (0 when it has none)."""
    cursor = await conn.execute(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"
        if await _has_migrations_table(conn)
        else "SELECT 0"
    )
    row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def _has_migrations_table(conn: psycopg.AsyncConnection[Any]) -> bool:
    cursor = await conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL")
    row = await cursor.fetchone()
    return bool(row and row[0])


async def migrate(conn: psycopg.AsyncConnection[Any], target: int = LATEST_VERSION) -> int:
    """Apply every migration above the database's version up to ``target``; return the version.

    One transaction (PostgreSQL's DDL is transactional, so a failed step leaves the database
    as it was) that first takes an advisory lock, so concurrent start-ups run it one at a time.
    ``conn`` must be in autocommit mode.
    """
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        current = await schema_version(conn)
        if current > LATEST_VERSION:
            raise too_new(current)
        for migration in MIGRATIONS:
            if current < migration.version <= target:
                for statement in migration.postgres:
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                    (migration.version, migration.name),
                )
                current = migration.version
    return current


class PostgresStore(SqlStore):
    """Subscriptions, decks and the posts ledger in PostgreSQL, shared by any number of bots."""

    @classmethod
    async def open(cls, url: str) -> PostgresStore:
        """Connect to ``url`` (a ``postgresql://`` DATABASE_URL) and migrate the schema."""
        return cls(await PostgresDatabase.open(url))
