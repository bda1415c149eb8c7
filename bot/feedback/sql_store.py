"""The votes store in SQL, once for both backends, on the tips database's ``Database`` seam.

Each write is one transaction that first reads (and on PostgreSQL locks) the question's row
in ``questions`` (migration 7, the question log's): so a vote for a question that is not
logged is refused, a purge cannot slip in between, and two clicks of one voter on one answer
are applied one after the other, never counted twice.
"""

from __future__ import annotations

from datetime import datetime

from bot.feedback.comments import clean_comment
from bot.feedback.ports import DOWN, VOTES, VoteOutcome
from bot.tips.sql_database import Database, Session

_THIS_VOTE = "question_id = ? AND voter_hash = ?"


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


class SqlVoteStore:
    """``VoteStore`` on a SQLite or PostgreSQL ``Database`` (``database`` may be shared)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def vote(
        self, question_id: str, voter_hash: str, vote: int, now: datetime
    ) -> VoteOutcome:
        """Record ``vote``, replacing this voter's earlier one (see ``VoteStore``)."""
        if vote not in VOTES:
            raise ValueError(f"a vote is 1 or -1, not {vote!r}")
        async with self.database.transaction("record a vote") as session:
            if not await self._logged(session, question_id):
                return VoteOutcome.UNKNOWN
            row = await session.fetch_one(
                f"SELECT vote FROM votes WHERE {_THIS_VOTE}", (question_id, voter_hash)
            )
            if row is None:
                await session.execute(
                    "INSERT INTO votes (question_id, voter_hash, vote, comment, voted_at) "
                    "VALUES (?, ?, ?, NULL, ?)",
                    (question_id, voter_hash, vote, _seconds(now)),
                )
                return VoteOutcome.NEW
            if int(row[0]) == vote:
                return VoteOutcome.SAME
            await session.execute(
                f"UPDATE votes SET vote = ?, voted_at = ? WHERE {_THIS_VOTE}",
                (vote, _seconds(now), question_id, voter_hash),
            )
            return VoteOutcome.CHANGED

    async def comment(
        self, question_id: str, voter_hash: str, text: str, now: datetime
    ) -> VoteOutcome:
        """Keep the cleaned ``text`` with the vote (see ``VoteStore``)."""
        note = clean_comment(text)
        async with self.database.transaction("save a note on a vote") as session:
            if not await self._logged(session, question_id):
                return VoteOutcome.UNKNOWN
            row = await session.fetch_one(
                f"SELECT comment FROM votes WHERE {_THIS_VOTE}", (question_id, voter_hash)
            )
            if row is None:
                await session.execute(
                    "INSERT INTO votes (question_id, voter_hash, vote, comment, voted_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (question_id, voter_hash, DOWN, note, _seconds(now)),
                )
                return VoteOutcome.NEW
            if row[0] == note:
                return VoteOutcome.SAME
            await session.execute(
                f"UPDATE votes SET comment = ? WHERE {_THIS_VOTE}",
                (note, question_id, voter_hash),
            )
            return VoteOutcome.NEW if row[0] is None else VoteOutcome.CHANGED

    async def forget(self, voter_hash: str) -> int:
        """Delete every vote of this voter; how many there were."""
        async with self.database.session("forget a voter's votes") as session:
            return await session.execute("DELETE FROM votes WHERE voter_hash = ?", (voter_hash,))

    async def close(self) -> None:
        """Release the database's connections."""
        await self.database.close()

    async def _logged(self, session: Session, question_id: str) -> bool:
        row = await session.fetch_one(
            f"SELECT 1 FROM questions WHERE id = ?{self.database.lock_rows}", (question_id,)
        )
        return row is not None
