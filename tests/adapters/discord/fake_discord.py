"""A Discord stand-in on 127.0.0.1: the REST routes the bot uses and a gateway websocket.

The real discord.py client talks to it exactly as it talks to Discord: it logs in over REST,
reads ``GET /gateway/bot``, opens the websocket named there (JSON, with zlib-stream or
zstd-stream transport compression when the client asks for it), gets HELLO, sends IDENTIFY,
receives READY and GUILD_CREATE, and then whatever events a test pushes. Every REST call is
recorded so tests can assert on exactly what the bot sent.

Like Discord, a message created with ``enforce_nonce`` and a nonce the bot already used in
that channel within ``nonce_window`` seconds is not created again: the existing message is
returned; a nonce over 25 characters is refused (400). A channel's messages can be read back
(``GET /channels/{id}/messages`` with ``after``/``before``/``limit``), and the answer to a
created message can be held (``hold_messages``), for a process killed as a post goes out.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.adapters.discord import discord_rules as rules

TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.fake00.not-a-real-token"
BOT_ID = "100000000000000001"  # the first part of TOKEN, base64-decoded
APPLICATION_ID = BOT_ID
GUILD_ID = "200000000000000001"
CHANNEL_ID = "300000000000000001"
THREAD_CHANNEL_ID = "300000000000000002"
DM_CHANNEL_ID = "300000000000000009"
GONE_CHANNEL_ID = "300000000000000404"
FORBIDDEN_CHANNEL_ID = "300000000000000403"
EVERYONE_ROLE_ID = GUILD_ID
MODERATOR_ROLE_ID = "400000000000000002"
BOT_ROLE_ID = "400000000000000003"
USER_ID = "500000000000000001"
MODERATOR_ID = "500000000000000002"
OTHER_BOT_ID = "500000000000000009"
TIMESTAMP = "2024-01-01T00:00:00.000000+00:00"
# A second server, on shard 1 of 2 (GUILD_ID is on shard 0): ``FakeDiscord.add_guild`` it.
OTHER_GUILD_ID = str(int(GUILD_ID) + (1 << 22))
OTHER_CHANNEL_ID = "300000000000000011"
NONCE_MAX = 25  # characters; Discord refuses a longer nonce
DISCORD_EPOCH_MS = 1420070400000  # a snowflake's time is milliseconds since this, << 22

# Permission bits.
VIEW_AND_SEND = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16) | (1 << 31)
MANAGE_CHANNELS = 1 << 4

HELLO, IDENTIFY, HEARTBEAT, HEARTBEAT_ACK, RESUME, INVALID_SESSION, DISPATCH = 10, 2, 1, 11, 6, 9, 0


def user(user_id: str, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
    }


BOT_USER = user(BOT_ID, "mlcareer", bot=True)
USERS = {
    USER_ID: user(USER_ID, "ada"),
    MODERATOR_ID: user(MODERATOR_ID, "grace"),
    OTHER_BOT_ID: user(OTHER_BOT_ID, "otherbot", bot=True),
    BOT_ID: BOT_USER,
}
ROLES = {USER_ID: [], MODERATOR_ID: [MODERATOR_ROLE_ID], OTHER_BOT_ID: [], BOT_ID: [BOT_ROLE_ID]}


def role(role_id: str, name: str, permissions: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": role_id,
        "name": name,
        "permissions": str(permissions),
        "position": 0 if role_id == EVERYONE_ROLE_ID else 1,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
        **extra,
    }


def text_channel(channel_id: str, name: str) -> dict[str, Any]:
    return {
        "id": channel_id,
        "type": 0,
        "guild_id": GUILD_ID,
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "parent_id": None,
        "nsfw": False,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
    }


def member(user_id: str) -> dict[str, Any]:
    return {
        "user": USERS[user_id],
        "roles": ROLES[user_id],
        "joined_at": TIMESTAMP,
        "deaf": False,
        "mute": False,
        "flags": 0,
    }


def shard_of(guild_id: str, shard_count: int) -> int:
    """The shard Discord sends a guild's events to."""
    return (int(guild_id) >> 22) % shard_count


