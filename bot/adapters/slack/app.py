"""Wire the handlers into slack-bolt's ``AsyncApp``: listeners, and the middleware that drops
Slack's redeliveries of an event before any listener sees them."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import handlers
from bot.adapters.slack.blocks import ACTION_SHARE, ACTION_TOPIC
from bot.adapters.slack.dedupe import Deduplicator, is_redelivery
from bot.adapters.slack.handlers import Ack, Deps
from bot.adapters.slack.manifest import COMMAND

bolt_log = logging.getLogger("bot.adapters.slack.bolt")

# A handler finishing an interaction after its acknowledgement, and the bolt listener for it.
Work = Callable[[Deps, Mapping[str, Any]], Coroutine[Any, Any, None]]
Listener = Callable[[Ack, dict[str, Any]], Awaitable[None]]


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
) -> AsyncApp:
    """The bolt app. With a signing secret every request's signature is checked (HTTP mode);
    without one the app only takes Socket Mode requests, which Slack authenticates itself.

    Listeners run before the response goes back to Slack (``process_before_response``), so
    a slash command's answer rides in its acknowledgement with no polling delay; everything
    slower is acknowledged first and finished in ``deps.background``."""
    bolt_log.addFilter(_SAME_TOKEN_WARNING)  # adding the same filter twice is a no-op
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret or "",
        request_verification_enabled=bool(signing_secret),
        name="mlcareer",
        process_before_response=True,
        logger=bolt_log,
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

    async def command(ack: Ack, body: dict[str, Any]) -> None:
        await handlers.on_command(deps, body, ack)

    app.middleware(skip_redeliveries)
    app.command(COMMAND)(command)
    app.event("app_mention")(_after_ack(deps, handlers.on_mention, part="event"))
    app.event("message")(_after_ack(deps, handlers.on_message, part="event"))
    app.action(re.compile(rf"^{ACTION_TOPIC}:\d+$"))(_after_ack(deps, handlers.on_topic_click))
    app.action(ACTION_SHARE)(_after_ack(deps, handlers.on_share))
    return app


def _after_ack(deps: Deps, work: Work, *, part: str | None = None) -> Listener:
    """A listener that acknowledges at once and finishes ``work`` in the background, on the
    whole payload or on one ``part`` of it (the ``event`` of an event callback)."""

    async def listener(ack: Ack, body: dict[str, Any]) -> None:
        await ack()
        payload = body.get(part) if part else body
        payload = payload if isinstance(payload, dict) else {}
        if part == "event" and not payload.get("team") and body.get("team_id"):
            # The workspace, for the question log's hash: events don't always carry it.
            payload = {**payload, "team": body["team_id"]}
        deps.background.spawn(work(deps, payload))

    return listener
