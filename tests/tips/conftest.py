"""Fixtures for daily-tips tests: a small tip deck, a fake clock, a database, senders.

Every test that uses ``db_url`` (tests/conftest.py) or ``store`` runs twice, on SQLite and on
PostgreSQL; ``SQLITE_ONLY`` and ``POSTGRES_ONLY`` mark the few that test one backend itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.core.ports import ChannelSender
from bot.knowledge.model import Entry, KnowledgeBase, Section, Tip, Vocabulary
from bot.tips.commands import TipsService
from bot.tips.models import ChannelKey, Days, Subscription
from bot.tips.ports import TipsStore
from bot.tips.schedule import next_fire
from bot.tips.scheduler import Scheduler
from bot.tips.stores import open_store
from bot.tips.testing import FakeClock, RecordingSender

# Monday 3 June 2024, 08:00 UTC: a weekday well away from any daylight-saving change.
START = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)
SECTIONS = ("skills", "salary", "education")
KEY = ChannelKey("slack", "C1")  # the channel most tests subscribe
# For tests of SQLite itself (its file, its locks): the database fixtures use SQLite only.
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"])
POSTGRES_ONLY = pytest.mark.parametrize("backend", ["postgres"])


def small_knowledge(tip_count: int = 7) -> KnowledgeBase:
    """A knowledge base with one entry per section and ``tip_count`` tips spread over them."""
    entries = tuple(
        Entry(
            id=section,
            section=section,
            title=f"{section.title()} in short",
            answer=f"What the article says about {section}.",
            source="a test paragraph",
            examples=(f"tell me about {section}",),
        )
        for section in SECTIONS
    )
    tips = tuple(
        Tip(
            id=f"tip-{n:02d}",
            section=SECTIONS[n % len(SECTIONS)],
            text=f"Test tip number {n}.",
        )
        for n in range(tip_count)
    )
    sections = tuple(
        Section(id=section, name=section.title(), order=10 * n, source="a test paragraph")
        for n, section in enumerate(SECTIONS)
    )
    return KnowledgeBase(entries=entries, tips=tips, vocabulary=Vocabulary(), sections=sections)


async def subscribe(
    store: TipsStore,
    now: datetime,
    key: ChannelKey = KEY,
    at: time = time(9, 0),
    zone: str = "UTC",
    days: Days = Days.DAILY,
) -> Subscription:
    """Save a subscription the way ``tips on`` does: next fire computed from ``now``."""
    subscription = Subscription(
        key=key,
        at=at,
        zone=zone,
        days=days,
        next_fire=next_fire(now, at, ZoneInfo(zone), days).at,
        updated_by="U-admin",
        updated_at=now,
    )
    await store.save(subscription)
    return subscription


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def knowledge() -> KnowledgeBase:
    return small_knowledge()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[TipsStore]:
    opened = await open_store(db_url)
    yield opened
    await opened.close()


@pytest.fixture
def slack() -> RecordingSender:
    return RecordingSender("slack")


SchedulerFactory = Callable[..., Scheduler]


@pytest.fixture
def make_scheduler(
    store: TipsStore, knowledge: KnowledgeBase, clock: FakeClock, slack: RecordingSender
) -> SchedulerFactory:
    """Build a scheduler on the test's store, clock and Slack sender unless told otherwise."""

    def build(
        *,
        on: TipsStore | None = None,
        senders: dict[str, ChannelSender] | None = None,
        tips: KnowledgeBase | None = None,
        grace: timedelta = timedelta(hours=6),
        **options: Any,
    ) -> Scheduler:
        db = on or store
        return Scheduler(
            queue=db,
            decks=db,
            ledger=db,
            knowledge=tips or knowledge,
            senders={"slack": slack} if senders is None else senders,
            clock=clock,
            grace=grace,
            **options,
        )

    return build


@pytest.fixture
def service(store: TipsStore, knowledge: KnowledgeBase, clock: FakeClock) -> TipsService:
    return TipsService(
        subscriptions=store, decks=store, history=store, knowledge=knowledge, clock=clock
    )
