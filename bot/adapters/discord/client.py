"""The discord.py client: asks for no privileged intent and hands each event to a handler."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

import discord

from bot.adapters.discord import handlers
from bot.adapters.discord.retry import ServerErrorRetry
from bot.core.router import Router

log = logging.getLogger(__name__)


def intents() -> discord.Intents:
    """Servers, server messages and DMs; no privileged intent.

    Without the message-content intent Discord still sends the text of messages that mention
    the bot and of DMs to it, which is all the bot reads.
    """
    chosen = discord.Intents.none()
    chosen.guilds = True
    chosen.guild_messages = True
    chosen.dm_messages = True
    return chosen


def quiet_voice_warnings() -> None:
    """The bot has no voice features: skip discord.py's start-up warnings that the optional
    voice libraries are missing, which would otherwise precede every error line."""
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False


IDENTIFY_SPACING = 5.0  # seconds between a process's shard IDENTIFYs (Discord's rate limit)


class MlcareerClient(discord.AutoShardedClient):
    """A sharded discord.py client whose event methods delegate to ``handlers``.

    It runs ``shard_ids`` of ``shard_count`` shards (None: every shard of the count Discord
    recommends); Discord sends each guild's events to one shard only, so every mention and
    interaction reaches exactly one process. ``on_session`` is called with the shard id each
    time a shard's gateway session starts or resumes (to count reconnects).
    """

    def __init__(
        self,
        router: Router,
        *,
        defer_after: float = handlers.DEFER_AFTER,
        on_session: Callable[[int], None] = lambda shard_id: None,
        shard_count: int | None = None,
        shard_ids: Sequence[int] | None = None,
        identify_spacing: float = IDENTIFY_SPACING,
        retry: ServerErrorRetry = ServerErrorRetry(),  # noqa: B008 - frozen, shared safely
    ) -> None:
        quiet_voice_warnings()
        # discord.py wants shard_ids left out (not None) for "every shard".
        chosen: dict[str, Any] = {} if shard_ids is None else {"shard_ids": list(shard_ids)}
        super().__init__(
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            max_messages=None,
            shard_count=shard_count,
            **chosen,
        )
        self.router = router
        self.defer_after = defer_after
        self.on_session = on_session
        self.identify_spacing = identify_spacing
        self.retry = retry

    def gateway_up(self) -> bool:
        """Logged in, READY received on every shard and each shard's websocket open now."""
        if not self.is_ready() or self.is_closed() or self.shard_count is None:
            return False
        expected = set(self.shard_ids or range(self.shard_count))
        shards = self.shards
        return set(shards) == expected and not any(s.is_closed() for s in shards.values())

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Space this process's IDENTIFYs (discord.py's own hook waits a fixed 5 s)."""
        if not initial:
            await asyncio.sleep(self.identify_spacing)

    async def on_shard_connect(self, shard_id: int) -> None:
        self.on_session(shard_id)

    async def on_shard_resumed(self, shard_id: int) -> None:
        self.on_session(shard_id)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        await handlers.on_interaction(interaction, self.router, self.defer_after)

    async def on_message(self, message: discord.Message) -> None:
        if self.user is not None:
            await handlers.on_message(message, self.router, self.user.id, self.retry)

    async def on_ready(self) -> None:
        log.info("connected to Discord as %s in %d server(s)", self.user, len(self.guilds))
