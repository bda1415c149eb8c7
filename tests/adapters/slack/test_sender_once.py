"""SlackSender posting at most once: the metadata on every message, the look-up before a
retried tip or a resend after a dropped connection, and posting without it when the app
lacks the history scope. Against the fake Slack, which keeps each channel's messages."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.slack.sender import ANSWER_EVENT, TIP_EVENT
from bot.core.ports import PostOnce
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.test_sender import TIP, sender_for


def once(key: str = "slack:C1:2024-06-03", *, retry: bool = False) -> PostOnce:
    return PostOnce(key, datetime.now(UTC) - timedelta(seconds=5), retry=retry)


async def test_a_tip_carries_its_claim_key_as_metadata(fake: FakeSlack) -> None:
    await sender_for(fake.api_url).post("C1", TIP, once=once())
    [message] = fake.posts_in("C1")
    assert message["metadata"] == {
        "event_type": TIP_EVENT,
        "event_payload": {"key": "slack:C1:2024-06-03"},
    }
    assert fake.calls_to("conversations.history") == []  # a first attempt never looks


async def test_a_retried_tip_already_in_the_channel_is_not_posted_again(fake: FakeSlack) -> None:
    sender = sender_for(fake.api_url)
    await sender.post("C1", TIP, once=once())
    await sender.post("C1", TIP, once=once(retry=True))
    assert len(fake.posts_in("C1")) == 1
    [lookup] = fake.calls_to("conversations.history")
    assert lookup.params["include_all_metadata"] in (True, "1", "true")
    assert float(lookup.params["oldest"]) < datetime.now(UTC).timestamp()


async def test_a_retried_tip_not_in_the_channel_is_posted(fake: FakeSlack) -> None:
    sender = sender_for(fake.api_url)
    await sender.post("C1", TIP, once=once("slack:C1:2024-06-02"))  # yesterday's, another key
    await sender.post("C1", TIP, once=once(retry=True))
    assert len(fake.posts_in("C1")) == 2


@pytest.mark.parametrize(
    ("channel", "scope"),
    [("C1", "channels:history"), ("G1", "groups:history"), ("D1", "im:history")],
)
async def test_without_the_history_scope_a_retry_posts_and_says_so_once(
    fake: FakeSlack, caplog: pytest.LogCaptureFixture, channel: str, scope: str
) -> None:
    fake.scopes.discard(scope)
    sender = sender_for(fake.api_url)
    with caplog.at_level(logging.WARNING, logger="bot.adapters.slack.sender"):
        await sender.post(channel, TIP, once=once(f"slack:{channel}:a", retry=True))
        await sender.post(channel, TIP, once=once(f"slack:{channel}:b", retry=True))
    assert len(fake.posts_in(channel)) == 2  # degraded, not failed
    warnings = [r.getMessage() for r in caplog.records if scope in r.getMessage()]
    assert len(warnings) == 1


async def test_an_answer_whose_connection_dropped_after_slack_took_it_is_not_resent(
    fake: FakeSlack,
) -> None:
    """Slack accepted the answer but the connection reset before the reply: the sender finds
    the answer's metadata in the thread and does not post it again."""
    fake.reset_after_post = 1
    thread = "1700000000.000001"
    await sender_for(fake.api_url).post("C1", TIP, thread_ts=thread)
    [message] = fake.posts_in("C1")
    assert message["metadata"]["event_type"] == ANSWER_EVENT
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert len(fake.calls_to("conversations.replies")) == 1


async def test_a_redelivered_messages_answer_already_in_its_thread_is_not_posted_again(
    fake: FakeSlack,
) -> None:
    """A replica posted the answer to a message and died before recording it; the answer is
    named by the message (``answer_once``), so the replica answering Slack's retry finds it
    in the thread and posts nothing, while a first delivery never looks."""
    from bot.adapters.slack.handlers import answer_once

    event = {"channel": "C1", "ts": f"{datetime.now(UTC).timestamp() - 2:.6f}"}
    sender = sender_for(fake.api_url)
    thread = str(event["ts"])
    await sender.post("C1", TIP, thread_ts=thread, once=answer_once(event, False), answer=True)
    assert fake.calls_to("conversations.replies") == []
    [message] = fake.posts_in("C1")
    assert message["metadata"]["event_type"] == ANSWER_EVENT
    await sender.post("C1", TIP, thread_ts=thread, once=answer_once(event, True), answer=True)
    assert len(fake.posts_in("C1")) == 1
    other = {"channel": "C1", "ts": f"{float(event['ts']) + 1:.6f}"}  # another message's
    await sender.post("C1", TIP, thread_ts=thread, once=answer_once(other, True), answer=True)
    assert len(fake.posts_in("C1")) == 2
