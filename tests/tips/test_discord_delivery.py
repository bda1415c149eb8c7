"""The whole path on Discord: subscribe with /mlcareer tips on, then the tip arrives.

Drives the real discord.py client (DiscordRunner and its sender) against the fake Discord
that the Discord adapter's tests start on 127.0.0.1, with daily tips wired as ``mlcareer run``
wires them (see ``delivery.wired``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.tips.models import ChannelKey
from bot.tips.scheduler import Outcome
from tests.adapters.discord import fake_discord as fake
from tests.adapters.discord.fake_discord import Received
from tests.adapters.discord.harness import DiscordHarness, command_payload, plain_text, texts

from .delivery import NINE_IN_BERLIN, Wired, wired

Setup = Wired[DiscordHarness]
EPHEMERAL = 64  # Discord's message flag for "only you can see this"


@pytest.fixture
async def setup(db_url: str) -> AsyncIterator[Setup]:
    async with wired(db_url, DiscordHarness) as ready:
        yield ready


def messages_to(channel: str) -> Callable[[Received], bool]:
    """Matches the bot's POST /channels/{channel}/messages calls."""
    path = f"/channels/{channel}/messages"
    return lambda r: r.kind == "message" and r.path == path


async def test_subscribe_by_command_then_the_tip_arrives_in_the_channel(setup: Setup) -> None:
    """A moderator's /mlcareer tips on leads to one POST /channels/{id}/messages at 09:00."""
    replies = await setup.harness.command("tips on 09:00 Europe/Berlin", moderator=True)
    assert any("Daily tips are on in this channel" in text for text in replies)
    assert any("Monday 3 June 2024, 09:00 CEST" in text for text in replies)

    fake_discord = setup.harness.fake
    before = len(fake_discord.received)
    setup.clock.set(NINE_IN_BERLIN)
    report = await setup.tips.scheduler.run_due()
    assert report.count(Outcome.POSTED) == 1
    (posted,) = await fake_discord.wait_for(messages_to(fake.CHANNEL_ID), after=before)
    text = plain_text(posted.message)
    assert "Delivery test tip" in text
    assert "/mlcareer " in text

    again = await setup.tips.scheduler.run_due(NINE_IN_BERLIN + timedelta(minutes=30))
    assert again.results == []
    messages = [r for r in fake_discord.received[before:] if r.kind == "message"]
    assert len(messages) == 1


async def test_status_now_and_off_by_command(setup: Setup) -> None:
    """Anyone reads the status in local time with the tips left; tips now is for the channel."""
    harness = setup.harness
    await harness.command("tips on 09:00 Europe/Berlin weekdays", moderator=True)
    status = await harness.command("tips status")
    assert any("Next tip: Monday 3 June 2024, 09:00 CEST" in text for text in status)
    assert any("3 of 3 tips left" in text for text in status)

    now = await harness.interact(command_payload("tips now", moderator=True))
    assert not now[0].body["data"].get("flags", 0) & EPHEMERAL
    assert any("Delivery test tip" in text for text in texts(now))
    assert any("2 of 3 tips left" in text for text in await harness.command("tips status"))

    off = await harness.command("tips off", moderator=True)
    assert any("Daily tips are off in this channel" in text for text in off)
    setup.clock.set(NINE_IN_BERLIN)
    assert (await setup.tips.scheduler.run_due()).results == []


async def test_a_member_without_manage_channels_is_refused(setup: Setup) -> None:
    for action in ("tips on 09:00", "tips off", "tips now"):
        replies = await setup.harness.command(action, moderator=False)
        assert any("Manage Channels" in text for text in replies)
    assert await setup.store.all() == []


@pytest.mark.parametrize(
    ("channel", "status"), [(fake.GONE_CHANNEL_ID, "404"), (fake.FORBIDDEN_CHANNEL_ID, "403")]
)
async def test_a_channel_discord_refuses_is_paused_not_retried(
    setup: Setup, channel: str, status: str
) -> None:
    """Discord answers 404 (channel gone) or 403 (bot removed): paused, and not tried again."""
    await setup.harness.command("tips on 09:00 Europe/Berlin", moderator=True)
    (subscription,) = await setup.store.all()
    moved = replace(subscription, key=ChannelKey("discord", channel))
    await setup.store.delete(subscription.key)
    await setup.store.save(moved)
    await setup.check_paused(moved.key, status)
    attempts = [r for r in setup.harness.fake.received if messages_to(channel)(r)]
    assert len(attempts) == 1
