"""Ports the core needs from the outside world; each adapter or store implements one."""

from __future__ import annotations

from typing import Protocol

from bot.core.reply import Reply


class ChannelSender(Protocol):
    """Posts a reply for everyone in a channel, outside any conversation (daily tips).

    Implementations raise ``ChannelGoneError`` when the channel no longer exists or the bot
    was removed from it, and ``PlatformError`` for any other failure after their own retries.
    """

    platform: str

    async def post(self, channel: str, reply: Reply) -> None:
        """Post ``reply`` visibly in ``channel``."""
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
