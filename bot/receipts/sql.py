"""``SqlReceipts``: event receipts in the shared database (SQLite or PostgreSQL).

One table, ``event_receipts`` (migration 4). A claim is one atomic statement, an insert that
on conflict takes over only a claim whose lease has run out; both backends serialise it (the
SQLite file's write lock, PostgreSQL's row lock on the key), so of any number of replicas
claiming one key at once exactly one gets ``FIRST``. Times are milliseconds since the epoch:
leases are seconds long, and whole seconds would round them by up to one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.receipts.ports import Receipt
from bot.tips.sql_database import Database

_CLAIM = (
    "INSERT INTO event_receipts (key, state, seen_at, lease_until) VALUES (?, 'claimed', ?, ?) "
    "ON CONFLICT (key) DO UPDATE SET lease_until = excluded.lease_until "
    "WHERE event_receipts.state = 'claimed' AND event_receipts.lease_until <= ?"
)


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class SqlReceipts:
    """``EventReceipts`` on a ``Database``; ``StorageError`` when the database fails."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def claim(self, key: str, now: datetime, lease: timedelta) -> Receipt:
        at = _millis(now)
        async with self._db.session("claim an event") as session:
            if await session.execute(_CLAIM, (key, at, _millis(now + lease), at)):
                return Receipt.FIRST
            # Only redeliveries get here: one more read, to tell answered from in hand.
            row = await session.fetch_one("SELECT state FROM event_receipts WHERE key = ?", (key,))
        return Receipt.DONE if row is not None and row[0] == "done" else Receipt.IN_HAND

    async def finish(self, key: str) -> None:
        async with self._db.session("mark an event answered") as session:
            await session.execute("UPDATE event_receipts SET state = 'done' WHERE key = ?", (key,))

    async def purge(self, before: datetime) -> int:
        async with self._db.session("forget old events") as session:
            return await session.execute(
                "DELETE FROM event_receipts WHERE seen_at < ?", (_millis(before),)
            )

    async def ready(self) -> str | None:
        return await self._db.ready()

    async def close(self) -> None:
        await self._db.close()
