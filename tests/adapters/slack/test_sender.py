"""SlackSender (chat.postMessage) and Responder (response_url) against the fake Slack."""

from __future__ import annotations

import socket

import aiohttp
import pytest

from bot.adapters.slack.client import build_client
from bot.adapters.slack.sender import Responder, SlackSender
from bot.core.reply import Reply, ReplyKind
from bot.errors import ChannelGoneError, PlatformError
from bot.settings import Secret, Settings
from tests.adapters.slack.fake_slack import BOT_TOKEN, FakeSlack
from tests.adapters.slack.harness import FakeSleep

TIP = Reply(kind=ReplyKind.TIP, title="Tip of the day", body="Ship small & often.")


def sender_for(api_url: str, sleep: FakeSleep | None = None) -> SlackSender:
    settings = Settings(slack_bot_token=Secret(BOT_TOKEN), slack_api_url=api_url)
    return SlackSender(build_client(settings, sleep or FakeSleep()))


async def test_post_sends_block_kit_with_fallback_text_to_the_channel(fake: FakeSlack) -> None:
    sender = sender_for(fake.api_url)
    await sender.post("C0TIPS", TIP)
    [sent] = fake.sent("chat.postMessage")
    assert sent.channel == "C0TIPS"
    assert sent.thread_ts is None
    assert sent.payload["text"].startswith("Tip of the day")
    assert "Ship small &amp; often." in sent.payload["text"]
    assert sent.payload["blocks"][0]["type"] == "header"
    assert sent.payload["unfurl_links"] is False
    assert [c.token for c in fake.calls] == [BOT_TOKEN]


async def test_post_in_a_thread(fake: FakeSlack) -> None:
    await sender_for(fake.api_url).post("C1", TIP, thread_ts="1700000000.000001")
    assert fake.sent("chat.postMessage")[0].thread_ts == "1700000000.000001"


@pytest.mark.parametrize(
    "code", ["not_in_channel", "channel_not_found", "is_archived", "account_inactive"]
)
async def test_a_channel_the_bot_cannot_post_in_any_more_is_channel_gone(
    fake: FakeSlack, code: str
) -> None:
    fake.script("chat.postMessage", 200, {"ok": False, "error": code})
    with pytest.raises(ChannelGoneError, match=code):
        await sender_for(fake.api_url).post("C0GONE", TIP)


async def test_other_refusals_are_platform_errors(fake: FakeSlack) -> None:
    fake.script("chat.postMessage", 200, {"ok": False, "error": "invalid_blocks"})
    with pytest.raises(PlatformError, match="invalid_blocks") as caught:
        await sender_for(fake.api_url).post("C1", TIP)
    assert not isinstance(caught.value, ChannelGoneError)


async def test_rate_limit_is_waited_out_and_the_tip_still_posted(fake: FakeSlack) -> None:
    fake.script(
        "chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, **{"Retry-After": "7"}
    )
    sleep = FakeSleep()
    await sender_for(fake.api_url, sleep).post("C1", TIP)
    assert sleep.calls == [7.0]
    assert len(fake.sent("chat.postMessage")) == 1


async def test_unreachable_slack_is_a_platform_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(PlatformError, match="ClientConnectorError"):
        await sender_for(f"http://127.0.0.1:{port}/api/").post("C1", TIP)


async def test_responder_posts_to_the_response_url(fake: FakeSlack) -> None:
    client = sender_for(fake.api_url).client
    async with aiohttp.ClientSession() as session:
        client.session = session
        await Responder(client).send(fake.response_url("z"), {"text": "hi"})
    assert fake.sent("response_url")[0].payload == {"text": "hi"}


async def test_responder_reports_a_refused_response_url(fake: FakeSlack) -> None:
    client = sender_for(fake.api_url).client
    with pytest.raises(PlatformError, match="HTTP 404"):
        await Responder(client).send(f"{fake.base_url}/nowhere", {"text": "hi"})
