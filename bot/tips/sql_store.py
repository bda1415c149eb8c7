"""The daily-tips storage ports in SQL, once for every backend (SQLite and PostgreSQL).

``SqlStore`` holds the queries and the claim logic; a ``Database`` (``bot.tips.sql_database``)
runs them. The SQL is written in the dialect both backends share (``?`` placeholders, which
the PostgreSQL side turns into ``%s``; ``ON CONFLICT``; row-value comparisons), against the
schema ``bot.tips.migrations`` creates the same way on both.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from bot.tips.models import (
    ChannelKey,
    Claim,
    ClaimStatus,
    Days,
    Deck,
    PlannedPost,
    Subscription,
)
from bot.tips.ports import DUE_BATCH
from bot.tips.sql_database import Database, Session

_SUBSCRIPTION_COLUMNS = (
    "platform, channel, at, zone, days, next_fire, paused, pause_reason, updated_by, updated_at"
)
_THIS_CHANNEL = "platform = ? AND channel = ?"
_THIS_POST = "platform = ? AND channel = ? AND day = ?"
_THIS_CLAIM = f"{_THIS_POST} AND token = ?"
# Before every (next_fire, platform, channel): where a walk through the due ones starts.
_FIRST = (-1, "", "")


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


# A few hundred distinct values among any number of rows: parse each once.
_wall_time = cache(time.fromisoformat)
_DAYS = {days.value: days for days in Days}


def _subscription(row: tuple[Any, ...]) -> Subscription:
    platform, channel, at, zone, days, next_fire, paused, reason, by, updated = row
    return Subscription(
        key=ChannelKey(platform, channel),
        at=_wall_time(at),
        zone=zone,
        days=_DAYS[days],
        next_fire=_moment(next_fire),
        paused=bool(paused),
        pause_reason=reason,
        updated_by=by,
        updated_at=_moment(updated),
    )


def _channel(key: ChannelKey) -> tuple[str, str]:
    return key.platform, key.channel


def _post(key: ChannelKey, day: date) -> tuple[str, str, str]:
    return key.platform, key.channel, day.isoformat()


def _claim(claim: Claim) -> tuple[str, str, str, str | None]:
    return (*_post(claim.key, claim.day), claim.token)


class _LostRace(Exception):
    """Another process inserted the same post first: roll the claim back and report busy."""


class SqlStore:
    """Subscriptions, decks and the posts ledger in one SQL database. Implements ``TipsStore``."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def close(self) -> None:
        await self._db.close()

    async def ready(self) -> str | None:
        """None when the database answers a query now; otherwise what is wrong, in words."""
        return await self._db.ready()

    async def _rows(self, action: str, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        async with self._db.session(action) as session:
            return await session.fetch(sql, params)

    async def _row(self, action: str, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        async with self._db.session(action) as session:
            return await session.fetch_one(sql, params)

    async def _change(self, action: str, sql: str, params: tuple[Any, ...]) -> bool:
        """Run one write statement; True when it changed a row."""
        async with self._db.session(action) as session:
            return await session.execute(sql, params) > 0

    # --- SubscriptionStore ---

    async def get(self, key: ChannelKey) -> Subscription | None:
        row = await self._row(
            "read a subscription",
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE {_THIS_CHANNEL}",
            _channel(key),
        )
        return None if row is None else _subscription(row)

    async def save(self, subscription: Subscription) -> None:
        sub = subscription
        await self._change(
            "save a subscription",
            f"INSERT INTO subscriptions ({_SUBSCRIPTION_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (platform, channel) DO UPDATE SET at = excluded.at, "
            "zone = excluded.zone, days = excluded.days, next_fire = excluded.next_fire, "
            "paused = excluded.paused, pause_reason = excluded.pause_reason, "
            "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            (
                *_channel(sub.key),
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
        return await self._change(
            "delete a subscription",
            f"DELETE FROM subscriptions WHERE {_THIS_CHANNEL}",
            _channel(key),
        )

    async def all(self) -> list[Subscription]:
        rows = await self._rows(
            "list subscriptions",
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions ORDER BY platform, channel",
            (),
        )
        return [_subscription(row) for row in rows]

    # --- DueQueue ---

    async def due(
        self,
        now: datetime,
        platforms: Collection[str],
        after: Subscription | None = None,
        limit: int = DUE_BATCH,
    ) -> list[Subscription]:
        names = sorted(set(platforms))
        if not names or limit <= 0:
            return []
        start = _FIRST if after is None else (_seconds(after.next_fire), *_channel(after.key))
        marks = ", ".join("?" for _ in names)
        # The plain "next_fire >= ?" lets the index range start at the cursor; the row value
        # comparison then skips what the previous batch already returned at that instant.
        rows = await self._rows(
            "find due subscriptions",
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions "
            f"WHERE paused = 0 AND platform IN ({marks}) AND next_fire <= ? "
            "AND next_fire >= ? AND (next_fire, platform, channel) > (?, ?, ?) "
            "ORDER BY next_fire, platform, channel LIMIT ?",
            (*names, _seconds(now), start[0], *start, limit),
        )
        return [_subscription(row) for row in rows]

    async def next_fire_after(self, now: datetime, platforms: Collection[str]) -> datetime | None:
        found: list[int] = []
        for name in sorted(set(platforms)):
            # ORDER BY ... LIMIT 1 is a single index seek per platform.
            row = await self._row(
                "find the next fire time",
                "SELECT next_fire FROM subscriptions "
                "WHERE paused = 0 AND platform = ? AND next_fire > ? "
                "ORDER BY next_fire LIMIT 1",
                (name, _seconds(now)),
            )
            if row is not None:
                found.append(row[0])
        return _moment(min(found)) if found else None

    async def advance(self, key: ChannelKey, seen: datetime, next_fire: datetime) -> bool:
        return await self._change(
            "advance a subscription",
            f"UPDATE subscriptions SET next_fire = ? "
            f"WHERE {_THIS_CHANNEL} AND next_fire = ? AND paused = 0",
            (_seconds(next_fire), *_channel(key), _seconds(seen)),
        )

    async def pause(self, key: ChannelKey, reason: str, now: datetime) -> None:
        await self._change(
            "pause a subscription",
            f"UPDATE subscriptions SET paused = 1, pause_reason = ?, updated_at = ? "
            f"WHERE {_THIS_CHANNEL}",
            (reason, _seconds(now), *_channel(key)),
        )

    # --- DeckStore ---

    async def load_deck(self, key: ChannelKey) -> Deck | None:
        row = await self._row(
            "read a deck",
            f"SELECT tip_order, position, cycle, version FROM decks WHERE {_THIS_CHANNEL}",
            _channel(key),
        )
        if row is None:
            return None
        order, position, cycle, version = row
        return Deck(tuple(json.loads(order)), int(position), int(cycle), int(version))

    async def save_deck(self, key: ChannelKey, deck: Deck) -> bool:
        async with self._db.session("save a deck") as session:
            return await self._write_deck(session, key, deck)

    @staticmethod
    async def _write_deck(session: Session, key: ChannelKey, deck: Deck) -> bool:
        """Write ``deck`` as the next version if the stored one is still ``deck.version``."""
        values = (json.dumps(list(deck.order)), deck.position, deck.cycle)
        if deck.version == 0:
            changed = await session.execute(
                "INSERT INTO decks (platform, channel, tip_order, position, cycle, version) "
                "VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (platform, channel) DO NOTHING",
                (*_channel(key), *values),
            )
        else:
            changed = await session.execute(
                "UPDATE decks SET tip_order = ?, position = ?, cycle = ?, version = version + 1 "
                f"WHERE {_THIS_CHANNEL} AND version = ?",
                (*values, *_channel(key), deck.version),
            )
        return changed > 0

    # --- PostLedger ---

    async def claim(
        self, post: PlannedPost, deck: Deck, now: datetime, lease: timedelta, max_attempts: int
    ) -> Claim:
        try:
            async with self._db.transaction("claim a post") as session:
                return await self._claim(session, post, deck, now, lease, max_attempts)
        except _LostRace:
            return Claim(ClaimStatus.BUSY, post.key, post.day)

    async def _claim(
        self,
        session: Session,
        post: PlannedPost,
        deck: Deck,
        now: datetime,
        lease: timedelta,
        max_attempts: int,
    ) -> Claim:
        """The claim's reads and writes, inside its transaction (see ``PostLedger.claim``)."""
        key, day = post.key, post.day
        where = _post(key, day)
        # The post's row is locked (PostgreSQL's FOR UPDATE; SQLite's transaction holds the
        # write lock already), so two processes can't both find its lease run out and retake it.
        row = await session.fetch_one(
            "SELECT status, tip_id, attempts, lease_until, COALESCE(first_claimed_at, claimed_at) "
            f"FROM posts WHERE {_THIS_POST}"
            f"{self._db.lock_rows}",
            where,
        )
        token = uuid.uuid4().hex
        now_s, lease_until = _seconds(now), _seconds(now + lease)
        if row is None:
            if not await self._write_deck(session, key, deck):
                return Claim(ClaimStatus.BUSY, key, day)  # the deck moved under us
            inserted = await session.execute(
                "INSERT INTO posts (platform, channel, day, tip_id, scheduled, status, "
                "attempts, token, lease_until, claimed_at, first_claimed_at) "
                "VALUES (?, ?, ?, ?, ?, 'pending', 1, ?, ?, ?, ?) "
                "ON CONFLICT (platform, channel, day) DO NOTHING",
                (*where, post.tip_id, _seconds(post.scheduled), token, lease_until, now_s, now_s),
            )
            if not inserted:
                raise _LostRace  # and the deck write goes with the rollback
            return Claim(ClaimStatus.CLAIMED, key, day, post.tip_id, token, 1, _moment(now_s))
        status, tip_id, attempts, held_until, first = row
        first_claimed = _moment(first if first is not None else now_s)
        if status != "pending":
            return Claim(ClaimStatus.DONE, key, day, tip_id, None, attempts)
        if held_until is not None and held_until > now_s:
            return Claim(ClaimStatus.BUSY, key, day, tip_id, None, attempts)
        if attempts >= max_attempts:
            await session.execute(
                "UPDATE posts SET status = 'failed', token = NULL, lease_until = NULL "
                f"WHERE {_THIS_POST}",
                where,
            )
            return Claim(ClaimStatus.GAVE_UP, key, day, tip_id, None, attempts)
        # The right-hand sides read the row as it was, so first_claimed_at keeps (or, on a
        # row from before migration 5, takes) the earliest claim time.
        await session.execute(
            "UPDATE posts SET token = ?, lease_until = ?, claimed_at = ?, "
            "first_claimed_at = COALESCE(first_claimed_at, claimed_at, ?), "
            f"attempts = attempts + 1 WHERE {_THIS_POST}",
            (token, lease_until, now_s, now_s, *where),
        )
        return Claim(ClaimStatus.CLAIMED, key, day, tip_id, token, attempts + 1, first_claimed)

    async def mark_sent(self, claim: Claim, now: datetime) -> bool:
        return await self._change(
            "mark a post sent",
            "UPDATE posts SET status = 'sent', sent_at = ?, token = NULL, lease_until = NULL "
            f"WHERE {_THIS_CLAIM} AND status = 'pending'",
            (_seconds(now), *_claim(claim)),
        )

    async def retry_later(self, claim: Claim, retry_at: datetime, error: str) -> None:
        await self._change(
            "release a post for retry",
            f"UPDATE posts SET token = NULL, lease_until = ?, last_error = ? WHERE {_THIS_CLAIM}",
            (_seconds(retry_at), error[:500], *_claim(claim)),
        )

    async def drop(self, claim: Claim) -> None:
        await self._change("drop a post", f"DELETE FROM posts WHERE {_THIS_CLAIM}", _claim(claim))

    # --- PostHistory ---

    async def posted(self, key: ChannelKey, day: date) -> bool:
        row = await self._row(
            "read the posts ledger",
            f"SELECT 1 FROM posts WHERE {_THIS_POST} AND status IN ('sent', 'failed')",
            _post(key, day),
        )
        return row is not None
