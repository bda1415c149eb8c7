"""Recording in the core, MLCAREER_QUESTION_LOG=off, the retention purge on an injected
clock, and a failing log that costs nobody their answer; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest

from bot.core.request import Request
from bot.core.router import Router
from bot.core.services import Services
from bot.errors import StorageError
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.questions.models import Forgotten, LoggedQuestion, LogSnapshot
from bot.questions.retention import EVERY, RetentionPurge
from bot.questions.service import QuestionService
from bot.questions.sql_log import SqlQuestionLog
from bot.tips.testing import FakeClock
from tests.questions.conftest import NOW

KEY = b"s" * 32


def routed(service: QuestionService, knowledge: KnowledgeBase, matcher: Matcher) -> Router:
    services = Services(knowledge=knowledge, matcher=matcher)
    services.questions = service
    return Router(services)


async def test_only_answers_to_questions_and_topics_are_logged(
    qlog: SqlQuestionLog, knowledge: KnowledgeBase, matcher: Matcher
) -> None:
    service = QuestionService(qlog, KEY, FakeClock(NOW), knowledge, matcher)
    route = routed(service, knowledge, matcher)
    asked = {
        text: await route.handle(Request(text, "U1", platform="slack"))
        for text in ("skills", "what skills do I need?", "help", "hi", "topics", "tip")
    }
    logged = {r.question.text: r.question for r in (await qlog.read(NOW)).questions}
    assert set(logged) == {"skills", "what skills do I need?"}
    for text, question in logged.items():
        assert asked[text].question_id == question.id
        assert question.band == asked[text].kind.value
        assert question.entry_id == asked[text].entry_id
    assert asked["help"].question_id is None


async def test_off_keeps_only_counts_and_gives_no_question_id(
    qlog: SqlQuestionLog, knowledge: KnowledgeBase, matcher: Matcher
) -> None:
    service = QuestionService(qlog, KEY, FakeClock(NOW), knowledge, matcher, keep=False)
    reply = await routed(service, knowledge, matcher).handle(Request("what skills do I need?"))
    assert reply.question_id is None
    snapshot = await qlog.read(NOW - timedelta(days=1))
    assert snapshot.questions == ()
    assert [(c.band, c.n) for c in snapshot.counts] == [(reply.kind.value, 1)]


async def test_the_purge_runs_on_the_clock_and_deletes_only_old_text(
    qlog: SqlQuestionLog, knowledge: KnowledgeBase, matcher: Matcher
) -> None:
    clock = FakeClock(NOW - timedelta(days=91))
    service = QuestionService(qlog, KEY, clock, knowledge, matcher)
    route = routed(service, knowledge, matcher)
    await route.handle(Request("what skills do I need?"))
    clock.set(NOW - timedelta(days=89, hours=23, minutes=30))
    await route.handle(Request("how much do ml engineers earn"))
    clock.set(NOW - timedelta(days=1))
    purge = RetentionPurge(qlog, clock, timedelta(days=90))
    task = asyncio.create_task(purge.run_forever())
    try:
        await clock.wait_for_sleeper()  # the start-up purge ran; nothing is that old yet
        texts = [r.question.text for r in (await qlog.read(NOW - timedelta(days=100))).questions]
        assert texts == ["what skills do I need?", "how much do ml engineers earn"]
        clock.set(NOW)  # a day later: the first question is past 90 days
        await clock.wait_for_sleeper()
        texts = [r.question.text for r in (await qlog.read(NOW - timedelta(days=100))).questions]
        assert texts == [None, "how much do ml engineers earn"]
        clock.advance(EVERY)  # an hour on, the second one goes too
        await clock.wait_for_sleeper()
        rows = (await qlog.read(NOW - timedelta(days=100))).questions
        assert [r.question.text for r in rows] == [None, None]
        assert all(r.question.band for r in rows)  # band, entry and score stay
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


class BrokenLog:
    """A log whose database is gone."""

    async def record(self, question: LoggedQuestion) -> None:
        raise StorageError("tips database: could not log a question: disk I/O error")

    async def purge_text(self, before: object) -> int:
        raise StorageError("gone")

    async def forget(self, user_hash: str) -> Forgotten:
        raise StorageError("gone")

    async def read(self, since: object) -> LogSnapshot:
        raise StorageError("gone")


async def test_a_failing_log_still_answers_and_says_so_only_in_the_log(
    knowledge: KnowledgeBase, matcher: Matcher, caplog: pytest.LogCaptureFixture
) -> None:
    service = QuestionService(BrokenLog(), KEY, FakeClock(NOW), knowledge, matcher)
    with caplog.at_level(logging.ERROR):
        reply = await routed(service, knowledge, matcher).handle(Request("skills"))
        purged = await RetentionPurge(BrokenLog(), FakeClock(NOW), timedelta(days=1)).run_once()
    assert reply.kind.value == "answer"
    assert reply.question_id is None
    assert purged == 0
    assert "could not log a question" in caplog.text
    # forget me on a broken log: the router's polite apology, never a traceback.
    failed = await routed(service, knowledge, matcher).handle(Request("forget me"))
    assert failed.kind.value == "error"


async def test_forget_and_report_outside_slack_and_discord(router: Router) -> None:
    """Without a question log (the terminal) forget me and report say why, politely."""
    assert "nothing to forget" in (await router.handle(Request("forget me"))).body
    assert "mlcareer report" in (await router.handle(Request("report"))).body
