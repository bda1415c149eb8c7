"""The clock port: what time it is and how to wait for a moment, injected so tests never sleep."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Tells the time (aware, UTC) and waits until a given moment."""

    def now(self) -> datetime:
        """The current moment as an aware UTC datetime."""
        ...

    async def sleep_until(self, moment: datetime) -> None:
        """Return at ``moment`` (at once when it has passed)."""
        ...


class SystemClock:
    """The real clock: ``datetime.now(UTC)`` and ``asyncio.sleep``."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep_until(self, moment: datetime) -> None:
        delay = (moment - self.now()).total_seconds()
        if delay > 0:
            await asyncio.sleep(delay)
