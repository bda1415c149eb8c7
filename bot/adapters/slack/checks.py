"""Check the Slack settings before connecting; each problem is one line naming the variable
and where to get a good value."""

from __future__ import annotations

import re
from enum import Enum
from urllib.parse import urlparse

from bot.errors import SettingsError
from bot.settings import Secret, Settings

_BOT_TOKEN = re.compile(r"xoxb-[A-Za-z0-9-]+")
_APP_TOKEN = re.compile(r"xapp-[A-Za-z0-9-]+")
_SIGNING_SECRET = re.compile(r"[A-Za-z0-9]{16,}")
_KNOWN_PREFIXES = {
    "xoxp-": "a user token (xoxp-)",
    "xapp-": "an app-level token (xapp-), which belongs in SLACK_APP_TOKEN",
    "xoxb-": "a bot token (xoxb-), which belongs in SLACK_BOT_TOKEN",
    "xoxe": "a refresh token",
}


class Mode(Enum):
    """How the bot hears from Slack."""

    SOCKET = "socket"  # a websocket the bot opens: no public URL needed
    HTTP = "http"  # Slack POSTs to /slack/events on a public URL


def check_settings(settings: Settings) -> Mode:
    """The connection mode the settings ask for; ``SettingsError`` on the first problem."""
    if oauth_requested(settings):
        _check_oauth(settings)
    else:
        check_bot_token(settings)
    if settings.slack_app_token and not settings.slack_http:
        _check_app_token(settings.slack_app_token)
        return Mode.SOCKET
    _check_signing_secret(settings.slack_signing_secret)
    if not 0 <= settings.slack_port <= 65535:
        raise SettingsError(
            f"SLACK_PORT must be a port number from 1 to 65535, not {settings.slack_port}."
        )
    return Mode.HTTP


def oauth_requested(settings: Settings) -> bool:
    """True when the settings ask to distribute to many workspaces (either OAuth credential
    set: a missing other half is then reported rather than quietly ignored)."""
    return bool(settings.slack_client_id or settings.slack_client_secret)


def _check_oauth(settings: Settings) -> None:
    where = "copy it from your Slack app's Basic Information page (App Credentials)"
    if not settings.slack_client_id:
        raise SettingsError(f"SLACK_CLIENT_SECRET is set but SLACK_CLIENT_ID is not: {where}.")
    if not settings.slack_client_secret:
        raise SettingsError(f"SLACK_CLIENT_ID is set but SLACK_CLIENT_SECRET is not: {where}.")
    if settings.slack_app_token and not settings.slack_http:
        raise SettingsError(
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (distributing to many workspaces) need "
            "HTTP mode, so Slack can reach /slack/install and /slack/oauth_redirect: run with "
            "--http or SLACK_HTTP=true, or unset SLACK_APP_TOKEN."
        )
    if settings.slack_bot_token:
        raise SettingsError(
            "SLACK_BOT_TOKEN is set together with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET: "
            "distributing to many workspaces takes each workspace's token from its install, so "
            "unset SLACK_BOT_TOKEN (or unset the two to serve one workspace)."
        )
    if settings.slack_redirect_uri is not None:
        parsed = urlparse(settings.slack_redirect_uri)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc:
            raise SettingsError(
                "SLACK_REDIRECT_URI must be the full URL of /slack/oauth_redirect as registered "
                "under OAuth & Permissions > Redirect URLs, such as "
                "https://bot.example.com/slack/oauth_redirect."
            )
    from bot.adapters.slack.token_box import TokenBox

    TokenBox(settings.token_key)  # a missing or malformed key is a SettingsError
    api_url(settings.slack_api_url)


def check_bot_token(settings: Settings) -> None:
    """The checks every use of the Web API needs: SLACK_BOT_TOKEN and SLACK_API_URL."""
    _check_bot_token(settings.slack_bot_token)
    api_url(settings.slack_api_url)


def api_url(raw: str) -> str:
    """SLACK_API_URL as the SDK wants it (with a trailing slash), or ``SettingsError``."""
    parsed = urlparse(raw.strip())
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise SettingsError(
            "SLACK_API_URL must be an http(s) URL such as https://slack.com/api/ (the default); "
            "change it only for GovSlack, a proxy or tests."
        )
    url = raw.strip()
    return url if url.endswith("/") else url + "/"


def _check_bot_token(token: Secret | None) -> None:
    where = (
        "copy the Bot User OAuth Token from your Slack app's OAuth & Permissions page "
        "(https://api.slack.com/apps, after 'Install to Workspace')"
    )
    if not token:
        raise SettingsError(f"SLACK_BOT_TOKEN is not set: {where}.")
    value = token.reveal()
    if not _BOT_TOKEN.fullmatch(value):
        raise SettingsError(
            f"SLACK_BOT_TOKEN must start with xoxb- but {_looks_like(value, 'xoxb-')}: {where}."
        )


def _check_app_token(token: Secret) -> None:
    value = token.reveal()
    if not _APP_TOKEN.fullmatch(value):
        raise SettingsError(
            f"SLACK_APP_TOKEN must start with xapp- but {_looks_like(value, 'xapp-')}: create an "
            "app-level token with the connections:write scope under Basic Information > "
            "App-Level Tokens, or unset SLACK_APP_TOKEN to use HTTP mode."
        )


def _check_signing_secret(secret: Secret | None) -> None:
    where = (
        "copy it from your Slack app's Basic Information page (App Credentials > Signing Secret)"
    )
    if not secret:
        raise SettingsError(
            f"SLACK_SIGNING_SECRET is not set: HTTP mode needs it to check that requests come "
            f"from Slack; {where}, or set SLACK_APP_TOKEN to use Socket Mode instead."
        )
    if not _SIGNING_SECRET.fullmatch(secret.reveal()):
        raise SettingsError(
            f"SLACK_SIGNING_SECRET does not look like a signing secret (letters and digits, "
            f"no spaces or quotes): {where}."
        )


def _looks_like(value: str, expected: str) -> str:
    """What is wrong with a token that should start with ``expected``, never repeating it.

    A token of the right kind with something around or inside it (a space or quote pasted
    with it) is told so, rather than being called the kind of token it is.
    """
    if value.strip(" \t\r\n'\"").startswith(expected):
        return "this value has spaces, quotes or other stray characters in it; paste it again"
    for prefix, kind in _KNOWN_PREFIXES.items():
        if value.startswith(prefix) and prefix != expected:
            return f"this looks like {kind}"
    return "this value does not"
