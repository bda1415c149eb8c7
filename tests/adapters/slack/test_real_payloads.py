"""Payloads in the shapes Slack really sends from Enterprise Grid (org-wide installs) and Slack
Connect (people from another organisation), each translated and answered as a person would
expect, through the real bolt app over HTTP and Socket Mode."""

from __future__ import annotations

import pytest

from bot.adapters.slack import translate
from bot.core.request import Request
from tests.adapters.slack import payloads
from tests.adapters.slack.harness import SlackHarness

MODES = pytest.mark.parametrize("socket_mode", [False, True], ids=["http", "socket-mode"])


async def title_for(slack: SlackHarness, text: str) -> str:
    assert slack.runner is not None
    return (await slack.runner.router.handle(Request(text))).title


def test_grid_and_connect_events_translate_to_the_person_and_their_words() -> None:
    grid = payloads.load("app_mention_enterprise")["event"]
    connect = payloads.load("app_mention_slack_connect")["event"]
    assert translate.event_request(grid, "UBOT") == Request(
        text="how much do ML engineers earn?",
        user="W0GRIDUSER",
        channel="C0GRIDCHAN",
        platform="slack",
        workspace="T0GRIDWS1",  # the person's own workspace in the org, for the question log
        channel_kind="thread" if grid.get("thread_ts") else "channel",
    )
    assert translate.event_request(connect, "UBOT").user == "W0PARTNER"
    assert translate.is_from_a_person(grid, "UBOT")
    assert translate.is_from_a_person(connect, "UBOT")


@MODES
async def test_a_mention_from_an_org_wide_install_is_answered_in_its_thread(
    socket_mode: bool,
) -> None:
    async with SlackHarness(socket_mode=socket_mode) as slack:
        [sent] = await slack.event_messages(payloads.load("app_mention_enterprise"))
        title = await title_for(slack, "how much do ML engineers earn?")
    assert sent.channel == "C0GRIDCHAN"
    assert sent.thread_ts == "1700004100.004100"
    assert sent.payload["blocks"][0]["text"]["text"] == title


async def test_a_slash_command_from_an_org_wide_install_is_answered() -> None:
    async with SlackHarness() as slack:
        form = payloads.load("slash_command_enterprise")
        form["response_url"] = slack.fake.response_url("grid")
        answer = await slack.post_form(form)
        title = await title_for(slack, "what skills do I need?")
    assert answer.status == 200
    reply = answer.json()
    assert reply["response_type"] == "ephemeral"
    assert reply["blocks"][0]["text"]["text"] == title


async def test_a_grid_users_share_names_them_with_their_w_id(slack: SlackHarness) -> None:
    [sent] = await slack.command_messages("salary", user_id="W0GRIDUSER")
    share = [
        e
        for b in sent.payload["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "share"
    ]
    click = payloads.action(
        "block_actions_share", value=share[0]["value"], response_url=slack.fake.response_url()
    )
    click["user"]["id"] = "W0GRIDUSER"
    await slack.click(click)
    await slack.fake.wait_until(lambda: bool(slack.posted()))
    assert "Shared by <@W0GRIDUSER>" in str(slack.posted()[0].payload["blocks"])


@MODES
async def test_a_mention_by_someone_from_another_org_is_answered_normally(
    socket_mode: bool,
) -> None:
    async with SlackHarness(socket_mode=socket_mode) as slack:
        [sent] = await slack.event_messages(payloads.load("app_mention_slack_connect"))
        title = await title_for(slack, "what does an ML engineer do?")
    assert sent.channel == "C0SHARED"
    assert sent.thread_ts == "1700005100.005100"
    assert sent.payload["blocks"][0]["text"]["text"] == title


async def test_a_dm_from_someone_from_another_org_is_answered(slack: SlackHarness) -> None:
    [sent] = await slack.event_messages(payloads.load("message_im_slack_connect"))
    assert sent.channel == "D0PARTNER"
    assert sent.payload["blocks"][0]["text"]["text"] == await title_for(
        slack, "do I need a degree?"
    )


async def test_the_same_grid_event_delivered_twice_is_answered_once(slack: SlackHarness) -> None:
    body = payloads.load("app_mention_enterprise")
    await slack.deliver_event(body)
    await slack.deliver_event(body, retry=1)
    await slack.settle()
    assert len(slack.posted()) == 1
