"""No token or signing secret ever reaches the log, not even at DEBUG level, where slack_sdk
logs every request it sends and slack-bolt and the Socket Mode client log what they do."""

from __future__ import annotations

import base64
import logging

import pytest

from bot.adapters.slack.runner import SlackRunner
from bot.core.router import Router
from bot.core.services import build_services
from bot.errors import SettingsError
from bot.settings import Secret, Settings
from tests.adapters.slack import payloads
from tests.adapters.slack.conftest import RecordingTips
from tests.adapters.slack.fake_slack import (
    APP_TOKEN,
    BOT_TOKEN,
    CLIENT_ID,
    CLIENT_SECRET,
    FakeSlack,
)
from tests.adapters.slack.harness import SIGNING_SECRET, SlackHarness
from tests.adapters.slack.oauth_harness import ONE, OAuthHarness

SECRETS = (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET)

# The loggers the adapter hands to slack_sdk's Web API client, to bolt and to the Socket
# Mode client; bolt's own "slack_bolt.*" loggers propagate to the root like everything else.
WEB, BOLT, SOCKET_MODE = (
    "bot.adapters.slack.web",
    "bot.adapters.slack.bolt",
    "bot.adapters.slack.socket_mode",
)


@pytest.mark.parametrize("socket_mode", [False, True], ids=["http", "socket-mode"])
async def test_no_token_or_secret_is_logged_even_at_debug(
    caplog: pytest.LogCaptureFixture, socket_mode: bool
) -> None:
    caplog.set_level(logging.DEBUG)
    async with SlackHarness(socket_mode=socket_mode, tips=RecordingTips()) as slack:
        slack.fake.script("chat.postMessage", 429, {"ok": False, "error": "ratelimited"})
        slack.fake.script("chat.postMessage", 500, {"ok": False, "error": "fatal_error"})
        [sent] = await slack.command_messages("skills")
        await slack.mention("tips status")  # users.info
        await slack.dm("salary")
        share = [e for b in sent.payload["blocks"] if b["type"] == "actions" for e in b["elements"]]
        body = payloads.action(
            "block_actions_share", value=share[-1]["value"], response_url=slack.fake.response_url()
        )
        await slack.click(body)  # response_url, through slack_sdk's webhook client
        await slack.fake.wait_until(lambda: bool(slack.fake.sent("response_url")))
        if not socket_mode:
            await slack.post_form(payloads.command("x"), secret="f" * 32)  # bad signature
    debug_from = {r.name for r in caplog.records if r.levelno == logging.DEBUG}
    # The SDKs' debug logging really ran ...
    assert {WEB, BOLT, *([SOCKET_MODE] if socket_mode else [])} <= debug_from
    assert "Sending a request" in caplog.text
    for secret in SECRETS:  # ... and never showed a secret
        assert secret not in caplog.text


async def test_a_refused_token_is_not_logged_either(
    fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    revoked = "xoxb-revoked-token"
    settings = Settings(
        slack_bot_token=Secret(revoked),
        slack_signing_secret=Secret(SIGNING_SECRET),
        slack_api_url=fake.api_url,
        slack_http=True,
        slack_port=0,
    )
    slack = SlackRunner(settings, Router(build_services(settings)), host="127.0.0.1")
    with pytest.raises(SettingsError) as caught:
        await slack.run()
    assert "Sending a request" in caplog.text
    assert revoked not in caplog.text
    assert revoked not in str(caught.value)


async def test_no_client_secret_workspace_token_or_key_is_logged_in_oauth_mode(
    caplog: pytest.LogCaptureFixture, sqlite_url: str
) -> None:
    """The install flow (oauth.v2.access answers with the bot token), the per-team calls and
    an uninstall, at DEBUG: neither the client secret (nor its Basic auth form), a
    workspace's token nor the token key shows up."""
    caplog.set_level(logging.DEBUG)
    async with OAuthHarness(sqlite_url, slack_admins=["U0ASKER"]) as slack:
        assert (await slack.install(ONE)).status == 200
        await slack.mention_in(ONE, "skills")
        await slack.command("tips status", team_id=ONE.team_id)  # users.info, ONE's token
        slack.fake.revoke(ONE.token)
        await slack.deliver_event(slack.lifecycle(ONE, {"type": "app_uninstalled"}))
        key = slack.key
    assert "oauth.v2.access" in caplog.text
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    for secret in (CLIENT_SECRET, basic, ONE.token, key, SIGNING_SECRET):
        assert secret not in caplog.text
