""" "Ask mlcareer": a message shortcut that takes a message's text as the question and answers
the person who used it privately, with a "Share in channel" button.

The answer is an ephemeral message in that channel; where the bot cannot post (it is not a
member, or the message is in a conversation it cannot see) the answer goes to the person's
DM with the bot instead, so the shortcut always answers.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from bot.adapters.slack import translate
from bot.adapters.slack.blocks import render
from bot.adapters.slack.handlers import Deps, answer
from bot.adapters.slack.home_handlers import team_of
from bot.adapters.slack.manifest import SHORTCUT
from bot.adapters.slack.shares import can_share
from bot.core.reply import Reply, ReplyKind
from bot.core.request import Request
from bot.core.router import failure_reply
from bot.errors import ChannelGoneError, PlatformError

log = logging.getLogger(__name__)

CALLBACK_ID = SHORTCUT["callback_id"]

ANSWERED_HERE = "I can't post in the conversation you asked from, so here is my answer."

NO_TEXT = Reply(
    kind=ReplyKind.NOTICE,
    title="",
    body=(
        "That message has no text I can read (only files, images or attachments?). Use Ask "
        "mlcareer on a message with a question in it, or just ask me with /mlcareer."
    ),
)


async def on_ask_shortcut(deps: Deps, body: Mapping[str, Any]) -> None:
    """A ``message_action`` with our callback id: answer its message's text privately."""
    user = str((body.get("user") or {}).get("id") or "")
    channel = str((body.get("channel") or {}).get("id") or "")
    message = body.get("message") or {}
    question = translate.plain_text(str(message.get("text") or ""), deps.bot_user_id)
    try:
        if question:
            request = Request(
                text=question,
                user=user,
                channel=channel,
                platform=translate.PLATFORM,
                workspace=team_of(body),
                channel_kind="dm" if channel.startswith("D") else "channel",
            )
            reply = await answer(deps, request)
        else:
            reply = NO_TEXT
        await _answer_privately(deps, user, channel, reply, question)
    except Exception:
        log.exception("answering the Ask mlcareer shortcut failed")
        try:
            await _answer_privately(deps, user, channel, failure_reply(), "")
        except Exception as exc:
            log.error("could not send an apology either: %s", exc)


async def _answer_privately(
    deps: Deps, user: str, channel: str, reply: Reply, question: str
) -> None:
    share = deps.shares.keep(reply, question) if question and can_share(reply, channel) else None
    try:
        await deps.sender.post_ephemeral(channel, user, render(reply, share_value=share))
        return
    except ChannelGoneError as exc:
        log.info("answering the shortcut in a DM instead of %s: %s", channel, exc)
    try:
        dm = await deps.sender.open_dm(user)
        await deps.sender.post(dm, replace(reply, notices=(*reply.notices, ANSWERED_HERE)))
    except PlatformError as exc:
        log.error("could not answer the Ask mlcareer shortcut for %s: %s", user, exc)
