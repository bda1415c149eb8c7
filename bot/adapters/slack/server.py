"""HTTP mode: Slack's requests at POST /slack/events (bolt's convention) and GET /healthz."""

from __future__ import annotations

from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp

from bot.adapters.slack.manifest import EVENTS_PATH

HEALTH_PATH = "/healthz"

# Slack's certificate check is a tiny unsigned form (``ssl_check=1&token=...``); anything
# larger without a signature is not one and is refused unread.
SSL_CHECK_MAX_BYTES = 1024


def build_web_app(bolt_app: AsyncApp) -> web.Application:
    """An aiohttp application that hands Slack's requests to ``bolt_app``."""

    async def events(request: web.Request) -> web.StreamResponse:
        # bolt's signature check would fail with a 500 on a non-numeric timestamp; it is
        # simply an unsigned request.
        if not request.headers.get("X-Slack-Request-Timestamp", "").isdigit():
            if await is_ssl_check(request):
                return web.Response(status=200, text="")
            return web.Response(status=401, text="invalid request")
        bolt_response = await bolt_app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def health(request: web.Request) -> web.StreamResponse:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post(EVENTS_PATH, events)
    app.router.add_get(HEALTH_PATH, health)
    return app


async def is_ssl_check(request: web.Request) -> bool:
    """True for Slack's unsigned certificate check, which bolt would answer 200 too.

    Slack sends it without a signature when it verifies the app's TLS certificate; refusing
    it with 401 makes the app look broken in Slack's settings.
    """
    length = request.content_length
    if length is None or length > SSL_CHECK_MAX_BYTES:
        return False
    form = parse_qs((await request.read()).decode("utf-8", "replace"))
    return form.get("ssl_check") == ["1"]
