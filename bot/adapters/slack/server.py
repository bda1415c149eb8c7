"""HTTP mode: Slack's requests at POST /slack/events (bolt's convention) and GET /healthz."""

from __future__ import annotations

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp

from bot.adapters.slack.manifest import EVENTS_PATH

HEALTH_PATH = "/healthz"


def build_web_app(bolt_app: AsyncApp) -> web.Application:
    """An aiohttp application that hands Slack's requests to ``bolt_app``."""

    async def events(request: web.Request) -> web.StreamResponse:
        # bolt's signature check would fail with a 500 on a non-numeric timestamp; it is
        # simply an unsigned request.
        if not request.headers.get("X-Slack-Request-Timestamp", "").isdigit():
            return web.Response(status=401, text="invalid request")
        bolt_response = await bolt_app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def health(request: web.Request) -> web.StreamResponse:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post(EVENTS_PATH, events)
    app.router.add_get(HEALTH_PATH, health)
    return app
