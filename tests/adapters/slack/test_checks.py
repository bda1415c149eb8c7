"""Start-up checks of the Slack settings: one clear line per problem, never the secret."""

from __future__ import annotations

import pytest

from bot.adapters.slack.checks import Mode, api_url, check_settings
from bot.errors import SettingsError
from bot.settings import Secret, Settings

GOOD_SECRET = "0123456789abcdef0123456789abcdef"


def settings(**changes: object) -> Settings:
    base: dict[str, object] = {
        "slack_bot_token": Secret("xoxb-test-token"),
        "slack_signing_secret": Secret(GOOD_SECRET),
    }
    base.update(changes)
    return Settings(**base)  # type: ignore[arg-type]


def test_app_token_without_http_means_socket_mode() -> None:
    assert check_settings(settings(slack_app_token=Secret("xapp-test-token"))) is Mode.SOCKET


def test_http_flag_or_no_app_token_means_http() -> None:
    assert check_settings(settings()) is Mode.HTTP
    both = settings(slack_app_token=Secret("xapp-test-token"), slack_http=True)
    assert check_settings(both) is Mode.HTTP


def test_socket_mode_needs_no_signing_secret() -> None:
    quiet = settings(slack_app_token=Secret("xapp-test-token"), slack_signing_secret=None)
    assert check_settings(quiet) is Mode.SOCKET


@pytest.mark.parametrize(
    ("changes", "names", "hint"),
    [
        ({"slack_bot_token": None}, "SLACK_BOT_TOKEN", "OAuth & Permissions"),
        ({"slack_bot_token": Secret("xoxp-user-token")}, "SLACK_BOT_TOKEN", "user token"),
        ({"slack_bot_token": Secret("xapp-app-token")}, "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"),
        ({"slack_bot_token": Secret("'xoxb-quoted'")}, "SLACK_BOT_TOKEN", "xoxb-"),
        ({"slack_app_token": Secret("xoxb-wrong-kind")}, "SLACK_APP_TOKEN", "connections:write"),
        ({"slack_app_token": Secret("xoxb-wrong-kind")}, "SLACK_APP_TOKEN", "bot token (xoxb-)"),
        ({"slack_app_token": Secret("xapp-1-A1 B2")}, "SLACK_APP_TOKEN", "stray characters"),
        ({"slack_app_token": Secret(" xapp-1-A1")}, "SLACK_APP_TOKEN", "paste it again"),
        ({"slack_bot_token": Secret("xoxb-1-2 ")}, "SLACK_BOT_TOKEN", "stray characters"),
        ({"slack_signing_secret": None}, "SLACK_SIGNING_SECRET", "Basic Information"),
        ({"slack_signing_secret": Secret("has spaces in it!!")}, "SLACK_SIGNING_SECRET", "letters"),
        ({"slack_port": 70000}, "SLACK_PORT", "65535"),
        ({"slack_api_url": "slack.com/api"}, "SLACK_API_URL", "https://slack.com/api/"),
    ],
)
def test_each_problem_is_one_line_naming_the_variable_and_where_to_get_it(
    changes: dict[str, object], names: str, hint: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        check_settings(settings(**changes))
    message = str(caught.value)
    assert names in message
    assert hint in message
    assert "\n" not in message
    for value in changes.values():
        if isinstance(value, Secret):
            assert value.reveal() not in message


def test_api_url_gets_the_trailing_slash_the_sdk_needs() -> None:
    assert api_url("http://127.0.0.1:9/api") == "http://127.0.0.1:9/api/"
    assert api_url("https://slack-gov.com/api/") == "https://slack-gov.com/api/"
