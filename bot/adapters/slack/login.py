"""Signing in to Slack at start-up: the bot token with auth.test and, for Socket Mode, the
app-level token with apps.connections.open.

A token Slack refuses stops the start with one line naming the variable and how to get a good
one (the SDK would otherwise retry a bad app token forever); Slack being unreachable or
unwell is a ``PlatformError``. SDK exceptions are translated here, at the seam.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.adapters.slack.sender import NETWORK_ERRORS
from bot.errors import PlatformError, SettingsError

log = logging.getLogger(__name__)

# Slack error codes that mean the token itself is wrong, not that Slack is unwell.
BAD_TOKEN = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
        "invalid_token",
    }
)

_BOT_TOKEN_FIX = (
    "copy the current Bot User OAuth Token from your app's OAuth & Permissions page "
    "(reinstall the app if it was revoked)."
)
_APP_TOKEN_FIX = (
    "create an app-level token with the connections:write scope under Basic Information > "
    "App-Level Tokens, and turn Socket Mode on."
)


async def sign_in(client: AsyncWebClient) -> str:
    """Check SLACK_BOT_TOKEN; the bot's own user id, to recognise its own messages."""
    response = await _call(
        client, client.auth_test(), "auth.test", "SLACK_BOT_TOKEN", _BOT_TOKEN_FIX
    )
    log.info("Slack: signed in as %s in team %s", response.get("user"), response.get("team"))
    return str(response.get("user_id") or "")


async def socket_url(client: AsyncWebClient, app_token: str) -> str:
    """Check SLACK_APP_TOKEN; the websocket URL of a new Socket Mode connection."""
    call = client.apps_connections_open(app_token=app_token)
    response = await _call(client, call, "apps.connections.open", "SLACK_APP_TOKEN", _APP_TOKEN_FIX)
    return str(response["url"])


async def _call(
    client: AsyncWebClient,
    call: Awaitable[AsyncSlackResponse],
    method: str,
    variable: str,
    fix: str,
) -> AsyncSlackResponse:
    try:
        return await call
    except SlackApiError as exc:
        code = str(exc.response.get("error") or "")
        if code in BAD_TOKEN:
            raise SettingsError(f"{variable} was refused by Slack ({code}): {fix}") from None
        raise PlatformError(f"Slack {method} failed: {code or exc}") from exc
    except (SlackClientError, *NETWORK_ERRORS) as exc:
        raise PlatformError(
            f"cannot reach the Slack Web API at {client.base_url} for {method} "
            f"({type(exc).__name__}); check the network or SLACK_API_URL"
        ) from exc
