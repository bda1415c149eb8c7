"""Test-only stand-in for the question log (branch qlog), which owns the ``questions`` table.

Migration 7 (qlog's) creates ``questions(id TEXT PRIMARY KEY, asked_at BIGINT NOT NULL, ...)``;
it is not on this branch, so these helpers create the two columns the votes store reads, log
questions and purge them the way retention does. ``LoggingRouter`` answers like the real
router and sets ``Reply.question_id`` on logged answers, as the question log will.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import replace
from datetime import UTC, datetime

from bot.core.reply import Reply, ReplyKind
from bot.core.request import Request
from bot.core.router import Router
from bot.feedback.sql_store import SqlVoteStore

ASKED_AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
_LOGGED = frozenset({ReplyKind.ANSWER, ReplyKind.PARTIAL, ReplyKind.CLOSEST, ReplyKind.DECLINE})


async def log_question(
    store: SqlVoteStore, question_id: str | None = None, asked_at: datetime = ASKED_AT
) -> str:
    """Add a row to ``questions`` (creating the table on first use); its id."""
    question_id = question_id or uuid.uuid4().hex
    async with store.database.transaction("log a test question") as session:
        await session.execute(
            "CREATE TABLE IF NOT EXISTS questions (id TEXT PRIMARY KEY, asked_at BIGINT NOT NULL)"
        )
        await session.execute(
            "INSERT INTO questions (id, asked_at) VALUES (?, ?)",
            (question_id, int(asked_at.timestamp())),
        )
    return question_id


async def purge_question(store: SqlVoteStore, question_id: str) -> None:
    """Delete a question the way the log's retention does (its votes are not ours to purge)."""
    async with store.database.session("purge a test question") as session:
        await session.execute("DELETE FROM questions WHERE id = ?", (question_id,))


async def votes(store: SqlVoteStore, question_id: str) -> list[tuple[str, int, str | None]]:
    """Every (voter hash, vote, comment) stored for ``question_id``, by voter."""
    async with store.database.session("read test votes") as session:
        rows = await session.fetch(
            "SELECT voter_hash, vote, comment FROM votes WHERE question_id = ? ORDER BY voter_hash",
            (question_id,),
        )
    return [(str(h), int(v), c) for h, v, c in rows]


class LoggingRouter(Router):
    """The real router, plus what the question log will do: log each answer and set its id."""

    def __init__(self, router: Router, store: SqlVoteStore) -> None:
        super().__init__(router.services)
        self.store = store
        self.logged: list[str] = []
        self._numbers = itertools.count(1)

    async def handle(self, request: Request) -> Reply:
        """Answer, then log rateable kinds (and their neighbours) with a fresh question id."""
        reply = await super().handle(request)
        if reply.kind not in _LOGGED:
            return reply
        question_id = await log_question(self.store, f"q{next(self._numbers)}-{uuid.uuid4().hex}")
        self.logged.append(question_id)
        return replace(reply, question_id=question_id)


def feedback_router(
    store: SqlVoteStore, key: bytes | None = b"test hash key, not a secret"
) -> LoggingRouter:
    """A router on the shipped knowledge with feedback on ``store`` (off when ``key`` is
    None) whose answers are logged, as ``mlcareer run`` will build it after the merge."""
    from bot.core.services import build_services
    from bot.feedback.service import Feedback
    from bot.settings import Settings

    services = build_services(Settings())
    if key is not None:
        services.feedback = Feedback(store, key)
    return LoggingRouter(Router(services), store)
