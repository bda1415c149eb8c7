"""What the end-to-end daily-tip tests of each platform share: the knowledge with test tips,
the moment they start at, and the tips service, router and scheduler on one store and clock.

Each platform's test (``test_discord_delivery.py``, ``test_slack_delivery.py``) adds only its
harness and the sender it hands the scheduler.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.core.ports import ChannelSender
from bot.core.router import Router
from bot.core.services import Services
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase, Tip
from bot.matching.matcher import Matcher
from bot.settings import DEFAULT_KNOWLEDGE_DIR
from bot.tips.commands import TipsService
from bot.tips.scheduler import Scheduler
from bot.tips.sqlite_store import SqliteStore
from bot.tips.testing import FakeClock

START = datetime(2024, 6, 3, 5, 0, tzinfo=UTC)  # 07:00 in Berlin, a Monday
GRACE = timedelta(hours=6)


def knowledge_with_tips() -> KnowledgeBase:
    """The shipped knowledge base, with a few test tips of its own (no copy of the article)."""
    shipped = load_knowledge(DEFAULT_KNOWLEDGE_DIR)
    tips = tuple(
        Tip(f"tip-test-{n}", section, f"Delivery test tip {n} about {section}.")
        for n, section in enumerate(("skills", "salary", "education"))
    )
    return replace(shipped, tips=tips)


def tips_router(store: SqliteStore, knowledge: KnowledgeBase, clock: FakeClock) -> Router:
    """The real router with the real tips service on ``store`` (for ``tips on`` and co.)."""
    tips = TipsService(subscriptions=store, decks=store, knowledge=knowledge, clock=clock)
    return Router(Services(knowledge=knowledge, matcher=Matcher(knowledge), tips=tips))


def tips_scheduler(
    store: SqliteStore,
    knowledge: KnowledgeBase,
    clock: FakeClock,
    senders: dict[str, ChannelSender],
) -> Scheduler:
    """The real scheduler on ``store``, posting through ``senders``."""
    return Scheduler(
        queue=store,
        decks=store,
        ledger=store,
        knowledge=knowledge,
        senders=senders,
        clock=clock,
        grace=GRACE,
    )
