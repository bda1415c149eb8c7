"""``DiscordRunner``: log in, sync ``/mlcareer``, then serve the gateway until cancelled.

discord.py reconnects a dropped gateway by itself; anything it lets escape ends ``run``, and
the supervisor calls ``run`` again, which starts over with a fresh client.
"""

from __future__ import annotations

import logging

import aiohttp
import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import HTTPClient

from bot.adapters.discord.client import IDENTIFY_SPACING, MlcareerClient
from bot.adapters.discord.commands import (
    command_definition,
    command_definitions,
    limit_problems,
    message_command,
)
from bot.adapters.discord.config import discord_config
from bot.adapters.discord.handlers import DEFER_AFTER
from bot.adapters.discord.login import login, use_api
from bot.adapters.discord.retry import ServerErrorRetry
from bot.adapters.discord.sender import DiscordSender
from bot.adapters.discord.sync import sync_commands
from bot.core.metrics import NO_METRICS, PlatformMetrics
from bot.core.ports import ChannelSender
from bot.core.router import Router
from bot.errors import PlatformError, SettingsError
from bot.settings import Settings

log = logging.getLogger(__name__)

# Gateway close codes that no reconnect can fix: the shard settings are wrong.
SHARD_REFUSALS = {
    4010: "Discord refused the shard (4010 Invalid shard): DISCORD_SHARD_IDS must each be "
    "below DISCORD_SHARD_COUNT",
    4011: "Discord requires more shards (4011 Sharding required): set DISCORD_SHARD_COUNT to "
    "auto or to at least the count GET /gateway/bot recommends",
}


class DiscordRunner:
    """Serves the bot on Discord; ``mlcareer run`` runs it beside the other platforms."""

    name = "discord"

    def __init__(
        self,
        settings: Settings,
        router: Router,
        *,
        defer_after: float = DEFER_AFTER,
        metrics: PlatformMetrics = NO_METRICS,
        identify_spacing: float = IDENTIFY_SPACING,
        retry: ServerErrorRetry | None = None,
    ) -> None:
        self.settings = settings
        self.router = router
        self.defer_after = defer_after
        self.metrics = metrics
        self.identify_spacing = identify_spacing
        # Answers and tips retry a 502/503/504, counted in mlcareer_web_api_retries_total.
        self.retry = retry or ServerErrorRetry(metrics=metrics)
        self.sessions = 0  # gateway sessions opened (READY or RESUMED), over every run
        self._shards_seen: set[int] = set()  # shards that have had a session
        self._shards: tuple[int | None, tuple[int, ...] | None] = (None, None)
        self.client = self._new_client()
        self.rest = DiscordSender(self.client, retry=self.retry)
        # Typed as the port: the protocol's attribute is invariant, and callers need no more.
        self.sender: ChannelSender = self.rest

    async def run(self) -> None:
        """Check settings, log in, sync commands (only if changed), serve until cancelled.

        Raises ``SettingsError`` for missing, malformed or rejected settings and
        ``PlatformError`` when Discord can't be reached or refuses the connection.
        """
        config = discord_config(self.settings)
        shards = (config.shard_count, config.shard_ids)
        # A restart (a closed discord.py client can't log in again), or the first run with
        # shard settings: the client takes its shards when it is made.
        if self.client.is_closed() or shards != self._shards:
            self._shards = shards
            self.client = self._new_client()
            self.rest.use(self.client)
        knowledge = self.router.services.knowledge
        problems = limit_problems(command_definition(knowledge)) + limit_problems(message_command())
        if problems:  # a knowledge base Discord would refuse: say why instead of a 400
            raise PlatformError("/mlcareer breaks Discord's limits: " + "; ".join(problems))
        use_api(config.api_url)
        try:
            await login(self.client, config)
            self.rest.mark_logged_in()
            application_id = config.application_id or self.client.application_id
            if application_id is None:  # pragma: no cover - login always sets it
                raise PlatformError("Discord did not say which application this bot is")
            definitions = command_definitions(
                knowledge,
                global_scope=config.guild_id is None,
                user_install=config.guild_id is None
                and offers_user_install(self.client.application),
            )
            await sync_commands(self.client.http, application_id, config.guild_id, definitions)
            await use_gateway_from_api(self.client.http)
            await self.client.connect(reconnect=True)
        except discord.PrivilegedIntentsRequired as exc:  # pragma: no cover - none requested
            raise PlatformError("Discord says a privileged intent is needed") from exc
        except discord.ConnectionClosed as exc:
            if exc.code in SHARD_REFUSALS:
                raise SettingsError(SHARD_REFUSALS[exc.code]) from exc
            raise PlatformError(
                f"Discord closed the gateway connection (code {exc.code}: {exc.reason})"
            ) from exc
        except discord.GatewayNotFound as exc:
            raise PlatformError(
                f"Discord did not name a gateway to connect to (GET {config.api_url}/gateway/bot)"
            ) from exc
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise PlatformError(f"cannot reach Discord at {config.api_url}: {exc}") from exc
        finally:
            await self.client.close()

    async def ready(self) -> str | None:
        """``Readiness``: None while the gateway is connected."""
        if self.client.gateway_up():
            return None
        return "not connected to the Discord gateway"

    def _new_client(self) -> MlcareerClient:
        count, ids = self._shards
        return MlcareerClient(
            self.router,
            defer_after=self.defer_after,
            on_session=self._session_started,
            shard_count=count,
            shard_ids=ids,
            identify_spacing=self.identify_spacing,
            retry=self.retry,
        )

    def _session_started(self, shard_id: int) -> None:
        self.sessions += 1
        if shard_id in self._shards_seen:  # every session of a shard after its first
            self.metrics.reconnected(self.name)
        self._shards_seen.add(shard_id)


def offers_user_install(application: discord.AppInfo | None) -> bool:
    """Whether the application may be installed to users ("User Install" ticked on the
    developer portal's Installation page); without it Discord refuses commands that ask for
    user installs, so they are registered for servers only."""
    if application is not None and application.user_integration_config is not None:
        return True
    log.info(
        "the Discord application offers no user install: /mlcareer works in servers that "
        "added the bot and in its DMs only (tick User Install on the portal's Installation page)"
    )
    return False


async def use_gateway_from_api(http: HTTPClient) -> None:
    """Connect to the gateway URL that ``GET /gateway/bot`` names.

    discord.py 2.x otherwise always dials ``wss://gateway.discord.gg``; asking the API keeps
    ``DISCORD_API_URL`` the single switch for where the bot connects (tests point it at a
    loopback fake). Like the REST base URL this is process-wide in discord.py.
    """
    _shards, url, _limits = await http.get_bot_gateway()
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
