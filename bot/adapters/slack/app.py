"""Wire the handlers into slack-bolt's ``AsyncApp``: listeners, and the middleware that drops
Slack's redeliveries of an event before any listener sees them."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import replace
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import handlers, home_handlers, schedule_modal, shortcut
from bot.adapters.slack.blocks import ACTION_SHARE, ACTION_TOPIC, ACTION_VOTE_DOWN, ACTION_VOTE_UP
from bot.adapters.slack.dedupe import Claims, event_key, is_redelivery, retry_number
from bot.adapters.slack.distribution import Distribution, team_deps
from bot.adapters.slack.handlers import Ack, Deps
from bot.adapters.slack.home import ACTION_HOME_TOPIC, ACTION_TIPS_EDIT
from bot.adapters.slack.manifest import COMMAND
from bot.adapters.slack.modals import CALLBACK_ID as COMMENT_FORM
from bot.receipts.ports import Receipt

bolt_log = logging.getLogger("bot.adapters.slack.bolt")
# The bolt context key saying an event callback is a redelivery (X-Slack-Retry-Num above 0).
REDELIVERY = "mlcareer_redelivery"

# A handler finishing an interaction after its acknowledgement, and the bolt listener for it.
Work = Callable[[Deps, Mapping[str, Any]], Coroutine[Any, Any, None]]
Listener = Callable[[Ack, dict[str, Any], AsyncBoltContext], Awaitable[None]]


class _SameTokenWarning(logging.Filter):
    """bolt reads SLACK_BOT_TOKEN from the environment by itself and then warns that it uses
    the client we hand it instead; that client holds the same token, so the warning would
    only confuse whoever reads the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


_SAME_TOKEN_WARNING = _SameTokenWarning()


def build_app(
    deps: Deps,
    client: AsyncWebClient,
    *,
    signing_secret: str | None,
    events: Claims,
    distribution: Distribution | None = None,
) -> AsyncApp:
    """The bolt app. With a signing secret every request's signature is checked (HTTP mode);
    without one the app only takes Socket Mode requests, which Slack authenticates itself.
    With ``distribution`` (OAuth mode) each request runs with its own team's token, looked
    up in the installation store, and uninstalls are handled.

    Listeners run before the response goes back to Slack (``process_before_response``), so
    a slash command's answer rides in its acknowledgement with no polling delay; everything
    slower is acknowledged first and finished in ``deps.background``."""
    bolt_log.addFilter(_SAME_TOKEN_WARNING)  # adding the same filter twice is a no-op
    oauth: dict[str, Any] = {}
    if distribution is not None:
        oauth = {
            "oauth_settings": distribution.oauth_settings(),
            "authorize": distribution.authorize(),
        }
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret or "",
        request_verification_enabled=bool(signing_secret),
        name="mlcareer",
        process_before_response=True,
        logger=bolt_log,
        **oauth,
    )

    async def skip_redeliveries(
        req: AsyncBoltRequest, body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        if body.get("type") == "event_callback":
            # The shared receipts decide, not the retry headers: a retry may follow a
            # delivery whose replica died before answering, and must then be answered.
            found = await events.claim(event_key(body))
            if found is Receipt.DONE:
                return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})
            if found is Receipt.IN_HAND:
                # Another delivery of it is being answered, perhaps by a replica that just
                # died. Not a 200 (over Socket Mode, no ack): Slack delivers it again later,
                # and once that claim's lease has run out a live replica answers it.
                return BoltResponse(status=503, body="")
            if retry_number(req.headers) > 0:
                # A replica may have posted the answer and died before marking it done:
                # the answer is looked for (by its metadata) before it is posted again.
                req.context[REDELIVERY] = True
                if is_redelivery(req.headers):
                    bolt_log.info(
                        "answering a retry of %s: no replica finished it", body.get("event_id")
                    )
        await next()
        return None

    async def command(ack: Ack, body: dict[str, Any], context: AsyncBoltContext) -> None:
        await handlers.on_command(team_deps(deps, context), body, ack)

    app.middleware(skip_redeliveries)
    if distribution is not None:
        _distribute(app, distribution, events)
    app.command(COMMAND)(command)
    app.event("app_mention")(_answer_event(deps, events, handlers.on_mention))
    app.event("message")(_answer_event(deps, events, handlers.on_message))
    app.action(re.compile(rf"^{ACTION_TOPIC}:\d+$"))(_after_ack(deps, handlers.on_topic_click))
    app.action(ACTION_SHARE)(_after_ack(deps, handlers.on_share))
    app.action(ACTION_VOTE_UP)(_after_ack(deps, handlers.on_vote))
    app.action(ACTION_VOTE_DOWN)(_after_ack(deps, handlers.on_vote))

    async def comment(ack: Ack, body: dict[str, Any], context: AsyncBoltContext) -> None:
        await handlers.on_comment(team_deps(deps, context), body, ack)

    app.view(COMMENT_FORM)(comment)

    async def schedule_saved(ack: Ack, body: dict[str, Any], context: AsyncBoltContext) -> None:
        # The submitting workspace's token and admins, as for every other listener.
        await home_handlers.on_schedule_submit(team_deps(deps, context), body, ack)

    app.event("app_home_opened")(_answer_event(deps, events, home_handlers.on_home_opened))
    app.action(re.compile(rf"^{ACTION_HOME_TOPIC}:\d+$"))(
        _after_ack(deps, home_handlers.on_home_topic)
    )
    app.action(re.compile(rf"^{ACTION_TIPS_EDIT}:\d+$"))(
        _after_ack(deps, home_handlers.on_tips_edit)
    )
    app.view_submission(schedule_modal.CALLBACK_ID)(schedule_saved)
    message_shortcut: dict[str, str | re.Pattern[Any]] = {
        "type": "message_action",
        "callback_id": shortcut.CALLBACK_ID,
    }
    app.shortcut(message_shortcut)(_after_ack(deps, shortcut.on_ask_shortcut))
    return app


