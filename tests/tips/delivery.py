"""What the end-to-end tips tests on Slack and Discord share: the knowledge, the wiring, times.

``wired`` puts daily tips together the way ``mlcareer run`` does: a router whose services get
the tips commands once the platform runner (and so its sender) exists, and a scheduler that
posts through that runner's sender, on a real SQLite file and a fake clock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Generic, Protocol, TypeVar

from bot.core.ports import PlatformRunner
from bot.core.router import Router
from bot.core.services import Services
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase, Tip
from bot.matching.matcher import Matcher
from bot.settings import DEFAULT_KNOWLEDGE_DIR
from bot.tips.daily import DailyTips, daily_tips
from bot.tips.models import ChannelKey
from bot.tips.ports import TipsStore
from bot.tips.scheduler import Outcome
from bot.tips.stores import open_store
from bot.tips.testing import FakeClock

START = datetime(2024, 6, 3, 5, 0, tzinfo=UTC)  # 07:00 in Berlin, a Monday
NINE_IN_BERLIN = datetime(2024, 6, 3, 7, 0, tzinfo=UTC)
GRACE = timedelta(hours=6)


def knowledge_with_tips() -> KnowledgeBase:
    """The shipped knowledge base, with a few test tips of its own (no copy of the article)."""
    shipped = load_knowledge(DEFAULT_KNOWLEDGE_DIR)
    tips = tuple(
        Tip(f"tip-test-{n}", section, f"Delivery test tip {n} about {section}.")
        for n, section in enumerate(("skills", "salary", "education"))
    )
    return replace(shipped, tips=tips)


class Harness(Protocol):
    """A platform test harness: its runner, once started."""

    @property
    def runner(self) -> PlatformRunner | None: ...


H = TypeVar("H", bound=Harness)


@dataclass
class Wired(Generic[H]):
    harness: H
    tips: DailyTips
    clock: FakeClock

    @property
    def store(self) -> TipsStore:
        return self.tips.store

    async def check_paused(self, key: ChannelKey, reason: str) -> None:
        """The 09:00 run pauses ``key`` saying ``reason``; runs over the next days skip it."""
        self.clock.set(NINE_IN_BERLIN)
        report = await self.tips.scheduler.run_due()
        assert report.count(Outcome.PAUSED) == 1
        stored = await self.store.get(key)
        assert stored is not None
        assert stored.paused is True
        assert reason in (stored.pause_reason or "")
        for days in (0, 1, 2):
            later = NINE_IN_BERLIN + timedelta(days=days, hours=1)
            assert (await self.tips.scheduler.run_due(later)).results == []


@asynccontextmanager
async def wired(
    db_url: str, start_harness: Callable[[Router], AbstractAsyncContextManager[H]]
) -> AsyncIterator[Wired[H]]:
    """Start a harness with a router, then give that router daily tips on ``db_url``."""
    knowledge = knowledge_with_tips()
    services = Services(knowledge=knowledge, matcher=Matcher(knowledge))
    clock = FakeClock(START)
    async with start_harness(Router(services)) as harness:
        runner = harness.runner
        assert runner is not None
        senders = {runner.name: runner.sender}
        tips = daily_tips(await open_store(db_url), knowledge, senders, clock, GRACE)
        services.tips = tips.commands
        try:
            yield Wired(harness, tips, clock)
        finally:
            await tips.close()
