"""The ``QuestionLog`` contract: record, purge_text, forget and read, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from bot.questions.models import LoggedQuestion
from bot.questions.sql_log import SqlQuestionLog, open_question_log
from tests.questions.conftest import NOW
from tests.questions.votes import vote


def question(n: int, **changes: object) -> LoggedQuestion:
    values: dict[str, object] = {
        "id": f"q{n:04d}",
        "asked_at": NOW - timedelta(hours=n),
        "platform": "slack",
        "workspace": "T1",
        "channel_kind": "channel",
        "user_hash": "alice",
        "text": f"question {n}",
        "band": "answer",
        "entry_id": "skills",
        "section": "skills",
        "score": 55.5,
    }
    values.update(changes)
    return LoggedQuestion(**values)  # type: ignore[arg-type]


async def test_recorded_questions_read_back_field_for_field(db_url: str) -> None:
    """What is recorded comes back from a new connection, oldest first, with no votes."""
    log = await open_question_log(db_url)
    await log.record(question(2))
    await log.record(question(1, band="decline", entry_id=None, section=None, score=3.0))
    await log.close()
    reopened = await open_question_log(db_url)
    try:
        snapshot = await reopened.read(NOW - timedelta(days=1))
    finally:
        await reopened.close()
    assert [r.question for r in snapshot.questions] == [
        question(2),
        question(1, band="decline", entry_id=None, section=None, score=3.0),
    ]
    assert all((r.up, r.down) == (0, 0) for r in snapshot.questions)


async def test_every_question_is_counted_and_off_keeps_only_the_count(qlog: SqlQuestionLog) -> None:
    """A question without an id (MLCAREER_QUESTION_LOG=off) adds to the day's count only."""
    await qlog.record(question(1))
    await qlog.record(question(2, id=None, user_hash=None, text=None))
    await qlog.record(question(3, id=None, user_hash=None, text=None, band="closest"))
    snapshot = await qlog.read(NOW - timedelta(days=1))
    assert [r.question.id for r in snapshot.questions] == ["q0001"]
    counts = {(c.day, c.platform, c.band): c.n for c in snapshot.counts}
    assert counts == {
        (date(2026, 11, 30), "slack", "answer"): 2,
        (date(2026, 11, 30), "slack", "closest"): 1,
    }


async def test_read_starts_at_since(qlog: SqlQuestionLog) -> None:
    await qlog.record(question(1))
    await qlog.record(question(48))
    snapshot = await qlog.read(NOW - timedelta(hours=2))
    assert [r.question.id for r in snapshot.questions] == ["q0001"]


async def test_purge_deletes_only_old_text_and_keeps_the_rest(qlog: SqlQuestionLog) -> None:
    """Text older than the cut-off goes; band, entry and score stay; a second purge is a no-op."""
    await qlog.record(question(1))
    await qlog.record(question(100))
    assert await qlog.purge_text(NOW - timedelta(hours=50)) == 1
    assert await qlog.purge_text(NOW - timedelta(hours=50)) == 0
    rows = {
        r.question.id: r.question for r in (await qlog.read(NOW - timedelta(days=30))).questions
    }
    assert rows["q0001"].text == "question 1"
    assert rows["q0100"] == question(100, text=None)


async def test_forget_deletes_the_persons_questions_and_votes_only(qlog: SqlQuestionLog) -> None:
    await qlog.record(question(1))
    await qlog.record(question(2, user_hash="bob"))
    await vote(qlog, "q0002", "alice", -1)
    await vote(qlog, "q0002", "bob", 1)
    forgotten = await qlog.forget("alice")
    assert (forgotten.questions, forgotten.votes) == (1, 1)
    snapshot = await qlog.read(NOW - timedelta(days=1))
    assert [(r.question.id, r.up, r.down) for r in snapshot.questions] == [("q0002", 1, 0)]
    # The day's counts hold no person and stay.
    assert sum(c.n for c in snapshot.counts) == 2
    again = await qlog.forget("alice")
    assert (again.questions, again.votes) == (0, 0)


async def test_forget_works_before_the_votes_table_exists(qlog: SqlQuestionLog) -> None:
    await qlog.record(question(1))
    forgotten = await qlog.forget("alice")
    assert (forgotten.questions, forgotten.votes) == (1, 0)


async def test_votes_are_totalled_per_question(qlog: SqlQuestionLog) -> None:
    await qlog.record(question(1))
    for voter, value in (("a", 1), ("b", 1), ("c", -1)):
        await vote(qlog, "q0001", voter, value)
    (row,) = (await qlog.read(NOW - timedelta(days=1))).questions
    assert (row.up, row.down) == (2, 1)


async def test_the_generated_hash_key_is_made_once_and_kept(db_url: str) -> None:
    first = await open_question_log(db_url)
    key = await first.hash_key()
    await first.close()
    second = await open_question_log(db_url)
    try:
        assert await second.hash_key() == key
        assert len(key) == 32
    finally:
        await second.close()
