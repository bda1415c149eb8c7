"""Signing in at start-up: tokens Slack refuses stop the start with one clear line."""

from __future__ import annotations

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.client import build_client
from bot.adapters.slack.login import sign_in, socket_url
from bot.errors import PlatformError, SettingsError
from bot.settings import Secret, Settings
from tests.adapters.slack.fake_slack import APP_TOKEN, BOT_TOKEN, BOT_USER_ID, FakeSlack
from tests.adapters.slack.harness import FakeSleep


@pytest.fixture
def client(fake: FakeSlack) -> AsyncWebClient:
    settings = Settings(slack_bot_token=Secret(BOT_TOKEN), slack_api_url=fake.api_url)
    return build_client(settings, FakeSleep())


async def test_sign_in_gives_the_bots_own_user_id(client: AsyncWebClient) -> None:
    assert await sign_in(client) == BOT_USER_ID


@pytest.mark.parametrize("code", ["invalid_auth", "token_revoked", "account_inactive"])
async def test_a_refused_bot_token_is_a_one_line_settings_error(
    fake: FakeSlack, client: AsyncWebClient, code: str
) -> None:
    fake.script("auth.test", 200, {"ok": False, "error": code})
    with pytest.raises(SettingsError) as caught:
        await sign_in(client)
    message = str(caught.value)
    assert message.startswith(f"SLACK_BOT_TOKEN was refused by Slack ({code})")
    assert "OAuth & Permissions" in message
    assert BOT_TOKEN not in message
    assert "\n" not in message


async def test_slack_failing_otherwise_is_a_platform_error_with_its_code(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    fake.script("auth.test", 200, {"ok": False, "error": "fatal_error"})
    with pytest.raises(PlatformError, match=r"auth\.test failed: fatal_error"):
        await sign_in(client)


async def test_socket_url_comes_from_apps_connections_open_with_the_app_token(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    url = await socket_url(client, APP_TOKEN)
    assert url == f"ws://127.0.0.1:{fake.port}/socket"
    [opened] = fake.calls_to("apps.connections.open")
    assert opened.token == APP_TOKEN


async def test_a_refused_app_token_names_slack_app_token(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    with pytest.raises(
        SettingsError, match=r"^SLACK_APP_TOKEN was refused by Slack \(invalid_auth"
    ):
        await socket_url(client, "xapp-revoked-token")
