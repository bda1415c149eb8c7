"""``DiscordSender``: posts a reply for everyone in a channel (daily tips) over REST.

It needs only a logged-in ``discord.Client`` (no gateway), so a one-shot command can use it
through ``rest_sender``; the runner shares its client with it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import discord

from bot.adapters.discord.client import quiet_voice_warnings
from bot.adapters.discord.config import discord_config
from bot.adapters.discord.embeds import render
from bot.adapters.discord.login import login, use_api
from bot.adapters.discord.outgoing import message_kwargs
from bot.adapters.discord.retry import ServerErrorRetry
from bot.core.reply import Reply
from bot.errors import ChannelGoneError, PlatformError
from bot.settings import Settings

log = logging.getLogger(__name__)

LOGIN_WAIT = 60.0  # seconds a post waits for the runner to finish logging in


class DiscordSender:
    """Implements ``bot.core.ports.ChannelSender`` for Discord channels."""

    platform = "discord"

    def __init__(
        self,
        client: discord.Client,
        *,
        logged_in: bool = False,
        retry: ServerErrorRetry = ServerErrorRetry(),  # noqa: B008 - frozen, shared safely
    ) -> None:
        self._client = client
        self._retry = retry
        self._logged_in = asyncio.Event()
        if logged_in:
            self._logged_in.set()

    def use(self, client: discord.Client) -> None:
        """Post through ``client`` from now on (the runner's new one after a restart); posts
        wait until it has logged in."""
        self._client = client
        self._logged_in.clear()

    def mark_logged_in(self) -> None:
        """Called once the client has logged in; posts wait for it until then."""
        self._logged_in.set()

    async def post(self, channel: str, reply: Reply) -> None:
        """POST the reply to ``/channels/{channel}/messages`` as an embed, mentions off.

        Raises ``ChannelGoneError`` when the channel is unknown or the bot may not post there
        (403/404), ``PlatformError`` for anything else (including a client already closed);
        rate limits are retried by discord.py, a 502/503/504 by ``ServerErrorRetry``.
        """
        try:
            channel_id = int(channel)
        except ValueError:
            raise ChannelGoneError(f"{channel!r} is not a Discord channel id") from None
        try:
            await asyncio.wait_for(self._logged_in.wait(), LOGIN_WAIT)
        except TimeoutError:
            raise PlatformError("not logged in to Discord; cannot post") from None
        if self._client.is_closed():
            raise PlatformError("the Discord client is closed (shutting down); cannot post")
        target = self._client.get_partial_messageable(channel_id)
        try:
            kwargs = message_kwargs(render(reply, shareable=False))
            await self._retry.call(lambda: target.send(**kwargs), f"a post to {channel}")
        except (discord.Forbidden, discord.NotFound) as exc:
            raise ChannelGoneError(
                f"Discord channel {channel} is gone or the bot may no longer post there "
                f"(HTTP {exc.status}: {exc.text})"
            ) from exc
        except discord.HTTPException as exc:
            raise PlatformError(
                f"posting to Discord channel {channel} failed: HTTP {exc.status} {exc.text}"
            ) from exc
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise PlatformError(f"posting to Discord channel {channel} failed: {exc}") from exc


@asynccontextmanager
async def rest_sender(settings: Settings) -> AsyncIterator[DiscordSender]:
    """A sender on a REST-only login (no gateway), for one-shot commands such as
    ``mlcareer tips send-due``; logs out when the block ends."""
    config = discord_config(settings)
    use_api(config.api_url)
    quiet_voice_warnings()
    client = discord.Client(
        intents=discord.Intents.none(), allowed_mentions=discord.AllowedMentions.none()
    )
    try:
        await login(client, config)
        yield DiscordSender(client, logged_in=True)
    finally:
        await client.close()
