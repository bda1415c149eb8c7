"""Ports the core needs from the outside world; each adapter or store implements one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.core.reply import Reply


@dataclass(frozen=True, slots=True)
class PostOnce:
    """What lets a platform post one scheduled message at most once, across retries, restarts
    and processes (the daily tips' claims): a stable name for the post, when its first attempt
    started, and whether an earlier attempt may have reached the platform.

    A sender uses the platform's idempotency where it has one (Discord's message nonce) and
    otherwise looks for the earlier attempt's message before posting again (Slack's message
    metadata), so a post that went out but was never recorded is not posted twice.
    """

    key: str  # the same for every attempt at this post, e.g. "slack:C123:2024-06-03"
    since: datetime  # when the first attempt was claimed: nothing older can be this post
    retry: bool  # an earlier attempt's outcome is unknown; it may have been posted


class ChannelSender(Protocol):
    """Posts a reply for everyone in a channel, outside any conversation (daily tips).

    Implementations raise ``ChannelGoneError`` when the channel no longer exists or the bot
    was removed from it, and ``PlatformError`` for any other failure after their own retries.
    """

    platform: str

    async def post(self, channel: str, reply: Reply, *, once: PostOnce | None = None) -> None:
        """Post ``reply`` visibly in ``channel``; with ``once``, at most once for that key
        (returning normally when the earlier attempt's message is found there)."""
        ...


class Readiness(Protocol):
    """Something ``/readyz`` asks whether it can serve: a platform connection, the database."""

    async def ready(self) -> str | None:
        """None when ready; otherwise what is wrong, in a few words (never a secret)."""
        ...


class PlatformRunner(Readiness, Protocol):
    """One chat platform's connection, run by ``mlcareer run`` on the shared event loop.

    ``run`` may be called again after it failed (the supervisor restarts it); ``ready`` says
    whether the platform is connected right now.
    """

    name: str
    sender: ChannelSender

    async def run(self) -> None:
        """Connect and serve until cancelled; raise SettingsError or PlatformError on failure."""
        ...
