"""Interactions answered with an explanation instead of being routed.

Someone can install mlcareer to their own account and use it where the bot itself is not: in
servers that never added it and in group DMs. Answers work there (they are interaction
responses, which need no bot in the channel), but two things do not, and saying so beats a
reply that claims a success nobody will see:

- daily tips (``tips on`` and ``tips now``) belong to a channel the bot posts in, so they need
  the bot added to that server;
- "Share in channel" in a server that turned off *Use External Apps* for the person sharing
  would be shown to that person only (Discord makes such replies ephemeral without an error).

"Ask mlcareer about this message" on a message with no text (an image, a sticker) gets a
friendly word instead of the help an empty question would bring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import discord

from bot.adapters.discord.commands import MESSAGE, SUB_COMMAND_GROUP, TIPS
from bot.adapters.discord.embeds import render
from bot.adapters.discord.invite import invite_url
from bot.adapters.discord.outgoing import NO_MENTIONS, message_kwargs
from bot.adapters.discord.translate import target_text
from bot.core.reply import Reply, ReplyKind

USE_EXTERNAL_APPS = 1 << 50  # lets a user-installed app reply publicly in a server
TIPS_NEEDING_THE_BOT = ("on", "now")

NOTHING_TO_ASK = Reply(
    ReplyKind.NOTICE,
    "Nothing to ask about",
    "That message has no text I can read (an image or a sticker, perhaps). Type your question "
    "with /mlcareer ask instead.",
)


def bot_in_channel(interaction: discord.Interaction[Any]) -> bool:
    """Whether the bot itself can post where ``interaction`` happened: in its own DM, or in a
    server that installed the app (``authorizing_integration_owners`` names the server)."""
    return interaction.context.dm_channel or interaction.is_guild_integration()


def tips_action(data: Mapping[str, Any]) -> str | None:
    """``on``, ``off``, ``status`` or ``now`` for ``/mlcareer tips ...``; None otherwise."""
    options: Sequence[Mapping[str, Any]] = data.get("options") or []
    if not options or options[0].get("type") != SUB_COMMAND_GROUP:
        return None
    if options[0].get("name") != TIPS:
        return None
    inner: Sequence[Mapping[str, Any]] = options[0].get("options") or []
    return str(inner[0].get("name", "")) if inner else None


def command_refusal(
    interaction: discord.Interaction[Any], data: Mapping[str, Any]
) -> tuple[Reply, str] | None:
    """The explanation (and a link to show with it, or "") a command gets instead of an
    answer, or None when it should be routed as usual."""
    if data.get("type") == MESSAGE and not target_text(data):
        return NOTHING_TO_ASK, ""
    if tips_action(data) in TIPS_NEEDING_THE_BOT and not bot_in_channel(interaction):
        return tips_need_the_bot(interaction)
    return None


def tips_need_the_bot(interaction: discord.Interaction[Any]) -> tuple[Reply, str]:
    """Why daily tips can't start here, and the link that adds the bot."""
    link = invite_url(interaction.application_id, interaction.guild_id)
    if interaction.guild_id is None:  # a group DM or a DM between people
        body = (
            "Daily tips are posted by the mlcareer bot in a server channel, and it can't post "
            "in group DMs or in DMs between people. Add the bot to a server with the link "
            "above, then run /mlcareer tips on in one of its channels."
        )
    else:
        body = (
            "You're using mlcareer as your own app here, so it can answer you, but this "
            "server hasn't added the bot that posts daily tips. Someone who can manage the "
            "server can add it with the link above; then run /mlcareer tips on again."
        )
    return Reply(ReplyKind.NOTICE, "Daily tips need the bot in this channel", body), link


def share_refusal(interaction: discord.Interaction[Any]) -> tuple[Reply, str] | None:
    """Why "Share in channel" can't post publicly here, or None when it can: the bot is in
    the server, it is a group DM (public replies always work there), or the server lets the
    person use external apps."""
    if bot_in_channel(interaction) or interaction.guild_id is None:
        return None
    if interaction.permissions.value & USE_EXTERNAL_APPS:
        return None
    link = invite_url(interaction.application_id, interaction.guild_id)
    reply = Reply(
        ReplyKind.NOTICE,
        "This answer can't be shared here",
        "This server shows replies from apps it hasn't added only to the person using them, "
        "so nobody else would see a shared answer. Someone who can manage the server can add "
        "mlcareer with the link above; until then, copy the answer into the channel yourself.",
    )
    return reply, link


async def explain(interaction: discord.Interaction[Any], reply: Reply, link: str) -> None:
    """Send an explanation only to the person who asked, with no Share button (there is
    nothing worth sharing) and ``link`` as the message text, where Discord makes it
    clickable (the embed's text is escaped, so a link there would not be)."""
    kwargs = message_kwargs(render(reply, shareable=False))
    if link:
        kwargs["content"] = link
    kwargs["allowed_mentions"] = NO_MENTIONS
    await interaction.response.send_message(**kwargs, ephemeral=True)
