"""Slack payloads -> Request, on the golden payloads in tests/fixtures/slack."""

from __future__ import annotations

import pytest

from bot.adapters.slack import translate
from bot.core.request import Request
from tests.adapters.slack import payloads


def test_slash_command_becomes_a_request_from_the_asker_in_the_channel() -> None:
    request = translate.command_request(payloads.load("slash_command"))
    assert request == Request(
        text="what skills do I need?",
        user="U0ASKER",
        channel="C0GENERAL",
        platform="slack",
        workspace="T0TEST",
        channel_kind="channel",
    )


def test_the_question_log_learns_where_a_slack_question_was_asked() -> None:
    """Workspace and channel kind (DM, channel, thread) for the question log's counts."""
    form = payloads.load("slash_command")
    dm = translate.command_request({**form, "channel_id": "D0DM", "channel_name": "directmessage"})
    assert dm.channel_kind == "dm"
    thread = payloads.load("app_mention_in_thread")["event"]
    assert translate.event_request(thread, "UBOT").channel_kind == "thread"
    mention = payloads.load("app_mention")["event"]
    assert translate.event_request(mention, "UBOT").channel_kind == "channel"
    im = {**mention, "channel": "D0DM", "channel_type": "im", "team": "T0TEST"}
    request = translate.event_request(im, "UBOT")
    assert (request.channel_kind, request.workspace) == ("dm", "T0TEST")


def test_mention_text_loses_the_bots_own_mention() -> None:
    event = payloads.load("app_mention")["event"]
    request = translate.event_request(event, bot_user_id="UBOT")
    assert request.text == "what skills do I need?"
    assert (request.user, request.channel, request.platform) == ("U0ASKER", "C0GENERAL", "slack")


def test_bot_mention_in_the_middle_of_a_thread_reply_is_dropped_too() -> None:
    event = payloads.load("app_mention_in_thread")["event"]
    text = translate.event_request(event, "UBOT").text
    assert " ".join(text.split()) == "thanks! and salary?"


def test_direct_message_becomes_a_request_in_the_dm() -> None:
    request = translate.event_request(payloads.load("message_im")["event"], "UBOT")
    assert (request.text, request.channel) == ("do I need a degree?", "D0ASKER")


@pytest.mark.parametrize(
    ("slack_text", "typed"),
    [
        ("a &lt;b&gt; &amp; c", "a <b> & c"),
        ("&amp;lt;", "&lt;"),  # the person typed the entity itself
        ("hi <!channel> and <!here|here> <!everyone>", "hi @channel and @here @everyone"),
        ("ask <@U123> or <@U456|sam>", "ask @U123 or @sam"),
        ("in <#C123|general> or <#C456>", "in #general or #C456"),
        ("see <https://example.com|the site> or <https://x.org>", "see the site or https://x.org"),
        ("ping <!subteam^S123|@ml-team>", "ping @ml-team"),
        ("<!date^1392734382^{date}|Feb 18, 2014>", "Feb 18, 2014"),
        ("<@UBOT> skills", "skills"),
    ],
)
def test_slack_markup_and_entities_become_what_the_person_typed(
    slack_text: str, typed: str
) -> None:
    assert translate.plain_text(slack_text, bot_user_id="UBOT") == typed


@pytest.mark.parametrize(
    ("fixture", "from_a_person"),
    [
        ("message_im", True),
        ("app_mention", True),
        ("message_im_file_share", True),
        ("message_changed", False),
        ("bot_message", False),
        ("own_message", False),
        ("channel_join", False),
        ("app_mention_edited", False),
        ("message_im_slackbot", False),
    ],
)
def test_only_people_s_new_messages_are_answered(fixture: str, from_a_person: bool) -> None:
    event = payloads.load(fixture)["event"]
    assert translate.is_from_a_person(event, "UBOT") is from_a_person


def test_own_message_without_bot_id_is_still_recognised_as_own() -> None:
    event = {"type": "message", "user": "UBOT", "text": "hello", "channel_type": "im"}
    assert not translate.is_from_a_person(event, "UBOT")


def test_button_click_names_the_clicker_channel_value_and_response_url() -> None:
    clicked = translate.click(payloads.load("block_actions_topic"))
    assert clicked == translate.Click(
        action_id="topic:0",
        value="salary",
        user="U0CLICKER",
        channel="C0GENERAL",
        response_url="https://hooks.slack.com/actions/T0TEST/2/def",
    )
    assert not clicked.in_direct_message
    request = translate.click_request(clicked, clicked.value)
    assert (request.text, request.user, request.platform) == ("salary", "U0CLICKER", "slack")


def test_malformed_click_payload_gives_empty_fields_not_an_error() -> None:
    clicked = translate.click({"type": "block_actions", "actions": []})
    assert (clicked.value, clicked.user, clicked.response_url) == ("", "", None)
