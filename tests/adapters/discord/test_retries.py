"""A 502/503/504 from Discord on the bot's own posts (mention answers, tips) is retried a few
times with backoff, honouring Retry-After, and counted; the real discord.py client against the
fake, which answers the first N posts with the error."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from bot.adapters.discord.retry import ServerErrorRetry
from bot.adapters.discord.runner import DiscordRunner
from bot.core.reply import Reply, ReplyKind
from bot.core.router import Router
from bot.core.services import Services
from bot.errors import PlatformError
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.ops.metrics import PrometheusMetrics
from bot.settings import Secret, Settings
from tests.adapters.discord import events
from tests.adapters.discord import fake_discord as fake
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.ops.prometheus import sample

MESSAGES = r"^/channels/\d+/messages$"
UNAVAILABLE = {"message": "503 Service Unavailable", "code": 0}
TIP = Reply(ReplyKind.TIP, "Tip of the day", "Learn SQL.", public=True)


class Sleeps:
    """Records the waits asked for instead of waiting."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


class Bot:
    def __init__(
        self, server: FakeDiscord, runner: DiscordRunner, sleeps: Sleeps, metrics: PrometheusMetrics
    ) -> None:
        self.server, self.runner, self.sleeps, self.metrics = server, runner, sleeps, metrics

    def retries(self) -> float:
        text = self.metrics.render().decode()
        found = sample(
            text, "mlcareer_web_api_retries_total", platform="discord", reason="server_error"
        )
        return found or 0.0


@pytest.fixture
async def bot(knowledge: KnowledgeBase, matcher: Matcher) -> AsyncIterator[Bot]:
    server = FakeDiscord()
    await server.start()
    settings = Settings.load(
        environ={},
        dotenv=None,
        discord_token=Secret(fake.TOKEN),
        discord_api_url=server.api_url,
        discord_guild_id=fake.GUILD_ID,
    )
    sleeps, metrics = Sleeps(), PrometheusMetrics()
    retry = ServerErrorRetry(sleep=sleeps, metrics=metrics)
    router = Router(Services(knowledge=knowledge, matcher=matcher))
    runner = DiscordRunner(settings, router, metrics=metrics, retry=retry)
    running = Bot(server, runner, sleeps, metrics)
    task = asyncio.create_task(runner.run())
    try:
        async with asyncio.timeout(10):
            await server.identified.wait()
        yield running
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await server.close()
    server.assert_no_problems()


async def test_a_mentions_answer_survives_two_503s(bot: Bot) -> None:
    bot.server.fail("POST", MESSAGES, 503, UNAVAILABLE, times=2)
    payload = events.message(f"<@{fake.BOT_ID}> what skills do I need?")
    await bot.server.dispatch("MESSAGE_CREATE", payload)
    (answer,) = await bot.server.wait_for(lambda r: r.kind == "message")
    assert answer.status == 200
    assert str(answer.body["message_reference"]["message_id"]) == payload["id"]
    assert [r.status for r in bot.server.received if r.path.startswith("/channels/")] == [
        503,
        503,
        200,
    ]
    assert bot.sleeps.seconds == [0.5, 1.0]  # exponential backoff
    assert bot.retries() == 2


async def test_retry_after_is_honoured(bot: Bot) -> None:
    bot.server.fail("POST", MESSAGES, 503, UNAVAILABLE, headers={"Retry-After": "7"})
    await bot.runner.sender.post(fake.CHANNEL_ID, TIP)
    assert bot.sleeps.seconds == [7.0]
    assert [r.status for r in bot.server.received if r.path.startswith("/channels/")] == [503, 200]


async def test_a_tip_survives_three_503s(bot: Bot) -> None:
    bot.server.fail("POST", MESSAGES, 503, UNAVAILABLE, times=3)
    await bot.runner.sender.post(fake.CHANNEL_ID, TIP)
    (posted,) = bot.server.where("message")
    assert posted.body["embeds"][0]["title"] == "Tip of the day"
    assert bot.retries() == 3


async def test_retries_are_bounded_and_the_last_error_is_raised(bot: Bot) -> None:
    bot.server.fail("POST", MESSAGES, 503, UNAVAILABLE, times=5)
    with pytest.raises(PlatformError, match="HTTP 503"):
        await bot.runner.sender.post(fake.CHANNEL_ID, TIP)
    assert len(bot.server.where("failed")) == 4  # the first attempt and three retries
    assert bot.sleeps.seconds == [0.5, 1.0, 2.0]
    assert bot.retries() == 3


async def test_a_client_error_is_not_retried(bot: Bot) -> None:
    bot.server.fail("POST", MESSAGES, 400, {"message": "Cannot send an empty message", "code": 0})
    with pytest.raises(PlatformError, match="HTTP 400"):
        await bot.runner.sender.post(fake.CHANNEL_ID, TIP)
    assert len(bot.server.where("failed")) == 1
    assert bot.sleeps.seconds == []
