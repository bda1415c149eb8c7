"""``/good`` and ``/bad [note]`` in ``mlcareer chat``, on both backends: the same feedback
service as the chat platforms, rating the answer just above."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator

import pytest

from bot.console.repl import chat
from bot.core.privacy import user_hash
from bot.feedback.comments import COMMENT_LIMIT
from bot.feedback.sql_store import SqlVoteStore
from bot.feedback.stores import open_vote_store
from tests.console.test_repl import lines
from tests.feedback.conftest import KEY
from tests.feedback.questions import LoggingRouter, feedback_router, purge_question, votes

VOTER = user_hash(KEY, "console", "console")


@pytest.fixture
def runner() -> Iterator[asyncio.Runner]:
    with asyncio.Runner() as running:
        yield running


@pytest.fixture
def store(db_url: str, runner: asyncio.Runner) -> Iterator[SqlVoteStore]:
    opened = runner.run(open_vote_store(db_url))
    yield opened
    runner.run(opened.close())


def talk(runner: asyncio.Runner, router: LoggingRouter, *texts: str) -> str:
    out = io.StringIO()
    assert chat(router, runner, read_line=lines(*texts), out=out) == 0
    return out.getvalue()


def test_good_rates_the_answer_above_once(runner: asyncio.Runner, store: SqlVoteStore) -> None:
    router = feedback_router(store, KEY)
    out = talk(runner, router, "skills", "/good", "/good")
    assert "Thanks for the \N{THUMBS UP SIGN}" in out
    assert "already counted" in out
    assert runner.run(votes(store, router.logged[0])) == [(VOTER, 1, None)]


def test_bad_with_a_note_keeps_it_and_changes_the_vote(
    runner: asyncio.Runner, store: SqlVoteStore
) -> None:
    router = feedback_router(store, KEY)
    out = talk(
        runner, router, "skills", "/good", "/bad salaries in Berlin", "/bad salaries in Berlin"
    )
    assert "note is saved" in out
    assert "already saved" in out
    assert runner.run(votes(store, router.logged[0])) == [(VOTER, -1, "salaries in Berlin")]


def test_bad_without_a_note_and_then_a_later_answer(
    runner: asyncio.Runner, store: SqlVoteStore
) -> None:
    router = feedback_router(store, KEY)
    talk(runner, router, "skills", "/bad", "salary", "/good")
    first, second = router.logged
    assert runner.run(votes(store, first)) == [(VOTER, -1, None)]
    assert runner.run(votes(store, second)) == [(VOTER, 1, None)]


def test_nothing_to_rate_before_an_answer_or_after_help(
    runner: asyncio.Runner, store: SqlVoteStore
) -> None:
    router = feedback_router(store, KEY)
    out = talk(runner, router, "/good", "help", "/bad")
    assert out.count("Nothing to rate yet") == 2


def test_a_huge_hostile_note_is_cut(runner: asyncio.Runner, store: SqlVoteStore) -> None:
    router = feedback_router(store, KEY)
    out = talk(runner, router, "skills", "/bad <!channel> \x00" + "n" * 3000)
    assert f"cut to {COMMENT_LIMIT}" in out
    assert "<!channel>" not in out
    ((_, _, stored),) = runner.run(votes(store, router.logged[0]))
    assert stored is not None
    assert len(stored) == COMMENT_LIMIT


def test_an_answer_purged_meanwhile_is_refused(runner: asyncio.Runner, store: SqlVoteStore) -> None:
    router = feedback_router(store, KEY)
    out = io.StringIO()
    pending = ["salary", "/good"]

    def read_line(prompt: str) -> str:
        if not pending:
            raise EOFError
        line = pending.pop(0)
        if line == "/good":  # retention purges the answer between asking and rating
            runner.run(purge_question(store, router.logged[-1]))
        return line

    chat(router, runner, read_line=read_line, out=out)
    assert runner.run(votes(store, router.logged[-1])) == []
    assert "no longer in the question log" in out.getvalue()


def test_feedback_switched_off_is_said(runner: asyncio.Runner, store: SqlVoteStore) -> None:
    router = feedback_router(store, key=None)
    assert "isn't switched on" in talk(runner, router, "skills", "/good")
