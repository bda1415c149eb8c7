"""Plain async functions that answer Discord events; each receives what it depends on.

Interactions: ``/mlcareer`` commands, "Ask mlcareer about this message", ``ask`` autocomplete
and button clicks; what can't work where it was asked is explained instead (``gates``). Every
one is answered (or deferred) well inside Discord's three seconds: the router usually answers
in milliseconds, and if it has not answered after ``defer_after`` seconds the interaction is
deferred and the answer follows. Messages: mentions (answered as a reply) and DMs.
Any failure is logged with its traceback and the user gets a polite reply where one is possible.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any, cast

import discord
from discord import app_commands

from bot.adapters.discord.commands import CHOICE_NAME_LIMIT, CHOICE_VALUE_LIMIT
from bot.adapters.discord.embeds import CONTENT_LIMIT, SHARE_ID, VOTE_PREFIX, render, shorten
from bot.adapters.discord.gates import command_refusal, explain, share_refusal
from bot.adapters.discord.notes import note_modal, submitted
from bot.adapters.discord.outgoing import NO_MENTIONS, message_kwargs, to_view
from bot.adapters.discord.retry import ServerErrorRetry
from bot.adapters.discord.translate import (
    button_topic,
    command_text,
    focused_value,
    interaction_request,
    message_request,
    topic_buttons,
    vote_buttons_on,
    vote_of,
    voter_request,
)
from bot.core.reply import Reply, ReplyKind
from bot.core.request import Request
from bot.core.router import Router, failure_reply
from bot.feedback import replies as feedback_replies
from bot.matching.matcher import Matcher

log = logging.getLogger(__name__)

DEFER_AFTER = 2.0  # seconds: Discord needs the first response within 3
AUTOCOMPLETE_LIMIT = 25
POSTED_PUBLICLY = "Posted in the channel."


async def on_interaction(
    interaction: discord.Interaction[Any], router: Router, defer_after: float = DEFER_AFTER
) -> None:
    """Answer one interaction of any kind; never raises."""
    try:
        kind = interaction.type
        if kind is discord.InteractionType.application_command:
            data = payload(interaction)
            refused = command_refusal(interaction, data)
            if refused is not None:
                await explain(interaction, *refused)
                return
            text = command_text(data)
            await respond(interaction, router, interaction_request(interaction, text), defer_after)
        elif kind is discord.InteractionType.autocomplete:
            await answer_autocomplete(interaction, router.services.matcher)
        elif kind is discord.InteractionType.component:
            await answer_component(interaction, router, defer_after)
        elif kind is discord.InteractionType.modal_submit:
            await answer_note(interaction, router)
    except Exception:
        log.exception("answering a Discord interaction failed")
        await apologise(interaction)


def payload(interaction: discord.Interaction[Any]) -> Mapping[str, Any]:
    """The interaction's raw ``data`` object (command options, custom id)."""
    return cast("Mapping[str, Any]", interaction.data or {})


async def respond(
    interaction: discord.Interaction[Any], router: Router, request: Request, defer_after: float
) -> None:
    """Route ``request`` and answer the interaction, deferring first if routing is slow.

    If deferring fails (the interaction expired, Discord is unreachable) or this handler is
    cancelled, the routing is cancelled too: nobody could receive its answer.
    """
    task = asyncio.ensure_future(router.handle(request))
    try:
        done, _ = await asyncio.wait({task}, timeout=defer_after)
        deferred = not done
        if deferred:
            await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await task
    finally:
        task.cancel()  # a no-op once it has finished
    await send_reply(interaction, reply, deferred=deferred)


async def send_reply(
    interaction: discord.Interaction[Any], reply: Reply, *, deferred: bool
) -> None:
    """Send ``reply``: to the asker only (with "Share in channel" when the core calls it
    shareable), or, for a reply meant for everyone (``reply.public``), to the whole channel."""
    public = reply.public
    message = message_kwargs(render(reply, shareable=reply.shareable))
    if not deferred:
        await interaction.response.send_message(**message, ephemeral=not public)
    elif public:
        await interaction.edit_original_response(
            content=POSTED_PUBLICLY, allowed_mentions=NO_MENTIONS
        )
        await interaction.followup.send(**message, ephemeral=False)
    else:
        await interaction.followup.send(**message, ephemeral=True)


def autocomplete_choices(matcher: Matcher, typed: str) -> list[app_commands.Choice[str]]:
    """Topics matching what has been typed so far, at most 25; picking one asks for it."""
    choices = []
    for entry in matcher.suggest(typed, limit=AUTOCOMPLETE_LIMIT):
        if len(entry.id) > CHOICE_VALUE_LIMIT:
            continue
        name = shorten(entry.title, CHOICE_NAME_LIMIT)
        choices.append(app_commands.Choice(name=name, value=entry.id))
    return choices[:AUTOCOMPLETE_LIMIT]