def guild_create(guild_id: str = GUILD_ID, channel_id: str = CHANNEL_ID) -> dict[str, Any]:
    """The GUILD_CREATE payload for a test server (by default the main one)."""
    payload = _guild_create()
    if guild_id == GUILD_ID and channel_id == CHANNEL_ID:
        return payload
    # Every id tied to the server (its @everyone role, its channel) moves with it.
    text = json.dumps(payload).replace(GUILD_ID, guild_id).replace(CHANNEL_ID, channel_id)
    moved: dict[str, Any] = json.loads(text)
    return moved


def _guild_create() -> dict[str, Any]:
    return {
        "id": GUILD_ID,
        "name": "ML careers",
        "icon": None,
        "owner_id": "500000000000000077",
        "unavailable": False,
        "member_count": 4,
        "large": False,
        "features": [],
        "emojis": [],
        "stickers": [],
        "roles": [
            role(EVERYONE_ROLE_ID, "@everyone", VIEW_AND_SEND),
            role(MODERATOR_ROLE_ID, "moderator", MANAGE_CHANNELS),
            role(BOT_ROLE_ID, "mlcareer", VIEW_AND_SEND, managed=True, tags={"bot_id": BOT_ID}),
        ],
        "channels": [text_channel(CHANNEL_ID, "career-chat")],
        "threads": [],
        "members": [member(BOT_ID)],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "joined_at": TIMESTAMP,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "system_channel_flags": 0,
    }


@dataclass
class Received:
    """One REST call the bot made, with the JSON it sent and what the fake made of it."""

    method: str
    path: str
    body: Any
    query: dict[str, str]
    kind: str  # message, callback, followup, edit, commands, other
    message: dict[str, Any] | None = None  # the message the call created or edited
    status: int = 200
    at: float = field(default_factory=time.perf_counter)  # when the fake received it
    repeated: bool = False  # an enforced nonce seen before: the existing message came back


@dataclass
class Failure:
    """A canned error for the next ``times`` calls matching ``method`` and ``path``."""

    method: str
    path: re.Pattern[str]
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1


@dataclass
class GatewaySession:
    """One client websocket: the shard it identified as and its own sequence numbers."""

    ws: web.WebSocketResponse
    encoder: GatewayEncoder
    shard: tuple[int, int] = (0, 1)  # (id, count); a client without ``shard`` is [0, 1]
    seq: int = 0
    ready: bool = False


class GatewayEncoder:
    """Frames gateway payloads the way the client asked: plain text, zlib-stream or zstd-stream
    (discord.py asks for zstd when the zstandard package or Python's compression.zstd exists)."""

    def __init__(self, compress: str | None) -> None:
        self.compress: Callable[[bytes], bytes] | None = None
        if compress == "zlib-stream":
            stream = zlib.compressobj()
            self.compress = lambda data: stream.compress(data) + stream.flush(zlib.Z_SYNC_FLUSH)
        elif compress == "zstd-stream":
            self.compress = zstd_stream()
        elif compress is not None:
            raise ValueError(f"unsupported compress={compress}")

    def encode(self, payload: dict[str, Any]) -> str | bytes:
        return self.frame(json.dumps(payload, separators=(",", ":")))

    def frame(self, text: str) -> str | bytes:
        """``text`` as one gateway message, whatever it holds."""
        return text if self.compress is None else self.compress(text.encode())


def zstd_stream() -> Callable[[bytes], bytes]:
    """One zstd stream, flushed after each gateway message."""
    try:
        import zstandard
    except ImportError:
        from compression import zstd  # type: ignore[import-not-found]  # Python 3.14+

        compressor = zstd.ZstdCompressor()
        return lambda data: bytes(compressor.compress(data, zstd.ZstdCompressor.FLUSH_BLOCK))
    stream = zstandard.ZstdCompressor().compressobj()
    return lambda data: stream.compress(data) + stream.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)


