"""A fake of the Slack platform on 127.0.0.1: the Web API, response_urls and a Socket Mode
websocket. The real slack-bolt/slack_sdk code talks to it through SLACK_API_URL.

It records every message the bot sends (``outbox``), can be told to answer a method with
scripted responses first (a 429, a 500, an error code), and pushes Socket Mode envelopes.
Like Slack, it refuses a message whose Block Kit is invalid (``invalid_blocks``) and notes
why in ``rejected``. It keeps each channel's messages with their metadata and answers
conversations.history and conversations.replies from them, refusing with ``missing_scope``
when the token lacks the conversation's history scope (``scopes``); it can hold the answer to
an accepted chat.postMessage (``hold_posts``, for a process killed as a post goes out) or drop
the connection after accepting one (``reset_after_post``).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.adapters.slack.block_kit import problems
from tests.adapters.slack.modal_kit import view_problems as modal_problems
from tests.adapters.slack.view_kit import view_problems

BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T0TEST"
# The OAuth app the fake knows (distribution to many workspaces).
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "fake-client-secret-0123456789"
APP_ID = "A0TEST"
WAIT_SECONDS = 5.0  # bounded wait for loopback I/O
TRIGGER_SECONDS = 3.0  # how long Slack honours an interaction's trigger_id (once)
# Which scope reading a conversation's history needs, by its id's first letter (Slack's
# conversation ids: C public channel, G private channel or group DM, D direct message).
HISTORY_SCOPES = {"C": "channels:history", "G": "groups:history", "D": "im:history"}
# Every scope the bot's manifest asks for, granted unless a test takes one away.
GRANTED = frozenset(
    {
        "commands",
        "app_mentions:read",
        "chat:write",
        "im:history",
        "users:read",
        "channels:history",
        "groups:history",
        "mpim:history",
        "im:write",
    }
)


@dataclass(frozen=True)
class ApiCall:
    """One Web API call the bot made."""

    method: str
    params: dict[str, Any]
    token: str | None


@dataclass(frozen=True)
class Sent:
    """One message the bot sent: ``via`` is chat.postMessage, response_url or socket_ack."""

    via: str
    payload: dict[str, Any]
    channel: str | None = None
    thread_ts: str | None = None

    @property
    def text(self) -> str:
        """The message's fallback text, un-escaped: what a person reads in a notification."""
        raw = str(self.payload.get("text") or "")
        return raw.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@dataclass(frozen=True)
class Workspace:
    """A workspace (or, with ``org_wide``, an Enterprise Grid organisation) that installs the
    app through the OAuth flow: what oauth.v2.access and auth.test say about it."""

    team_id: str
    team_name: str = "A Team"
    enterprise_id: str | None = None
    org_wide: bool = False
    bot_user_id: str = "UBOT2"
    bot_id: str = "BBOT2"
    installer: str = "UINSTALLER"

    @property
    def token(self) -> str:
        return f"xoxb-{self.enterprise_id or 'none'}-{self.team_id}-secret"


