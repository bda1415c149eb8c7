"""The "Ask mlcareer" message shortcut: the message's text is the question, the answer is
private (ephemeral, with Share; or in the bot's DM where it cannot post), through the real
bolt app against the fake Slack."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.adapters.slack.shortcut import ANSWERED_HERE
from bot.core.request import Request
from tests.adapters.slack import payloads
from tests.adapters.slack.conftest import RecordingTips
from tests.adapters.slack.harness import SlackHarness

QUESTION = "@U0OTHER is a master's degree worth it for ML jobs?"  # as the fixture's text reads


def shortcut(**message: Any) -> dict[str, Any]:
    body = payloads.load("message_action")
    body["message"].update(message)
    return body


def buttons(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in payload["blocks"] if b["type"] == "actions" for e in b["elements"]]


async def expected_title(slack: SlackHarness, text: str) -> str:
    assert slack.runner is not None
    return (await slack.runner.router.handle(Request(text))).title


@pytest.mark.parametrize("socket_mode", [False, True], ids=["http", "socket-mode"])
async def test_the_messages_text_is_answered_ephemerally_with_share(socket_mode: bool) -> None:
    async with SlackHarness(socket_mode=socket_mode) as slack:
        ack = await slack.interact(shortcut())
        await slack.fake.wait_until(lambda: bool(slack.fake.sent("chat.postEphemeral")))
        [sent] = slack.fake.sent("chat.postEphemeral")
        title = await expected_title(slack, QUESTION)
    assert ack == {}
    assert sent.channel == "C0GENERAL"
    assert sent.payload["user"] == "U0ASKER"  # only the person who used the shortcut sees it
    assert sent.payload["blocks"][0]["text"]["text"] == title
    assert buttons(sent.payload)[-1]["action_id"] == "share"
    assert slack.posted() == []  # nothing public


async def test_share_on_the_shortcuts_answer_posts_it_for_everyone(slack: SlackHarness) -> None:
    await slack.interact(shortcut())
    await slack.fake.wait_until(lambda: bool(slack.fake.sent("chat.postEphemeral")))
    [sent] = slack.fake.sent("chat.postEphemeral")
    value = buttons(sent.payload)[-1]["value"]
    click = payloads.action(
        "block_actions_share", value=value, response_url=slack.fake.response_url()
    )
    await slack.click(click)
    await slack.fake.wait_until(lambda: bool(slack.posted()))
    [shared] = slack.posted()
    assert shared.channel == "C0GENERAL"
    assert shared.payload["blocks"][0] == sent.payload["blocks"][0]
    assert "Shared by <@U0ASKER>" in json.dumps(shared.payload["blocks"])


@pytest.mark.parametrize("refusal", ["not_in_channel", "channel_not_found"])
async def test_where_the_bot_cannot_post_the_answer_goes_to_its_dm(
    slack: SlackHarness, refusal: str
) -> None:
    slack.fake.script("chat.postEphemeral", 200, {"ok": False, "error": refusal})
    await slack.interact(shortcut())
    await slack.fake.wait_until(lambda: bool(slack.posted()))
    [sent] = slack.posted()
    assert sent.channel == "DU0ASKER"
    assert sent.payload["blocks"][0]["text"]["text"] == await expected_title(slack, QUESTION)
    assert ANSWERED_HERE in json.dumps(sent.payload["blocks"])
    assert "share" not in [b["action_id"] for b in buttons(sent.payload)]


async def test_a_channel_without_the_bot_is_answered_in_the_dm(slack: SlackHarness) -> None:
    slack.fake.channels_without_bot.add("C0GENERAL")
    await slack.interact(shortcut())
    await slack.fake.wait_until(lambda: bool(slack.posted()))
    assert [s.channel for s in slack.posted()] == ["DU0ASKER"]


@pytest.mark.parametrize("text", ["", "   ", "<@UBOT>"])
async def test_a_message_without_text_gets_a_friendly_reply(slack: SlackHarness, text: str) -> None:
    await slack.interact(shortcut(text=text, blocks=[]))
    await slack.fake.wait_until(lambda: bool(slack.fake.sent("chat.postEphemeral")))
    [sent] = slack.fake.sent("chat.postEphemeral")
    assert "no text I can read" in sent.text
    assert buttons(sent.payload) == []


async def test_markup_in_the_message_is_read_as_a_person_wrote_it(slack: SlackHarness) -> None:
    await slack.interact(shortcut(text="what &amp; how much do <https://x.io|ML engineers> earn?"))
    await slack.fake.wait_until(lambda: bool(slack.fake.sent("chat.postEphemeral")))
    [sent] = slack.fake.sent("chat.postEphemeral")
    title = await expected_title(slack, "what & how much do ML engineers earn?")
    assert sent.payload["blocks"][0]["text"]["text"] == title


async def test_the_request_names_the_workspace_and_kind_of_conversation() -> None:
    tips = RecordingTips()  # "tips ..." questions reach it with the request the adapter built
    async with SlackHarness(tips=tips) as slack:
        await slack.interact(shortcut(text="tips status"))
        org_wide = shortcut(text="tips status")
        org_wide["team"] = None  # as in org-wide installs; the user's team is there instead
        org_wide["user"]["team_id"] = "T0GRIDWS1"
        org_wide["channel"]["id"] = "D0SOMEDM"
        await slack.interact(org_wide)
        await slack.fake.wait_until(lambda: len(slack.fake.sent("chat.postEphemeral")) == 2)
    assert [(r.workspace, r.channel_kind, r.user) for r in tips.requests] == [
        ("T0TEST", "channel", "U0ASKER"),
        ("T0GRIDWS1", "dm", "U0ASKER"),
    ]
