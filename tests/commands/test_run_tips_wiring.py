"""``mlcareer run``'s daily-tips wiring: commands reach the tips service, the scheduler posts
through the runners' senders, and stopping never leaves a sent tip unrecorded."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.commands.run import serve
from bot.core.ports import PlatformRunner
from bot.core.reply import Reply
from bot.core.request import Request
from bot.core.router import Router
from bot.errors import PlatformError
from bot.settings import Settings
from bot.tips.models import ChannelKey
from bot.tips.stores import open_store
from bot.tips.testing import FakeClock, HeldSender

MONDAY_8AM = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)
NINE = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)


class ScriptedRunner:
    """A ``PlatformRunner`` that subscribes its channel by command, then fails on cue."""

    name = "slack"

    def __init__(self, router: Router) -> None:
        self.router = router
        self.sender = HeldSender()
        self.replies: list[Reply] = []
        self.drop = asyncio.Event()
        self.answered = asyncio.Event()

    async def run(self) -> None:
        admin = Request("tips on 09:00", user="U1", channel="C1", platform="slack", is_admin=True)
        self.replies.append(await self.router.handle(admin))
        self.answered.set()
        await self.drop.wait()
        raise PlatformError("the connection to Slack dropped")


async def test_a_platform_failing_mid_post_stops_the_scheduler_before_the_database_closes(
    db_url: str,
) -> None:
    """Subscribe through the router, let the scheduler start a post, then the platform fails:
    the post finishes, is recorded as sent, and serve ends with the platform's error."""
    url = db_url
    clock = FakeClock(MONDAY_8AM)
    runners: list[ScriptedRunner] = []

    def build(settings: Settings, router: Router, platforms: list[str]) -> list[PlatformRunner]:
        runners.append(ScriptedRunner(router))
        return list(runners)

    serving = asyncio.create_task(
        serve(Settings(database_url=url), ["slack"], build=build, clock=clock)
    )
    await clock.wait_for_sleeper()  # the scheduler has started and waits for its next wake
    [runner] = runners
    await runner.answered.wait()  # the store works on its own thread: "tips on" may lag
    assert runner.replies[0].title == "Daily tips are on in this channel"

    clock.set(NINE)
    await runner.sender.started.wait()
    runner.drop.set()
    for _ in range(10):  # serve has seen the failure and is stopping the scheduler
        await asyncio.sleep(0)
    assert not serving.done()
    runner.sender.release.set()
    with pytest.raises(PlatformError, match="dropped"):
        await serving
    assert [channel for channel, _ in runner.sender.posts] == ["C1"]

    store = await open_store(url)
    try:
        assert await store.posted(ChannelKey("slack", "C1"), NINE.date()) is True
    finally:
        await store.close()