def _after_ack(deps: Deps, work: Work, *, part: str | None = None) -> Listener:
    """A listener that acknowledges at once and finishes ``work`` in the background, on the
    whole payload or on one ``part`` of it (the ``event`` of an event callback)."""

    async def listener(ack: Ack, body: dict[str, Any], context: AsyncBoltContext) -> None:
        await ack()
        payload = body.get(part) if part else body
        team = team_deps(deps, context)
        deps.background.spawn(work(team, payload if isinstance(payload, dict) else {}))

    return listener


def _distribute(app: AsyncApp, distribution: Distribution, events: Claims) -> None:
    """OAuth mode's own middleware and listeners: channels' teams, and uninstalls."""

    async def uninstalled(ack: Ack, body: dict[str, Any], context: AsyncBoltContext) -> None:
        await ack()
        await distribution.uninstalled(context)
        await events.finish(event_key(body))

    async def revoked(
        ack: Ack, body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        await ack()
        await distribution.tokens_revoked(event, context)
        await events.finish(event_key(body))

    app.middleware(distribution.remember_channel)
    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(revoked)


def _answer_event(deps: Deps, events: Claims, work: Work) -> Listener:
    """A listener for an event callback whose claim the middleware took: answer, then mark
    the event done.

    The acknowledgement (the HTTP 200, the Socket Mode ack) goes out when the listener
    returns, so it waits for the answer first, up to the ack budget: a replica killed
    before answering has then acknowledged nothing, and Slack delivers the event again.
    An answer slower than the budget finishes in the background after the ack.
    """

    async def answer_then_finish(team: Deps, event: dict[str, Any], key: str) -> None:
        await work(team, event)
        await events.finish(key)

    async def listener(ack: Ack, body: dict[str, Any], context: AsyncBoltContext) -> None:
        await ack()
        event = body.get("event")
        event = event if isinstance(event, dict) else {}
        if not event.get("team") and body.get("team_id"):
            # The workspace, for the question log's hash: events don't always carry it.
            event = {**event, "team": body["team_id"]}
        team = team_deps(deps, context)
        if context.get(REDELIVERY):
            team = replace(team, redelivery=True)
        job = deps.background.spawn(answer_then_finish(team, event, event_key(body)))
        await asyncio.wait({job}, timeout=deps.ack_budget)

    return listener
