"""``DiscordSender``: posts a reply for everyone in a channel (daily tips) over REST.

It needs only a logged-in ``discord.Client`` (no gateway), so a one-shot command can use it
through ``rest_sender``; the runner shares its client with it.

A post named by ``PostOnce`` (a daily tip's claim) is sent at most once: it carries a nonce
derived from the claim with ``enforce_nonce`` (discord.py sets that whenever a nonce is
given), so Discord answers a repeat within its nonce window (a few minutes) with the message
it already created. A retry after longer (a SIGKILL whose claim lapsed with its 10-minute
lease) first reads the channel since the first attempt and stops if the bot's identical
message is there (Read Message History is in the invite's permissions already).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import aiohttp
import discord

from bot.adapters.discord.client import quiet_voice_warnings
from bot.adapters.discord.config import discord_config
from bot.adapters.discord.embeds import render
from bot.adapters.discord.login import login, use_api
from bot.adapters.discord.outgoing import message_kwargs
from bot.adapters.discord.retry import ServerErrorRetry
from bot.core.ports import PostOnce
from bot.core.reply import Reply
from bot.errors import ChannelGoneError, PlatformError
from bot.settings import Settings

log = logging.getLogger(__name__)

LOGIN_WAIT = 60.0  # seconds a post waits for the runner to finish logging in
UNKNOWN_CHANNEL = 10003  # Discord's error code for a channel that does not exist (any more)
NONCE_CHARS = 25  # Discord refuses a longer nonce (400 Invalid Form Body)
# A retry reads back this many of the channel's messages since the first attempt, at most,
# looking for its earlier message; clocks may differ by up to SKEW.
HISTORY_LIMIT = 100
SKEW = timedelta(minutes=2)


def nonce(once: PostOnce) -> str:
    """A deterministic nonce for the post: the same in every process and attempt, 25 chars."""
    digest = hashlib.sha256(once.key.encode()).hexdigest()
    return "t" + digest[: NONCE_CHARS - 1]


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

    async def post(self, channel: str, reply: Reply, *, once: PostOnce | None = None) -> None:
        """POST the reply to ``/channels/{channel}/messages`` as an embed, mentions off; with
        ``once``, carrying its nonce, and on a retry only if the earlier one isn't there.

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
        kwargs = message_kwargs(render(reply, shareable=False))
        if once is not None:
            kwargs["nonce"] = nonce(once)
            if once.retry and await self._already_there(target, kwargs["embed"], once):
                log.info(
                    "Discord: %s was posted by an earlier attempt; not posting it again", once.key
                )
                return
        try:
            # The nonce (with enforce_nonce) makes a resend after a 5xx safe for tips.
            await self._retry.call(lambda: target.send(**kwargs), f"a post to {channel}")
        except discord.NotFound as exc:
            if once is not None and exc.code != UNKNOWN_CHANNEL:
                # Discord refuses a nonce whose message was deleted shortly before: the tip
                # went out and someone removed it; posting it again would undo that.
                log.info("Discord: %s was posted and deleted since; not posting it again", once.key)
                return
            raise ChannelGoneError(
                f"Discord channel {channel} is gone or the bot may no longer post there "
                f"(HTTP {exc.status}: {exc.text})"
            ) from exc
        except discord.Forbidden as exc:
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

    async def _already_there(
        self, target: discord.PartialMessageable, embed: discord.Embed, once: PostOnce
    ) -> bool:
        """True when the bot's own message with this embed is in the channel since the post's
        first attempt. A failed read is logged and answers False (post, with the nonce)."""
        me = self._client.user
        if me is None:
            return False
        want = _fingerprint(embed.to_dict())
        try:
            async for message in target.history(
                limit=HISTORY_LIMIT, after=once.since - SKEW, oldest_first=True
            ):
                if message.author.id == me.id and any(
                    _fingerprint(e.to_dict()) == want for e in message.embeds
                ):
                    return True
        except (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as exc:
            log.warning(
                "Discord: could not read channel %s back before a retry: %s", target.id, exc
            )
        return False


def _fingerprint(embed: Any) -> tuple[str, str]:
    """What identifies a tip's embed: its title and description."""
    return str(embed.get("title") or ""), str(embed.get("description") or "")


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
