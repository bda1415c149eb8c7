"""The rules of Slack's app manifest schema (version 1) for the parts our manifest uses.

Written from Slack's published JSON schema (github.com/slackapi/manifest-schema): which keys
each object may have, which it must have, and the length and shape of each value. Slack
refuses a manifest that breaks any of them when an admin creates the app from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

Check = Callable[[Any], str | None]


def text(low: int, high: int, pattern: str | None = None) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, str):
            return f"{value!r} is not a string"
        if not low <= len(value) <= high:
            return f"{value!r} is not {low} to {high} characters long"
        if pattern and not re.search(pattern, value):
            return f"{value!r} does not match {pattern}"
        return None

    return check


def boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"{value!r} is not true or false"


URL = text(1, 3500, r"^https?://")

# An object is a dict of its allowed keys; a list holds the rule for each item.
RULES: dict[str, Any] = {
    "_metadata": {"major_version": int, "minor_version": int},
    "display_information": {
        "name": text(1, 35),
        "description": text(1, 140),
        "background_color": text(4, 7, r"^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$"),
        "long_description": text(175, 4000),
    },
    "features": {
        "app_home": {
            "home_tab_enabled": boolean,
            "messages_tab_enabled": boolean,
            "messages_tab_read_only_enabled": boolean,
        },
        "bot_user": {"display_name": text(1, 80), "always_online": boolean},
        "slash_commands": [
            {
                "command": text(2, 32, r"^/"),
                "url": text(1, 3000, r"^https?://"),
                "description": text(1, 2000),
                "usage_hint": text(1, 1000),
                "should_escape": boolean,
            }
        ],
        "shortcuts": [
            {
                "name": text(1, 24),
                "type": text(6, 7, r"^(global|message)$"),
                "callback_id": text(1, 255),
                "description": text(1, 150),
            }
        ],
    },
    "oauth_config": {
        "scopes": {"bot": [text(1, 50)], "user": [text(1, 50)]},
        "redirect_urls": [URL],
    },
    "settings": {
        "event_subscriptions": {"request_url": URL, "bot_events": [text(1, 50)]},
        "interactivity": {"is_enabled": boolean, "request_url": URL},
        "org_deploy_enabled": boolean,
        "socket_mode_enabled": boolean,
        "token_rotation_enabled": boolean,
    },
}

REQUIRED: dict[str, set[str]] = {
    "": {"display_information"},
    "display_information": {"name"},
    "features.bot_user": {"display_name"},
    "features.slash_commands[]": {"command", "description"},
    "features.shortcuts[]": {"name", "type", "callback_id", "description"},
    "settings.interactivity": {"is_enabled"},
}


def problems(manifest: Any) -> list[str]:
    """Every way ``manifest`` breaks the rules above (empty when Slack would accept it)."""
    return list(_check(manifest, RULES, ""))


def _check(value: Any, rule: Any, where: str) -> Iterator[str]:
    if isinstance(rule, dict):
        if not isinstance(value, dict):
            yield f"{where or 'manifest'}: not an object"
            return
        for key in REQUIRED.get(where, set()) - set(value):
            yield f"{where or 'manifest'}: {key} is missing"
        for key, item in value.items():
            path = f"{where}.{key}" if where else key
            if key not in rule:
                yield f"{path}: not a field Slack knows"
            else:
                yield from _check(item, rule[key], path)
    elif isinstance(rule, list):
        if not isinstance(value, list) or not value:
            yield f"{where}: not a list of at least one item"
            return
        if len({repr(v) for v in value}) != len(value):
            yield f"{where}: an item is listed twice"
        for item in value:
            yield from _check(item, rule[0], f"{where}[]")
    elif rule is int:
        if not isinstance(value, int) or isinstance(value, bool):
            yield f"{where}: {value!r} is not a whole number"
    else:
        complaint = rule(value)
        if complaint:
            yield f"{where}: {complaint}"
