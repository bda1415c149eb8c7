"""Discord payloads -> the core's plain ``Request``.

The pure functions here (``command_text``, ``target_text``, ``focused_value``,
``strip_mentions``, ``button_topic``, ``grants_admin``) work on the raw JSON Discord sends, so
they are tested on golden payload files; ``interaction_request`` and ``message_request`` read
the few facts they need from discord.py's objects and hand them to those functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import discord

from bot.adapters.discord.commands import (
    ASK,
    MESSAGE,
    QUESTION,
    SUB_COMMAND_GROUP,
    TIP,
    TIP_TOPIC,
    TIPS,
    TIPS_ON_OPTIONS,
)
from bot.adapters.discord.embeds import TOPIC_PREFIX, VOTE_PREFIX, VOTE_ROW, Button, ButtonStyle
from bot.core.request import Request
from bot.feedback.ports import DOWN, UP

PLATFORM = "discord"
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
_THREADS = (
    discord.ChannelType.public_thread,
    discord.ChannelType.private_thread,
    discord.ChannelType.news_thread,
)
ANSWERED_MESSAGE_TYPES = (discord.MessageType.default, discord.MessageType.reply)


def command_text(data: Mapping[str, Any]) -> str:
    """The router's text form of a ``/mlcareer`` invocation.

    ``/mlcareer skills`` -> ``skills``; ``/mlcareer ask question:...`` -> the question;
    ``/mlcareer tip topic:salary`` -> ``tip salary``; ``/mlcareer tips on time:09:00
    timezone:Europe/Berlin days:weekdays`` -> ``tips on 09:00 Europe/Berlin weekdays``;
    "Ask mlcareer about this message" -> that message's text (``target_text``).
    Anything unrecognised becomes empty text, which the router answers with help.
    """
    if data.get("type") == MESSAGE:
        return target_text(data)
    options: Sequence[Mapping[str, Any]] = data.get("options") or []
    if not options:
        return ""
    first = options[0]
    name = str(first.get("name", ""))
    if first.get("type") == SUB_COMMAND_GROUP:
        inner_options: Sequence[Mapping[str, Any]] = first.get("options") or []
        if not inner_options:
            return name
        inner = inner_options[0]
        sub = str(inner.get("name", ""))
        order = TIPS_ON_OPTIONS if (name, sub) == (TIPS, "on") else ()
        return " ".join([name, sub, *_values(inner.get("options") or [], order)])
    values = _named_values(first.get("options") or [])
    if name == ASK:
        return values.get(QUESTION, "")
    if name == TIP:
        topic = values.get(TIP_TOPIC, "")
        return f"{TIP} {topic}" if topic else TIP
    return name


def _named_values(options: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    return {str(o.get("name", "")): str(o.get("value", "")).strip() for o in options}


def _values(options: Sequence[Mapping[str, Any]], order: Sequence[str]) -> list[str]:
    """Option values in ``order``; each squeezed to one word so the router's split stays true."""
    named = _named_values(options)
    words = ("".join(named.get(name, "").split()) for name in order)
    return [word for word in words if word]


def target_text(data: Mapping[str, Any]) -> str:
    """The text of the message a message command was used on, whitespace tidied: its content,
    or, for a forwarded message (whose own content is empty), the forwarded snapshot's."""
    messages: Mapping[str, Any] = (data.get("resolved") or {}).get("messages") or {}
    target: Mapping[str, Any] = messages.get(str(data.get("target_id", ""))) or {}
    texts = [target.get("content")]
    texts.extend(
        (snapshot.get("message") or {}).get("content")
        for snapshot in target.get("message_snapshots") or []
    )
    return next((" ".join(str(t).split()) for t in texts if t and str(t).strip()), "")


def message_text(message: discord.Message) -> str:
    """A message's text; for a forwarded message, the text of the message it forwards."""
    if message.content.strip():
        return message.content
    forwarded = (snapshot.content for snapshot in message.message_snapshots)
    return next((text for text in forwarded if text.strip()), "")


def focused_value(data: Mapping[str, Any]) -> str:
    """The text typed so far in the option an autocomplete interaction is about."""
    for option in data.get("options") or []:
        if option.get("focused"):
            return str(option.get("value", ""))
        inner = focused_value(option)
        if inner:
            return inner
    return ""


def strip_mentions(content: str, user_id: int, role_ids: Iterable[int] = ()) -> str:
    """``content`` without the bot's mentions (``<@id>``, ``<@!id>`` and its own role's
    ``<@&id>``, which Discord inserts when people pick the bot's role), whitespace tidied."""
    patterns = [rf"<@!?{user_id}>", *(rf"<@&{role}>" for role in role_ids)]
    text = re.sub("|".join(patterns), " ", content)
    return " ".join(text.split())


def grants_admin(permissions: int) -> bool:
    """Whether a permission bitfield lets its holder manage the channel's settings."""
    return bool(permissions & (MANAGE_CHANNELS | ADMINISTRATOR))