async def answer_autocomplete(interaction: discord.Interaction[Any], matcher: Matcher) -> None:
    """Suggest topics for what has been typed into ``ask question`` (autocomplete can't be
    deferred, so this answers at once; on the shipped knowledge the matcher needs < 1 ms)."""
    typed = focused_value(payload(interaction))
    await interaction.response.autocomplete(autocomplete_choices(matcher, typed))


async def answer_component(
    interaction: discord.Interaction[Any], router: Router, defer_after: float
) -> None:
    """A click on one of the bot's buttons: a topic, or "Share in channel"."""
    custom_id = str(payload(interaction).get("custom_id", ""))
    if custom_id == SHARE_ID:
        await share(interaction)
        return
    if custom_id.startswith(VOTE_PREFIX):
        await answer_vote(interaction, router, custom_id)
        return
    topic = button_topic(custom_id)
    if topic is None:
        notice = Reply(
            ReplyKind.NOTICE,
            "That button no longer works",
            "Ask again with /mlcareer to get a fresh answer.",
        )
        await send_reply(interaction, notice, deferred=False)
        return
    await respond(interaction, router, interaction_request(interaction, topic), defer_after)


async def answer_vote(
    interaction: discord.Interaction[Any], router: Router, custom_id: str
) -> None:
    """👍 or 👎: counted by the core and acknowledged to the voter only; a 👎 newly counted
    is answered with the note modal instead (an interaction takes one answer)."""
    feedback = router.services.feedback
    parsed = vote_of(custom_id)
    if feedback is None:
        reply = feedback_replies.switched_off()
    elif parsed is None:
        reply = feedback_replies.not_ours()
    else:
        vote, question_id = parsed
        verdict = await feedback.vote(voter_request(interaction), question_id, vote)
        if verdict.ask_comment:
            await interaction.response.send_modal(note_modal(question_id))
            return
        reply = verdict.reply
    await tell_only_them(interaction, reply)


async def answer_note(interaction: discord.Interaction[Any], router: Router) -> None:
    """The note modal sent: stored with the vote; the voter alone hears what happened."""
    feedback = router.services.feedback
    question_id, note = submitted(payload(interaction))
    if feedback is None:
        reply = feedback_replies.switched_off()
    elif question_id is None:
        reply = feedback_replies.not_ours()
    else:
        reply = await feedback.comment(voter_request(interaction), question_id, note)
    await tell_only_them(interaction, reply)


async def tell_only_them(interaction: discord.Interaction[Any], reply: Reply) -> None:
    """``reply`` as an ephemeral message, with no buttons (nothing to share or rate)."""
    message = message_kwargs(render(reply, shareable=False))
    await interaction.response.send_message(**message, ephemeral=True)


async def share(interaction: discord.Interaction[Any]) -> None:
    """Post the answer the button sits on for the whole channel, with its topic buttons."""
    refused = share_refusal(interaction)
    if refused is not None:
        await explain(interaction, *refused)
        return
    source = interaction.message
    if source is None or not source.embeds:
        nothing = Reply(ReplyKind.NOTICE, "Nothing to share", "That answer is no longer there.")
        await send_reply(interaction, nothing, deferred=False)
        return
    kwargs: dict[str, Any] = {
        "content": shorten(f"Shared by {interaction.user.mention}", CONTENT_LIMIT),
        "embeds": source.embeds[:10],
        "allowed_mentions": NO_MENTIONS,
    }
    view = to_view((*topic_buttons(source), *vote_buttons_on(source)))
    if view is not None:
        kwargs["view"] = view
    await interaction.response.send_message(**kwargs)


async def apologise(interaction: discord.Interaction[Any]) -> None:
    """Tell the user something broke, if the interaction can still be answered."""
    if interaction.type is discord.InteractionType.autocomplete:
        return
    try:
        message = message_kwargs(render(failure_reply(), shareable=False))
        if interaction.response.is_done():
            await interaction.followup.send(**message, ephemeral=True)
        else:
            await interaction.response.send_message(**message, ephemeral=True)
    except Exception:
        log.exception("could not tell the user about the failure")


async def on_message(
    message: discord.Message,
    router: Router,
    me: int,
    retry: ServerErrorRetry = ServerErrorRetry(),  # noqa: B008 - frozen, shared safely
) -> None:
    """Answer a mention (as a reply to it) or a DM (in the DM); ignore everything else.
    A 502/503/504 from Discord is retried (``ServerErrorRetry``)."""
    try:
        request = message_request(message, me)
        if request is None:
            return
        reply = await router.handle(request)
        kwargs = message_kwargs(render(reply, shareable=False))
        if message.guild is None:
            await retry.call(lambda: message.channel.send(**kwargs), "a DM answer")
        else:
            await retry.call(
                lambda: message.reply(**kwargs, mention_author=False), "a mention's answer"
            )
    except discord.Forbidden:
        log.warning(
            "no permission to answer in channel %s (needs View Channel, Send Messages, Embed "
            "Links and Read Message History)",
            message.channel.id,
        )
    except Exception:
        log.exception("answering a Discord message failed")
