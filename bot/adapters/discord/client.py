"""The discord.py client: asks for no privileged intent and hands each event to a handler."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import discord

from bot.adapters.discord import handlers
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


class MlcareerClient(discord.Client):
    """A ``discord.Client`` whose event methods delegate to ``handlers``; ``on_session`` is
    called each time a gateway session starts or resumes (to count reconnects)."""

    def __init__(
        self,
        router: Router,
        *,
        defer_after: float = handlers.DEFER_AFTER,
        on_session: Callable[[], None] = lambda: None,
    ) -> None:
        quiet_voice_warnings()
        super().__init__(
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            max_messages=None,
        )
        self.router = router
        self.defer_after = defer_after
        self.on_session = on_session

    def gateway_up(self) -> bool:
        """Logged in, READY received and the gateway websocket open right now."""
        ws = self.ws
        return self.is_ready() and not self.is_closed() and ws is not None and ws.open

    async def on_connect(self) -> None:
        self.on_session()

    async def on_resumed(self) -> None:
        self.on_session()

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        await handlers.on_interaction(interaction, self.router, self.defer_after)

    async def on_message(self, message: discord.Message) -> None:
        if self.user is not None:
            await handlers.on_message(message, self.router, self.user.id)

    async def on_ready(self) -> None:
        log.info("connected to Discord as %s in %d server(s)", self.user, len(self.guilds))
