"""SlackRunner start-up: settings checks, a refused token, an unreachable Slack, a busy port."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field

import aiohttp
import pytest

from bot.adapters.slack.runner import SlackRunner
from bot.core.reply import Reply, ReplyKind
from bot.core.request import Request
from bot.core.router import Router
from bot.core.services import build_services
from bot.errors import PlatformError, SettingsError
from bot.settings import Secret, Settings
from tests.adapters.slack import payloads
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import SIGNING_SECRET, FakeSleep, SlackHarness, eventually


def runner(sleep: FakeSleep | None = None, **changes: object) -> SlackRunner:
    base: dict[str, object] = {
        "slack_bot_token": Secret("xoxb-test-token"),
        "slack_signing_secret": Secret(SIGNING_SECRET),
        "slack_http": True,
        "slack_port": 0,
    }
    base.update(changes)
    settings = Settings(**base)  # type: ignore[arg-type]
    return SlackRunner(
        settings, Router(build_services(settings)), host="127.0.0.1", sleep=sleep or FakeSleep()
    )


def test_runner_offers_a_slack_channel_sender() -> None:
    slack = runner()
    assert slack.name == "slack"
    assert slack.sender.platform == "slack"


async def test_missing_token_stops_the_start_before_any_network_call() -> None:
    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN is not set"):
        await runner(slack_bot_token=None, slack_api_url="http://127.0.0.1:9/api/").run()


async def test_a_bot_token_slack_refuses_stops_the_start(fake: FakeSlack) -> None:
    with pytest.raises(
        SettingsError, match=r"SLACK_BOT_TOKEN was refused by Slack \(invalid_auth\)"
    ):
        await runner(slack_bot_token=Secret("xoxb-revoked-token"), slack_api_url=fake.api_url).run()


async def test_an_app_token_slack_refuses_stops_the_start(fake: FakeSlack) -> None:
    slack = runner(
        slack_app_token=Secret("xapp-revoked-token"), slack_http=False, slack_api_url=fake.api_url
    )
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN was refused by Slack"):
        await slack.run()


async def test_unreachable_slack_is_a_platform_error_after_retries() -> None:
    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleep = FakeSleep()
    slack = runner(sleep, slack_api_url=f"http://127.0.0.1:{port}/api/")
    with pytest.raises(PlatformError, match="cannot reach the Slack Web API"):
        await slack.run()
    assert len(sleep.calls) == 3  # retried with backoff before giving up


async def test_a_socket_mode_websocket_that_cannot_be_opened_stops_the_start(
    fake: FakeSlack,
) -> None:
    """apps.connections.open hands out a URL nobody answers at: the start fails with a clear
    line once the (short, loopback) connect time is up, instead of retrying forever."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"ws://127.0.0.1:{probe.getsockname()[1]}/socket"
    fake.script("apps.connections.open", 200, {"ok": True, "url": dead})
    settings = Settings(
        slack_bot_token=Secret("xoxb-test-token"),
        slack_app_token=Secret("xapp-test-token"),
        slack_api_url=fake.api_url,
    )
    slack = SlackRunner(
        settings, Router(build_services(settings)), sleep=FakeSleep(), connect_seconds=0.2
    )
    with pytest.raises(PlatformError, match="cannot open the Socket Mode websocket"):
        await slack.run()
    assert not slack.serving.is_set()


async def test_a_busy_port_is_a_platform_error_naming_the_port(fake: FakeSlack) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        slack = runner(slack_api_url=fake.api_url, slack_port=port)
        with pytest.raises(PlatformError, match=f"cannot listen on port {port}"):
            await slack.run()


@dataclass
class GatedTips:
    """A TipsCommands double whose answer waits until the test opens ``gate``."""

    gate: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: Request, args: str) -> Reply:
        await self.gate.wait()
        return Reply(kind=ReplyKind.NOTICE, title="Daily tips", body="Finished late.")


async def test_shutdown_lets_an_answer_still_in_flight_finish_and_be_sent() -> None:
    """Stopping the bot waits for answers already acknowledged, with the connection pool
    still open, so nothing a person asked for is dropped by a restart."""
    tips = GatedTips()
    slack = SlackHarness(tips=tips, ack_budget=0)
    await slack.start()
    try:
        assert slack.runner is not None
        assert slack._task is not None
        form = payloads.command("tips status", response_url=slack.fake.response_url("late"))
        acknowledged = await slack.post_form(form)
        assert (acknowledged.status, acknowledged.body) == (200, "")
        slack._task.cancel()
        await eventually(lambda: not slack.runner.serving.is_set())  # now draining
        tips.gate.set()
        await asyncio.gather(slack._task, return_exceptions=True)
        [late] = slack.fake.sent("response_url")
        assert "Finished late." in late.text
    finally:
        await slack.stop()


async def test_http_mode_listens_on_slack_host_and_is_ready_while_listening(
    fake: FakeSlack,
) -> None:
    settings = Settings(
        slack_bot_token=Secret("xoxb-test-token"),
        slack_signing_secret=Secret(SIGNING_SECRET),
        slack_api_url=fake.api_url,
        slack_http=True,
        slack_host="127.0.0.1",
        slack_port=0,
    )
    slack = SlackRunner(settings, Router(build_services(settings)), sleep=FakeSleep())
    assert slack.host == "127.0.0.1"
    assert await slack.ready() == "not connected to Slack"
    task = asyncio.create_task(slack.run())
    try:
        await eventually(slack.serving.is_set)
        assert await slack.ready() is None
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{slack.http_port}/healthz") as response,
        ):
            assert response.status == 200
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert await slack.ready() == "not connected to Slack"


async def test_socket_mode_readiness_follows_the_websocket() -> None:
    slack = SlackHarness(socket_mode=True)
    await slack.start()
    try:
        assert slack.runner is not None
        assert await slack.runner.ready() is None
        await slack.fake.stop()  # the websocket drops, and Slack cannot be reached again
        async with asyncio.timeout(10):
            while True:  # the SDK notices the drop after a moment
                problem = await slack.runner.ready()
                if problem is not None:
                    break
                await asyncio.sleep(0.02)
        assert problem == "the Socket Mode websocket is down; the SDK is reconnecting"
    finally:
        await slack.stop()
