"""``mlcareer run`` with both platforms: one event loop serves Slack, Discord and the tips,
and one platform failing never stops the other."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.commands.run import serve
from bot.settings import Secret, Settings
from tests.adapters.discord import events
from tests.adapters.discord import fake_discord as discord_fake
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import plain_text
from tests.adapters.slack import payloads
from tests.adapters.slack.fake_slack import APP_TOKEN, BOT_TOKEN, FakeSlack
from tests.adapters.slack.subprocess_bot import free_port
from tests.ops.prometheus import sample, scrape

WAIT = 20.0  # bounded loopback waits: start-up imports and connects both platforms


async def test_slack_and_discord_answer_from_one_event_loop(tmp_path: Path) -> None:
    """A Slack mention (Socket Mode) and a Discord mention are both answered by one serve()."""
    slack, discord = FakeSlack(), FakeDiscord()
    await slack.start()
    await discord.start()
    settings = Settings(
        slack_bot_token=Secret(BOT_TOKEN),
        slack_app_token=Secret(APP_TOKEN),
        slack_api_url=slack.api_url,
        discord_token=Secret(discord_fake.TOKEN),
        discord_api_url=discord.api_url,
        discord_guild_id=discord_fake.GUILD_ID,
        database_url=f"sqlite:///{tmp_path / 'tips.db'}",
        ops_port=0,
    )
    running = asyncio.create_task(serve(settings, ["slack", "discord"]))
    try:
        async with asyncio.timeout(WAIT):
            await discord.identified.wait()
        mention = payloads.event("app_mention", text="<@UBOT> what skills do I need?")
        async with asyncio.timeout(WAIT):
            await slack.send_envelope("events_api", mention)
            await slack.wait_until(lambda: bool(slack.sent("chat.postMessage")), WAIT)
        await discord.dispatch(
            "MESSAGE_CREATE", events.message(f"<@{discord_fake.BOT_ID}> what degree do I need?")
        )
        (discord_reply,) = await discord.wait_for(lambda r: r.kind == "message", within=WAIT)
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await slack.stop()
        await discord.close()
    (slack_reply,) = slack.sent("chat.postMessage")
    assert "Skills an ML engineer needs" in slack_reply.text
    assert "Degrees and education" in plain_text(discord_reply.message)
    assert (tmp_path / "tips.db").exists()  # the daily-tip scheduler opened its database


class HeldSleep:
    """The supervisors' backoff: notes each wait and holds it until the test releases it, so
    the test sees the platform down before it comes back (and never waits on real time)."""

    def __init__(self) -> None:
        self.delays: list[float] = []
        self.asleep = asyncio.Event()
        self._release = asyncio.Event()

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.asleep.set()
        await self._release.wait()

    def release(self) -> None:
        self._release.set()


async def readyz(http: aiohttp.ClientSession, base: str) -> tuple[int, dict[str, Any]]:
    async with http.get(f"{base}/readyz") as response:
        return response.status, await response.json()


async def until_ready(http: aiohttp.ClientSession, base: str) -> dict[str, Any]:
    """Poll /readyz (bounded) until it answers 200; its body."""
    async with asyncio.timeout(WAIT):
        while True:
            status, body = await readyz(http, base)
            if status == 200:
                return body
            await asyncio.sleep(0.02)


async def test_discord_failing_restarts_discord_while_slack_and_the_endpoint_keep_serving(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The real discord.py client gets a gateway message it cannot parse: the exception ends
    the Discord runner, /readyz shows Discord down while Slack still answers, the runner is
    restarted after its backoff, and /readyz is all ready again; serve never stops."""
    slack, discord = FakeSlack(), FakeDiscord()
    await slack.start()
    await discord.start()
    port = free_port()
    settings = Settings(
        slack_bot_token=Secret(BOT_TOKEN),
        slack_app_token=Secret(APP_TOKEN),
        slack_api_url=slack.api_url,
        discord_token=Secret(discord_fake.TOKEN),
        discord_api_url=discord.api_url,
        discord_guild_id=discord_fake.GUILD_ID,
        database_url=f"sqlite:///{tmp_path / 'tips.db'}",
        ops_port=port,
    )
    base = f"http://127.0.0.1:{port}"
    sleep = HeldSleep()
    running = asyncio.create_task(serve(settings, ["slack", "discord"], sleep=sleep))
    try:
        async with aiohttp.ClientSession() as http:
            async with asyncio.timeout(WAIT):
                await discord.identified.wait()
            body = await until_ready(http, base)
            assert body["checks"] == {"slack": "ok", "discord": "ok", "database": "ok"}

            discord.identified.clear()
            await discord.send_raw('{"op": 0, "t": "MESSAGE_CREATE", "d": {oops')
            async with asyncio.timeout(WAIT):
                await sleep.asleep.wait()  # the Discord runner failed; its restart waits
            status, body = await readyz(http, base)
            assert status == 503
            assert body["not_ready"] == ["discord"]
            assert body["checks"]["slack"] == "ok"
            assert body["checks"]["database"] == "ok"
            assert body["checks"]["discord"].startswith("down (JSONDecodeError: ")
            assert body["checks"]["discord"].endswith("restarting in 1 s")

            mention = payloads.event("app_mention", text="<@UBOT> what skills do I need?")
            await slack.send_envelope("events_api", mention)
            await slack.wait_until(lambda: bool(slack.sent("chat.postMessage")), WAIT)
            assert not running.done()

            sleep.release()
            async with asyncio.timeout(WAIT):
                await discord.identified.wait()  # a fresh client logged in and identified
            await until_ready(http, base)
            await discord.dispatch(
                "MESSAGE_CREATE", events.message(f"<@{discord_fake.BOT_ID}> what degree do I need?")
            )
            (discord_reply,) = await discord.wait_for(lambda r: r.kind == "message", within=WAIT)
            metrics = await scrape(http, base)
        assert not running.done()
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await slack.stop()
        await discord.close()
    (slack_reply,) = slack.sent("chat.postMessage")
    assert "Skills an ML engineer needs" in slack_reply.text
    assert "Degrees and education" in plain_text(discord_reply.message)
    assert sleep.delays == [1.0]
    [failure] = [r for r in caplog.records if r.getMessage().startswith("discord failed")]
    assert failure.exc_info is not None  # logged with its traceback
    assert sample(metrics, "mlcareer_platform_restarts_total", platform="discord") == 1
    assert sample(metrics, "mlcareer_platform_restarts_total", platform="slack") == 0
    assert sample(metrics, "mlcareer_gateway_reconnects_total", platform="discord") == 1
    assert sample(metrics, "mlcareer_requests_total", platform="slack", kind="answer") == 1
    assert sample(metrics, "mlcareer_requests_total", platform="discord", kind="answer") == 1
    discord.assert_no_problems()