@dataclass
class Scripted:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlack:
    """Start with ``await fake.start()``; ``fake.api_url`` is what SLACK_API_URL points at."""

    def __init__(self, *, admins: Iterable[str] = (), host: str = "127.0.0.1") -> None:
        self.host = host
        self.admins = set(admins)
        self.calls: list[ApiCall] = []
        self.outbox: list[Sent] = []
        self.socket_acks: dict[str, dict[str, Any]] = {}
        self.rejected: list[tuple[str, list[str]]] = []
        self.channels_without_bot: set[str] = set()
        self.scopes: set[str] = set(GRANTED)
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)  # by channel
        self.hold_posts = 0.0  # seconds to hold the answer to an accepted chat.postMessage
        self.hold_post_number = 0  # hold only the answer to this accepted post (1, 2...); 0: all
        self.hold_channels: set[str] = set()  # or only posts to these channels, when any
        self._accepted = 0
        self.reset_after_post = 0  # how many accepted chat.postMessage lose their connection
        self._scripts: dict[str, deque[Scripted]] = defaultdict(deque)
        self._delays: dict[str, float] = {}
        self._changed: asyncio.Condition | None = None
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._envelope_ids = itertools.count(1)
        self._ts = itertools.count(1)
        self.port = 0
        # The App Home and modal surfaces (views.publish, views.open): each user's Home view
        # as last published, the modals opened, and the trigger_ids handed out.
        self.home_views: dict[str, dict[str, Any]] = {}
        self.modals: list[dict[str, Any]] = []
        self._triggers: dict[str, float] = {}
        # Triggers used once (views.open takes each once) and ones a test marked expired.
        self.used_triggers: set[str] = set()
        self.expired_triggers: set[str] = set()
        self._trigger_ids = itertools.count(1)
        # OAuth: the app's redirect URL, codes handed out and not yet exchanged, and the bot
        # tokens of workspaces that installed the app (each answered for by auth.test).
        self.redirect_uri: str | None = None
        self._codes: dict[str, Workspace] = {}
        self.installed: dict[str, Workspace] = {}
        self._code_ids = itertools.count(1)

    # --- life cycle -------------------------------------------------------------------

    async def start(self) -> None:
        self._changed = asyncio.Condition()
        self._stopping = asyncio.Event()
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self._stopping.set()  # a delayed answer ends now, so stopping never waits for it
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.base_url}/response/{name}"

    # --- scripting and inspection -----------------------------------------------------

    def script(self, method: str, status: int, body: dict[str, Any], **headers: str) -> None:
        """Answer the next call of ``method`` with this response (queue several to chain)."""
        self._scripts[method].append(Scripted(status, body, headers))

    def delay(self, method: str, seconds: float) -> None:
        """Answer every call of ``method`` only after ``seconds`` (a slow or hung Slack)."""
        self._delays[method] = seconds

    @property
    def opened_views(self) -> list[dict[str, Any]]:
        """The modals views.open accepted, in order (the feedback tests' name for them)."""
        return self.modals

    def new_trigger(self, *, age: float = 0.0) -> str:
        """A trigger_id as Slack puts one in an interaction, issued ``age`` seconds ago (past
        ``TRIGGER_SECONDS`` it is stale); views.open accepts each one once."""
        trigger = f"{next(self._trigger_ids)}.{self.port}.fake-trigger"
        self._triggers[trigger] = time.monotonic() - age
        return trigger

    def approve(self, workspace: Workspace) -> str:
        """What Slack's consent page does when someone installs the app: a one-time code
        for the redirect URL (which the test then calls, as the browser would)."""
        code = f"code-{next(self._code_ids)}"
        self._codes[code] = workspace
        return code

    def revoke(self, token: str) -> None:
        """The workspace uninstalled the app: its token stops working."""
        self.installed.pop(token, None)

    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    def sent(self, via: str | None = None) -> list[Sent]:
        return [s for s in self.outbox if via is None or s.via == via]

    async def wait_until(
        self, condition: Callable[[], bool], seconds: float = WAIT_SECONDS
    ) -> None:
        """Wait (bounded) until ``condition()`` holds after something arrived."""
        assert self._changed is not None
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), seconds)

    async def _record(self, item: ApiCall | Sent) -> None:
        if isinstance(item, ApiCall):
            self.calls.append(item)
        else:
            self.outbox.append(item)
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    # --- Socket Mode ------------------------------------------------------------------

    async def send_envelope(
        self, kind: str, payload: dict[str, Any], *, retry_attempt: int = 0
    ) -> str:
        """Push an envelope (events_api, slash_commands, interactive) to the connected app."""
        await self.wait_connected()
        envelope_id = f"env-{next(self._envelope_ids)}"
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
        }
        if kind == "events_api":
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = "timeout" if retry_attempt else ""
        await self._sockets[-1].send_str(json.dumps(envelope))
        return envelope_id

    async def wait_connected(self, seconds: float = WAIT_SECONDS) -> None:
        """Wait (bounded) until an app has opened the Socket Mode websocket."""
        await self.wait_until(lambda: bool(self._sockets), seconds)

    async def ack_for(self, envelope_id: str, seconds: float = WAIT_SECONDS) -> dict[str, Any]:
        """The app's acknowledgement of an envelope (its ``payload``, if any)."""
        await self.wait_until(lambda: envelope_id in self.socket_acks, seconds)
        return self.socket_acks[envelope_id]

    # --- HTTP handlers ----------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            params.update(await request.post())
        token = _bearer(request.headers.get("Authorization")) or params.pop("token", None)
        await self._record(ApiCall(method, params, token))
        if method in self._delays:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._delays[method])
        scripted = self._scripts[method]
        if method == "oauth.v2.access":
            if scripted:
                step = scripted.popleft()
                return web.json_response(step.body, status=step.status, headers=step.headers)
            client = _basic(request.headers.get("Authorization")) or (
                params.get("client_id"),
                params.get("client_secret"),
            )
            return web.json_response(self._exchange(client, params))
        if method == "apps.connections.open":
            valid = token == APP_TOKEN
        else:
            valid = token == BOT_TOKEN or token in self.installed
        if not valid:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if scripted:
            step = scripted.popleft()
            return web.json_response(step.body, status=step.status, headers=step.headers)
        if method == "auth.test" and token in self.installed:
            return web.json_response(self._auth_test(self.installed[token]))
        answer = await self._answer(method, params)
        if method == "chat.postMessage" and answer.get("ok"):
            self._accepted += 1
            held = self.hold_post_number in (0, self._accepted) and (
                not self.hold_channels or params.get("channel") in self.hold_channels
            )
            if self.reset_after_post > 0:
                self.reset_after_post -= 1
                assert request.transport is not None
                request.transport.close()  # accepted, but the client never hears so
                return web.json_response(answer)
            if self.hold_posts and held:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self.hold_posts)
        return web.json_response(answer)

    def posts_in(self, channel: str) -> list[dict[str, Any]]:
        """The messages in ``channel`` (oldest first), as conversations.history holds them."""
        return list(self.messages.get(channel, []))

    def _history(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """conversations.history (the channel's top-level messages) or conversations.replies
        (a thread: its parent and replies), newest first, since ``oldest``; metadata only
        with include_all_metadata, as Slack does."""
        channel = str(params.get("channel"))
        needed = HISTORY_SCOPES.get(channel[:1], "channels:history")
        if needed not in self.scopes:
            provided = ",".join(sorted(self.scopes))
            return {"ok": False, "error": "missing_scope", "needed": needed, "provided": provided}
        if channel in self.channels_without_bot:
            return {"ok": False, "error": "not_in_channel"}
        oldest = float(params.get("oldest") or 0)
        everything = str(params.get("include_all_metadata", "")).lower() in {"1", "true"}
        thread = params.get("ts") if method == "conversations.replies" else None
        found = []
        for message in self.messages.get(channel, []):
            if thread is None and message.get("thread_ts") not in (None, message["ts"]):
                continue  # a reply in a thread is not in the channel's history
            if thread is not None and thread not in (message["ts"], message.get("thread_ts")):
                continue
            if float(message["ts"]) <= oldest:
                continue
            shown = {k: v for k, v in message.items() if k != "metadata" or everything}
            found.append(shown)
        found.reverse()
        return {"ok": True, "messages": found, "has_more": False}

    def _exchange(
        self, client: tuple[str | None, str | None], params: dict[str, Any]
    ) -> dict[str, Any]:
        """oauth.v2.access: a code for a bot token, refused as Slack refuses it."""
        client_id, secret = client
        if client_id != CLIENT_ID:
            return {"ok": False, "error": "invalid_client_id"}
        if secret != CLIENT_SECRET:
            return {"ok": False, "error": "bad_client_secret"}
        redirect = params.get("redirect_uri")
        if redirect and self.redirect_uri and redirect != self.redirect_uri:
            return {"ok": False, "error": "bad_redirect_uri"}
        workspace = self._codes.pop(str(params.get("code")), None)
        if workspace is None:
            return {"ok": False, "error": "invalid_code"}
        self.installed[workspace.token] = workspace
        enterprise = (
            {"id": workspace.enterprise_id, "name": "An Org"} if workspace.enterprise_id else None
        )
        team = (
            None if workspace.org_wide else {"id": workspace.team_id, "name": workspace.team_name}
        )
        return {
            "ok": True,
            "app_id": APP_ID,
            "authed_user": {"id": workspace.installer},
            "scope": "commands,app_mentions:read,chat:write,im:history,users:read",
            "token_type": "bot",
            "access_token": workspace.token,
            "bot_user_id": workspace.bot_user_id,
            "team": None if workspace.org_wide else team,
            "enterprise": enterprise,
            "is_enterprise_install": workspace.org_wide,
        }

    @staticmethod
    def _auth_test(workspace: Workspace) -> dict[str, Any]:
        return {
            "ok": True,
            "url": f"https://{workspace.team_id.lower()}.slack.com/",
            "team": workspace.team_name,
            "user": "mlcareer",
            "team_id": workspace.team_id,
            "user_id": workspace.bot_user_id,
            "bot_id": workspace.bot_id,
            "enterprise_id": workspace.enterprise_id,
            "is_enterprise_install": workspace.org_wide,
        }

    async def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://test.slack.com/",
                "team": "Test Team",
                "user": "mlcareer",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://{self.host}:{self.port}/socket"}
        if method == "users.info":
            user = str(params.get("user"))
            return {"ok": True, "user": {"id": user, "is_admin": user in self.admins}}
        if method == "chat.postMessage":
            channel = str(params.get("channel"))
            if channel in self.channels_without_bot:
                return {"ok": False, "error": "not_in_channel"}
            if self._refused("chat.postMessage", params):
                return {"ok": False, "error": "invalid_blocks"}
            thread = params.get("thread_ts")
            ts = f"{int(time.time())}.{next(self._ts):06d}"
            self.messages[channel].append(_stored(params, ts))
            await self._record(Sent("chat.postMessage", params, channel, thread))
            return {"ok": True, "channel": channel, "ts": ts}
        if method in _VIEW_METHODS:
            return await self._view_surface(method, params)
        if method in {"conversations.history", "conversations.replies"}:
            return self._history(method, params)
        return {"ok": False, "error": "unknown_method"}

    async def _view_surface(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """views.publish, views.open, conversations.open and chat.postEphemeral, refusing what
        Slack refuses (a bad view, a used or stale trigger_id, a channel without the bot)."""
        if method == "conversations.open":
            user = str(params.get("users") or "")
            if not user or "," in user:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "channel": {"id": f"D{user}"}}
        if method == "chat.postEphemeral":
            channel, user = str(params.get("channel")), str(params.get("user") or "")
            if channel in self.channels_without_bot:
                return {"ok": False, "error": "not_in_channel"}
            if not user:
                return {"ok": False, "error": "user_not_in_channel"}
            if self._refused("chat.postEphemeral", params):
                return {"ok": False, "error": "invalid_blocks"}
            await self._record(Sent("chat.postEphemeral", params, channel, params.get("thread_ts")))
            return {"ok": True, "message_ts": f"1700000000.{next(self._ts):06d}"}
        view = params.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        found = view_problems(view)
        if method == "views.open" and not found:
            found = modal_problems(view)
        if found:
            self.rejected.append((method, found))
            return {
                "ok": False,
                "error": "invalid_arguments",
                "response_metadata": {"messages": [f"[ERROR] {p}" for p in found]},
            }
        if method == "views.publish":
            user = str(params.get("user_id") or "")
            if not user:
                return {"ok": False, "error": "invalid_arguments"}
            if view.get("type") != "home":
                return {"ok": False, "error": "invalid_arguments"}
            self.home_views[user] = view
        else:
            trigger = str(params.get("trigger_id") or "")
            if trigger in self.expired_triggers:
                return {"ok": False, "error": "expired_trigger_id"}
            issued = self._triggers.pop(trigger, None)
            if issued is None:
                return {
                    "ok": False,
                    "error": "invalid_trigger_id"
                    if trigger not in self.used_triggers
                    else "expired_trigger_id",
                }
            self.used_triggers.add(trigger)
            if time.monotonic() - issued > TRIGGER_SECONDS:
                return {"ok": False, "error": "expired_trigger_id"}
            if view.get("type") != "modal":
                return {"ok": False, "error": "invalid_arguments"}
            self.modals.append(view)
        await self._record(Sent(method, {"view": view}, params.get("user_id")))
        return {"ok": True, "view": {"id": f"V{next(self._ts):06d}", **view}}

    async def _response_url(self, request: web.Request) -> web.Response:
        payload = await request.json()
        if self._refused("response_url", payload):
            return web.Response(status=400, text="invalid_blocks")
        await self._record(Sent("response_url", payload))
        return web.Response(text="ok")

    def _refused(self, via: str, message: dict[str, Any]) -> bool:
        """True (and noted in ``rejected``) when Slack would refuse this message; a payload
        that only deletes or replaces nothing (no text, no blocks) is not a message."""
        if "text" not in message and "blocks" not in message:
            return False
        found = problems(message)
        if found:
            self.rejected.append((via, found))
        return bool(found)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self._sockets.append(socket)
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()
        await socket.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        try:
            async for message in socket:
                if message.type != WSMsgType.TEXT:
                    continue
                data = json.loads(message.data)
                envelope_id = data.get("envelope_id")
                if envelope_id:
                    self.socket_acks[envelope_id] = data.get("payload") or {}
                    if data.get("payload"):
                        self._refused("socket_ack", data["payload"])
                        await self._record(Sent("socket_ack", data["payload"]))
                    else:
                        async with self._changed:
                            self._changed.notify_all()
        finally:
            self._sockets.remove(socket)
        return socket


_VIEW_METHODS = frozenset(
    {"views.publish", "views.open", "conversations.open", "chat.postEphemeral"}
)


def _basic(header: str | None) -> tuple[str | None, str | None] | None:
    """The client id and secret of an HTTP Basic ``Authorization`` header."""
    if not header or not header.startswith("Basic "):
        return None
    user, _, password = base64.b64decode(header[len("Basic ") :]).decode().partition(":")
    return user, password


def _stored(params: dict[str, Any], ts: str) -> dict[str, Any]:
    """A posted message as Slack keeps it: who, when, text, thread and metadata."""
    stored: dict[str, Any] = {
        "type": "message",
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "ts": ts,
        "text": params.get("text") or "",
    }
    if params.get("thread_ts"):
        stored["thread_ts"] = params["thread_ts"]
    metadata = params.get("metadata")
    if isinstance(metadata, str):  # a form-encoded call sends it as JSON text
        metadata = json.loads(metadata)
    if metadata:
        stored["metadata"] = metadata
    return stored


def _bearer(header: str | None) -> str | None:
    if header and header.startswith("Bearer "):
        return header[len("Bearer ") :]
    return None
