"""The whole path on Discord: subscribe with /mlcareer tips on, then the tip arrives.

Drives the real discord.py client (DiscordRunner and its sender) against the fake Discord
that the Discord adapter's tests start on 127.0.0.1, with the tips service and scheduler on a
real SQLite file and a fake clock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest

from bot.tips.models import ChannelKey
from bot.tips.scheduler import Outcome, Scheduler
from bot.tips.sqlite_store import SqliteStore
from bot.tips.testing import FakeClock
from tests.adapters.discord import fake_discord as fake
from tests.adapters.discord.harness import DiscordHarness, plain_text
from tests.tips.delivery import START, knowledge_with_tips, tips_router, tips_scheduler


@dataclass
class Setup:
    harness: DiscordHarness
    store: SqliteStore
    clock: FakeClock
    scheduler: Scheduler


@pytest.fixture
async def setup(db_url: str) -> AsyncIterator[Setup]:
    knowledge = knowledge_with_tips()
    store = SqliteStore.open(db_url)
    clock = FakeClock(START)
    async with DiscordHarness(tips_router(store, knowledge, clock)) as harness:
        assert harness.runner is not None
        senders = {harness.runner.name: harness.runner.sender}
        yield Setup(harness, store, clock, tips_scheduler(store, knowledge, clock, senders))
    store.close()


async def test_subscribe_by_command_then_the_tip_arrives_in_the_channel(setup: Setup) -> None:
    """A moderator's /mlcareer tips on leads to one POST /channels/{id}/messages at 09:00."""
    replies = await setup.harness.command("tips on 09:00 Europe/Berlin", moderator=True)
    assert any("Daily tips are on in this channel" in text for text in replies)
    assert any("Monday 3 June 2024, 09:00 CEST" in text for text in replies)

    fake_discord = setup.harness.fake
    before = len(fake_discord.received)
    setup.clock.set(datetime(2024, 6, 3, 7, 0, tzinfo=UTC))
    report = await setup.scheduler.run_due()
    assert report.count(Outcome.POSTED) == 1
    (posted,) = await fake_discord.wait_for(
        lambda r: r.kind == "message" and r.path == f"/channels/{fake.CHANNEL_ID}/messages",
        after=before,
    )
    text = plain_text(posted.message)
    assert "Delivery test tip" in text
    assert "/mlcareer " in text

    again = await setup.scheduler.run_due(datetime(2024, 6, 3, 7, 30, tzinfo=UTC))
    assert again.results == []
    messages = [r for r in fake_discord.received[before:] if r.kind == "message"]
    assert len(messages) == 1


async def test_a_member_without_manage_channels_is_refused(setup: Setup) -> None:
    replies = await setup.harness.command("tips on 09:00", moderator=False)
    assert any("Manage Channels" in text for text in replies)
    assert await setup.store.all() == []


async def test_a_channel_discord_no_longer_has_is_paused(setup: Setup) -> None:
    """Discord answers 404 for the channel: the subscription is paused, not retried."""
    await setup.harness.command("tips on 09:00 Europe/Berlin", moderator=True)
    (subscription,) = await setup.store.all()
    gone = replace(subscription, key=ChannelKey("discord", fake.GONE_CHANNEL_ID))
    await setup.store.delete(subscription.key)
    await setup.store.save(gone)
    setup.clock.set(datetime(2024, 6, 3, 7, 0, tzinfo=UTC))
    report = await setup.scheduler.run_due()
    assert report.count(Outcome.PAUSED) == 1
    stored = await setup.store.get(gone.key)
    assert stored is not None
    assert stored.paused is True
    assert "404" in (stored.pause_reason or "")
    later = await setup.scheduler.run_due(datetime(2024, 6, 4, 7, 0, tzinfo=UTC))
    assert later.results == []
