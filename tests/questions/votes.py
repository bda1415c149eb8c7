"""Test-only: votes written straight into migration 8's ``votes`` table.

The feedback service owns the table; the question log only reads it (report) and deletes
from it (forget me), so its tests put votes there directly.
"""

from __future__ import annotations

from bot.questions.sql_log import SqlQuestionLog


async def vote(
    log: SqlQuestionLog, question_id: str, voter: str, value: int, comment: str | None = None
) -> None:
    async with log._db.session("vote (test)") as session:
        await session.execute(
            "INSERT INTO votes (question_id, voter_hash, vote, comment, voted_at) "
            "VALUES (?, ?, ?, ?, 0)",
            (question_id, voter, value, comment),
        )
