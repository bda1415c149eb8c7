"""The question log as the core sees it: record an answer, forget a person, the weekly report.

Built once at start-up (``open_questions``) and handed to the router's services; the
handlers call it, adapters never do. A failing log never costs anyone their answer: the
error is logged and the reply goes out without a ``question_id``.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import replace
from datetime import timedelta

from bot.core.privacy import person_of
from bot.core.reply import Reply, ReplyKind
from bot.core.request import Request
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.questions.models import LOGGED_BANDS, LoggedQuestion
from bot.questions.ports import QuestionLog
from bot.questions.render import render_text
from bot.questions.report import build_report
from bot.tips.clock import Clock

log = logging.getLogger(__name__)

REPORT_DAYS = 7
# Who may see the report, by platform (the adapters decide ``Request.reads_reports``).
REPORT_READERS = {
    "slack": "Slack workspace admins and owners, and the people in the bot's MLCAREER_ADMINS",
    "discord": "people with the Manage Server permission",
}


class QuestionService:
    """``QuestionLogCommands`` on a ``QuestionLog``; ``keep`` is MLCAREER_QUESTION_LOG."""

    def __init__(
        self,
        questions: QuestionLog,
        key: bytes,
        clock: Clock,
        knowledge: KnowledgeBase,
        matcher: Matcher,
        *,
        keep: bool = True,
    ) -> None:
        self.log = questions
        self._key = key
        self._clock = clock
        self._knowledge = knowledge
        self._matcher = matcher
        self.keep = keep

    def person(self, request: Request) -> str:
        """The asker's keyed hash: the only way the log knows a person."""
        return person_of(self._key, request)

    async def record(self, request: Request, text: str, reply: Reply) -> Reply:
        if reply.kind.value not in LOGGED_BANDS:
            return reply
        qid = uuid.uuid4().hex if self.keep else None
        question = LoggedQuestion(
            id=qid,
            asked_at=self._clock.now(),
            platform=request.platform,
            workspace=request.workspace,
            channel_kind=request.channel_kind,
            user_hash=self.person(request) if self.keep else None,
            text=text if self.keep else None,
            band=reply.kind.value,
            entry_id=reply.entry_id,
            section=reply.section,
            score=reply.score,
        )
        try:
            await self.log.record(question)
        except Exception:
            log.exception("could not log a question on %s", request.platform)
            return reply
        return replace(reply, question_id=qid)

    async def forget(self, request: Request) -> Reply:
        forgotten = await self.log.forget(self.person(request))

        def plural(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        return Reply(
            kind=ReplyKind.NOTICE,
            title="Forgotten",
            body=(
                f"I deleted everything I had stored about you: "
                f"{plural(forgotten.questions, 'question')} and {plural(forgotten.votes, 'vote')}. "
                "Daily-tip subscriptions belong to channels, so they stay."
            ),
        )

    async def report(self, request: Request) -> Reply:
        if not request.reads_reports:
            who = REPORT_READERS.get(request.platform, "the bot's admins")
            return Reply(
                kind=ReplyKind.NOTICE,
                title="The report is for admins",
                body=(
                    f"The weekly question report can be seen by {who}, with the /mlcareer "
                    "report command or in a direct message (it is always private)."
                ),
            )
        now = self._clock.now()
        since = now - timedelta(days=REPORT_DAYS - 1)
        snapshot = await self.log.read(since.replace(hour=0, minute=0, second=0, microsecond=0))
        # Clustering is CPU work: off the loop, so other people's answers don't wait for it.
        report = await asyncio.to_thread(
            build_report, snapshot, self._matcher, self._knowledge, since.date(), now.date(), top=5
        )
        return Reply(
            kind=ReplyKind.NOTICE,
            title="This week's questions",
            body=render_text(report, short=True),
        )
