"""``mlcareer run`` wires the question log: the router records questions from any platform
into DATABASE_URL, and the retention purge runs beside the tip scheduler on its clock."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.commands.run import serve
from bot.core.metrics import Metrics
from bot.core.ports import PlatformRunner
from bot.core.reply import Reply
from bot.core.request import Request
from bot.core.router import Router
from bot.questions.models import LoggedQuestion
from bot.questions.sql_log import open_question_log
from bot.receipts.ports import EventReceipts
from bot.settings import Settings
from bot.tips.testing import FakeClock, RecordingSender
from tests.questions.conftest import NOW


class AskingRunner:
    """A platform that asks one question through the router, then serves until stopped."""

    name = "slack"

    def __init__(self, router: Router) -> None:
        self.router = router
        self.sender = RecordingSender("slack")
        self.replies: list[Reply] = []
        self.answered = asyncio.Event()

    async def ready(self) -> str | None:
        return None

    async def run(self) -> None:
        asked = Request("what skills do I need?", "U1", "C1", "slack", workspace="T1")
        self.replies.append(await self.router.handle(asked))
        self.answered.set()
        await asyncio.Future()


async def no_wait(seconds: float) -> None:
    await asyncio.sleep(0)


async def test_run_logs_questions_and_purges_old_text(db_url: str) -> None:
    old = await open_question_log(db_url)
    await old.record(
        LoggedQuestion(
            "old1",
            NOW - timedelta(days=91),
            "slack",
            "T1",
            "dm",
            "h",
            "an old question",
            "decline",
            None,
            None,
            1.0,
        )
    )
    await old.close()
    runners: list[AskingRunner] = []

    def build(
        settings: Settings,
        router: Router,
        platforms: list[str],
        metrics: Metrics,
        receipts: EventReceipts | None,
    ) -> list[PlatformRunner]:
        runners.append(AskingRunner(router))
        return list(runners)

    settings = Settings(database_url=db_url, ops_port=0, log_retention_days=90)
    clock = FakeClock(NOW)
    serving = asyncio.create_task(
        serve(settings, ["slack"], build=build, clock=clock, sleep=no_wait)
    )
    try:
        await clock.wait_for_sleeper()
        [runner] = runners
        await runner.answered.wait()
        assert runner.replies[0].question_id is not None
        log = await open_question_log(db_url)
        try:
            for _ in range(200):  # the purge runs on its own task: wait for it
                rows = {
                    r.question.id: r.question
                    for r in (await log.read(NOW - timedelta(days=100))).questions
                }
                if rows.get("old1") and rows["old1"].text is None and len(rows) == 2:
                    break
                await asyncio.sleep(0.02)
            assert rows["old1"].text is None
            assert rows[runner.replies[0].question_id].text == "what skills do I need?"
        finally:
            await log.close()
    finally:
        serving.cancel()
        await asyncio.gather(serving, return_exceptions=True)
