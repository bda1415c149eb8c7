"""What the bot does for each Slack interaction: plain async functions of their dependencies.

``app`` registers these with bolt; they never see bolt objects beyond the payload and
``ack``. Every function catches its own failures: the person gets a polite reply where one
can be sent, the traceback goes to the log, and the event loop carries on.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from bot.adapters.slack import modals, translate
from bot.adapters.slack.admins import AdminCheck
from bot.adapters.slack.background import Background
from bot.adapters.slack.blocks import ACTION_VOTE_UP, Message, render
from bot.adapters.slack.dedupe import Claims, message_key
from bot.adapters.slack.installations import TeamChannels, TeamKey
from bot.adapters.slack.sender import Responder, SlackSender
from bot.adapters.slack.shares import ShareStore, can_share
from bot.adapters.slack.tips_admin import TipsAdmin
from bot.adapters.slack.views import ViewPublisher
from bot.core.ports import PostOnce
from bot.core.reply import Reply, ReplyKind
from bot.core.request import Request
from bot.core.router import Router, failure_reply
from bot.core.text import clean
from bot.errors import ChannelGoneError, PlatformError
from bot.feedback import replies as feedback_replies
from bot.feedback.ports import DOWN, UP
from bot.receipts.ports import Receipt

log = logging.getLogger(__name__)

# bolt's ack: called with nothing, or with the whole response body as a dict.
Ack = Callable[..., Awaitable[Any]]

# Slack wants an answer to a slash command within 3 seconds; past this budget the command is
# acknowledged empty and the answer follows through the response_url.
ACK_BUDGET_SECONDS = 2.0

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


@dataclass(slots=True)
class Deps:
    """Everything the handlers need, built once by the runner."""

    router: Router
    sender: SlackSender
    responder: Responder
    admins: AdminCheck
    shares: ShareStore
    messages: Claims
    background: Background
    bot_user_id: str | None = None
    ack_budget: float = ACK_BUDGET_SECONDS
    # The Home tab and its modal; without a tips service the Home tab has no admin part.
    views: ViewPublisher | None = None
    tips: TipsAdmin | None = None
    # Distribution to many workspaces: each request gets its own team's client and bot user
    # (``bot.adapters.slack.distribution.team_deps``); False serves the one SLACK_BOT_TOKEN.
    per_team: bool = False
    # In OAuth mode: the channels each workspace was heard from, and the workspace of this
    # request (set by ``team_deps``), so the Home tab shows and edits that workspace's tips only.
    channel_store: TeamChannels | None = None
    workspace: TeamKey | None = None
    # This delivery is Slack's retry of an event: an earlier one may have been answered.
    redelivery: bool = False


async def answer(deps: Deps, request: Request, *, private: bool = False) -> Reply:
    """Route ``request``; look up admin rights only for ``tips`` commands and the ``report``
    (one API call). The report is for admins only where the answer is ``private`` (the slash
    command's ephemeral answer, a DM), never in a channel's thread."""
    try:
        route = route_name(deps.router, request.text)
        if route == "tips":
            request = replace(request, is_admin=await deps.admins.is_admin(request.user))
        elif route == "report" and private:
            request = replace(request, reads_reports=await deps.admins.is_admin(request.user))
        return await deps.router.handle(request)
    except Exception:
        log.exception("answering a Slack request failed")
        return failure_reply()


def route_name(router: Router, text: str) -> str | None:
    """The name of the route that will handle ``text`` (the router's own tests decide)."""
    cleaned = clean(text, router.services.max_input_chars).text
    for route in router.routes:
        if route.test(cleaned, router.services) is not None:
            return route.name
    return None


async def on_command(deps: Deps, form: Mapping[str, Any], ack: Ack) -> None:
    """``/mlcareer TEXT``: answer in the acknowledgement when the answer is quick (it nearly
    always is), else acknowledge at once and answer through the response_url."""
    try:
        request = translate.command_request(form)
        # Kept in the background set from the start, so shutdown waits for it either way.
        pending = deps.background.spawn(answer(deps, request, private=True))
        try:
            reply = await asyncio.wait_for(asyncio.shield(pending), deps.ack_budget)
        except TimeoutError:
            await ack()
            url = form.get("response_url")
            deps.background.spawn(_answer_later(deps, pending, request, url))
            return
        await ack(command_payload(deps, reply, request))
    except Exception:
        log.exception("/mlcareer failed")
        await ack(render(failure_reply()).payload(response_type="ephemeral"))


async def _answer_later(
    deps: Deps, pending: asyncio.Future[Reply], request: Request, url: object
) -> None:
    try:
        reply = await pending
        if isinstance(url, str) and url:
            await deps.responder.send(url, command_payload(deps, reply, request))
    except PlatformError as exc:
        log.error("could not answer /mlcareer: %s", exc)


def command_payload(deps: Deps, reply: Reply, request: Request) -> dict[str, Any]:
    """The slash command's answer: ephemeral with a share button, or public when meant so."""
    share = deps.shares.keep(reply, request.text) if can_share(reply, request.channel) else None
    kind = "in_channel" if reply.public else "ephemeral"
    return render(reply, share_value=share).payload(response_type=kind)


async def on_mention(deps: Deps, event: Mapping[str, Any]) -> None:
    """``@mlcareer ...`` in a channel: answer in that message's thread (or the one it is in)."""
    thread = event.get("thread_ts") or event.get("ts")
    await _answer_message(deps, event, thread if isinstance(thread, str) else None)


async def on_message(deps: Deps, event: Mapping[str, Any]) -> None:
    """A direct message to the app: answer in the DM. Other message events are not ours."""
    if event.get("channel_type") != "im":
        return
    thread = event.get("thread_ts")
    await _answer_message(deps, event, thread if isinstance(thread, str) else None)


async def _answer_message(deps: Deps, event: Mapping[str, Any], thread_ts: str | None) -> None:
    if not translate.is_from_a_person(event, deps.bot_user_id):
        return
    key = message_key(event)
    if await deps.messages.claim(key, inner=True) is not Receipt.FIRST:
        return
    await _reply(deps, event, thread_ts)
    await deps.messages.finish(key)


async def _reply(deps: Deps, event: Mapping[str, Any], thread_ts: str | None) -> None:
    try:
        request = translate.event_request(event, deps.bot_user_id)
        reply = await answer(deps, request, private=request.channel_kind == "dm")
        try:
            await deps.sender.post(
                request.channel,
                reply,
                thread_ts=None if reply.public else thread_ts,
                once=answer_once(event, deps.redelivery),
                answer=True,
            )
        except ChannelGoneError:
            raise
        except PlatformError as exc:
            log.error("could not answer a message in %s: %s", request.channel, exc)
            await _say_sorry(deps, request, thread_ts)
    except ChannelGoneError as exc:
        log.info("not answering in %s: %s", event.get("channel"), exc)
    except PlatformError as exc:
        log.error("could not answer a message in %s: %s", event.get("channel"), exc)
    except Exception:
        log.exception("answering a Slack message failed")


def answer_once(event: Mapping[str, Any], redelivery: bool) -> PostOnce:
    """The answer to a message, named by the message itself: every replica answering a
    delivery of it marks the answer alike, and on a redelivery looks for that mark first
    (a replica may have posted the answer and died before recording it)."""
    try:
        since = datetime.fromtimestamp(float(str(event.get("ts"))), UTC)
    except ValueError:
        since = datetime.now(UTC)
    return PostOnce(message_key(event), since, retry=redelivery)


async def _say_sorry(deps: Deps, request: Request, thread_ts: str | None) -> None:
    """The answer could not be posted even after the retries: tell the asker once, just for
    them (chat.postEphemeral, another method than the one failing), so the question is not
    met with silence; if even that fails, the log says the person got no word."""
    try:
        message = render(failure_reply())
        await deps.sender.post_ephemeral(
            request.channel, request.user, message, thread_ts=thread_ts
        )
    except PlatformError as exc:
        log.error(
            "could not tell %s in %s that their answer was lost either: %s",
            request.user,
            request.channel,
            exc,
        )


async def on_topic_click(deps: Deps, body: Mapping[str, Any]) -> None:
    """A related-topic or did-you-mean button: answer that topic, just for the clicker."""
    clicked = translate.click(body)
    try:
        reply = await answer(deps, translate.click_request(clicked, clicked.value))
        share = (
            deps.shares.keep(reply, clicked.value) if can_share(reply, clicked.channel) else None
        )
        visible = clicked.in_direct_message or reply.public
        payload = render(reply, share_value=share).payload(
            response_type="in_channel" if visible else "ephemeral", replace_original=False
        )
        await _respond(deps, clicked, payload)
    except Exception:
        log.exception("answering a topic button failed")
        await _apologise(deps, clicked)


async def on_share(deps: Deps, body: Mapping[str, Any]) -> None:
    """ "Share in channel": post the same answer for everyone, saying who shared it."""
    clicked = translate.click(body)
    try:
        reply, question = deps.shares.find(clicked.value)
        if reply is None:
            if not question:
                await _respond(deps, clicked, _notice("That answer has expired; please ask again."))
                return
            reply = await answer(deps, translate.click_request(clicked, question))
        sharer = clicked.user if _USER_ID.match(clicked.user) else None
        message = render(reply, shared_by=sharer)
        await _post_for_everyone(deps, clicked, message)
        await _respond(deps, clicked, {"delete_original": True})
    except Exception:
        log.exception("sharing an answer failed")
        await _apologise(deps, clicked)


async def on_vote(deps: Deps, body: Mapping[str, Any]) -> None:
    """👍 or 👎 on an answer: counted by the core, acknowledged only to the voter. A 👎 newly
    counted opens the note form first, while the click's trigger_id is still fresh."""
    clicked = translate.click(body)
    try:
        feedback = deps.router.services.feedback
        if feedback is None:
            reply = feedback_replies.switched_off()
        else:
            vote = UP if clicked.action_id == ACTION_VOTE_UP else DOWN
            request = translate.voter_request(body)
            verdict = await feedback.vote(request, clicked.value, vote)
            reply = verdict.reply
            if verdict.ask_comment:
                reply = await _ask_for_note(deps, body, clicked.value, reply)
        await _respond(deps, clicked, _notice_payload(reply))
    except Exception:
        log.exception("recording a vote failed")
        await _apologise(deps, clicked)


async def _ask_for_note(
    deps: Deps, body: Mapping[str, Any], question_id: str, reply: Reply
) -> Reply:
    trigger = body.get("trigger_id")
    try:
        if not isinstance(trigger, str) or not trigger:
            raise PlatformError("the click carried no trigger_id")
        await modals.open_comment_form(deps.sender.client, trigger, question_id)
    except PlatformError as exc:
        log.warning("could not open the note form: %s", exc)
        return feedback_replies.form_unavailable(reply)
    return reply


async def on_comment(deps: Deps, body: Mapping[str, Any], ack: Ack) -> None:
    """The note form sent: stored with the vote, and the form replaced by what happened.
    Slack waits for this acknowledgement, so a form sent twice is answered twice, once stored.
    """
    try:
        question_id, text = modals.submitted(body.get("view") or {})
        feedback = deps.router.services.feedback
        if feedback is None:
            reply = feedback_replies.switched_off()
        else:
            reply = await feedback.comment(translate.voter_request(body), question_id, text)
    except Exception:
        log.exception("saving a note on a vote failed")
        reply = failure_reply()
    await ack(response_action="update", view=modals.result_view(reply))


async def _post_for_everyone(deps: Deps, clicked: translate.Click, message: Message) -> None:
    try:
        await deps.sender.post_message(clicked.channel, message)
    except ChannelGoneError:
        # The bot is not a member here (slash commands work anywhere); the interaction's
        # response_url can still post in the channel.
        payload = message.payload(response_type="in_channel", replace_original=False)
        await _respond(deps, clicked, payload)


async def _respond(deps: Deps, clicked: translate.Click, payload: dict[str, Any]) -> None:
    if not clicked.response_url:
        raise PlatformError("the interaction carried no response_url")
    await deps.responder.send(clicked.response_url, payload)


async def _apologise(deps: Deps, clicked: translate.Click) -> None:
    if not clicked.response_url:
        return
    try:
        await deps.responder.send(
            clicked.response_url,
            render(failure_reply()).payload(response_type="ephemeral", replace_original=False),
        )
    except PlatformError as exc:
        log.error("could not send an apology either: %s", exc)


def _notice(text: str) -> dict[str, Any]:
    return _notice_payload(Reply(kind=ReplyKind.NOTICE, title="", body=text))


def _notice_payload(reply: Reply) -> dict[str, Any]:
    """``reply`` for the clicker only, as a new message below the one clicked."""
    return render(reply).payload(response_type="ephemeral", replace_original=False)
