"""Fixtures for daily-tips tests: a small tip deck, a fake clock, a database file, senders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.core.ports import ChannelSender
from bot.knowledge.model import Entry, KnowledgeBase, Section, Tip, Vocabulary
from bot.tips.commands import TipsService
from bot.tips.models import ChannelKey, Days, Subscription
from bot.tips.schedule import next_fire
from bot.tips.scheduler import Scheduler
from bot.tips.sqlite_store import SqliteStore
from bot.tips.testing import FakeClock, RecordingSender

# Monday 3 June 2024, 08:00 UTC: a weekday well away from any daylight-saving change.
START = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)
SECTIONS = ("skills", "salary", "education")
KEY = ChannelKey("slack", "C1")  # the channel most tests subscribe


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
    store: SqliteStore,
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
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'tips.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[SqliteStore]:
    opened = SqliteStore.open(db_url)
    yield opened
    opened.close()


@pytest.fixture
def slack() -> RecordingSender:
    return RecordingSender("slack")


SchedulerFactory = Callable[..., Scheduler]


@pytest.fixture
def make_scheduler(
    store: SqliteStore, knowledge: KnowledgeBase, clock: FakeClock, slack: RecordingSender
) -> SchedulerFactory:
    """Build a scheduler on the test's store, clock and Slack sender unless told otherwise."""

    def build(
        *,
        on: SqliteStore | None = None,
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
def service(store: SqliteStore, knowledge: KnowledgeBase, clock: FakeClock) -> TipsService:
    return TipsService(
        subscriptions=store, decks=store, history=store, knowledge=knowledge, clock=clock
    )
