"""The Slack app manifest an admin creates the app from."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from bot.adapters.slack.manifest import (
    BOT_EVENTS,
    SCOPES,
    app_name,
    manifest,
    manifest_yaml,
    request_url,
)
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
    assert data["settings"]["event_subscriptions"]["bot_events"] == ["app_mention", "message.im"]
    assert data["settings"]["interactivity"]["is_enabled"] is True
    assert sorted(data["oauth_config"]["scopes"]["bot"]) == sorted(
        [
            "commands",
            "app_mentions:read",
            "chat:write",
            "im:history",
            "users:read",
            "channels:history",
            "groups:history",
            "mpim:history",
        ]
    )
    assert data["features"]["app_home"]["messages_tab_enabled"] is True


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
    ],
    ids=["socket-mode", "http", "longest"],
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
EVENT_SCOPES = {"app_mention": "app_mentions:read", "message.im": "im:history"}
METHOD_SCOPES = {"chat.postMessage": "chat:write", "users.info": "users:read", "auth.test": None}
# conversations.history and conversations.replies need one scope per kind of conversation.
HISTORY_SCOPES = {"channels:history", "groups:history", "im:history", "mpim:history"}


def test_scopes_are_exactly_what_the_events_the_command_and_the_calls_need() -> None:
    needed = {EVENT_SCOPES[event] for event in BOT_EVENTS} | {"commands"}
    needed |= {scope for scope in METHOD_SCOPES.values() if scope}
    needed |= HISTORY_SCOPES
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
