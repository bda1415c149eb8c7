"""Putting daily tips together from the settings: the store, the commands and the scheduler."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from bot.core.metrics import NO_METRICS, TipMetrics
from bot.core.ports import ChannelSender
from bot.knowledge.model import KnowledgeBase
from bot.settings import Settings
from bot.tips.clock import Clock, SystemClock
from bot.tips.commands import TipsService
from bot.tips.ports import TipsStore
from bot.tips.scheduler import LEASE, POLL, Scheduler
from bot.tips.stores import open_store

# A send is abandoned after this share of its claim's lease (the scheduler's 8 of 10 minutes),
# so no other replica takes the claim over while it is still sending.
SEND_SHARE = 0.8


@dataclass(slots=True)
class DailyTips:
    """Everything daily tips need at run time, sharing one store."""

    store: TipsStore
    commands: TipsService
    scheduler: Scheduler

    async def close(self) -> None:
        await self.store.close()


async def open_daily_tips(
    settings: Settings,
    knowledge: KnowledgeBase,
    senders: Mapping[str, ChannelSender],
    clock: Clock | None = None,
    *,
    metrics: TipMetrics = NO_METRICS,
) -> DailyTips:
    """Open (and migrate) the database named by DATABASE_URL and build the tips services.

    ``senders`` maps each platform name ("slack", "discord", as in ``Request.platform``) to the
    sender that posts there; the scheduler only fires subscriptions on those platforms.
    Raises ``SettingsError`` for a DATABASE_URL that is neither SQLite nor PostgreSQL and
    ``StorageError`` when the database can't be opened or migrated. ``metrics`` counts the
    tips posted, failed and skipped.
    """
    store = await open_store(settings.database_url)
    grace = timedelta(hours=settings.tips_grace_hours)
    lease = timedelta(seconds=settings.tips_lease_seconds)
    return daily_tips(
        store, knowledge, senders, clock or SystemClock(), grace, metrics=metrics, lease=lease
    )


def daily_tips(
    store: TipsStore,
    knowledge: KnowledgeBase,
    senders: Mapping[str, ChannelSender],
    clock: Clock,
    grace: timedelta,
    *,
    metrics: TipMetrics = NO_METRICS,
    lease: timedelta = LEASE,
) -> DailyTips:
    """The tips commands and scheduler on an open store (which ``DailyTips.close`` closes).

    ``lease`` (MLCAREER_TIPS_LEASE_SECONDS, the scheduler's 10 minutes by default) is how
    long a claim on a post holds; a send is abandoned after 80% of it, and the scheduler
    looks for due posts at least once a lease, so a post whose replica died goes out soon
    after its claim lapses."""
    commands = TipsService(
        subscriptions=store, decks=store, history=store, knowledge=knowledge, clock=clock
    )
    scheduler = Scheduler(
        queue=store,
        decks=store,
        ledger=store,
        knowledge=knowledge,
        senders=senders,
        clock=clock,
        grace=grace,
        metrics=metrics,
        lease=lease,
        send_timeout=lease * SEND_SHARE,
        poll=min(POLL, lease),
    )
    return DailyTips(store, commands, scheduler)
