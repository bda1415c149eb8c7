"""The question log in SQL, once for both backends, on the tips store's ``Database`` seam.

The queries are the dialect SQLite and PostgreSQL share (``?`` placeholders, ``ON
CONFLICT``). The ``votes`` table belongs to migration 8 (the feedback buttons); until it
exists, questions read back with no votes and ``forget`` has no votes to delete.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

from bot.questions.models import DayCount, Forgotten, LoggedQuestion, LogSnapshot, ReadQuestion
from bot.tips.sql_database import Database, Session

_COLUMNS = (
    "id, asked_at, platform, workspace, channel_kind, user_hash, text, band, entry_id, "
    "section, score"
)
_HAS_TABLE = {
    "sqlite": "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
    "postgres": "SELECT 1 WHERE to_regclass(?) IS NOT NULL",
}
_VOTE_TOTALS = (
    "SELECT question_id, SUM(CASE WHEN vote = 1 THEN 1 ELSE 0 END) AS up, "
    "SUM(CASE WHEN vote = -1 THEN 1 ELSE 0 END) AS down FROM votes GROUP BY question_id"
)
HASH_KEY_NAME = "question_hash_key"


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def _question(row: tuple[Any, ...]) -> LoggedQuestion:
    qid, asked, platform, workspace, kind, user, text, band, entry, section, score = row
    return LoggedQuestion(
        id=qid,
        asked_at=datetime.fromtimestamp(asked, UTC),
        platform=platform or "",
        workspace=workspace or "",
        channel_kind=kind or "",
        user_hash=user,
        text=text,
        band=band or "",
        entry_id=entry,
        section=section,
        score=score,
    )


class SqlQuestionLog:
    """``QuestionLog`` on a ``Database``; ``dialect`` is ``"sqlite"`` or ``"postgres"``."""

    def __init__(self, database: Database, dialect: str) -> None:
        self._db = database
        self._dialect = dialect

    async def close(self) -> None:
        await self._db.close()

    async def ready(self) -> str | None:
        return await self._db.ready()

    async def _has_votes(self, session: Session) -> bool:
        return await session.fetch_one(_HAS_TABLE[self._dialect], ("votes",)) is not None

    async def record(self, question: LoggedQuestion) -> None:
        day = question.asked_at.astimezone(UTC).date().isoformat()
        async with self._db.transaction("log a question") as session:
            await session.execute(
                "INSERT INTO question_counts (day, platform, band, n) VALUES (?, ?, ?, 1) "
                "ON CONFLICT (day, platform, band) DO UPDATE SET n = question_counts.n + 1",
                (day, question.platform, question.band),
            )
            if question.id is None:
                return
            await session.execute(
                f"INSERT INTO questions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    question.id,
                    _seconds(question.asked_at),
                    question.platform,
                    question.workspace,
                    question.channel_kind,
                    question.user_hash,
                    question.text,
                    question.band,
                    question.entry_id,
                    question.section,
                    question.score,
                ),
            )

    async def purge_text(self, before: datetime) -> int:
        async with self._db.session("purge old question text") as session:
            return await session.execute(
                "UPDATE questions SET text = NULL WHERE asked_at < ? AND text IS NOT NULL",
                (_seconds(before),),
            )

    async def forget(self, user_hash: str) -> Forgotten:
        async with self._db.transaction("forget a person") as session:
            votes = 0
            if await self._has_votes(session):
                # The votes table is migration 8's (branch votes); its voter_hash is the same
                # keyed hash as questions.user_hash.
                votes = await session.execute(
                    "DELETE FROM votes WHERE voter_hash = ?", (user_hash,)
                )
            questions = await session.execute(
                "DELETE FROM questions WHERE user_hash = ?", (user_hash,)
            )
        return Forgotten(questions=questions, votes=votes)

    async def read(self, since: datetime) -> LogSnapshot:
        start = _seconds(since)
        async with self._db.session("read the question log") as session:
            rows = await session.fetch(
                f"SELECT {_COLUMNS} FROM questions WHERE asked_at >= ? ORDER BY asked_at, id",
                (start,),
            )
            # Vote totals read on their own and merged here: a join would cost the 100,000
            # unvoted questions as much again (votes are far fewer than questions).
            totals: dict[str, tuple[int, int]] = {}
            if await self._has_votes(session):
                voted = await session.fetch(
                    f"SELECT v.question_id, v.up, v.down FROM ({_VOTE_TOTALS}) v "
                    "JOIN questions q ON q.id = v.question_id WHERE q.asked_at >= ?",
                    (start,),
                )
                totals = {qid: (int(up), int(down)) for qid, up, down in voted}
            counts = await session.fetch(
                "SELECT day, platform, band, n FROM question_counts WHERE day >= ? "
                "ORDER BY day, platform, band",
                (since.astimezone(UTC).date().isoformat(),),
            )
        none = (0, 0)
        return LogSnapshot(
            questions=tuple(
                ReadQuestion(_question(row), *totals.get(row[0], none)) for row in rows
            ),
            counts=tuple(
                DayCount(date.fromisoformat(day), platform, band, int(n))
                for day, platform, band, n in counts
            ),
        )

    async def hash_key(self) -> bytes:
        """The key generated for user hashes when MLCAREER_HASH_KEY is unset, made once.

        ``ON CONFLICT DO NOTHING`` then a read: replicas starting together agree on one key.
        """
        async with self._db.transaction("read the hash key") as session:
            await session.execute(
                "INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                (HASH_KEY_NAME, secrets.token_hex(32)),
            )
            row = await session.fetch_one(
                "SELECT value FROM secrets WHERE name = ?", (HASH_KEY_NAME,)
            )
        assert row is not None  # inserted just above when missing
        return bytes.fromhex(str(row[0]))


async def open_question_log(url: str) -> SqlQuestionLog:
    """Open (and migrate) the database at DATABASE_URL for the question log."""
    from bot.tips.stores import backend

    if backend(url) == "postgres":
        from bot.tips.postgres_store import PostgresDatabase

        return SqlQuestionLog(await PostgresDatabase.open(url.strip()), "postgres")
    from bot.tips.sqlite_store import SqliteDatabase

    database = await SqliteDatabase.open(url)
    try:
        async with database.session("prepare the question log") as session:
            # This connection is the question log's own. WAL with synchronous=NORMAL stays
            # consistent on a crash and may lose only the last few logged questions on a power
            # cut, and spares every answer an fsync (about 10 ms each here). The tips store's
            # connection keeps FULL: its claims must survive a power cut.
            await session.execute("PRAGMA synchronous=NORMAL")
    except BaseException:
        await database.close()
        raise
    return SqlQuestionLog(database, "sqlite")
