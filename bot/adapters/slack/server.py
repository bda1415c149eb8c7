"""HTTP mode: Slack's requests at POST /slack/events (bolt's convention) and GET /healthz."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier

from bot.adapters.slack import gate
from bot.adapters.slack.manifest import EVENTS_PATH

HEALTH_PATH = "/healthz"

# Slack's certificate check is a tiny unsigned form; an unsigned body larger than this is not
# one and is refused unread.
SSL_CHECK_MAX_BYTES = 1024

log = logging.getLogger(__name__)


def build_web_app(
    bolt_app: AsyncApp,
    signing_secret: str | None = None,
    clock: Callable[[], float] = time.time,
) -> web.Application:
    """An aiohttp application that hands Slack's requests to ``bolt_app``.

    With ``signing_secret`` the signature is checked here, before bolt parses the body, so a
    forged or garbled request is refused with 401 or 400 instead of a 500 and a traceback;
    bolt checks it again, as it always does.
    """
    verifier = SignatureVerifier(signing_secret) if signing_secret else None
    quiet = gate.QuietLog(log, time.monotonic)

    async def events(request: web.Request) -> web.StreamResponse:
        refusal = gate.refuse_unread(request.headers, request.content_length, clock())
        unsigned = refusal is not None and refusal.status == 401
        if unsigned and _small(request) and gate.is_ssl_check(await request.read()):
            return web.Response(status=200, text="")
        if refusal is None:
            refusal = gate.refuse_read(await request.read(), request.headers, verifier)
        if refusal is not None:
            quiet.refused(refusal)
            return web.Response(status=refusal.status, text="invalid request")
        bolt_response = await bolt_app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def health(request: web.Request) -> web.StreamResponse:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post(EVENTS_PATH, events)
    app.router.add_get(HEALTH_PATH, health)
    return app


def add_oauth_routes(app: web.Application, bolt_app: AsyncApp) -> None:
    """OAuth mode: GET /slack/install (a state cookie and the way to Slack's consent page)
    and GET /slack/oauth_redirect (Slack sends the installer back here with a one-time code),
    both answered by bolt's OAuth flow."""
    flow = bolt_app.oauth_flow
    assert flow is not None

    async def install(request: web.Request) -> web.StreamResponse:
        bolt_response = await flow.handle_installation(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def redirect(request: web.Request) -> web.StreamResponse:
        bolt_response = await flow.handle_callback(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    app.router.add_get(flow.install_path, install)
    app.router.add_get(flow.redirect_uri_path, redirect)


def _small(request: web.Request) -> bool:
    length = request.content_length
    return length is not None and length <= SSL_CHECK_MAX_BYTES
