"""Retrying the bot's own channel posts (mention answers, DMs, daily tips) after a 502, 503 or
504 from Discord.

discord.py gives up on a 503 at once (it retries only 500, 502, 504 and 524, and only inside
one call), so a passing outage would lose the answer. Interaction callbacks and follow-ups go
through discord.py's webhook adapter, which already retries every 5xx, so they are left alone.
The waits honour ``Retry-After`` when Discord sends one and back off exponentially otherwise;
they go through an injected ``sleep`` so tests never wait on the wall clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import discord

from bot.core.metrics import NO_METRICS, PlatformMetrics

log = logging.getLogger(__name__)

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]

RETRIED_STATUSES = frozenset({502, 503, 504})
SERVER_ERROR_RETRIES = 3  # after the first attempt; so at most four in all
BACKOFF_SECONDS = 0.5  # the first wait; it doubles each time
MAX_WAIT = 30.0  # a Retry-After longer than this is cut to it


@dataclass(frozen=True, slots=True)
class ServerErrorRetry:
    """Calls a send again after a 502/503/504, at most ``retries`` times."""

    sleep: Sleep = asyncio.sleep
    metrics: PlatformMetrics = NO_METRICS
    retries: int = SERVER_ERROR_RETRIES

    async def call(self, send: Callable[[], Awaitable[T]], doing: str) -> T:
        """Await ``send()``, again after each retryable server error; the last error is
        raised once the retries are used up (any other error at once)."""
        attempt = 0
        while True:
            try:
                return await send()
            except discord.DiscordServerError as exc:
                if exc.status not in RETRIED_STATUSES or attempt >= self.retries:
                    raise
                wait = retry_after(exc)
                if wait is None:
                    wait = BACKOFF_SECONDS * 2**attempt
                attempt += 1
                log.warning(
                    "Discord answered %s with HTTP %d; retry %d of %d in %.1f s",
                    doing,
                    exc.status,
                    attempt,
                    self.retries,
                    wait,
                )
                self.metrics.web_api_retry("discord", "server_error")
                await self.sleep(wait)


def retry_after(exc: discord.HTTPException) -> float | None:
    """The seconds Discord's ``Retry-After`` header asks for, within bounds; None without."""
    headers = getattr(exc.response, "headers", None) or {}
    value = headers.get("Retry-After")
    if value is None:
        return None
    try:
        return min(max(float(value), 0.0), MAX_WAIT)
    except ValueError:
        return None
