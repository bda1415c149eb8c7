"""The whole path on Slack: subscribe with /mlcareer tips on, then the tip arrives.

Drives the real slack-bolt app (SlackRunner and its sender) against the fake Slack that the
Slack adapter's tests start on 127.0.0.1, with the tips service and scheduler on a real
SQLite file and a fake clock; and ``mlcareer tips send-due``'s Slack sender on its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.slack.sender import web_api_sender
from bot.core.router import Router
from bot.core.services import Services
from bot.errors import SettingsError
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase, Tip
from bot.matching.matcher import Matcher
from bot.settings import DEFAULT_KNOWLEDGE_DIR, Secret, Settings
from bot.tips.daily import open_daily_tips
from bot.tips.models import ChannelKey, Days, Subscription
from bot.tips.schedule import next_fire
from bot.tips.scheduler import Outcome, Scheduler
from bot.tips.senders import build_senders
from bot.tips.sqlite_store import SqliteStore
from bot.tips.testing import FakeClock
from tests.adapters.slack.fake_slack import BOT_TOKEN, FakeSlack
from tests.adapters.slack.harness import SlackHarness

START = datetime(2024, 6, 3, 5, 0, tzinfo=UTC)  # 07:00 in Berlin, a Monday
CHANNEL = "C0GENERAL"  # where the slash command fixture is typed


def knowledge_with_tips() -> KnowledgeBase:
    """The shipped knowledge base, with a few test tips of its own (no copy of the article)."""
    shipped = load_knowledge(DEFAULT_KNOWLEDGE_DIR)
    tips = tuple(
        Tip(f"tip-test-{n}", section, f"Delivery test tip {n} about {section}.")
        for n, section in enumerate(("skills", "salary", "education"))
    )
    return replace(shipped, tips=tips)


def subscription(channel: str, now: datetime) -> Subscription:
    """Daily tips at 09:00 UTC in ``channel``, due next after ``now``."""
    return Subscription(
        key=ChannelKey("slack", channel),
        at=time(9, 0),
        zone="UTC",
        days=Days.DAILY,
        next_fire=next_fire(now, time(9, 0), ZoneInfo("UTC"), Days.DAILY).at,
        updated_at=now,
    )


@dataclass
class Setup:
    slack: SlackHarness
    store: SqliteStore
    clock: FakeClock
    scheduler: Scheduler


@pytest.fixture
async def setup(db_url: str) -> AsyncIterator[Setup]:
    """The bot wired as ``mlcareer run`` wires it: daily tips opened on the runner's sender,
    then handed to the router."""
    knowledge = knowledge_with_tips()
    services = Services(knowledge=knowledge, matcher=Matcher(knowledge))
    clock = FakeClock(START)
    async with SlackHarness(router=Router(services), slack_admins={"U0ASKER"}) as slack:
        assert slack.runner is not None
        senders = {slack.runner.name: slack.runner.sender}
        daily = open_daily_tips(Settings(database_url=db_url), knowledge, senders, clock)
        services.tips = daily.commands
        try:
            yield Setup(slack, daily.store, clock, daily.scheduler)
        finally:
            daily.close()


async def test_an_admin_subscribes_by_command_then_the_tip_arrives_in_the_channel(
    setup: Setup,
) -> None:
    replies = await setup.slack.command("tips on 09:00 Europe/Berlin")
    assert any("Daily tips are on in this channel" in text for text in replies)
    assert [c.params["user"] for c in setup.slack.fake.calls_to("users.info")] == ["U0ASKER"]

    setup.clock.set(datetime(2024, 6, 3, 7, 0, tzinfo=UTC))
    report = await setup.scheduler.run_due()
    assert report.count(Outcome.POSTED) == 1
    [posted] = setup.slack.fake.sent("chat.postMessage")
    assert posted.channel == CHANNEL
    assert posted.thread_ts is None
    assert "Delivery test tip" in posted.text
    assert posted.payload["blocks"][0]["type"] == "header"

    again = await setup.scheduler.run_due(datetime(2024, 6, 3, 7, 30, tzinfo=UTC))
    assert again.results == []
    assert len(setup.slack.fake.sent("chat.postMessage")) == 1


async def test_someone_who_is_not_an_admin_is_refused(setup: Setup) -> None:
    replies = await setup.slack.command("tips on 09:00", user_id="U0MEMBER")
    assert any("Only channel managers can do that" in text for text in replies)
    assert await setup.store.all() == []


async def test_a_channel_the_bot_was_removed_from_is_paused(setup: Setup) -> None:
    await setup.slack.command("tips on 09:00 Europe/Berlin")
    setup.slack.fake.channels_without_bot.add(CHANNEL)
    setup.clock.set(datetime(2024, 6, 3, 7, 0, tzinfo=UTC))
    report = await setup.scheduler.run_due()
    assert report.count(Outcome.PAUSED) == 1
    stored = await setup.store.get(ChannelKey("slack", CHANNEL))
    assert stored is not None
    assert stored.paused is True
    assert "not_in_channel" in (stored.pause_reason or "")


async def test_send_due_posts_through_the_slack_web_api_sender(db_url: str) -> None:
    """``mlcareer tips send-due`` builds its Slack sender from the settings alone."""
    fake = FakeSlack()
    await fake.start()
    try:
        settings = Settings(
            slack_bot_token=Secret(BOT_TOKEN), slack_api_url=fake.api_url, database_url=db_url
        )
        async with build_senders(settings) as senders:
            assert set(senders) == {"slack"}
            clock = FakeClock(datetime(2024, 6, 3, 9, 0, tzinfo=UTC))
            daily = open_daily_tips(settings, knowledge_with_tips(), senders, clock)
            try:
                await daily.store.save(
                    subscription("C0TIPS", datetime(2024, 6, 3, 8, 0, tzinfo=UTC))
                )
                report = await daily.scheduler.run_due()
            finally:
                daily.close()
        assert report.count(Outcome.POSTED) == 1
        assert [s.channel for s in fake.sent("chat.postMessage")] == ["C0TIPS"]
    finally:
        await fake.stop()


async def test_the_send_due_sender_checks_the_token_first() -> None:
    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN must start with xoxb-"):
        async with web_api_sender(Settings(slack_bot_token=Secret("xoxp-user-token"))):
            pass
