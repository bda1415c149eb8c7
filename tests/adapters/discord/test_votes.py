"""👍/👎 on Discord answers, through the real discord.py client and the fake Discord, on both
backends: a row of their own, ephemeral acknowledgements, the note modal (response type 9)
and its submission, and every kind of bad input."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.adapters.discord.notes import NOTE_INPUT, NOTE_PREFIX
from bot.core.privacy import user_hash
from bot.feedback.comments import COMMENT_LIMIT
from bot.feedback.sql_store import SqlVoteStore
from bot.feedback.stores import open_vote_store
from tests.adapters.discord import events
from tests.adapters.discord import fake_discord as fake
from tests.adapters.discord.fake_discord import Received
from tests.adapters.discord.harness import DiscordHarness, plain_text
from tests.feedback.conftest import KEY
from tests.feedback.questions import LoggingRouter, feedback_router, purge_question, votes

EPHEMERAL = 64
UP, DOWN = "\N{THUMBS UP SIGN}", "\N{THUMBS DOWN SIGN}"


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[SqlVoteStore]:
    opened = await open_vote_store(db_url)
    yield opened
    await opened.close()


@pytest.fixture
async def router(store: SqlVoteStore) -> LoggingRouter:
    return feedback_router(store, KEY)


@pytest.fixture
async def discord(router: LoggingRouter) -> AsyncIterator[DiscordHarness]:
    async with DiscordHarness(router) as harness:
        yield harness


def rows(message: dict[str, Any]) -> list[list[str]]:
    return [[b["custom_id"] for b in row["components"]] for row in message["components"]]


async def answer(discord: DiscordHarness, router: LoggingRouter) -> tuple[dict[str, Any], str]:
    """Ask with /mlcareer; the answer message and its logged question id."""
    (callback,) = await discord.interact(events.command("skills"))
    assert callback.message is not None
    question = router.logged[-1]
    assert rows(callback.message)[-1] == [
        f"mlcareer:vote:up:{question}",
        f"mlcareer:vote:down:{question}",
    ]
    assert "mlcareer:share" in rows(callback.message)[-2]
    return callback.message, question


async def click(discord: DiscordHarness, message: dict[str, Any], custom_id: str) -> Received:
    (callback,) = await discord.interact(events.click(custom_id, message))
    return callback


def told(callback: Received) -> str:
    """What an ephemeral acknowledgement said (and that it was ephemeral, with no buttons)."""
    assert callback.body["type"] == 4
    assert callback.body["data"]["flags"] & EPHEMERAL
    assert not callback.body["data"].get("components")
    return plain_text(callback.message)


def note_submit(question_id: str, text: str, *, custom_id: str | None = None) -> dict[str, Any]:
    """INTERACTION_CREATE (type 5) for the note modal sent with ``text``."""
    payload = events.interaction("button_topic", type=5)
    payload["data"] = {
        "custom_id": custom_id or f"{NOTE_PREFIX}{question_id}",
        "components": [
            {"type": 1, "components": [{"type": 4, "custom_id": NOTE_INPUT, "value": text}]}
        ],
    }
    return payload


def voter() -> str:
    return user_hash(KEY, "discord", fake.USER_ID)


async def test_a_thumbs_up_counts_and_only_the_voter_hears(
    discord: DiscordHarness, router: LoggingRouter, store: SqlVoteStore
) -> None:
    message, question = await answer(discord, router)
    reply = await click(discord, message, f"mlcareer:vote:up:{question}")
    assert f"Thanks for the {UP}" in told(reply)
    assert await votes(store, question) == [(voter(), 1, None)]


async def test_a_double_click_counts_once(
    discord: DiscordHarness, router: LoggingRouter, store: SqlVoteStore
) -> None:
    message, question = await answer(discord, router)
    await click(discord, message, f"mlcareer:vote:up:{question}")
    again = await click(discord, message, f"mlcareer:vote:up:{question}")
    assert "already counted" in told(again)
    assert await votes(store, question) == [(voter(), 1, None)]


async def test_thumbs_down_answers_with_the_note_modal_and_its_note_is_kept_once(
    discord: DiscordHarness, router: LoggingRouter, store: SqlVoteStore
) -> None:
    message, question = await answer(discord, router)
    modal = await click(discord, message, f"mlcareer:vote:down:{question}")
    assert modal.body["type"] == 9
    assert modal.body["data"]["custom_id"] == f"{NOTE_PREFIX}{question}"
    (text_input,) = modal.body["data"]["components"][0]["components"]
    assert text_input["required"] is False
    assert text_input["max_length"] == COMMENT_LIMIT
    assert await votes(store, question) == [(voter(), -1, None)]  # counted before the note
    (first,) = await discord.interact(note_submit(question, "interview prep"))
    (second,) = await discord.interact(note_submit(question, "interview prep"))
    assert "note is saved" in told(first)
    assert "already saved" in told(second)
    assert await votes(store, question) == [(voter(), -1, "interview prep")]


async def test_a_vote_can_be_changed_and_a_repeated_thumbs_down_opens_no_second_modal(
    discord: DiscordHarness, router: LoggingRouter, store: SqlVoteStore
) -> None:
    message, question = await answer(discord, router)
    await click(discord, message, f"mlcareer:vote:down:{question}")
    again = await click(discord, message, f"mlcareer:vote:down:{question}")
    assert "already counted" in told(again)
    changed = await click(discord, message, f"mlcareer:vote:up:{question}")
    assert f"changed to {UP}" in told(changed)
    assert await votes(store, question) == [(voter(), 1, None)]


@pytest.mark.parametrize(
    "custom_id",
    [
        "mlcareer:vote:up:never-logged",
        "mlcareer:vote:sideways:q1",
        "mlcareer:vote:up:",
        "mlcareer:vote:down:@everyone",
        "mlcareer:vote:",
    ],
)
async def test_a_forged_or_unknown_button_gets_a_polite_reply(
    discord: DiscordHarness, router: LoggingRouter, store: SqlVoteStore, custom_id: str
) -> None:
    message, _ = await answer(discord, router)
    reply = await click(discord, message, custom_id)
    assert "nothing was counted" in told(reply)


async def test_a_vote_and_a_note_after_the_retention_window_are_refused(
    discord: DiscordHarness, router: LoggingRouter, store: SqlVoteStore
) -> None:
    message, question = await answer(discord, router)
    await purge_question(store, question)
    reply = await click(discord, message, f"mlcareer:vote:down:{question}")
    assert "no longer in the question log" in told(reply)
    (note,) = await discord.interact(note_submit(question, "late"))
    assert "no longer in the question log" in told(note)
    assert await votes(store, question) == []


async def test_a_forged_modal_gets_a_polite_reply(discord: DiscordHarness) -> None:
    (reply,) = await discord.interact(note_submit("q", "hi", custom_id="someone:else"))
    assert "isn't one this bot made" in told(reply)
    (reply,) = await discord.interact(note_submit("<@1> x", "hi"))
    assert "isn't one this bot made" in told(reply)


async def test_a_huge_hostile_note_is_cut_stored_as_text_and_never_echoed(
    discord: DiscordHarness, router: LoggingRouter, store: SqlVoteStore
) -> None:
    message, question = await answer(discord, router)
    await click(discord, message, f"mlcareer:vote:down:{question}")
    hostile = f"@everyone <@{fake.MODERATOR_ID}> [x](https://evil.example) " + "w" * 9000
    (reply,) = await discord.interact(note_submit(question, hostile))
    text = told(reply)
    assert f"cut to {COMMENT_LIMIT}" in text
    assert "everyone" not in text
    ((_, _, stored),) = await votes(store, question)
    assert stored is not None
    assert stored.startswith("@everyone <@")
    assert len(stored) == COMMENT_LIMIT


async def test_a_mention_answer_has_the_thumbs_in_a_row_of_their_own(
    discord: DiscordHarness, router: LoggingRouter
) -> None:
    (posted,) = await discord.post_message(events.message(f"<@{fake.BOT_ID}> skills"))
    assert posted.message is not None
    question = router.logged[-1]
    assert rows(posted.message)[-1] == [
        f"mlcareer:vote:up:{question}",
        f"mlcareer:vote:down:{question}",
    ]


async def test_a_shared_answer_can_be_rated_too(
    discord: DiscordHarness, router: LoggingRouter
) -> None:
    message, question = await answer(discord, router)
    shared = await click(discord, message, "mlcareer:share")
    assert shared.message is not None
    assert rows(shared.message)[-1] == [
        f"mlcareer:vote:up:{question}",
        f"mlcareer:vote:down:{question}",
    ]


async def test_help_carries_no_thumbs(discord: DiscordHarness) -> None:
    (callback,) = await discord.interact(events.command("help"))
    assert callback.message is not None
    assert not any(i.startswith("mlcareer:vote:") for row in rows(callback.message) for i in row)


async def test_feedback_switched_off_is_said_politely(store: SqlVoteStore) -> None:
    router = feedback_router(store, key=None)
    async with DiscordHarness(router) as discord:
        (callback,) = await discord.interact(events.command("skills"))
        assert callback.message is not None
        reply = await click(discord, callback.message, f"mlcareer:vote:up:{router.logged[-1]}")
        assert "isn't switched on" in told(reply)
        (note,) = await discord.interact(note_submit(router.logged[-1], "hi"))
        assert "isn't switched on" in told(note)


def test_the_fake_refuses_a_modal_where_discord_would() -> None:
    from tests.adapters.discord import discord_rules as rules

    too_long = {"custom_id": "x", "title": "t" * 46, "components": []}
    assert rules.modal_problems(too_long)
    assert rules.modal_context_problems({"type": 9}, 5)
    assert not rules.modal_context_problems({"type": 9}, 3)


def test_thumbs_keep_the_last_row_even_with_every_topic_button() -> None:
    from bot.adapters.discord.embeds import render
    from bot.adapters.discord.outgoing import to_view
    from bot.core.reply import Reply, ReplyKind, TopicLink

    links = tuple(TopicLink(f"topic-{n}", f"Topic {n}") for n in range(30))
    reply = Reply(ReplyKind.ANSWER, "t", "b", related=links, question_id="q1")
    view = to_view(render(reply, shareable=True).buttons)
    assert view is not None
    components = view.to_components()
    assert len(components) == 5
    assert [b["custom_id"] for b in components[-1]["components"]] == [
        "mlcareer:vote:up:q1",
        "mlcareer:vote:down:q1",
    ]
    assert components[-2]["components"][-1]["custom_id"] == "mlcareer:share"
