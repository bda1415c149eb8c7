"""The port the Home tab needs from daily tips: list a platform's subscriptions and change
one through the same ``tips`` commands people type (``TipsService`` implements it)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot.core.reply import Reply
from bot.core.request import Request
from bot.tips.models import Subscription


@runtime_checkable
class TipsAdmin(Protocol):
    """Daily tips as an admin's overview sees them."""

    async def handle(self, request: Request, args: str) -> Reply:
        """Carry out one ``tips`` subcommand for the request's channel."""
        ...

    async def subscriptions(self, platform: str) -> list[Subscription]:
        """Every subscription on ``platform``, ordered by channel."""
        ...
