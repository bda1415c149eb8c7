"""Storage ports for daily tips, each small; ``SqlStore`` implements all five, on SQLite
(``SqliteStore``) or PostgreSQL (``PostgresStore``).

They are async: PostgreSQL is a network call, and SQLite's calls run on a thread of their own,
so no storage call blocks the event loop.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import Protocol

from bot.tips.models import ChannelKey, Claim, Deck, PlannedPost, Subscription

# How many due subscriptions ``DueQueue.due`` returns at most: a backlog (every channel due
# after an outage) is read in batches, never thousands of objects at once.
DUE_BATCH = 200


class SubscriptionStore(Protocol):
    """Channel subscriptions as the commands see them."""

    async def get(self, key: ChannelKey) -> Subscription | None:
        """The channel's subscription, or None when tips are off there."""
        ...

    async def save(self, subscription: Subscription) -> None:
        """Create or replace the channel's subscription."""
        ...

    async def delete(self, key: ChannelKey) -> bool:
        """Remove the channel's subscription; False when it had none."""
        ...

    async def all(self) -> list[Subscription]:
        """Every subscription, ordered by platform and channel."""
        ...


class DueQueue(Protocol):
    """Subscriptions as the scheduler sees them: ordered by their next fire time."""

    async def due(
        self,
        now: datetime,
        platforms: Collection[str],
        after: Subscription | None = None,
        limit: int = DUE_BATCH,
    ) -> list[Subscription]:
        """Up to ``limit`` active subscriptions on ``platforms`` due at or before ``now``.

        They come in due order (next fire time, then platform and channel), starting after
        ``after``, the last one of the previous batch; so a caller walks a backlog batch by
        batch, and one it left due (busy, failed) is not handed out again in the same walk.
        """
        ...

    async def next_fire_after(self, now: datetime, platforms: Collection[str]) -> datetime | None:
        """The earliest fire time after ``now`` among active subscriptions on ``platforms``."""
        ...

    async def advance(self, key: ChannelKey, seen: datetime, next_fire: datetime) -> bool:
        """Move the next fire time on, unless the subscription changed since it was read."""
        ...

    async def pause(self, key: ChannelKey, reason: str, now: datetime) -> None:
        """Stop posting to the channel until someone turns tips on again."""
        ...


class DeckStore(Protocol):
    """Each channel's shuffled deck of tips."""

    async def load_deck(self, key: ChannelKey) -> Deck | None:
        """The channel's deck as stored, or None when it never had one."""
        ...

    async def save_deck(self, key: ChannelKey, deck: Deck) -> bool:
        """Store ``deck`` if the stored one is still at ``deck.version``; False otherwise."""
        ...


class PostLedger(Protocol):
    """One row per channel per local date: claimed before sending, marked sent after."""

    async def claim(
        self, post: PlannedPost, deck: Deck, now: datetime, lease: timedelta, max_attempts: int
    ) -> Claim:
        """Claim ``post`` (and store ``deck``, advanced past its tip, in the same transaction).

        A post already claimed but not sent may be claimed again once its lease has run out,
        with the tip first recorded for it, up to ``max_attempts`` tries.
        """
        ...

    async def mark_sent(self, claim: Claim, now: datetime) -> bool:
        """Record that the claimed post went out; False when the claim was lost meanwhile."""
        ...

    async def retry_later(self, claim: Claim, retry_at: datetime, error: str) -> None:
        """Keep the post unsent and let a later run claim it again from ``retry_at``."""
        ...

    async def drop(self, claim: Claim) -> None:
        """Forget an unsent claim (the channel is gone), so turning tips back on can post."""
        ...


class PostHistory(Protocol):
    """The posts ledger as the commands read it: which local dates are done."""

    async def posted(self, key: ChannelKey, day: date) -> bool:
        """True when the channel's post for local date ``day`` is done (sent or given up)."""
        ...


class TipsStore(SubscriptionStore, DueQueue, DeckStore, PostLedger, PostHistory, Protocol):
    """All five ports at once, as one database provides them."""

    async def ready(self) -> str | None:
        """None when the database answers now; otherwise the problem, in words (for /readyz)."""
        ...

    async def close(self) -> None:
        """Release the connections."""
        ...
