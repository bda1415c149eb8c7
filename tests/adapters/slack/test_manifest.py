"""The Slack app manifest an admin creates the app from."""

from __future__ import annotations

import yaml

from bot.adapters.slack.manifest import BOT_EVENTS, SCOPES, manifest, manifest_yaml


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
        ["commands", "app_mentions:read", "chat:write", "im:history", "users:read"]
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
