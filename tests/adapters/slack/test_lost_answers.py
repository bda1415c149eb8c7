"""A mention or DM whose answer cannot be posted even after the retries (four 500s in a row)
gets a short apology just for the asker, once; if even that fails, the log says so."""

from __future__ import annotations

import pytest

from tests.adapters.slack import payloads
from tests.adapters.slack.harness import SlackHarness, eventually

SERVER_ERROR = {"ok": False, "error": "internal_error"}


def fail_posts(slack: SlackHarness, method: str, times: int) -> None:
    for _ in range(times):
        slack.fake.script(method, 500, SERVER_ERROR)


async def test_an_answer_lost_to_four_500s_gets_one_apology_for_the_asker(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    fail_posts(slack, "chat.postMessage", 4)  # the first try and its three retries
    await slack.deliver_event(payloads.load("app_mention"))
    await eventually(lambda: bool(slack.fake.sent("chat.postEphemeral")))
    await slack.settle()
    (sorry,) = slack.fake.sent("chat.postEphemeral")
    assert sorry.channel == "C0GENERAL"
    assert sorry.payload["user"] == "U0ASKER"
    assert sorry.thread_ts == payloads.load("app_mention")["event"]["ts"]
    assert "try again" in sorry.text
    assert len(slack.fake.calls_to("chat.postMessage")) == 4 + 1  # and settle()'s marker
    assert slack.posted() == []
    assert "could not answer a message in C0GENERAL" in caplog.text


async def test_a_dm_whose_answer_is_lost_gets_the_apology_in_the_dm(slack: SlackHarness) -> None:
    fail_posts(slack, "chat.postMessage", 4)
    await slack.deliver_event(payloads.event("message_im", "Ev0LOST", text="salary"))
    await eventually(lambda: bool(slack.fake.sent("chat.postEphemeral")))
    (sorry,) = slack.fake.sent("chat.postEphemeral")
    assert sorry.channel == payloads.event("message_im", "Ev0X")["event"]["channel"]


async def test_three_500s_are_retried_and_need_no_apology(slack: SlackHarness) -> None:
    fail_posts(slack, "chat.postMessage", 3)
    replies = await slack.mention("salary")
    assert len(replies) == 1
    await slack.settle()
    assert slack.fake.sent("chat.postEphemeral") == []


async def test_when_the_apology_fails_too_the_log_says_the_person_got_no_word(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    fail_posts(slack, "chat.postMessage", 4)
    fail_posts(slack, "chat.postEphemeral", 4)
    await slack.deliver_event(payloads.load("app_mention"))
    await eventually(lambda: "that their answer was lost either" in caplog.text)
    assert "could not tell U0ASKER in C0GENERAL" in caplog.text
    assert len(slack.fake.calls_to("chat.postEphemeral")) == 4  # bounded, then given up
    assert len(await slack.dm("salary")) == 1  # and the bot still answers


async def test_a_channel_the_bot_left_gets_no_apology(slack: SlackHarness) -> None:
    slack.fake.channels_without_bot.add("C0GENERAL")
    await slack.deliver_event(payloads.load("app_mention"))
    await slack.settle()
    assert slack.fake.calls_to("chat.postEphemeral") == []
