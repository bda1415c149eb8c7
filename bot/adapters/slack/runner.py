"""``SlackRunner``: checks the settings, connects to Slack and serves until cancelled.

Socket Mode when SLACK_APP_TOKEN is set (and HTTP was not asked for), else HTTP on
SLACK_HOST and SLACK_PORT. One aiohttp connection pool serves every Web API and response_url
call. ``run`` may be called again after it failed: each run signs in and connects afresh.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from aiohttp import web
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp

from bot.adapters.slack.admins import AdminCheck
from bot.adapters.slack.app import build_app
from bot.adapters.slack.background import Background
from bot.adapters.slack.cache import Clock
from bot.adapters.slack.checks import Mode, check_settings, oauth_requested
from bot.adapters.slack.client import build_client, web_session
from bot.adapters.slack.dedupe import Claims
from bot.adapters.slack.distribution import Distribution, TeamSender
from bot.adapters.slack.handlers import ACK_BUDGET_SECONDS, Deps
from bot.adapters.slack.installations import SqlInstallations, open_database
from bot.adapters.slack.login import sign_in, socket_url
from bot.adapters.slack.manifest import EVENTS_PATH
from bot.adapters.slack.retry import Sleep
from bot.adapters.slack.sender import Responder, SlackSender
from bot.adapters.slack.server import add_oauth_routes, build_web_app
from bot.adapters.slack.shares import ShareStore
from bot.adapters.slack.tips_admin import TipsAdmin
from bot.adapters.slack.views import ViewPublisher
from bot.core.metrics import NO_METRICS, PlatformMetrics
from bot.core.ports import ChannelSender
from bot.core.router import Router
from bot.errors import PlatformError
from bot.receipts.memory import MemoryReceipts
from bot.receipts.ports import EventReceipts
from bot.settings import Settings
from bot.tips.clock import Clock as WallClock
from bot.tips.clock import SystemClock
from bot.tips.sql_store import SqlStore

log = logging.getLogger(__name__)

CONNECT_SECONDS = 30.0  # for the first Socket Mode connection; later ones are the SDK's job


class SlackRunner:
    """The Slack ``PlatformRunner``. ``host`` is where HTTP mode listens (default SLACK_HOST:
    all interfaces); ``sleep`` and ``clock`` are injected so tests never wait on real time;
    ``connect_seconds`` bounds the first Socket Mode connection; ``metrics`` counts Web API
    retries and rate limits. With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (OAuth mode) the
    installations are kept in the database at DATABASE_URL and ``wall_clock`` dates them.
    ``receipts`` are where events are claimed before answering:
    ``mlcareer run`` passes the shared database's, so replicas answer each event once; by
    default they are this process's memory. ``now`` is the wall clock they are stamped with.
    """

    name = "slack"

    def __init__(
        self,
        settings: Settings,
        router: Router,
        *,
        host: str | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
        ack_budget: float = ACK_BUDGET_SECONDS,
        connect_seconds: float = CONNECT_SECONDS,
        metrics: PlatformMetrics = NO_METRICS,
        wall_clock: WallClock | None = None,
        receipts: EventReceipts | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.settings = settings
        self.router = router
        self.host = host or settings.slack_host
        self.clock = clock
        self.ack_budget = ack_budget
        self.connect_seconds = connect_seconds
        self.receipts: EventReceipts = MemoryReceipts() if receipts is None else receipts
        self.now = now
        self.client = build_client(settings, sleep, metrics)
        self.slack_sender = SlackSender(self.client)
        self.sender: ChannelSender = self.slack_sender
        # Set while connected (Socket Mode) or listening (HTTP).
        self.serving = asyncio.Event()
        self._socket: AsyncSocketModeHandler | None = None
        self.http_port: int | None = None
        self.bot_user_id: str | None = None
        self.background = Background()
        self.wall_clock = wall_clock or SystemClock()
        self.distribution: Distribution | None = None  # set while running in OAuth mode
        self.team_sender: TeamSender | None = None
        if oauth_requested(settings):
            self.team_sender = TeamSender(self.client)
            self.sender = self.team_sender

    async def run(self) -> None:
        """Serve until cancelled; ``SettingsError`` for bad settings, ``PlatformError`` when
        Slack cannot be reached or the port cannot be opened."""
        mode = check_settings(self.settings)
        async with web_session() as session:
            self.client.session = session
            try:
                if self.team_sender is not None:
                    await self._open_distribution()
                else:
                    self.bot_user_id = await sign_in(self.client)
                app = self._build_app(mode)
                if mode is Mode.SOCKET:
                    await self._serve_socket_mode(app)
                else:
                    await self._serve_http(app)
            finally:
                self.serving.clear()
                await self.background.drain()
                await self._close_distribution()
                self.client.session = None

    async def _open_distribution(self) -> None:
        """OAuth mode: open the installation stores and check the key can read them."""
        database = await open_database(self.settings.database_url)
        distribution = Distribution(
            self.settings, SqlInstallations(database), SqlStore(database), self.wall_clock
        )
        self.distribution = distribution
        await distribution.check_key()
        assert self.team_sender is not None
        self.team_sender.distribution = distribution
        log.info("Slack: distributing to many workspaces (OAuth install at /slack/install)")

    async def _close_distribution(self) -> None:
        if self.team_sender is not None:
            self.team_sender.distribution = None
        if self.distribution is not None:
            distribution, self.distribution = self.distribution, None
            await distribution.store.close()

    async def ready(self) -> str | None:
        """``Readiness``: None while listening (HTTP) or while the Socket Mode websocket is up
        (the SDK reconnects it by itself; meanwhile this says so)."""
        if not self.serving.is_set():
            return "not connected to Slack"
        if self._socket is not None and not await self._socket.client.is_connected():
            return "the Socket Mode websocket is down; the SDK is reconnecting"
        return None

    def _build_app(self, mode: Mode) -> AsyncApp:
        tips = self.router.services.tips  # set by ``serve`` before the runner runs
        lease = timedelta(seconds=self.settings.event_lease_seconds)
        claims = Claims(self.receipts, lease, self.now, self.clock)
        deps = Deps(
            router=self.router,
            sender=self.slack_sender,
            responder=Responder(self.client),
            admins=AdminCheck(self.client, self.settings.admins, self.clock),
            shares=ShareStore(self.clock),
            messages=claims,
            background=self.background,
            bot_user_id=self.bot_user_id,
            ack_budget=self.ack_budget,
            views=ViewPublisher(self.client),
            tips=tips if isinstance(tips, TipsAdmin) else None,
            per_team=self.distribution is not None,
            channel_store=self.distribution.store if self.distribution is not None else None,
        )
        secret = self.settings.slack_signing_secret
        return build_app(
            deps,
            self.client,
            signing_secret=secret.reveal() if secret and mode is Mode.HTTP else None,
            events=claims,
            distribution=self.distribution,
        )

    async def _serve_socket_mode(self, app: AsyncApp) -> None:
        token = self.settings.slack_app_token
        assert token is not None  # check_settings chose Socket Mode because it is set
        handler = AsyncSocketModeHandler(
            app,
            app_token=token.reveal(),
            web_client=self.client,
            logger=logging.getLogger("bot.adapters.slack.socket_mode"),
        )
        try:
            handler.client.wss_uri = await socket_url(self.client, token.reveal())
            try:
                # The SDK retries a failed first connection forever, with the same one-time
                # URL; a start that cannot connect should say so and stop instead.
                await asyncio.wait_for(
                    handler.connect_async(),  # type: ignore[no-untyped-call]
                    self.connect_seconds,
                )
            except TimeoutError:
                raise PlatformError(
                    f"cannot open the Socket Mode websocket within {self.connect_seconds:g} s: "
                    "check the network, or a proxy or firewall between the bot and Slack"
                ) from None
            self._socket = handler
            self.serving.set()
            log.info("Slack: connected in Socket Mode")
            await asyncio.Future()  # serve until cancelled
        finally:
            self._socket = None
            await handler.close_async()  # type: ignore[no-untyped-call]

    async def _serve_http(self, app: AsyncApp) -> None:
        secret = self.settings.slack_signing_secret
        web_app = build_web_app(app, secret.reveal() if secret else None)
        if app.oauth_flow is not None:
            add_oauth_routes(web_app, app)
        runner = web.AppRunner(web_app, access_log=None, handle_signals=False)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.settings.slack_port)
            try:
                await site.start()
            except OSError as exc:
                raise PlatformError(
                    f"cannot listen on port {self.settings.slack_port} ({exc.strerror}): "
                    "choose another with --port or SLACK_PORT (or SLACK_HOST)"
                ) from exc
            self.http_port = _bound_port(runner, self.settings.slack_port)
            self.serving.set()
            log.info("Slack: listening on http://%s:%d%s", self.host, self.http_port, EVENTS_PATH)
            await asyncio.Future()  # serve until cancelled
        finally:
            await runner.cleanup()


def _bound_port(runner: web.AppRunner, asked: int) -> int:
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    return asked
