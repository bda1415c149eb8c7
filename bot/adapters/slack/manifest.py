"""The Slack app manifest: what an admin pastes into "Create an app > From a manifest".

Only the scopes the bot uses (``SCOPES`` says why each one is needed; the README repeats it).
Socket Mode is on by default; with a request URL the manifest is for HTTP mode instead.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import yaml

COMMAND = "/mlcareer"
EVENTS_PATH = "/slack/events"  # bolt's convention: events, commands and clicks all come here
# Distribution to many workspaces: the install page and where Slack sends the installer back.
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"

# Slack's manifest schema: the app name is 1 to 35 characters, a request URL at most 3,000.
MAX_NAME_CHARS = 35
MAX_URL_CHARS = 3000

SCOPES: dict[str, str] = {
    "commands": "adds the /mlcareer slash command",
    "app_mentions:read": "lets the bot see messages that @mention it, to answer them",
    "chat:write": "posts answers in threads and DMs, shared answers and daily tips",
    "im:history": "lets the bot read direct messages sent to it, to answer them",
    "users:read": "checks whether a person changing daily tips is a workspace admin",
    "im:write": "opens a DM to answer a Home tab topic button or a shortcut the bot cannot "
    "answer in its channel",
    # conversations.history and .replies, by kind of conversation: before re-posting a tip or
    # an answer whose first attempt may have gone out, the bot looks for it (by its metadata).
    "channels:history": "checks a public channel for a tip or answer before posting it again",
    "groups:history": "checks a private channel for a tip or answer before posting it again",
    "mpim:history": "checks a group DM for a tip or answer before posting it again",
}

BOT_EVENTS = ("app_mention", "message.im", "app_home_opened")

# The message shortcut (in every message's "More actions" menu); the callback id is the one
# ``shortcut.CALLBACK_ID`` listens for.
SHORTCUT = {
    "name": "Ask mlcareer",
    "type": "message",
    "callback_id": "ask_mlcareer",
    "description": "Ask mlcareer about this message (only you see the answer)",
}
# What a distributed app also hears: a workspace removing it (no scope needed).
LIFECYCLE_EVENTS = ("app_uninstalled", "tokens_revoked")


def manifest(
    name: str = "mlcareer", request_url: str | None = None, distribute: bool = False
) -> dict[str, Any]:
    """The manifest as a dict; ``request_url`` (https://host/slack/events) means HTTP mode;
    ``distribute`` (with a request URL) adds the OAuth redirect URL on the same host and the
    uninstall events, for distributing to many workspaces."""
    command: dict[str, Any] = {
        "command": COMMAND,
        "description": "Career advice on becoming a machine learning engineer",
        "usage_hint": "[topic or question] | topics | tip | help",
        "should_escape": False,
    }
    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    oauth: dict[str, Any] = {"scopes": {"bot": list(SCOPES)}}
    if request_url:
        command["url"] = request_url
        events["request_url"] = request_url
        interactivity["request_url"] = request_url
        if distribute:
            parsed = urlparse(request_url)
            oauth["redirect_urls"] = [f"{parsed.scheme}://{parsed.netloc}{REDIRECT_PATH}"]
            events["bot_events"] = [*BOT_EVENTS, *LIFECYCLE_EVENTS]
    return {
        "display_information": {
            "name": name,
            "description": "Answers questions about becoming and growing as an ML engineer",
            "background_color": "#1d3557",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": name, "always_online": True},
            "slash_commands": [command],
            "shortcuts": [dict(SHORTCUT)],
        },
        "oauth_config": oauth,
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": request_url is None,
            "token_rotation_enabled": False,
        },
    }


def app_name(text: str) -> str:
    """``text`` as an app name Slack accepts; ``ValueError`` saying why not."""
    name = text.strip()
    if not 0 < len(name) <= MAX_NAME_CHARS:
        raise ValueError(f"the app name must be 1 to {MAX_NAME_CHARS} characters long")
    return name


def request_url(text: str) -> str:
    """``text`` as the HTTPS URL Slack should send requests to; a bare ``https://host`` gets
    ``/slack/events`` added. ``ValueError`` saying why Slack would refuse it."""
    url = text.strip()
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.netloc or " " in url:
        raise ValueError(
            f"Slack only sends requests to an https:// URL, such as https://bot.example.com"
            f"{EVENTS_PATH}"
        )
    if parsed.path in {"", "/"}:
        url = url.rstrip("/") + EVENTS_PATH
    if len(url) > MAX_URL_CHARS:
        raise ValueError(f"the request URL must be at most {MAX_URL_CHARS} characters long")
    return url


def manifest_yaml(
    name: str = "mlcareer", request_url: str | None = None, distribute: bool = False
) -> str:
    """The manifest as YAML, with a comment per scope saying why it is there."""
    lines = ["# Slack app manifest for mlcareer. Scopes:"]
    lines.extend(f"#   {scope}: {why}" for scope, why in SCOPES.items())
    made = manifest(name, request_url, distribute)
    body = yaml.safe_dump(made, sort_keys=False, allow_unicode=True)
    return "\n".join(lines) + "\n" + body
