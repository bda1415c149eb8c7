"""Test-only: the ``votes`` table, exactly as migration 8 (branch votes) creates it.

Migration 8 owns this table; the question log only reads it (report) and deletes from it
(forget me). Until that branch is merged, tests create it with this DDL to exercise both.
"""

from __future__ import annotations

from bot.questions.sql_log import SqlQuestionLog

VOTES_DDL = (
    "CREATE TABLE votes (question_id TEXT NOT NULL, voter_hash TEXT NOT NULL, "
    "vote INTEGER NOT NULL CHECK (vote IN (-1, 1)), comment TEXT, voted_at BIGINT NOT NULL, "
    "PRIMARY KEY (question_id, voter_hash))"
)


async def create_votes(log: SqlQuestionLog) -> None:
    async with log._db.session("create votes (test)") as session:
        await session.execute(VOTES_DDL)


async def vote(
    log: SqlQuestionLog, question_id: str, voter: str, value: int, comment: str | None = None
) -> None:
    async with log._db.session("vote (test)") as session:
        await session.execute(
            "INSERT INTO votes (question_id, voter_hash, vote, comment, voted_at) "
            "VALUES (?, ?, ?, ?, 0)",
            (question_id, voter, value, comment),
        )