def grants_reports(permissions: int) -> bool:
    """Whether a permission bitfield lets its holder see the question report (Manage Server)."""
    return bool(permissions & (MANAGE_GUILD | ADMINISTRATOR))


def channel_kind(in_dm: bool, channel: object) -> str:
    """``dm``, ``thread`` or ``channel``, for the question log."""
    if in_dm:
        return "dm"
    kind = getattr(channel, "type", None)
    return "thread" if isinstance(channel, discord.Thread) or kind in _THREADS else "channel"


def button_topic(custom_id: str) -> str | None:
    """The topic a topic button asks for, or None for any other button."""
    if custom_id.startswith(TOPIC_PREFIX):
        return custom_id[len(TOPIC_PREFIX) :] or None
    return None


def interaction_request(interaction: discord.Interaction[Any], text: str) -> Request:
    """A request for ``text`` from whoever triggered ``interaction``.

    Discord resolves the member's permissions in the channel (roles and overwrites) into the
    interaction itself; in DMs there are none, so nobody is an admin there.
    """
    in_guild = interaction.guild_id is not None
    permissions = interaction.permissions.value
    return Request(
        text=text,
        user=str(interaction.user.id),
        channel=str(interaction.channel_id or ""),
        platform=PLATFORM,
        is_admin=in_guild and grants_admin(permissions),
        workspace=str(interaction.guild_id or ""),
        channel_kind=channel_kind(not in_guild, interaction.channel),
        # A slash command's answer is ephemeral, so the report stays private.
        reads_reports=in_guild and grants_reports(permissions),
    )


def message_request(message: discord.Message, me: int) -> Request | None:
    """The request in a message for the bot (id ``me``), or None when the bot should ignore it:
    its own messages, other bots and webhooks, system messages, and guild messages that do
    not mention it. DMs need no mention; a message forwarded into the DM asks what it says."""
    author = message.author
    if author.bot or author.id == me or message.webhook_id is not None:
        return None
    if message.type not in ANSWERED_MESSAGE_TYPES:
        return None
    own_roles = [
        role.id
        for role in message.role_mentions
        if role.tags is not None and role.tags.bot_id == me
    ]
    in_dm = message.guild is None
    mentioned = any(user.id == me for user in message.mentions) or bool(own_roles)
    if not in_dm and not mentioned:
        return None
    is_admin = False
    if not in_dm and isinstance(author, discord.Member):
        is_admin = grants_admin(message.channel.permissions_for(author).value)
    return Request(
        text=strip_mentions(message_text(message), me, own_roles),
        user=str(author.id),
        channel=str(message.channel.id),
        platform=PLATFORM,
        is_admin=is_admin,
        workspace=str(message.guild.id) if message.guild is not None else "",
        channel_kind=channel_kind(in_dm, message.channel),
    )


def topic_buttons(message: discord.Message | None) -> tuple[Button, ...]:
    """The topic buttons on a message the bot sent (for re-posting it when shared)."""
    if message is None:
        return ()
    buttons: list[Button] = []
    for row in message.components:
        if not isinstance(row, discord.ActionRow):
            continue
        for item in row.children:
            if not isinstance(item, discord.Button) or not item.custom_id:
                continue
            if button_topic(item.custom_id) is None:
                continue  # the share button (and anything not ours) stays behind
            primary = item.style is discord.ButtonStyle.primary
            style = ButtonStyle.PRIMARY if primary else ButtonStyle.SECONDARY
            buttons.append(Button(item.label or item.custom_id, item.custom_id, style))
    return tuple(buttons)


def vote_of(custom_id: str) -> tuple[int, str] | None:
    """The vote (1 or -1) and question id a feedback button carries, or None when it is not
    a well-formed one (the core checks the question id itself)."""
    if not custom_id.startswith(VOTE_PREFIX):
        return None
    direction, _, question_id = custom_id[len(VOTE_PREFIX) :].partition(":")
    vote = {"up": UP, "down": DOWN}.get(direction)
    return None if vote is None else (vote, question_id)


def voter_request(interaction: discord.Interaction[Any]) -> Request:
    """The person behind a click or a modal, for the feedback service: the user and their
    server (the guild; "" in a DM)."""
    return replace(interaction_request(interaction, ""), workspace=str(interaction.guild_id or ""))


def vote_buttons_on(message: discord.Message | None) -> tuple[Button, ...]:
    """The 👍/👎 buttons on a message the bot sent, so a shared copy can be rated too."""
    if message is None:
        return ()
    return tuple(
        Button(item.label or "", item.custom_id, ButtonStyle.SECONDARY, row=VOTE_ROW)
        for row in message.components
        if isinstance(row, discord.ActionRow)
        for item in row.children
        if isinstance(item, discord.Button)
        and item.custom_id
        and item.custom_id.startswith(VOTE_PREFIX)
    )
