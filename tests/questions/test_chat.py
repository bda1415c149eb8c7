"""The question log in chat, through the real slack-bolt and discord.py code and the fakes:
questions logged (hashed, with workspace and channel kind), ``forget me``, and ``report``
for admins only, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.privacy import user_hash
from bot.core.router import Router
from bot.core.services import Services
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.questions.service import QuestionService
from bot.questions.sql_log import SqlQuestionLog
from bot.tips.testing import FakeClock
from tests.adapters.discord import fake_discord
from tests.adapters.discord.harness import DiscordHarness, command_payload, texts
from tests.adapters.slack.harness import SlackHarness
from tests.questions.conftest import NOW

KEY = b"k" * 32


@pytest.fixture
async def service(
    qlog: SqlQuestionLog, knowledge: KnowledgeBase, matcher: Matcher
) -> QuestionService:
    return QuestionService(qlog, KEY, FakeClock(NOW), knowledge, matcher)


def router_with(service: QuestionService, knowledge: KnowledgeBase, matcher: Matcher) -> Router:
    services = Services(knowledge=knowledge, matcher=matcher)
    services.questions = service
    return Router(services)


async def rows(qlog: SqlQuestionLog) -> list[tuple[str, str, str, str | None, str | None, str]]:
    snapshot = await qlog.read(NOW - timedelta(days=1))
    return [
        (q.platform, q.workspace, q.channel_kind, q.user_hash, q.text, q.band)
        for q in (r.question for r in snapshot.questions)
    ]


async def test_slack_logs_forgets_and_reports(
    service: QuestionService, qlog: SqlQuestionLog, knowledge: KnowledgeBase, matcher: Matcher
) -> None:
    asker = user_hash(KEY, "slack", "U0ASKER")
    async with SlackHarness(
        router=router_with(service, knowledge, matcher), slack_admins=["U0ADMIN"]
    ) as slack:
        await slack.command("what skills do I need?")
        await slack.mention("how do I fix my car engine")
        await slack.command("skills", user_id="U0OTHER")
        await slack.command("help")  # not a question: not logged
        logged = await rows(qlog)
        assert ("slack", "T0TEST", "channel", asker, "what skills do I need?", "answer") in logged
        assert ("slack", "T0TEST", "channel", asker, "how do I fix my car engine", "decline") in (
            logged
        )
        assert len(logged) == 3
        assert not any("U0ASKER" in str(row) for row in logged)  # only the keyed hash

        (denied,) = await slack.command("report")
        assert "workspace admins" in denied
        assert "Questions" not in denied
        (summary,) = await slack.command("report", user_id="U0ADMIN")
        assert "Questions 2026-11-24 to 2026-11-30: 3" in summary
        # An admin asking in a channel's thread would show everyone: told to ask privately.
        (in_thread,) = await slack.mention("report", user="U0ADMIN")
        assert "/mlcareer report" in in_thread
        assert "Questions 2026" not in in_thread

        (forgotten,) = await slack.command("forget me")
        assert "2 questions" in forgotten
        assert [row[3] for row in await rows(qlog)] == [user_hash(KEY, "slack", "U0OTHER")]


async def test_discord_logs_forgets_and_reports(
    service: QuestionService, qlog: SqlQuestionLog, knowledge: KnowledgeBase, matcher: Matcher
) -> None:
    async with DiscordHarness(router_with(service, knowledge, matcher)) as discord:
        await discord.command("what skills do I need?")
        await discord.mention("what does an ml engineer earn")
        await discord.dm("which industries hire ml engineers")
        logged = await rows(qlog)
        kinds = sorted((row[1] != "", row[2]) for row in logged)
        assert kinds == [(False, "dm"), (True, "channel"), (True, "channel")]
        # A hostile question, asked by three people, reaches the admin's report as plain
        # text that pings nobody (the harness fails on any message that could ping).
        hostile = "@everyone <@&1> **how tall** is mount [everest](https://x.example)"
        for _ in range(3):
            await discord.command(hostile)
        assert all(row[3] and fake_discord.USER_ID not in str(row) for row in logged)

        (denied,) = await discord.command("report", moderator=True)  # Manage Channels only
        assert "Manage Server" in denied
        payload = command_payload("report", moderator=True)
        payload["member"]["permissions"] = str(int(payload["member"]["permissions"]) | 1 << 5)
        (summary,) = texts(await discord.interact(payload))
        assert "Questions 2026-11-24 to 2026-11-30: 6" in summary
        assert "mount" in summary

        (forgotten,) = await discord.command("forget")
        # Asked in the server, forget me also finds what the person asked in the bot's DM
        # (one hash per person on the platform, whatever the workspace).
        assert "6 questions" in forgotten
        assert await rows(qlog) == []
