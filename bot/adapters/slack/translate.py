"""Slack payloads -> plain ``Request``s, and Slack's message markup -> the text a person typed.

Slack sends text with ``&``, ``<`` and ``>`` escaped as HTML entities and with its own markup
for mentions, channels and links (``<@U123>``, ``<#C1|general>``, ``<!here>``,
``<https://x|label>``). The router should see what the person meant, so markup becomes
readable text (``@name``, ``#general``, ``label``), the bot's own mention is dropped, and the
entities are decoded last. Everything echoed back is escaped again by ``blocks``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.request import Request

PLATFORM = "slack"

_MARKUP = re.compile(r"<([^<>]*)>")
_SPECIAL = {"channel": "@channel", "here": "@here", "everyone": "@everyone"}


def plain_text(text: str, bot_user_id: str | None = None) -> str:
    """Slack message text as the person typed it, without the bot's own mention."""

    def readable(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            if bot_user_id and target[1:] == bot_user_id:
                return " "
            return "@" + (label.lstrip("@") or target[1:])
        if target.startswith("#"):
            return "#" + (label.lstrip("#") or target[1:])
        if target.startswith("!"):
            name = target[1:]
            if name in _SPECIAL:
                return _SPECIAL[name]
            if name.startswith("subteam^"):
                return label or "@" + name.partition("^")[2]
            return label or name
        return label or target

    readable_text = _MARKUP.sub(readable, text)
    return unescape(readable_text).strip()


def unescape(text: str) -> str:
    """Decode the three entities Slack escapes; ``&amp;`` last so ``&amp;lt;`` stays ``&lt;``."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def command_request(form: Mapping[str, Any]) -> Request:
    """The request in a ``/mlcareer`` slash command payload."""
    channel = str(form.get("channel_id") or "")
    in_dm = channel.startswith("D") or form.get("channel_name") == "directmessage"
    return Request(
        text=plain_text(str(form.get("text") or "")),
        user=str(form.get("user_id") or ""),
        channel=channel,
        platform=PLATFORM,
        workspace=str(form.get("team_id") or ""),
        channel_kind="dm" if in_dm else "channel",
    )


def event_request(event: Mapping[str, Any], bot_user_id: str | None) -> Request:
    """The request in an ``app_mention`` or direct ``message`` event."""
    return Request(
        text=plain_text(str(event.get("text") or ""), bot_user_id),
        user=str(event.get("user") or ""),
        channel=str(event.get("channel") or ""),
        platform=PLATFORM,
        workspace=str(event.get("team") or event.get("user_team") or ""),
        channel_kind=event_channel_kind(event),
    )


def event_channel_kind(event: Mapping[str, Any]) -> str:
    """Where a message event was written: a DM, a thread, or a channel's main view."""
    if event.get("channel_type") == "im" or str(event.get("channel") or "").startswith("D"):
        return "dm"
    return "thread" if event.get("thread_ts") else "channel"


# Message subtypes that are still a person writing to the bot: a message with a file
# attached, and a thread reply also sent to the channel. Every other subtype (edits,
# deletions, joins, bot messages, ...) is something that happened, not a question.
_SAID_BY_A_PERSON = frozenset({"file_share", "thread_broadcast"})

# Slack's own system sender: Slackbot's reminders and auto-responses carry this user id and
# no ``bot_id``, so only the id tells them from a person.
SLACKBOT = "USLACKBOT"


def is_from_a_person(event: Mapping[str, Any], bot_user_id: str | None) -> bool:
    """False for the bot's own messages, other bots and Slackbot, edits (Slack re-sends an
    edited ``app_mention`` with the original ``ts`` and an ``edited`` field: it was answered
    when first sent), joins and other subtypes."""
    user = event.get("user")
    return (
        not event.get("bot_id")
        and not event.get("edited")
        and (event.get("subtype") or None) in {None, *_SAID_BY_A_PERSON}
        and isinstance(user, str)
        and bool(user)
        and user not in {bot_user_id, SLACKBOT}
    )


@dataclass(frozen=True, slots=True)
class Click:
    """A button click: who clicked which button where, and how to answer them."""

    action_id: str
    value: str
    user: str
    channel: str
    response_url: str | None

    @property
    def in_direct_message(self) -> bool:
        """True in a DM, where "only visible to you" would mean nothing."""
        return self.channel.startswith("D")


def click(body: Mapping[str, Any]) -> Click:
    """The first action of a ``block_actions`` payload."""
    actions = body.get("actions") or [{}]
    action = actions[0] if isinstance(actions[0], Mapping) else {}
    user = body.get("user") or {}
    channel = body.get("channel") or {}
    container = body.get("container") or {}
    return Click(
        action_id=str(action.get("action_id") or ""),
        value=str(action.get("value") or ""),
        user=str(user.get("id") or ""),
        channel=str(channel.get("id") or container.get("channel_id") or ""),
        response_url=body.get("response_url") or None,
    )


def click_request(clicked: Click, text: str) -> Request:
    """The request a topic button stands for, on behalf of the person who clicked it."""
    return Request(text=text, user=clicked.user, channel=clicked.channel, platform=PLATFORM)


def voter_request(body: Mapping[str, Any]) -> Request:
    """The person behind a button click or a modal submission, for the feedback service:
    the user, their workspace (the team) and the channel (none for a modal)."""
    user = body.get("user") or {}
    team = body.get("team") or {}
    channel = body.get("channel") or {}
    container = body.get("container") or {}
    return Request(
        text="",
        user=str(user.get("id") or ""),
        channel=str(channel.get("id") or container.get("channel_id") or ""),
        platform=PLATFORM,
        workspace=str(team.get("id") or user.get("team_id") or ""),
    )
