"""👍/👎 on Slack answers, through the real bolt app and the fake Slack, on both backends:
buttons beside Share, acknowledgements only to the voter, the note modal (views.open and
view_submission), and every kind of bad input."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.adapters.slack.modals import CALLBACK_ID
from bot.core.privacy import user_hash
from bot.feedback.comments import COMMENT_LIMIT
from bot.feedback.sql_store import SqlVoteStore
from bot.feedback.stores import open_vote_store
from tests.adapters.slack import payloads
from tests.adapters.slack.fake_slack import TEAM_ID, Sent
from tests.adapters.slack.harness import SlackHarness
from tests.feedback.conftest import KEY
from tests.feedback.questions import LoggingRouter, feedback_router, purge_question, votes

VOTER = "U0ASKER"
_numbers = itertools.count(1)


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[SqlVoteStore]:
    opened = await open_vote_store(db_url)
    yield opened
    await opened.close()


@pytest.fixture
async def router(store: SqlVoteStore) -> LoggingRouter:
    return feedback_router(store, KEY)


@pytest.fixture
async def slack(router: LoggingRouter) -> AsyncIterator[SlackHarness]:
    async with SlackHarness(router=router) as harness:
        yield harness


def buttons(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in payload["blocks"] if b["type"] == "actions" for e in b["elements"]]


def rows(payload: dict[str, Any]) -> list[list[str]]:
    return [
        [e["action_id"] for e in b["elements"]] for b in payload["blocks"] if b["type"] == "actions"
    ]


async def answer(slack: SlackHarness, router: LoggingRouter, text: str = "skills") -> str:
    """Ask with /mlcareer; the question id its vote buttons carry."""
    (sent,) = await slack.command_messages(text)
    assert rows(sent.payload)[-1] == ["share", "vote:up", "vote:down"]
    values = {b["value"] for b in buttons(sent.payload) if b["action_id"].startswith("vote:")}
    assert values == {router.logged[-1]}
    return router.logged[-1]


async def click(
    slack: SlackHarness, action_id: str, value: str, *, trigger: str | None = None
) -> tuple[str, Sent]:
    """Click a vote button; the trigger_id it carried and the reply the voter got."""
    trigger = trigger or slack.fake.new_trigger()
    body = payloads.action("block_actions_share", value=value, trigger_id=trigger)
    body["actions"][0]["action_id"] = action_id
    body["response_url"] = slack.fake.response_url(f"vote{next(_numbers)}")
    before = len(slack.fake.sent("response_url"))
    await slack.click(body)
    await slack.fake.wait_until(lambda: len(slack.fake.sent("response_url")) > before)
    (reply,) = slack.fake.sent("response_url")[before:]
    assert reply.payload["response_type"] == "ephemeral"
    assert reply.payload["replace_original"] is False
    return trigger, reply


def submission(question_id: str, text: str | None) -> dict[str, Any]:
    """A view_submission of the note form, as Slack sends it."""
    value = {"type": "plain_text_input", "value": text}
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "testteam"},
        "user": {"id": VOTER, "username": "asker", "name": "asker", "team_id": TEAM_ID},
        "api_app_id": "A0MLCAREER",
        "token": "verification-token-unused",
        "trigger_id": f"trigger-{next(_numbers)}",
        "view": {
            "id": "V00000001",
            "team_id": TEAM_ID,
            "type": "modal",
            "callback_id": CALLBACK_ID,
            "private_metadata": question_id,
            "state": {"values": {"comment": {"text": value}}},
            "hash": "1700000000.abc",
        },
    }


def shown(ack: dict[str, Any]) -> str:
    assert ack["response_action"] == "update"
    return " ".join(b["text"]["text"] for b in ack["view"]["blocks"])


def voter() -> str:
    return user_hash(KEY, "slack", VOTER)


async def test_an_answer_carries_thumbs_beside_share_and_a_vote_counts(
    slack: SlackHarness, router: LoggingRouter, store: SqlVoteStore
) -> None:
    question = await answer(slack, router)
    _, reply = await click(slack, "vote:up", question)
    assert "Thanks for the \N{THUMBS UP SIGN}" in reply.text
    assert await votes(store, question) == [(voter(), 1, None)]
    assert slack.fake.opened_views == []  # a 👍 asks nothing more


async def test_a_double_click_counts_once(
    slack: SlackHarness, router: LoggingRouter, store: SqlVoteStore
) -> None:
    question = await answer(slack, router)
    await click(slack, "vote:up", question)
    _, again = await click(slack, "vote:up", question)
    assert "already counted" in again.text
    assert await votes(store, question) == [(voter(), 1, None)]


async def test_a_vote_can_be_changed(
    slack: SlackHarness, router: LoggingRouter, store: SqlVoteStore
) -> None:
    question = await answer(slack, router)
    await click(slack, "vote:up", question)
    trigger, changed = await click(slack, "vote:down", question)
    assert "Vote changed to \N{THUMBS DOWN SIGN}" in changed.text
    assert slack.fake.used_triggers == {trigger}  # changing to 👎 asks for a note too
    assert await votes(store, question) == [(voter(), -1, None)]


async def test_thumbs_down_opens_the_note_form_and_its_note_is_stored_once(
    slack: SlackHarness, router: LoggingRouter, store: SqlVoteStore
) -> None:
    question = await answer(slack, router)
    trigger, reply = await click(slack, "vote:down", question)
    assert "\N{THUMBS DOWN SIGN}" in reply.text
    (call,) = slack.fake.calls_to("views.open")
    assert call.params["trigger_id"] == trigger
    (view,) = slack.fake.opened_views
    assert view["callback_id"] == CALLBACK_ID
    assert view["private_metadata"] == question
    assert view["blocks"][0]["optional"] is True
    first = await slack.submit_view(submission(question, "salaries outside the US"))
    second = await slack.submit_view(submission(question, "salaries outside the US"))
    assert "note is saved" in shown(first)
    assert "already saved" in shown(second)
    assert await votes(store, question) == [(voter(), -1, "salaries outside the US")]


async def test_a_note_form_sent_empty_keeps_the_vote(
    slack: SlackHarness, router: LoggingRouter, store: SqlVoteStore
) -> None:
    question = await answer(slack, router)
    await click(slack, "vote:down", question)
    ack = await slack.submit_view(submission(question, None))
    assert "no note" in shown(ack)
    assert await votes(store, question) == [(voter(), -1, None)]


async def test_an_expired_trigger_still_counts_the_vote(
    slack: SlackHarness, router: LoggingRouter, store: SqlVoteStore
) -> None:
    question = await answer(slack, router)
    _, reply = await click(slack, "vote:down", question, trigger=slack.fake.new_trigger(age=10))
    assert "couldn't open in time" in reply.text
    assert slack.fake.opened_views == []
    assert await votes(store, question) == [(voter(), -1, None)]


async def test_a_used_trigger_is_refused_like_slack(slack: SlackHarness) -> None:
    used = slack.fake.new_trigger()
    slack.fake.used_triggers.add(used)
    slack.fake._triggers.pop(used)
    fine = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Note"},
        "blocks": [{"type": "section", "text": {"type": "plain_text", "text": "hi"}}],
    }
    assert (await slack.fake._answer("views.open", {"trigger_id": used, "view": fine})) == {
        "ok": False,
        "error": "expired_trigger_id",
    }
    too_long = {"type": "modal", "title": {"type": "plain_text", "text": "x" * 25}, "blocks": []}
    fresh = slack.fake.new_trigger()
    refused = await slack.fake._answer("views.open", {"trigger_id": fresh, "view": too_long})
    assert refused["ok"] is False
    assert refused["error"] == "invalid_arguments"
    slack.fake.rejected.clear()  # refused on purpose; the harness checks nothing else was


@pytest.mark.parametrize("value", ["never-logged-question", "<!channel>", "x" * 500, "q1 DROP"])
async def test_a_forged_or_unknown_button_value_gets_a_polite_reply(
    slack: SlackHarness, router: LoggingRouter, store: SqlVoteStore, value: str
) -> None:
    await answer(slack, router)
    _, reply = await click(slack, "vote:down", value)
    assert "nothing was counted" in reply.text
    assert "<!channel>" not in str(reply.payload)
    assert slack.fake.opened_views == []
    assert await votes(store, value[:64]) == []


async def test_a_vote_after_the_retention_window_is_refused(
    slack: SlackHarness, router: LoggingRouter, store: SqlVoteStore
) -> None:
    question = await answer(slack, router)
    await purge_question(store, question)
    _, reply = await click(slack, "vote:up", question)
    assert "no longer in the question log" in reply.text
    ack = await slack.submit_view(submission(question, "late note"))
    assert "no longer in the question log" in shown(ack)
    assert await votes(store, question) == []


async def test_a_forged_note_form_gets_a_polite_reply(
    slack: SlackHarness, store: SqlVoteStore
) -> None:
    ack = await slack.submit_view(submission("<@U999> forged", "hello"))
    assert "isn't one this bot made" in shown(ack)


async def test_a_huge_hostile_note_is_cut_and_never_echoed(
    slack: SlackHarness, router: LoggingRouter, store: SqlVoteStore
) -> None:
    question = await answer(slack, router)
    await click(slack, "vote:down", question)
    hostile = "<!channel> <@U0BOSS> <https://evil.example|login> \x00" + "z" * 5000
    ack = await slack.submit_view(submission(question, hostile))
    assert f"cut to {COMMENT_LIMIT}" in shown(ack)
    assert "channel" not in shown(ack)
    ((_, _, stored),) = await votes(store, question)
    assert stored is not None
    assert stored.startswith("<!channel> <@U0BOSS>")
    assert len(stored) == COMMENT_LIMIT


async def test_a_mention_answer_has_its_thumbs_in_a_row_of_their_own(
    slack: SlackHarness, router: LoggingRouter
) -> None:
    await slack.mention("what skills do I need?")
    (posted,) = slack.posted()
    assert rows(posted.payload)[-1] == ["vote:up", "vote:down"]


async def test_help_and_other_replies_carry_no_thumbs(slack: SlackHarness) -> None:
    (sent,) = await slack.command_messages("help")
    assert not [b for b in buttons(sent.payload) if b["action_id"].startswith("vote:")]


async def test_votes_over_socket_mode_too(router: LoggingRouter, store: SqlVoteStore) -> None:
    async with SlackHarness(router=router, socket_mode=True) as slack:
        question = await answer(slack, router)
        await click(slack, "vote:down", question)
        ack = await slack.submit_view(submission(question, "more about MLOps"))
        assert "note is saved" in shown(ack)
    assert await votes(store, question) == [(voter(), -1, "more about MLOps")]


async def test_feedback_switched_off_is_said_politely(store: SqlVoteStore) -> None:
    router = feedback_router(store, key=None)
    async with SlackHarness(router=router) as slack:
        (sent,) = await slack.command_messages("skills")
        assert rows(sent.payload)[-1] == ["share", "vote:up", "vote:down"]
        _, reply = await click(slack, "vote:up", router.logged[-1])
        assert "isn't switched on" in reply.text
        ack = await slack.submit_view(submission(router.logged[-1], "hello"))
        assert "isn't switched on" in shown(ack)


def test_thumbs_fit_slacks_limits_beside_share_on_the_longest_answer() -> None:
    from bot.adapters.slack.blocks import render
    from bot.core.reply import BulletList, Reply, ReplyKind, TopicLink
    from tests.adapters.slack.block_kit import problems

    reply = Reply(
        ReplyKind.PARTIAL,
        "t",
        "word " * 20_000,
        lists=(BulletList("l", tuple("item" for _ in range(200))),),
        related=tuple(TopicLink(f"topic-{n}", f"Topic {n}") for n in range(30)),
        question_id="q" * 64,
    )
    message = render(reply, share_value="share-key")
    assert problems(message.payload()) == []
    assert rows(message.payload())[-1] == ["share", "vote:up", "vote:down"]