def _snowflake_seconds(value: str | None) -> float | None:
    """The moment a snowflake id stands for, in epoch seconds (None when absent)."""
    if value is None:
        return None
    return ((int(value) >> 22) + DISCORD_EPOCH_MS) / 1000


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON response with the bare content type discord.py checks for."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


class FakeDiscord:
    """The fake: ``await start()``, push events with ``dispatch``, read ``received``."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.received: list[Received] = []
        self.commands: dict[str | None, list[dict[str, Any]]] = {}  # None: global
        self.failures: list[Failure] = []
        self.identify: dict[str, Any] | None = None
        self.gateway_query: dict[str, str] = {}
        self.identified = asyncio.Event()
        self._changed = asyncio.Condition()
        self._ids = itertools.count(700000000000000001)
        # Sharding as Discord does it: the servers the bot is in, the count GET /gateway/bot
        # recommends, and how many servers one session may hold before Discord closes it
        # with 4011 (Sharding required). Each guild's events go to its shard's session only.
        self.guilds: dict[str, str] = {GUILD_ID: CHANNEL_ID}  # guild id -> its text channel
        self.recommended_shards = 1
        self.max_guilds_per_session = 2500
        self.sessions: list[GatewaySession] = []  # every websocket that identified, in order
        self.identifies: list[dict[str, Any]] = []  # every IDENTIFY's ``d``
        self.closes: list[int] = []  # close codes the fake sent
        self._ws: web.WebSocketResponse | None = None
        self._encoder: GatewayEncoder | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.messages: dict[str, dict[str, Any]] = {}
        self.interactions: dict[str, dict[str, Any]] = {}  # by token
        self.acknowledged: set[str] = set()  # interaction tokens with a callback
        self.callback_delay = 0.0
        # The installation contexts the application offers (0 server, 1 user), as ticked on
        # the developer portal's Installation page; new apps offer both.
        self.installs: frozenset[int] = frozenset({0, 1})
        self.nonce_window = 300.0  # seconds an enforced nonce is remembered ("a few minutes")
        self.hold_messages = 0.0  # seconds to hold the answer to a created channel message
        self.hold_message_number = 0  # hold only the answer to this created one (1, 2...); 0: all
        self.hold_channels: set[str] = set()  # or only messages in these channels, when any
        self._made = 0
        self._stopping = asyncio.Event()  # ends a held answer, so closing never waits for it
        self._nonces: dict[tuple[str, str], tuple[dict[str, Any], float]] = {}
        self._created: dict[str, float] = {}  # message id -> when it was created (epoch s)
        # Everything Discord would have refused, and every message that could ping someone.
        self.problems: list[str] = []

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        self._stopping.set()
        for session in self.sessions:
            if not session.ws.closed:
                await session.ws.close(code=1000)
        if self._ws is not None and not self._ws.closed:
            await self._ws.close(code=1000)
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def next_id(self) -> str:
        return str(next(self._ids))

    # --- what tests use --------------------------------------------------------------------

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        body: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls to ``method path`` (a regex) with an error."""
        self.failures.append(
            Failure(method, re.compile(path), status, body or {}, headers or {}, times)
        )

    def rate_limit(self, method: str, path: str, retry_after: float = 0.01) -> None:
        """One 429 as Discord sends it (discord.py only honours it with a ``Via`` header)."""
        self.fail(
            method,
            path,
            429,
            {"message": "You are being rate limited.", "retry_after": retry_after, "global": False},
            headers={"Via": "1.1 google", "Retry-After": str(retry_after)},
        )

    def add_guild(self, guild_id: str, channel_id: str) -> None:
        """Put the bot in one more server (before its shard's client connects)."""
        self.guilds[guild_id] = channel_id

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send one gateway DISPATCH event to the client holding its guild's shard, as
        Discord does (an event with no guild, such as a DM, goes to shard 0)."""
        guild = data.get("guild_id")
        live = [s for s in self.sessions if s.ready and not s.ws.closed]
        assert live, "no client connected"
        count = live[-1].shard[1]
        target = (shard_of(str(guild), count) if guild else 0, count)
        holders = [s for s in live if s.shard == target]
        assert holders, f"no client holds shard {list(target)} for {event}"
        await self._dispatch_to(holders[-1], event, data)

    def wait_ready(self, count: int) -> Callable[[], bool]:
        """A test for ``asyncio`` waits: ``count`` shard sessions have received READY."""
        return lambda: sum(s.ready for s in self.sessions) >= count

    async def _dispatch_to(self, session: GatewaySession, event: str, data: dict[str, Any]) -> None:
        session.seq += 1
        await self._send_to(session, {"op": DISPATCH, "t": event, "s": session.seq, "d": data})

    async def _send_to(self, session: GatewaySession, payload: dict[str, Any]) -> None:
        frame = session.encoder.encode(payload)
        if isinstance(frame, bytes):
            await session.ws.send_bytes(frame)
        else:
            await session.ws.send_str(frame)

    async def wait_for(
        self,
        predicate: Callable[[Received], bool],
        *,
        count: int = 1,
        after: int = 0,
        within: float = 5.0,
    ) -> list[Received]:
        """The first ``count`` calls from ``received[after:]`` matching ``predicate``,
        waiting (at most ``within`` seconds of loopback I/O) until there are that many."""

        def found() -> list[Received]:
            return [r for r in self.received[after:] if predicate(r)]

        async with asyncio.timeout(within):
            async with self._changed:
                await self._changed.wait_for(lambda: len(found()) >= count)
        return found()[:count]

    def where(self, kind: str) -> list[Received]:
        return [r for r in self.received if r.kind == kind]

    # --- gateway ---------------------------------------------------------------------------

    async def send_raw(self, text: str) -> None:
        """Send ``text`` as it is (through the transport compression) as one gateway message:
        a payload the client cannot parse, for tests of what happens when it fails."""
        assert self._ws is not None, "no client connected"
        assert self._encoder is not None
        await self._send_frame(self._encoder.frame(text))

    async def _send_frame(self, frame: str | bytes) -> None:
        assert self._ws is not None
        if isinstance(frame, bytes):
            await self._ws.send_bytes(frame)
        else:
            await self._ws.send_str(frame)

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.gateway_query = dict(request.query)
        if request.query.get("encoding", "json") != "json":
            await ws.close(code=4002, message=b"the fake speaks JSON only")
            return ws
        self._ws = ws
        self._encoder = GatewayEncoder(request.query.get("compress"))
        session = GatewaySession(ws, self._encoder)
        await self._send_to(session, {"op": HELLO, "d": {"heartbeat_interval": 41250}})
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            op = payload.get("op")
            if op == HEARTBEAT:
                await self._send_to(session, {"op": HEARTBEAT_ACK})
            elif op == IDENTIFY:
                self.identify = payload["d"]
                self.identifies.append(payload["d"])
                if payload["d"].get("token") != self.token:
                    await ws.close(code=4004, message=b"Authentication failed.")
                    break
                refusal = self._shard_refusal(payload["d"].get("shard", [0, 1]))
                if refusal is not None:
                    code, reason = refusal
                    self.closes.append(code)
                    await ws.close(code=code, message=reason.encode())
                    break
                session.shard = tuple(payload["d"].get("shard", [0, 1]))  # type: ignore[assignment]
                self.sessions.append(session)
                await self._ready(session)
            elif op == RESUME:
                await self._send_to(session, {"op": INVALID_SESSION, "d": False})
        return ws

    def _shard_refusal(self, shard: Any) -> tuple[int, str] | None:
        """Discord's close for an IDENTIFY's ``shard: [id, count]``: 4010 for a shard that
        cannot exist, 4011 when the session would hold too many servers; else None."""
        valid = (
            isinstance(shard, list)
            and len(shard) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) for n in shard)
            and shard[1] >= 1
            and 0 <= shard[0] < shard[1]
        )
        if not valid:
            return 4010, "Invalid shard."
        held = [g for g in self.guilds if shard_of(g, shard[1]) == shard[0]]
        if len(held) > self.max_guilds_per_session:
            return 4011, "Sharding required."
        return None

    def _shard_guilds(self, session: GatewaySession) -> list[str]:
        shard_id, count = session.shard
        return [g for g in self.guilds if shard_of(g, count) == shard_id]

    async def _ready(self, session: GatewaySession) -> None:
        session.seq = 0
        guilds = self._shard_guilds(session)
        await self._dispatch_to(
            session,
            "READY",
            {
                "v": 10,
                "user": BOT_USER,
                "guilds": [{"id": guild, "unavailable": True} for guild in guilds],
                "session_id": f"fake-session-{len(self.sessions)}",
                "resume_gateway_url": self.gateway_url,
                "application": {"id": APPLICATION_ID, "flags": 0},
                "shard": list(session.shard),
            },
        )
        for guild in guilds:
            created = guild_create(guild, self.guilds[guild])
            await self._dispatch_to(session, "GUILD_CREATE", created)
        session.ready = True
        async with self._changed:
            self._changed.notify_all()
        self.identified.set()

    # --- REST ------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            body = json.loads(raw) if raw else None
        query = dict(request.query)
        if request.headers.get("Authorization") != f"Bot {self.token}" and not path.startswith(
            ("/interactions/", "/webhooks/")
        ):
            return await self._record(
                Received(request.method, path, body, query, "other", status=401),
                _json({"message": "401: Unauthorized", "code": 0}, status=401),
            )
        for failure in self.failures:
            if failure.times > 0 and failure.method == request.method and failure.path.search(path):
                failure.times -= 1
                return await self._record(
                    Received(request.method, path, body, query, "failed", status=failure.status),
                    _json(failure.body, status=failure.status, headers=failure.headers),
                )
        refusal = self._judge(request.method, path, body)
        if refusal is not None:
            kind, status, error = refusal
            return await self._record(
                Received(request.method, path, body, query, kind, status=status),
                _json(error, status=status),
            )
        repeated = self._repeated_nonce(request.method, path, body)
        if repeated is not None:
            return await self._record(
                Received(request.method, path, body, query, "message", repeated, repeated=True),
                _json(repeated),
            )
        if request.method == "GET" and (read := re.fullmatch(r"/channels/(\d+)/messages", path)):
            return await self._record(
                Received(request.method, path, body, query, "other"),
                _json(self._read_back(read.group(1), query)),
            )
        kind, result, status = self._route(request.method, path, body)
        if kind == "message" and status == 200 and request.method == "POST":
            self._remember_nonce(path, body, result)
            self._made += 1
            held = not self.hold_channels or path.split("/")[2] in self.hold_channels
            if self.hold_messages and held and self.hold_message_number in (0, self._made):
                with contextlib.suppress(TimeoutError):  # created; the answer is late
                    await asyncio.wait_for(self._stopping.wait(), self.hold_messages)
        message = result if kind in {"message", "followup", "edit"} else None
        if kind == "callback":
            message = result["resource"].get("message") if result.get("resource") else None
            if self.callback_delay:
                await asyncio.sleep(self.callback_delay)
        return await self._record(
            Received(request.method, path, body, query, kind, message, status),
            _json(result, status=status) if result is not None else web.Response(status=204),
        )

    def messages_in(self, channel_id: str) -> list[dict[str, Any]]:
        """Every message created in the channel, oldest first (what its members see)."""
        return [m for m in self.messages.values() if m["channel_id"] == channel_id]

    def _repeated_nonce(self, method: str, path: str, body: Any) -> dict[str, Any] | None:
        """The message an enforced nonce already created in that channel, still remembered."""
        channel = re.fullmatch(r"/channels/(\d+)/messages", path)
        if method != "POST" or channel is None or not isinstance(body, dict):
            return None
        nonce = body.get("nonce")
        if nonce is None or not body.get("enforce_nonce"):
            return None
        seen = self._nonces.get((channel.group(1), str(nonce)))
        if seen is None or time.time() - seen[1] > self.nonce_window:
            return None
        return seen[0]

    def _remember_nonce(self, path: str, body: Any, message: dict[str, Any]) -> None:
        self._created[message["id"]] = time.time()
        nonce = body.get("nonce") if isinstance(body, dict) else None
        if nonce is not None:
            message["nonce"] = nonce  # the create answer echoes it (a later read does not)
            channel = path.split("/")[2]
            self._nonces[(channel, str(nonce))] = (message, time.time())

    def _read_back(self, channel_id: str, query: dict[str, str]) -> list[dict[str, Any]]:
        """GET /channels/{id}/messages: newest first, after/before a snowflake (by time)."""
        after = _snowflake_seconds(query.get("after"))
        before = _snowflake_seconds(query.get("before"))
        limit = int(query.get("limit", 50))
        found = []
        for message in reversed(self.messages_in(channel_id)):
            created = self._created.get(message["id"], 0.0)
            if (after is None or created > after) and (before is None or created < before):
                found.append({k: v for k, v in message.items() if k != "nonce"})
        return found[:limit]

    async def _record(self, received: Received, response: web.Response) -> web.Response:
        async with self._changed:
            self.received.append(received)
            self._changed.notify_all()
        return response

    def _judge(self, method: str, path: str, body: Any) -> tuple[str, int, dict[str, Any]] | None:
        """Refuse what Discord would refuse: ``(kind, status, error body)``, or None to go on.

        Bodies are checked by ``discord_rules`` (400 Invalid Form Body); an interaction can be
        acknowledged once (40060), and follow-ups need an acknowledged one (10015). Messages
        that could ping someone are not refused (Discord would send them) but noted in
        ``problems`` like everything refused, for the harness to report.
        """
        kind, problems, token = "other", [], None
        scope = re.fullmatch(r"/applications/\d+(/guilds/\d+)?/commands", path)
        if scope and method == "PUT":
            guild = scope.group(1) is not None
            kind = "commands"
            problems = rules.commands_problems(body, guild=guild, installs=self.installs)
        elif re.fullmatch(r"/channels/\d+/messages", path) and method == "POST":
            kind, problems = "message", rules.message_problems(body or {})
        elif callback := re.fullmatch(r"/interactions/\d+/([^/]+)/callback", path):
            kind, token = "callback", callback.group(1)
            if token in self.acknowledged:
                return self._refuse(kind, 400, 40060, "Interaction has already been acknowledged.")
            problems = rules.callback_problems(body or {})
            asked = int(self.interactions.get(token, {}).get("type", 2))
            problems += rules.modal_context_problems(body or {}, asked)
        elif webhook := re.fullmatch(r"/webhooks/\d+/([^/]+)(/messages/@original)?", path):
            kind = "edit" if webhook.group(2) else "followup"
            if webhook.group(1) not in self.acknowledged:
                return self._refuse(kind, 404, 10015, "Unknown Webhook")
            if method in {"POST", "PATCH"}:
                problems = rules.message_problems(body or {}, new=method == "POST")
        message = rules.sent_message(method, kind, body)
        if message is not None:
            self.problems.extend(f"{method} {path}: {p}" for p in rules.mentions_problems(message))
        if problems:
            self.problems.extend(f"{method} {path}: {p}" for p in problems)
            return kind, 400, {"code": 50035, "message": "Invalid Form Body", "errors": problems}
        if token is not None:
            self.acknowledged.add(token)
        return None

    def _refuse(
        self, kind: str, status: int, code: int, message: str
    ) -> tuple[str, int, dict[str, Any]]:
        self.problems.append(f"{kind}: {status} {message}")
        return kind, status, {"code": code, "message": message}

    def assert_no_problems(self) -> None:
        """Fail when the bot sent anything Discord would refuse or that could ping someone."""
        if self.problems:
            raise AssertionError("the fake Discord saw:\n" + "\n".join(self.problems))

    def _route(self, method: str, path: str, body: Any) -> tuple[str, Any, int]:
        if (method, path) == ("GET", "/users/@me"):
            return "other", BOT_USER, 200
        if (method, path) == ("GET", "/oauth2/applications/@me"):
            return "other", self._application(), 200
        if (method, path) == ("GET", "/gateway/bot"):
            limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
            return (
                "other",
                {
                    "url": self.gateway_url,
                    "shards": self.recommended_shards,
                    "session_start_limit": limit,
                },
                200,
            )
        commands = re.fullmatch(r"/applications/(\d+)(?:/guilds/(\d+))?/commands", path)
        if commands:
            scope = commands.group(2)
            if method == "PUT":
                self.commands[scope] = [self._stored_command(c, scope) for c in body]
            return "commands", self.commands.get(scope, []), 200
        channel = re.fullmatch(r"/channels/(\d+)/messages", path)
        if channel and method == "POST":
            channel_id = channel.group(1)
            if channel_id == GONE_CHANNEL_ID:
                return "message", {"message": "Unknown Channel", "code": 10003}, 404
            if channel_id == FORBIDDEN_CHANNEL_ID:
                return "message", {"message": "Missing Access", "code": 50001}, 403
            if len(str((body or {}).get("nonce", ""))) > NONCE_MAX:
                error = {"nonce": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH"}]}}
                self.problems.append(f"{method} {path}: nonce over {NONCE_MAX} characters")
                return (
                    "message",
                    {"code": 50035, "message": "Invalid Form Body", "errors": error},
                    400,
                )
            return "message", self._message(channel_id, body), 200
        callback = re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path)
        if callback and method == "POST":
            return "callback", self._callback(callback.group(1), callback.group(2), body), 200
        webhook = re.fullmatch(r"/webhooks/(\d+)/([^/]+)(/messages/@original)?", path)
        if webhook:
            interaction = self.interactions.get(webhook.group(2), {})
            channel_id = str(interaction.get("channel_id", CHANNEL_ID))
            if webhook.group(3) and method == "PATCH":
                return "edit", self._message(channel_id, body), 200
            if method == "POST":
                return "followup", self._message(channel_id, body), 200
        return "other", {"message": "404: Not Found", "code": 0}, 404

    def _application(self) -> dict[str, Any]:
        return {
            "id": APPLICATION_ID,
            "name": "mlcareer",
            "icon": None,
            "description": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": 0,
            "owner": USERS[USER_ID],
            "integration_types_config": {str(install): {} for install in sorted(self.installs)},
        }

    def _stored_command(self, command: dict[str, Any], scope: str | None) -> dict[str, Any]:
        """What Discord stores: the command plus ids, a version and explicit defaults."""

        def options(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            out = []
            for item in items:
                stored = {**item}
                if item.get("type") in (1, 2):
                    stored["options"] = options(item.get("options", []))
                else:
                    stored.setdefault("required", False)
                out.append(stored)
            return out

        stored = {
            "description": "",  # what message commands read back as
            "contexts": None,  # server commands have none
            "integration_types": [0],
            **command,
            "id": self.next_id(),
            "application_id": APPLICATION_ID,
            "version": self.next_id(),
            "default_member_permissions": None,
            "nsfw": False,
            "options": options(command.get("options", [])),
        }
        if scope:
            stored["guild_id"] = scope
        return stored

    def _message(self, channel_id: str, body: dict[str, Any]) -> dict[str, Any]:
        message_id = self.next_id()
        reference = body.get("message_reference")
        message = {
            "id": message_id,
            "channel_id": channel_id,
            "type": 19 if reference else 0,
            "author": BOT_USER,
            "content": body.get("content") or "",
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "flags": body.get("flags", 0),
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "pinned": False,
        }
        if reference:
            message["message_reference"] = reference
        self.messages[message_id] = message
        return message

    def _callback(self, interaction_id: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
        kind = body.get("type")
        interaction = self.interactions.get(token, {})
        result: dict[str, Any] = {
            "interaction": {
                "id": interaction_id,
                "type": interaction.get("type", 2),
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(body.get("data", {}).get("flags", 0) & 64),
            }
        }
        if kind in (4, 5):
            data = body.get("data") or {}
            message = self._message(str(interaction.get("channel_id", CHANNEL_ID)), data)
            result["interaction"]["response_message_id"] = message["id"]
            result["resource"] = {"type": kind, "message": message}
        return result
