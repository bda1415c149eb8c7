"""Behaviour of /mlcareer, mentions, DMs and buttons, through the real bolt app over signed
HTTP requests against the fake Slack."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from bot.adapters.slack.shares import decode, encode
from bot.core.replies import help_reply
from bot.core.request import Request
from tests.adapters.slack import payloads
from tests.adapters.slack.conftest import RecordingTips
from tests.adapters.slack.fake_slack import Sent
from tests.adapters.slack.harness import SlackHarness, eventually
from tests.shipped import SHIPPED


def buttons(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in payload["blocks"] if b["type"] == "actions" for e in b["elements"]]


def topic_buttons(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in buttons(payload) if b["action_id"].startswith("topic:")]


def share_value(payload: dict[str, Any]) -> str:
    [share] = [b for b in buttons(payload) if b["action_id"] == "share"]
    return str(share["value"])


async def expected_title(slack: SlackHarness, text: str) -> str:
    """What the real router answers ``text`` with (the adapter must not change it)."""
    assert slack.runner is not None
    return (await slack.runner.router.handle(Request(text))).title


async def test_slash_command_is_answered_in_the_ack_as_an_ephemeral_block_kit_message(
    slack: SlackHarness,
) -> None:
    [sent] = await slack.command_messages("what skills do I need?")
    payload = sent.payload
    assert sent.via == "ack"
    assert payload["response_type"] == "ephemeral"
    header = payload["blocks"][0]
    assert header["type"] == "header"
    assert header["text"]["text"] == await expected_title(slack, "what skills do I need?")
    assert any(b["type"] == "section" for b in payload["blocks"])
    assert topic_buttons(payload), "related topics should be buttons"
    contexts = json.dumps([b for b in payload["blocks"] if b["type"] == "context"])
    assert "Section: " in contexts
    assert buttons(payload)[-1]["text"]["text"] == "Share in channel"
    assert payload["text"].startswith(header["text"]["text"])  # plain-text fallback
    assert slack.fake.calls_to("chat.postMessage") == []  # nothing else was posted


async def test_empty_command_shows_help(slack: SlackHarness) -> None:
    [text] = await slack.command("")
    assert text.startswith(help_reply(SHIPPED).title)


async def test_related_topic_button_answers_that_topic_just_for_the_clicker(
    slack: SlackHarness,
) -> None:
    [sent] = await slack.command_messages("skills")
    button = topic_buttons(sent.payload)[0]
    body = payloads.action(
        "block_actions_topic", value=button["value"], response_url=slack.fake.response_url("c1")
    )
    await slack.click(body)
    await slack.fake.wait_until(lambda: bool(slack.fake.sent("response_url")))
    [answer] = slack.fake.sent("response_url")
    assert answer.payload["response_type"] == "ephemeral"
    assert answer.payload["replace_original"] is False
    expected = await expected_title(slack, button["value"])
    assert answer.payload["blocks"][0]["text"]["text"] == expected


async def test_did_you_mean_button_answers_the_suggested_topic(slack: SlackHarness) -> None:
    [sent] = await slack.command_messages("skils")
    [button] = topic_buttons(sent.payload)
    assert button["value"] == "skills"
    await slack.click(
        payloads.action(
            "block_actions_topic", value="skills", response_url=slack.fake.response_url("c2")
        )
    )
    await slack.fake.wait_until(lambda: bool(slack.fake.sent("response_url")))
    [answer] = slack.fake.sent("response_url")
    assert answer.text.startswith(await expected_title(slack, "skills"))


async def test_a_button_clicked_in_a_dm_answers_as_an_ordinary_message(slack: SlackHarness) -> None:
    body = payloads.action(
        "block_actions_topic",
        value="salary",
        response_url=slack.fake.response_url("c3"),
        channel={"id": "D0ASKER", "name": "directmessage"},
    )
    await slack.click(body)
    await slack.fake.wait_until(lambda: bool(slack.fake.sent("response_url")))
    assert slack.fake.sent("response_url")[0].payload["response_type"] == "in_channel"


async def test_share_posts_the_same_answer_for_everyone_and_says_who_shared_it(
    slack: SlackHarness,
) -> None:
    [sent] = await slack.command_messages("salary")
    key, _ = decode(share_value(sent.payload))
    # The question in the value is only a fallback: the remembered reply is what is shared.
    body = payloads.action(
        "block_actions_share",
        value=encode(key, "about"),
        response_url=slack.fake.response_url("s1"),
    )
    await slack.click(body)
    await slack.fake.wait_until(lambda: len(slack.fake.sent("response_url")) == 1)
    [posted] = slack.fake.sent("chat.postMessage")
    assert posted.channel == "C0GENERAL"
    assert posted.thread_ts is None
    assert posted.payload["text"] == sent.payload["text"]
    assert "Shared by <@U0ASKER>" in json.dumps(posted.payload["blocks"])
    assert not [b for b in buttons(posted.payload) if b["action_id"] == "share"]
    [cleanup] = slack.fake.sent("response_url")
    assert cleanup.payload == {"delete_original": True}


async def test_share_where_the_bot_is_not_a_member_posts_through_the_response_url(
    slack: SlackHarness,
) -> None:
    slack.fake.channels_without_bot.add("C0GENERAL")
    [sent] = await slack.command_messages("salary")
    body = payloads.action(
        "block_actions_share",
        value=share_value(sent.payload),
        response_url=slack.fake.response_url("s2"),
    )
    await slack.click(body)
    await slack.fake.wait_until(lambda: len(slack.fake.sent("response_url")) == 2)
    public, cleanup = slack.fake.sent("response_url")
    assert public.payload["response_type"] == "in_channel"
    assert public.payload["replace_original"] is False
    assert public.payload["text"] == sent.payload["text"]
    assert cleanup.payload == {"delete_original": True}


async def test_sharing_a_forgotten_answer_answers_the_question_again(slack: SlackHarness) -> None:
    [sent] = await slack.command_messages("salary")
    slack.clock.advance(2 * 60 * 60)
    body = payloads.action(
        "block_actions_share",
        value=share_value(sent.payload),
        response_url=slack.fake.response_url("s3"),
    )
    await slack.click(body)
    await slack.fake.wait_until(lambda: bool(slack.fake.sent("chat.postMessage")))
    assert slack.fake.sent("chat.postMessage")[0].payload["text"] == sent.payload["text"]


async def test_a_reply_meant_for_everyone_is_posted_in_the_channel_without_a_share_button() -> None:
    async with SlackHarness(tips=RecordingTips()) as slack:
        [sent] = await slack.command_messages("tips now")
    assert sent.payload["response_type"] == "in_channel"
    assert not [b for b in buttons(sent.payload) if b["action_id"] == "share"]


async def test_tips_commands_ask_slack_about_admin_rights_once_per_few_minutes() -> None:
    tips = RecordingTips()
    async with SlackHarness(tips=tips, slack_admins={"U0ASKER"}) as slack:
        await slack.command("tips status")
        await slack.command("tips on")
        assert [c.params["user"] for c in slack.fake.calls_to("users.info")] == ["U0ASKER"]
        slack.clock.advance(301)
        await slack.command("tips off")
        assert len(slack.fake.calls_to("users.info")) == 2
        await slack.command("tips on", user_id="U0SOMEONE")
    assert [r.is_admin for r in tips.requests] == [True, True, True, False]
    assert tips.requests[0].platform == "slack"
    assert tips.requests[0].channel == "C0GENERAL"


async def test_admins_listed_in_the_settings_need_no_lookup() -> None:
    tips = RecordingTips()
    async with SlackHarness(tips=tips, admins=("U0ASKER",)) as slack:
        await slack.mention("tips on")
        assert slack.fake.calls_to("users.info") == []
    assert tips.requests[0].is_admin


async def test_ordinary_questions_never_look_up_admin_rights(slack: SlackHarness) -> None:
    await slack.command("skills")
    await slack.mention("salary")
    await slack.dm("tip")
    assert slack.fake.calls_to("users.info") == []


async def test_mention_is_answered_in_a_thread_on_that_message(slack: SlackHarness) -> None:
    [sent] = await slack.event_messages(payloads.load("app_mention"))
    assert (sent.via, sent.channel) == ("chat.postMessage", "C0GENERAL")
    assert sent.thread_ts == "1700000100.000100"
    assert sent.text.startswith(await expected_title(slack, "what skills do I need?"))
    assert topic_buttons(sent.payload)
    assert not [b for b in buttons(sent.payload) if b["action_id"] == "share"]


async def test_mention_inside_a_thread_is_answered_in_that_thread(slack: SlackHarness) -> None:
    [sent] = await slack.event_messages(payloads.load("app_mention_in_thread"))
    assert sent.thread_ts == "1700000100.000100"


async def test_direct_message_is_answered_in_the_dm(slack: SlackHarness) -> None:
    [sent] = await slack.event_messages(payloads.load("message_im"))
    assert (sent.channel, sent.thread_ts) == ("D0ASKER", None)
    assert sent.text.startswith(await expected_title(slack, "do I need a degree?"))


async def test_a_direct_message_with_a_file_attached_is_answered(slack: SlackHarness) -> None:
    [sent] = await slack.event_messages(payloads.load("message_im_file_share"))
    assert (sent.channel, sent.thread_ts) == ("D0ASKER", None)


@pytest.mark.parametrize(
    "fixture",
    [
        "own_message",
        "bot_message",
        "message_changed",
        "channel_join",
        "app_mention_edited",
        "message_im_slackbot",
    ],
)
async def test_own_and_other_bots_messages_edits_slackbot_and_joins_are_ignored(
    slack: SlackHarness, fixture: str
) -> None:
    answer = await slack.deliver_event(payloads.load(fixture))
    assert answer is not None
    assert answer.status == 200
    await slack.settle()
    assert slack.posted() == []


async def test_a_retried_delivery_is_acknowledged_but_not_answered_again(
    slack: SlackHarness,
) -> None:
    body = payloads.load("app_mention")
    await slack.event_messages(body)
    retry = await slack.deliver_event(body, retry=1)
    assert retry is not None
    assert retry.status == 200
    assert retry.headers.get("x-slack-no-retry") == "1"
    await slack.settle()
    assert len(slack.posted()) == 1


async def test_a_retry_the_receipts_never_saw_is_answered(slack: SlackHarness) -> None:
    """The first delivery reached a replica that died before claiming it: the receipts, not
    the retry headers, decide, so the retry is answered (once)."""
    body = payloads.event("app_mention", "Ev0NEVERSEEN", ts="1700009999.000001")
    await slack.deliver_event(body, retry=2)
    await slack.fake.wait_until(lambda: len(slack.posted()) == 1)
    again = await slack.deliver_event(body, retry=3)
    assert again is not None
    assert again.status == 200
    await slack.settle()
    assert len(slack.posted()) == 1


async def test_a_retry_after_the_bot_was_unreachable_is_answered_once(
    slack: SlackHarness,
) -> None:
    """Slack could not connect the first time (the bot was restarting): the retry is the
    first delivery the bot sees, so it is answered; later retries of it are not."""
    body = payloads.event("app_mention", "Ev0WHILEDOWN", ts="1700009999.000002")
    await slack.deliver_event(body, retry=1, reason="connection_failed")
    await slack.fake.wait_until(lambda: len(slack.posted()) == 1)
    await slack.deliver_event(body, retry=2, reason="connection_failed")
    await slack.deliver_event(body, retry=3, reason="http_timeout")
    await slack.settle()
    assert len(slack.posted()) == 1


async def test_the_same_event_id_delivered_twice_is_answered_once(slack: SlackHarness) -> None:
    body = payloads.load("message_im")
    await slack.event_messages(body)
    await slack.deliver_event(body)
    await slack.settle()
    assert len(slack.posted()) == 1


async def test_a_known_event_id_is_dropped_before_any_handler(slack: SlackHarness) -> None:
    """The event_id alone marks a redelivery, even if the rest of the payload differs."""
    await slack.event_messages(payloads.event("message_im", "Ev0SAME", ts="1700000001.000001"))
    await slack.deliver_event(payloads.event("message_im", "Ev0SAME", ts="1700000002.000002"))
    await slack.settle()
    assert len(slack.posted()) == 1


async def test_a_dm_that_mentions_the_bot_is_answered_once(slack: SlackHarness) -> None:
    """Slack sends a message.im and an app_mention for it: two event ids, one message."""
    event = {"text": "<@UBOT> salary", "ts": "1700000900.000900", "channel": "D0ASKER"}
    await slack.event_messages(payloads.event("message_im", "Ev0A", **event))
    await slack.deliver_event(payloads.event("app_mention", "Ev0B", **event))
    await slack.settle()
    assert len(slack.posted()) == 1


async def test_a_rate_limited_answer_waits_as_slack_asks_and_is_then_posted(
    slack: SlackHarness,
) -> None:
    slack.fake.script(
        "chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, **{"Retry-After": "3"}
    )
    replies = await slack.mention("salary")
    assert len(replies) == 1
    assert len(slack.fake.calls_to("chat.postMessage")) == 2
    assert slack.sleep.calls == [3.0]


async def test_a_transient_server_error_is_retried_with_backoff(slack: SlackHarness) -> None:
    slack.fake.script("chat.postMessage", 503, {"ok": False, "error": "service_unavailable"})
    slack.fake.script("chat.postMessage", 502, {"ok": False, "error": "bad_gateway"})
    replies = await slack.mention("salary")
    assert len(replies) == 1
    assert len(slack.sleep.calls) == 2
    assert all(s > 0 for s in slack.sleep.calls)


async def test_a_post_that_keeps_failing_is_logged_and_the_bot_carries_on(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    for _ in range(6):
        slack.fake.script(
            "chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, **{"Retry-After": "1"}
        )
    await slack.deliver_event(payloads.load("app_mention"))
    await eventually(lambda: "could not answer a message in C0GENERAL" in caplog.text)
    assert "ratelimited" in caplog.text
    assert len(slack.fake.calls_to("chat.postMessage")) == 6  # the first try and 5 retries
    assert len(await slack.dm("salary")) == 1  # and the bot still answers


async def test_a_channel_the_bot_was_removed_from_is_noted_not_crashed_on(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.adapters.slack")
    slack.fake.channels_without_bot.add("C0GENERAL")
    await slack.deliver_event(payloads.load("app_mention"))
    assert len(await slack.dm("salary")) == 1
    assert "not answering in C0GENERAL" in caplog.text


HOSTILE = "tips on <!channel> <!here> &lt;b&gt; <@U123> <!subteam^S9|@ml> &amp;lt;"


def all_texts(sent: Sent) -> list[str]:
    found = [str(sent.payload.get("text", ""))]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in {"plain_text", "mrkdwn"}:
                found.append(str(node["text"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(sent.payload.get("blocks", []))
    return found


@pytest.mark.parametrize("via", ["command", "mention"])
async def test_hostile_input_echoed_back_is_escaped_and_pings_nobody(via: str) -> None:
    async with SlackHarness(tips=RecordingTips()) as slack:  # its replies echo the arguments
        if via == "command":
            [sent] = await slack.command_messages(HOSTILE)
        else:
            body = payloads.event("app_mention", text=f"<@UBOT> {HOSTILE}")
            [sent] = await slack.event_messages(body)
    texts = all_texts(sent)
    for text in texts:
        assert not {"<", ">"} & set(text), text
    echoed = " ".join(texts)
    assert "@channel @here &lt;b&gt; @U123 @ml &amp;lt;" in echoed  # shown exactly as typed


async def test_a_slow_answer_is_acknowledged_at_once_and_sent_to_the_response_url() -> None:
    async with SlackHarness(ack_budget=0) as slack:
        [sent] = await slack.command_messages("salary")
    assert sent.via == "response_url"
    assert sent.payload["response_type"] == "ephemeral"
    assert sent.payload["blocks"][0]["type"] == "header"
