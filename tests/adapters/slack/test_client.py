"""Every Web API call the bot makes goes to SLACK_API_URL (GovSlack, a proxy, these tests).

The tests watch the event loop's name lookups: the fake Slack is at 127.0.0.1, so any call
that went anywhere else (slack.com, the SDK's default) would have to look a name up first.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.client import TIMEOUT_SECONDS, build_client, web_session
from bot.adapters.slack.sender import SlackSender, web_api_sender
from bot.core.reply import Reply, ReplyKind
from bot.errors import PlatformError, SettingsError
from bot.settings import Secret, Settings
from tests.adapters.slack import payloads
from tests.adapters.slack.conftest import RecordingTips
from tests.adapters.slack.fake_slack import BOT_TOKEN, FakeSlack
from tests.adapters.slack.harness import SlackHarness


@dataclass
class NameLookups:
    """Stands in for the loop's getaddrinfo: notes the host and refuses to resolve it."""

    hosts: list[str] = field(default_factory=list)

    async def __call__(self, host: Any, *args: Any, **kwargs: Any) -> Any:
        self.hosts.append(str(host))
        raise OSError(f"tests never look names up ({host})")


@pytest.fixture
async def lookups(monkeypatch: pytest.MonkeyPatch) -> NameLookups:
    guard = NameLookups()
    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", guard)
    return guard


async def test_the_watch_sees_a_call_to_slack_com(lookups: NameLookups) -> None:
    """The watch itself works: the SDK's default base URL needs a lookup and is refused."""
    with pytest.raises(aiohttp.ClientConnectorError, match=r"slack\.com"):
        await AsyncWebClient(token=BOT_TOKEN, retry_handlers=[]).api_test()
    assert lookups.hosts == ["slack.com"]


@pytest.mark.parametrize("socket_mode", [False, True], ids=["http", "socket-mode"])
async def test_every_web_api_call_goes_to_slack_api_url(
    lookups: NameLookups, socket_mode: bool
) -> None:
    async with SlackHarness(socket_mode=socket_mode, tips=RecordingTips()) as slack:
        [sent] = await slack.command_messages("salary")
        await slack.mention("tips status")  # users.info
        await slack.dm("skills")
        buttons = [
            e for b in sent.payload["blocks"] if b["type"] == "actions" for e in b["elements"]
        ]
        for button in (buttons[0], buttons[-1]):  # a related topic, then "Share in channel"
            name = (
                "block_actions_share" if button["action_id"] == "share" else "block_actions_topic"
            )
            url = slack.fake.response_url(button["action_id"])
            await slack.click(payloads.action(name, value=button["value"], response_url=url))
        await slack.fake.wait_until(lambda: len(slack.fake.sent("response_url")) == 2)
    methods = {call.method for call in slack.fake.calls}
    assert {"auth.test", "chat.postMessage", "users.info"} <= methods
    assert ("apps.connections.open" in methods) is socket_mode
    assert lookups.hosts == []


def test_the_client_uses_slack_api_url_with_the_trailing_slash_the_sdk_needs() -> None:
    settings = Settings(
        slack_bot_token=Secret(BOT_TOKEN), slack_api_url="https://slack-gov.com/api"
    )
    assert build_client(settings).base_url == "https://slack-gov.com/api/"


def test_a_malformed_slack_api_url_is_refused_not_replaced_by_slack_com() -> None:
    settings = Settings(slack_bot_token=Secret(BOT_TOKEN), slack_api_url="slack-gov.com/api")
    with pytest.raises(SettingsError, match="SLACK_API_URL must be an http"):
        build_client(settings)


async def test_a_slack_that_does_not_answer_is_given_up_on_at_the_clients_timeout(
    fake: FakeSlack,
) -> None:
    """The SDK's own timeout is ignored for a session handed to it; ``web_session`` bounds
    every call instead (here 0.2 s against a Slack that takes 30 s)."""
    fake.delay("chat.postMessage", 30)
    settings = Settings(slack_bot_token=Secret(BOT_TOKEN), slack_api_url=fake.api_url)
    client = build_client(settings)
    async with web_session(timeout=0.2) as session:
        client.session = session
        with pytest.raises(PlatformError, match=r"chat\.postMessage"):
            await asyncio.wait_for(
                SlackSender(client).post(
                    "C0GENERAL", Reply(ReplyKind.NOTICE, "Hello", "Hello there.")
                ),
                10,
            )


async def test_the_runner_and_one_shot_senders_bound_every_call(slack: SlackHarness) -> None:
    assert slack.runner is not None
    session = slack.runner.client.session
    assert isinstance(session, aiohttp.ClientSession)
    assert session.timeout.total == TIMEOUT_SECONDS
    settings = Settings(slack_bot_token=Secret(BOT_TOKEN), slack_api_url=slack.fake.api_url)
    async with web_api_sender(settings) as sender:
        assert isinstance(sender.client.session, aiohttp.ClientSession)
        assert sender.client.session.timeout.total == TIMEOUT_SECONDS
