"""Wire the handlers into slack-bolt's ``AsyncApp``: listeners, and the middleware that drops
Slack's redeliveries of an event before any listener sees them."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import handlers, home_handlers, schedule_modal, shortcut
from bot.adapters.slack.blocks import ACTION_SHARE, ACTION_TOPIC, ACTION_VOTE_DOWN, ACTION_VOTE_UP
from bot.adapters.slack.dedupe import Deduplicator, is_redelivery
from bot.adapters.slack.distribution import Distribution, team_deps
from bot.adapters.slack.handlers import Ack, Deps
from bot.adapters.slack.home import ACTION_HOME_TOPIC, ACTION_TIPS_EDIT
from bot.adapters.slack.manifest import COMMAND
from bot.adapters.slack.modals import CALLBACK_ID as COMMENT_FORM

bolt_log = logging.getLogger("bot.adapters.slack.bolt")

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
    events: Deduplicator,
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
            # Over Socket Mode there are no retry headers (and a retry mostly follows a
            # dropped connection, where the first delivery may never have arrived): there
            # the event_id alone decides.
            if req.mode == "http" and is_redelivery(req.headers):
                return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})
            if not events.first_time(str(body.get("event_id") or "")):
                return BoltResponse(status=200, body="")
        await next()
        return None

    async def command(ack: Ack, body: dict[str, Any], context: AsyncBoltContext) -> None:
        await handlers.on_command(team_deps(deps, context), body, ack)

    app.middleware(skip_redeliveries)
    if distribution is not None:
        _distribute(app, distribution)
    app.command(COMMAND)(command)
    app.event("app_mention")(_after_ack(deps, handlers.on_mention, part="event"))
    app.event("message")(_after_ack(deps, handlers.on_message, part="event"))
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

    app.event("app_home_opened")(_after_ack(deps, home_handlers.on_home_opened, part="event"))
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


def _distribute(app: AsyncApp, distribution: Distribution) -> None:
    """OAuth mode's own middleware and listeners: channels' teams, and uninstalls."""

    async def uninstalled(ack: Ack, context: AsyncBoltContext) -> None:
        await ack()
        await distribution.uninstalled(context)

    async def revoked(ack: Ack, event: dict[str, Any], context: AsyncBoltContext) -> None:
        await ack()
        await distribution.tokens_revoked(event, context)

    app.middleware(distribution.remember_channel)
    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(revoked)
