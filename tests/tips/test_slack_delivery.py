"""The whole path on Slack: subscribe with /mlcareer tips on, then the tip arrives.

Drives the real slack-bolt app (SlackRunner and its sender) against the fake Slack that the
Slack adapter's tests start on 127.0.0.1, with daily tips wired as ``mlcareer run`` wires
them (see ``delivery.wired``); and ``mlcareer tips send-due``'s Slack sender on its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.adapters.slack.sender import web_api_sender
from bot.commands.tips import send_due
from bot.core.router import Router
from bot.errors import SettingsError
from bot.settings import Secret, Settings
from bot.tips.models import ChannelKey
from bot.tips.scheduler import Outcome
from bot.tips.senders import build_senders
from bot.tips.stores import open_store
from bot.tips.testing import FakeClock
from tests.adapters.slack.fake_slack import BOT_TOKEN, FakeSlack
from tests.adapters.slack.harness import SlackHarness

from .conftest import subscribe
from .delivery import NINE_IN_BERLIN, Wired, knowledge_with_tips, wired

CHANNEL = "C0GENERAL"  # where the slash command fixture is typed
KEY = ChannelKey("slack", CHANNEL)

Setup = Wired[SlackHarness]


@pytest.fixture
async def setup(db_url: str) -> AsyncIterator[Setup]:
    def start(router: Router) -> SlackHarness:
        return SlackHarness(router=router, slack_admins={"U0ASKER"})

    async with wired(db_url, start) as ready:
        yield ready


async def test_an_admin_subscribes_by_command_then_the_tip_arrives_in_the_channel(
    setup: Setup,
) -> None:
    replies = await setup.harness.command("tips on 09:00 Europe/Berlin")
    assert any("Daily tips are on in this channel" in text for text in replies)
    assert any("Monday 3 June 2024, 09:00 CEST" in text for text in replies)
    assert [c.params["user"] for c in setup.harness.fake.calls_to("users.info")] == ["U0ASKER"]

    setup.clock.set(NINE_IN_BERLIN)
    report = await setup.tips.scheduler.run_due()
    assert report.count(Outcome.POSTED) == 1
    [posted] = setup.harness.fake.sent("chat.postMessage")
    assert posted.channel == CHANNEL
    assert posted.thread_ts is None
    assert "Delivery test tip" in posted.text
    assert "/mlcareer " in posted.text
    assert posted.payload["blocks"][0]["type"] == "header"

    again = await setup.tips.scheduler.run_due(NINE_IN_BERLIN + timedelta(minutes=30))
    assert again.results == []
    assert len(setup.harness.fake.sent("chat.postMessage")) == 1


async def test_status_now_and_off_by_command(setup: Setup) -> None:
    """Anyone reads the status in local time with the tips left; tips now is for the channel."""
    await setup.harness.command("tips on 09:00 Europe/Berlin weekdays")
    status = await setup.harness.command("tips status", user_id="U0MEMBER")
    assert any("Next tip: Monday 3 June 2024, 09:00 CEST" in text for text in status)
    assert any("3 of 3 tips left" in text for text in status)

    [now] = await setup.harness.command_messages("tips now")
    assert now.payload["response_type"] == "in_channel"
    assert "Delivery test tip" in now.text
    status = await setup.harness.command("tips status", user_id="U0MEMBER")
    assert any("2 of 3 tips left" in text for text in status)

    off = await setup.harness.command("tips off")
    assert any("Daily tips are off in this channel" in text for text in off)
    setup.clock.set(NINE_IN_BERLIN)
    assert (await setup.tips.scheduler.run_due()).results == []
    assert setup.harness.fake.sent("chat.postMessage") == []


async def test_someone_who_is_not_an_admin_is_refused_and_told_who_can(setup: Setup) -> None:
    replies = await setup.harness.command("tips on 09:00", user_id="U0MEMBER")
    assert any("Only channel managers can do that" in text for text in replies)
    assert any("workspace admins and owners" in text for text in replies)
    assert any("MLCAREER_ADMINS" in text for text in replies)
    assert await setup.store.all() == []


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found"])
async def test_a_channel_the_bot_cannot_post_in_is_paused_not_retried(
    setup: Setup, error: str
) -> None:
    """Slack's answer pauses the subscription with the reason; later runs don't try again."""
    await setup.harness.command("tips on 09:00 Europe/Berlin")
    if error == "not_in_channel":
        setup.harness.fake.channels_without_bot.add(CHANNEL)
    else:
        setup.harness.fake.script("chat.postMessage", 200, {"ok": False, "error": error})
    await setup.check_paused(KEY, error)
    assert len(setup.harness.fake.calls_to("chat.postMessage")) == 1
    status = await setup.harness.command("tips status")
    assert any("Daily tips are paused in this channel" in text for text in status)


async def test_send_due_posts_through_the_slack_web_api_sender(db_url: str) -> None:
    """``mlcareer tips send-due`` builds its Slack sender from the settings alone."""
    fake = FakeSlack()
    await fake.start()
    try:
        store = await open_store(db_url)
        monday = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)
        await subscribe(store, monday, key=ChannelKey("slack", "C0TIPS"), at=time(9, 0))
        await store.close()
        settings = Settings(
            slack_bot_token=Secret(BOT_TOKEN), slack_api_url=fake.api_url, database_url=db_url
        )
        at = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)
        async with build_senders(settings) as senders:
            assert set(senders) == {"slack"}
            report = await send_due(settings, knowledge_with_tips(), senders, at, FakeClock(at))
        assert report.count(Outcome.POSTED) == 1
        assert [s.channel for s in fake.sent("chat.postMessage")] == ["C0TIPS"]
    finally:
        await fake.stop()


async def test_the_send_due_sender_checks_the_token_first() -> None:
    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN must start with xoxb-"):
        async with web_api_sender(Settings(slack_bot_token=Secret("xoxp-user-token"))):
            pass
