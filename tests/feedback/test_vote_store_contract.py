"""The ``VoteStore`` contract, on SQLite and on PostgreSQL (every test runs on both)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.feedback.comments import COMMENT_LIMIT
from bot.feedback.ports import DOWN, UP, VoteOutcome
from bot.feedback.sql_store import SqlVoteStore
from tests.feedback.conftest import NOW
from tests.feedback.questions import log_question, purge_question, votes

ALICE = "a" * 64
BOB = "b" * 64


async def test_a_first_vote_is_new_and_stored_once(store: SqlVoteStore) -> None:
    question = await log_question(store)
    assert await store.vote(question, ALICE, UP, NOW) is VoteOutcome.NEW
    assert await votes(store, question) == [(ALICE, UP, None)]


async def test_a_double_click_is_the_same_vote_counted_once(store: SqlVoteStore) -> None:
    question = await log_question(store)
    await store.vote(question, ALICE, DOWN, NOW)
    assert await store.vote(question, ALICE, DOWN, NOW) is VoteOutcome.SAME
    assert await votes(store, question) == [(ALICE, DOWN, None)]


async def test_clicks_at_the_same_moment_count_once(store: SqlVoteStore) -> None:
    question = await log_question(store)
    outcomes = await asyncio.gather(*(store.vote(question, ALICE, UP, NOW) for _ in range(5)))
    assert sorted(outcomes) == sorted([VoteOutcome.NEW, *[VoteOutcome.SAME] * 4])
    assert await votes(store, question) == [(ALICE, UP, None)]


async def test_a_vote_can_be_changed_and_keeps_its_note(store: SqlVoteStore) -> None:
    question = await log_question(store)
    await store.vote(question, ALICE, DOWN, NOW)
    await store.comment(question, ALICE, "salary in Europe", NOW)
    assert await store.vote(question, ALICE, UP, NOW + timedelta(minutes=1)) is (
        VoteOutcome.CHANGED
    )
    assert await votes(store, question) == [(ALICE, UP, "salary in Europe")]


async def test_each_person_has_a_vote_of_their_own(store: SqlVoteStore) -> None:
    question = await log_question(store)
    await store.vote(question, ALICE, UP, NOW)
    await store.vote(question, BOB, DOWN, NOW)
    assert await votes(store, question) == [(ALICE, UP, None), (BOB, DOWN, None)]


async def test_a_question_never_logged_is_refused(store: SqlVoteStore) -> None:
    assert await store.vote("never-logged", ALICE, UP, NOW) is VoteOutcome.UNKNOWN
    assert await store.comment("never-logged", ALICE, "hello", NOW) is VoteOutcome.UNKNOWN
    assert await votes(store, "never-logged") == []


async def test_a_question_purged_after_retention_is_refused(store: SqlVoteStore) -> None:
    question = await log_question(store)
    await store.vote(question, ALICE, UP, NOW)
    await purge_question(store, question)
    assert await store.vote(question, ALICE, DOWN, NOW) is VoteOutcome.UNKNOWN
    assert await store.comment(question, ALICE, "late", NOW) is VoteOutcome.UNKNOWN
    assert await votes(store, question) == [(ALICE, UP, None)]  # not ours to delete


async def test_a_note_submitted_twice_is_kept_once(store: SqlVoteStore) -> None:
    question = await log_question(store)
    await store.vote(question, ALICE, DOWN, NOW)
    assert await store.comment(question, ALICE, "remote jobs", NOW) is VoteOutcome.NEW
    assert await store.comment(question, ALICE, "remote jobs", NOW) is VoteOutcome.SAME
    assert await store.comment(question, ALICE, "remote work", NOW) is VoteOutcome.CHANGED
    assert await votes(store, question) == [(ALICE, DOWN, "remote work")]


async def test_a_note_without_a_vote_records_the_thumbs_down_it_followed(
    store: SqlVoteStore,
) -> None:
    question = await log_question(store)
    assert await store.comment(question, ALICE, "more on MLOps", NOW) is VoteOutcome.NEW
    assert await votes(store, question) == [(ALICE, DOWN, "more on MLOps")]


@pytest.mark.parametrize(
    "hostile",
    [
        "<!channel> <@U123> @everyone <https://evil.example|click>",
        "nul\x00byte and \x1b[31mescape",
        "lone \ud800 surrogate",
        "'); DROP TABLE votes; --",
        "\N{PILE OF POO}" * 2000,
        "x" * 100_000,
    ],
)
async def test_a_huge_or_hostile_note_is_stored_cut_and_as_plain_text(
    store: SqlVoteStore, hostile: str
) -> None:
    question = await log_question(store)
    await store.vote(question, ALICE, DOWN, NOW)
    assert await store.comment(question, ALICE, hostile, NOW) is VoteOutcome.NEW
    ((_, _, stored),) = await votes(store, question)
    assert stored is not None
    assert 0 < len(stored) <= COMMENT_LIMIT
    assert "\x00" not in stored
    assert "\ud800" not in stored
    assert "\x1b" not in stored
    if hostile.startswith("<!channel>"):
        assert stored == hostile  # kept as typed, as text: escaping is the adapters' job


async def test_forget_deletes_every_vote_of_one_voter_only(store: SqlVoteStore) -> None:
    first, second = await log_question(store), await log_question(store)
    await store.vote(first, ALICE, UP, NOW)
    await store.vote(second, ALICE, DOWN, NOW)
    await store.vote(first, BOB, DOWN, NOW)
    assert await store.forget(ALICE) == 2
    assert await store.forget(ALICE) == 0
    assert await votes(store, first) == [(BOB, DOWN, None)]
    assert await votes(store, second) == []


async def test_only_thumbs_up_or_down_are_votes(store: SqlVoteStore) -> None:
    question = await log_question(store)
    with pytest.raises(ValueError, match="1 or -1"):
        await store.vote(question, ALICE, 2, NOW)
    assert await votes(store, question) == []
