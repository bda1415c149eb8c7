"""The feedback policy on both backends: what each vote or note comes to, and what is said."""

from __future__ import annotations

import pytest

from bot.core.privacy import user_hash
from bot.core.reply import Reply, ReplyKind
from bot.core.request import Request
from bot.feedback.comments import COMMENT_LIMIT, clean_comment, was_cut
from bot.feedback.ports import DOWN, UP
from bot.feedback.service import Feedback, valid_question_id
from bot.feedback.sql_store import SqlVoteStore
from bot.feedback.stores import open_vote_store
from tests.feedback.conftest import KEY
from tests.feedback.questions import log_question, purge_question, votes

ASKER = Request(text="", user="U1", channel="C1", platform="slack", workspace="T1")


async def test_a_vote_is_stored_under_the_keyed_hash_only(
    feedback: Feedback, store: SqlVoteStore
) -> None:
    question = await log_question(store)
    verdict = await feedback.vote(ASKER, question, UP)
    assert verdict.reply.kind is ReplyKind.NOTICE
    assert not verdict.ask_comment
    assert await votes(store, question) == [(user_hash(KEY, "slack", "U1"), UP, None)]


async def test_a_thumbs_down_asks_for_a_note_once(feedback: Feedback, store: SqlVoteStore) -> None:
    question = await log_question(store)
    first = await feedback.vote(ASKER, question, DOWN)
    again = await feedback.vote(ASKER, question, DOWN)
    assert first.ask_comment
    assert not again.ask_comment
    assert "already counted" in again.reply.body
    changed = await feedback.vote(ASKER, question, UP)
    assert "changed" in changed.reply.body
    assert not changed.ask_comment


@pytest.mark.parametrize(
    "value", ["", "x" * 65, "q1;DROP", "q1 two", "<@U123>", "../../etc", "q\N{BULLET}"]
)
async def test_a_forged_value_is_refused_politely(
    feedback: Feedback, store: SqlVoteStore, value: str
) -> None:
    verdict = await feedback.vote(ASKER, value, UP)
    assert "isn't one this bot made" in verdict.reply.body
    assert "isn't one this bot made" in (await feedback.comment(ASKER, value, "x")).body
    assert not valid_question_id(value)


async def test_an_impossible_vote_value_is_refused(feedback: Feedback, store: SqlVoteStore) -> None:
    question = await log_question(store)
    assert "isn't one" in (await feedback.vote(ASKER, question, 0)).reply.body
    assert await votes(store, question) == []


async def test_a_vote_on_a_purged_answer_is_refused(
    feedback: Feedback, store: SqlVoteStore
) -> None:
    question = await log_question(store)
    await purge_question(store, question)
    verdict = await feedback.vote(ASKER, question, UP)
    assert "no longer in the question log" in verdict.reply.body


async def test_notes_say_what_happened_and_never_echo_the_note(
    feedback: Feedback, store: SqlVoteStore
) -> None:
    question = await log_question(store)
    await feedback.vote(ASKER, question, DOWN)
    hostile = "<!channel> @everyone " + "y" * 900
    saved = await feedback.comment(ASKER, question, hostile)
    again = await feedback.comment(ASKER, question, hostile)
    empty = await feedback.comment(ASKER, question, "  \x00 ")
    assert f"cut to {COMMENT_LIMIT}" in saved.body
    assert "already saved" in again.body
    assert "no note" in empty.body
    for reply in (saved, again, empty):
        assert "channel" not in reply.plain_text()
        assert "everyone" not in reply.plain_text()


async def test_a_broken_database_gets_a_polite_reply(db_url: str) -> None:
    store = await open_vote_store(db_url)
    question = await log_question(store)
    feedback = Feedback(store, KEY)
    await store.close()
    verdict = await feedback.vote(ASKER, question, UP)
    note = await feedback.comment(ASKER, question, "hello")
    assert verdict.reply.kind is ReplyKind.ERROR
    assert note.kind is ReplyKind.ERROR


async def test_forget_removes_the_persons_votes(feedback: Feedback, store: SqlVoteStore) -> None:
    question = await log_question(store)
    await feedback.vote(ASKER, question, UP)
    assert await feedback.forget(ASKER) == 1
    assert await votes(store, question) == []


def test_only_logged_answers_and_partial_answers_want_feedback() -> None:
    for kind in ReplyKind:
        logged = Reply(kind=kind, title="t", question_id="q1")
        assert logged.wants_feedback is (kind in {ReplyKind.ANSWER, ReplyKind.PARTIAL})
        assert not Reply(kind=kind, title="t").wants_feedback


def test_a_note_is_cleaned_and_cut() -> None:
    assert clean_comment("  line one\nline\ttwo\x00\x07 ") == "line one\nline\ttwo"
    assert len(clean_comment("z" * 10_000)) == COMMENT_LIMIT
    assert was_cut("z" * 501)
    assert not was_cut("z" * 500)
    assert not was_cut("short")


def test_an_empty_key_is_refused(store: SqlVoteStore) -> None:
    with pytest.raises(ValueError, match="hash key"):
        Feedback(store, b"")
