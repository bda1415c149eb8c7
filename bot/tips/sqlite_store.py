"""The SQLite implementation of the daily-tips storage ports.

The calls are synchronous sqlite3 on the event loop, on purpose: each method runs one or two
short statements against a local, indexed file (finding the due channels among 10,000 takes
a fraction of a millisecond, see ``benchmarks/tips_due.py``), which costs less than handing
the work to a thread would. Waiting on another process's write lock is bounded by the busy
timeout, and every write transaction here lasts well under a millisecond.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from typing import Any

from bot.errors import StorageError
from bot.tips.database import open_database
from bot.tips.models import (
    ChannelKey,
    Claim,
    ClaimStatus,
    Days,
    Deck,
    PlannedPost,
    Subscription,
)

_SUBSCRIPTION_COLUMNS = (
    "platform, channel, at, zone, days, next_fire, paused, pause_reason, updated_by, updated_at"
)


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _subscription(row: tuple[Any, ...]) -> Subscription:
    platform, channel, at, zone, days, next_fire, paused, reason, by, updated = row
    return Subscription(
        key=ChannelKey(platform, channel),
        at=time.fromisoformat(at),
        zone=zone,
        days=Days(days),
        next_fire=_moment(next_fire),
        paused=bool(paused),
        pause_reason=reason,
        updated_by=by,
        updated_at=_moment(updated),
    )


class SqliteStore:
    """Subscriptions, decks and the posts ledger in one SQLite database."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @classmethod
    def open(cls, url: str) -> SqliteStore:
        """Open the database at ``url`` (a ``sqlite:///`` DATABASE_URL), migrating it."""
        return cls(open_database(url))

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def _guard(self, action: str) -> Iterator[sqlite3.Connection]:
        """Translate sqlite3 errors into ``StorageError`` naming what we were doing."""
        try:
            yield self._conn
        except sqlite3.Error as exc:
            raise StorageError(f"tips database: could not {action}: {exc}") from exc

    @contextmanager
    def _transaction(self, action: str) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock up front so reads inside it stay true."""
        with self._guard(action) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # --- SubscriptionStore ---

    async def get(self, key: ChannelKey) -> Subscription | None:
        with self._guard("read a subscription") as conn:
            row = conn.execute(
                f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions "
                "WHERE platform = ? AND channel = ?",
                (key.platform, key.channel),
            ).fetchone()
        return None if row is None else _subscription(row)

    async def save(self, subscription: Subscription) -> None:
        sub = subscription
        with self._guard("save a subscription") as conn:
            conn.execute(
                f"INSERT INTO subscriptions ({_SUBSCRIPTION_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (platform, channel) DO UPDATE SET at = excluded.at, "
                "zone = excluded.zone, days = excluded.days, next_fire = excluded.next_fire, "
                "paused = excluded.paused, pause_reason = excluded.pause_reason, "
                "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                (
                    sub.key.platform,
                    sub.key.channel,
                    sub.at.strftime("%H:%M"),
                    sub.zone,
                    sub.days.value,
                    _seconds(sub.next_fire),
                    int(sub.paused),
                    sub.pause_reason,
                    sub.updated_by,
                    _seconds(sub.updated_at),
                ),
            )

    async def delete(self, key: ChannelKey) -> bool:
        with self._guard("delete a subscription") as conn:
            cursor = conn.execute(
                "DELETE FROM subscriptions WHERE platform = ? AND channel = ?",
                (key.platform, key.channel),
            )
        return cursor.rowcount > 0

    async def all(self) -> list[Subscription]:
        with self._guard("list subscriptions") as conn:
            rows = conn.execute(
                f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions ORDER BY platform, channel"
            ).fetchall()
        return [_subscription(row) for row in rows]

    # --- DueQueue ---

    async def due(self, now: datetime, platforms: Collection[str]) -> list[Subscription]:
        names = sorted(set(platforms))
        if not names:
            return []
        marks = ", ".join("?" for _ in names)
        with self._guard("find due subscriptions") as conn:
            rows = conn.execute(
                f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions "
                f"WHERE paused = 0 AND next_fire <= ? AND platform IN ({marks}) "
                "ORDER BY next_fire",
                (_seconds(now), *names),
            ).fetchall()
        return [_subscription(row) for row in rows]

    async def next_fire_after(self, now: datetime, platforms: Collection[str]) -> datetime | None:
        found: list[int] = []
        with self._guard("find the next fire time") as conn:
            for name in sorted(set(platforms)):
                # ORDER BY ... LIMIT 1 is a single index seek per platform.
                row = conn.execute(
                    "SELECT next_fire FROM subscriptions "
                    "WHERE paused = 0 AND platform = ? AND next_fire > ? "
                    "ORDER BY next_fire LIMIT 1",
                    (name, _seconds(now)),
                ).fetchone()
                if row is not None:
                    found.append(row[0])
        return _moment(min(found)) if found else None

    async def advance(self, key: ChannelKey, seen: datetime, next_fire: datetime) -> bool:
        with self._guard("advance a subscription") as conn:
            cursor = conn.execute(
                "UPDATE subscriptions SET next_fire = ? "
                "WHERE platform = ? AND channel = ? AND next_fire = ? AND paused = 0",
                (_seconds(next_fire), key.platform, key.channel, _seconds(seen)),
            )
        return cursor.rowcount > 0

    async def pause(self, key: ChannelKey, reason: str, now: datetime) -> None:
        with self._guard("pause a subscription") as conn:
            conn.execute(
                "UPDATE subscriptions SET paused = 1, pause_reason = ?, updated_at = ? "
                "WHERE platform = ? AND channel = ?",
                (reason, _seconds(now), key.platform, key.channel),
            )

    # --- DeckStore ---

    async def load_deck(self, key: ChannelKey) -> Deck | None:
        with self._guard("read a deck") as conn:
            row = conn.execute(
                "SELECT tip_order, position, cycle, version FROM decks "
                "WHERE platform = ? AND channel = ?",
                (key.platform, key.channel),
            ).fetchone()
        if row is None:
            return None
        order, position, cycle, version = row
        return Deck(tuple(json.loads(order)), int(position), int(cycle), int(version))

    async def save_deck(self, key: ChannelKey, deck: Deck) -> bool:
        with self._guard("save a deck") as conn:
            return self._write_deck(conn, key, deck)

    @staticmethod
    def _write_deck(conn: sqlite3.Connection, key: ChannelKey, deck: Deck) -> bool:
        """Write ``deck`` as the next version if the stored one is still ``deck.version``."""
        values = (json.dumps(list(deck.order)), deck.position, deck.cycle)
        if deck.version == 0:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO decks (platform, channel, tip_order, position, cycle, "
                "version) VALUES (?, ?, ?, ?, ?, 1)",
                (key.platform, key.channel, *values),
            )
        else:
            cursor = conn.execute(
                "UPDATE decks SET tip_order = ?, position = ?, cycle = ?, version = version + 1 "
                "WHERE platform = ? AND channel = ? AND version = ?",
                (*values, key.platform, key.channel, deck.version),
            )
        return cursor.rowcount > 0

    # --- PostLedger ---

    async def claim(
        self, post: PlannedPost, deck: Deck, now: datetime, lease: timedelta, max_attempts: int
    ) -> Claim:
        key, day = post.key, post.day
        where = (key.platform, key.channel, day.isoformat())
        with self._transaction("claim a post") as conn:
            row = conn.execute(
                "SELECT status, tip_id, attempts, lease_until FROM posts "
                "WHERE platform = ? AND channel = ? AND day = ?",
                where,
            ).fetchone()
            token = uuid.uuid4().hex
            now_s, lease_until = _seconds(now), _seconds(now + lease)
            if row is None:
                if not self._write_deck(conn, key, deck):
                    return Claim(ClaimStatus.BUSY, key, day)  # the deck moved under us
                conn.execute(
                    "INSERT INTO posts (platform, channel, day, tip_id, scheduled, status, "
                    "attempts, token, lease_until, claimed_at) "
                    "VALUES (?, ?, ?, ?, ?, 'pending', 1, ?, ?, ?)",
                    (*where, post.tip_id, _seconds(post.scheduled), token, lease_until, now_s),
                )
                return Claim(ClaimStatus.CLAIMED, key, day, post.tip_id, token, 1)
            status, tip_id, attempts, held_until = row
            if status != "pending":
                return Claim(ClaimStatus.DONE, key, day, tip_id, None, attempts)
            if held_until is not None and held_until > now_s:
                return Claim(ClaimStatus.BUSY, key, day, tip_id, None, attempts)
            if attempts >= max_attempts:
                conn.execute(
                    "UPDATE posts SET status = 'failed', token = NULL, lease_until = NULL "
                    "WHERE platform = ? AND channel = ? AND day = ?",
                    where,
                )
                return Claim(ClaimStatus.GAVE_UP, key, day, tip_id, None, attempts)
            conn.execute(
                "UPDATE posts SET token = ?, lease_until = ?, claimed_at = ?, "
                "attempts = attempts + 1 WHERE platform = ? AND channel = ? AND day = ?",
                (token, lease_until, now_s, *where),
            )
            return Claim(ClaimStatus.CLAIMED, key, day, tip_id, token, attempts + 1)

    async def mark_sent(self, claim: Claim, now: datetime) -> bool:
        with self._guard("mark a post sent") as conn:
            cursor = conn.execute(
                "UPDATE posts SET status = 'sent', sent_at = ?, token = NULL, lease_until = NULL "
                "WHERE platform = ? AND channel = ? AND day = ? AND token = ? "
                "AND status = 'pending'",
                (_seconds(now), *_claim_key(claim), claim.token),
            )
        return cursor.rowcount > 0

    async def retry_later(self, claim: Claim, retry_at: datetime, error: str) -> None:
        with self._guard("release a post for retry") as conn:
            conn.execute(
                "UPDATE posts SET token = NULL, lease_until = ?, last_error = ? "
                "WHERE platform = ? AND channel = ? AND day = ? AND token = ?",
                (_seconds(retry_at), error[:500], *_claim_key(claim), claim.token),
            )

    async def drop(self, claim: Claim) -> None:
        with self._guard("drop a post") as conn:
            conn.execute(
                "DELETE FROM posts WHERE platform = ? AND channel = ? AND day = ? AND token = ?",
                (*_claim_key(claim), claim.token),
            )


def _claim_key(claim: Claim) -> tuple[str, str, str]:
    return claim.key.platform, claim.key.channel, claim.day.isoformat()
