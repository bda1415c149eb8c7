"""``mlcareer run``'s daily-tips wiring: commands reach the tips service, the scheduler posts
through the runners' senders, a platform failing mid-post neither stops the scheduler nor
loses the post, and stopping never leaves a sent tip unrecorded."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.commands.run import serve
from bot.core.metrics import Metrics
from bot.core.ports import PlatformRunner
from bot.core.reply import Reply
from bot.core.request import Request
from bot.core.router import Router
from bot.errors import PlatformError
from bot.receipts.ports import EventReceipts
from bot.settings import Settings
from bot.tips.models import ChannelKey
from bot.tips.stores import open_store
from bot.tips.testing import FakeClock, HeldSender

MONDAY_8AM = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)
NINE = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)


class ScriptedRunner:
    """A ``PlatformRunner`` that subscribes its channel by command, then fails on cue; run
    again (the supervisor's restart), it just serves."""

    name = "slack"

    def __init__(self, router: Router) -> None:
        self.router = router
        self.sender = HeldSender()
        self.replies: list[Reply] = []
        self.drop = asyncio.Event()
        self.runs = 0
        self.restarted = asyncio.Event()
        self.answered = asyncio.Event()

    async def ready(self) -> str | None:
        return None

    async def run(self) -> None:
        self.runs += 1
        if self.runs > 1:
            self.restarted.set()
            await asyncio.Future()
        admin = Request("tips on 09:00", user="U1", channel="C1", platform="slack", is_admin=True)
        self.replies.append(await self.router.handle(admin))
        self.answered.set()
        await self.drop.wait()
        raise PlatformError("the connection to Slack dropped")


async def no_wait(seconds: float) -> None:
    await asyncio.sleep(0)


async def start_mid_post(url: str) -> tuple[asyncio.Task[None], ScriptedRunner, str]:
    """Serve one scripted platform, subscribe through the router and let the scheduler start
    a post that the sender holds in flight."""
    clock = FakeClock(MONDAY_8AM)
    runners: list[ScriptedRunner] = []

    def build(
        settings: Settings,
        router: Router,
        platforms: list[str],
        metrics: Metrics,
        receipts: EventReceipts | None,
    ) -> list[PlatformRunner]:
        runners.append(ScriptedRunner(router))
        return list(runners)

    settings = Settings(database_url=url, ops_port=0)
    serving = asyncio.create_task(
        serve(settings, ["slack"], build=build, clock=clock, sleep=no_wait)
    )
    await clock.wait_for_sleeper()  # the scheduler has started and waits for its next wake
    [runner] = runners
    await runner.answered.wait()  # the store works on its own thread: "tips on" may lag
    assert runner.replies[0].title == "Daily tips are on in this channel"
    clock.set(NINE)
    await runner.sender.started.wait()
    return serving, runner, url


async def posted(url: str) -> bool:
    store = await open_store(url)
    try:
        return await store.posted(ChannelKey("slack", "C1"), NINE.date())
    finally:
        await store.close()


async def test_a_platform_failing_mid_post_is_restarted_and_the_post_is_recorded(
    db_url: str,
) -> None:
    """The platform fails while the scheduler posts: it is restarted, the post finishes and
    is recorded as sent, and serve keeps serving."""
    serving, runner, url = await start_mid_post(db_url)
    runner.drop.set()
    async with asyncio.timeout(5):
        await runner.restarted.wait()
    runner.sender.release.set()
    try:
        async with asyncio.timeout(5):  # the post is marked sent (on the store's own thread)
            while not await posted(url):  # noqa: ASYNC110 - the store has no event to wait on
                await asyncio.sleep(0.01)
        assert not serving.done()
        assert [channel for channel, _ in runner.sender.posts] == ["C1"]
    finally:
        serving.cancel()
        await asyncio.gather(serving, return_exceptions=True)


async def test_stopping_mid_post_lets_the_post_finish_before_the_database_closes(
    db_url: str,
) -> None:
    """Ctrl-C while a post is in flight: serve waits for it, records it, then closes."""
    serving, runner, url = await start_mid_post(db_url)
    serving.cancel()
    for _ in range(10):  # serve has seen the cancellation and is stopping the scheduler
        await asyncio.sleep(0)
    assert not serving.done()
    runner.sender.release.set()
    await asyncio.gather(serving, return_exceptions=True)
    assert serving.cancelled()
    assert [channel for channel, _ in runner.sender.posts] == ["C1"]
    assert await posted(url) is True
