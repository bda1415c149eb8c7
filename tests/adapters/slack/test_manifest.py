"""The Slack app manifest an admin creates the app from."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from bot.adapters.slack import shortcut as ask_shortcut
from bot.adapters.slack.manifest import (
    BOT_EVENTS,
    SCOPES,
    app_name,
    manifest,
    manifest_yaml,
    request_url,
)
from bot.core.request import Request
from bot.tips.commands import TipsService
from tests.adapters.slack import manifest_schema, payloads
from tests.adapters.slack.conftest import RecordingTips
from tests.adapters.slack.harness import SlackHarness


def test_socket_mode_manifest_has_the_command_events_and_minimal_scopes() -> None:
    data = yaml.safe_load(manifest_yaml())
    assert data == manifest()
    assert data["settings"]["socket_mode_enabled"] is True
    [command] = data["features"]["slash_commands"]
    assert command["command"] == "/mlcareer"
    assert "url" not in command
    assert data["settings"]["event_subscriptions"]["bot_events"] == [
        "app_mention",
        "message.im",
        "app_home_opened",
    ]
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert sorted(data["oauth_config"]["scopes"]["bot"]) == sorted(
        [
            "commands",
            "app_mentions:read",
            "chat:write",
            "im:history",
            "users:read",
            "im:write",
            "channels:history",
            "groups:history",
            "mpim:history",
        ]
    )
    assert data["features"]["app_home"]["messages_tab_enabled"] is True
    assert data["features"]["app_home"]["home_tab_enabled"] is True


def test_the_message_shortcut_is_the_one_the_bot_listens_for() -> None:
    [shortcut] = manifest()["features"]["shortcuts"]
    assert shortcut["type"] == "message"
    assert shortcut["callback_id"] == ask_shortcut.CALLBACK_ID == "ask_mlcareer"


def test_every_scope_says_why_it_is_needed_in_the_yaml() -> None:
    text = manifest_yaml()
    for scope, why in SCOPES.items():
        assert f"#   {scope}: {why}" in text


def test_a_request_url_makes_an_http_mode_manifest() -> None:
    url = "https://bot.example.com/slack/events"
    data = manifest("careerbot", url)
    assert data["settings"]["socket_mode_enabled"] is False
    assert data["features"]["slash_commands"][0]["url"] == url
    assert data["settings"]["event_subscriptions"]["request_url"] == url
    assert data["settings"]["interactivity"]["request_url"] == url
    assert data["display_information"]["name"] == "careerbot"
    assert list(BOT_EVENTS) == data["settings"]["event_subscriptions"]["bot_events"]


@pytest.mark.parametrize(
    "made",
    [
        manifest(),
        manifest("careerbot", "https://bot.example.com/slack/events"),
        manifest("x" * 35, "https://bot.example.com/" + "p" * 2900),
        manifest("careerbot", "https://bot.example.com/slack/events", distribute=True),
    ],
    ids=["socket-mode", "http", "longest", "distributed"],
)
def test_manifest_follows_slacks_manifest_schema(made: dict[str, Any]) -> None:
    assert manifest_schema.problems(made) == []
    assert manifest_schema.problems(yaml.safe_load(manifest_yaml())) == []


def test_the_schema_check_catches_what_slack_refuses() -> None:
    """The schema check can fail: a long name, an unknown key, a missing command description."""
    broken = manifest()
    broken["display_information"]["name"] = "n" * 36
    broken["settings"]["socket_mode"] = True
    del broken["features"]["slash_commands"][0]["description"]
    found = " | ".join(manifest_schema.problems(broken))
    assert "display_information.name" in found
    assert "settings.socket_mode: not a field Slack knows" in found
    assert "description is missing" in found


# What each event and each Web API method the bot uses needs (Slack's scope reference).
EVENT_SCOPES = {
    "app_mention": "app_mentions:read",
    "message.im": "im:history",
    "app_home_opened": None,
}
METHOD_SCOPES = {
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "users.info": "users:read",
    "conversations.open": "im:write",
    "views.publish": None,
    "views.open": None,
    "auth.test": None,
}
# conversations.history and conversations.replies need one scope per kind of conversation.
HISTORY_SCOPES = {"channels:history", "groups:history", "im:history", "mpim:history"}


def test_scopes_are_exactly_what_the_events_the_command_and_the_calls_need() -> None:
    needed = {EVENT_SCOPES[event] for event in BOT_EVENTS} | {"commands"}
    needed |= {scope for scope in METHOD_SCOPES.values() if scope}
    needed |= HISTORY_SCOPES
    needed.discard(None)
    assert set(SCOPES) == needed


async def test_every_web_api_call_the_bot_makes_is_covered_by_a_scope() -> None:
    """Drive every kind of interaction; each method the bot called needs no scope beyond the
    manifest's (apps.connections.open uses the app-level token, not the bot's scopes)."""
    async with SlackHarness(tips=RecordingTips()) as slack:
        [sent] = await slack.command_messages("salary")
        await slack.mention("tips status")
        await slack.dm("skills")
        share = [e for b in sent.payload["blocks"] if b["type"] == "actions" for e in b["elements"]]
        body = payloads.action(
            "block_actions_share", value=share[-1]["value"], response_url=slack.fake.response_url()
        )
        await slack.click(body)
        await slack.fake.wait_until(lambda: bool(slack.fake.sent("response_url")))
    called = {call.method for call in slack.fake.calls}
    assert {"auth.test", "chat.postMessage", "users.info"} <= called
    assert called <= set(METHOD_SCOPES)


async def test_the_home_tab_modal_and_shortcut_need_no_scope_beyond_the_manifest(
    tips_service: TipsService,
) -> None:
    await tips_service.handle(Request("", "U0ADMIN", "C0TIPS", "slack", is_admin=True), "on")
    async with SlackHarness(tips=tips_service, slack_admins={"U0ADMIN"}) as slack:
        view = await slack.open_home("U0ADMIN")
        [edit] = [b["accessory"] for b in view["blocks"] if "accessory" in b]
        click = payloads.action("block_actions_home", trigger_id=slack.fake.new_trigger())
        click["user"]["id"] = "U0ADMIN"
        click["actions"][0].update(action_id=edit["action_id"], value=edit["value"])
        await slack.click(click)
        await slack.fake.wait_until(lambda: bool(slack.fake.modals))
        await slack.click(payloads.action("block_actions_home", value="skills"))
        await slack.interact(payloads.load("message_action"))
        slack.fake.channels_without_bot.add("C0GENERAL")
        await slack.interact(payloads.load("message_action"))
        await slack.fake.wait_until(lambda: len(slack.posted()) == 2)
    called = {call.method for call in slack.fake.calls}
    assert {"views.publish", "views.open", "conversations.open", "chat.postEphemeral"} <= called
    assert called <= set(METHOD_SCOPES)


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("https://bot.example.com/slack/events", "https://bot.example.com/slack/events"),
        ("https://bot.example.com", "https://bot.example.com/slack/events"),
        ("https://bot.example.com/", "https://bot.example.com/slack/events"),
        (" https://x.io/careers/slack/events ", "https://x.io/careers/slack/events"),
    ],
)
def test_request_url_is_an_https_url_of_the_events_path(given: str, used: str) -> None:
    assert request_url(given) == used


@pytest.mark.parametrize(
    "given", ["http://bot.example.com/slack/events", "bot.example.com", "https://", ""]
)
def test_a_request_url_slack_would_refuse_is_refused_with_the_reason(given: str) -> None:
    with pytest.raises(ValueError, match="https://"):
        request_url(given)


def test_app_name_must_fit_slacks_35_characters() -> None:
    assert app_name("  careerbot ") == "careerbot"
    for bad in ("", "   ", "n" * 36):
        with pytest.raises(ValueError, match="1 to 35 characters"):
            app_name(bad)


def test_a_distributed_manifest_adds_the_redirect_url_and_the_uninstall_events() -> None:
    data = manifest("careerbot", "https://bot.example.com/slack/events", distribute=True)
    assert data["oauth_config"]["redirect_urls"] == ["https://bot.example.com/slack/oauth_redirect"]
    events = data["settings"]["event_subscriptions"]["bot_events"]
    assert events == [*BOT_EVENTS, "app_uninstalled", "tokens_revoked"]
    assert (
        "redirect_urls"
        not in manifest("careerbot", "https://bot.example.com/slack/events")["oauth_config"]
    )
