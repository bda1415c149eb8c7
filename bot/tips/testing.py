"""Test doubles for the daily-tips ports: a controllable clock and channel senders that
record posts or hold them in flight.

Tests (and the adapters' end-to-end tests) use these; production code never imports this module.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.core.ports import PostOnce
from bot.core.reply import Reply


class FakeClock:
    """A clock that only moves when the test moves it.

    ``sleep_until`` parks the caller until the test sets the time to (or past) its deadline;
    ``wait_for_sleeper`` lets a test wait until the code under test is parked again, so a test
    can step a long-running loop one iteration at a time without any real sleeping.
    """

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self._sleepers: list[tuple[datetime, asyncio.Future[None]]] = []
        self._parked = asyncio.Event()

    def now(self) -> datetime:
        return self._now

    async def sleep_until(self, moment: datetime) -> None:
        if moment <= self._now:
            await asyncio.sleep(0)  # still a suspension point, as a real sleep would be
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((moment, future))
        self._parked.set()
        try:
            await future
        finally:
            self._sleepers = [(m, f) for m, f in self._sleepers if f is not future]

    def set(self, moment: datetime) -> None:
        """Move the clock to ``moment`` and wake every sleeper whose deadline has come."""
        self._now = moment.astimezone(UTC)
        for deadline, future in self._sleepers:
            if deadline <= self._now and not future.done():
                future.set_result(None)
        self._parked.clear()

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self.set(self._now + delta)

    async def wait_for_sleeper(self) -> datetime:
        """Wait until some task sleeps on this clock; return the earliest pending deadline.

        Gives up after a few seconds of real time, only so that a broken test fails instead of
        hanging; a passing test never comes near it.
        """
        async with asyncio.timeout(5):
            await self._wait_parked()
        return min(deadline for deadline, _ in self._sleepers)

    async def _wait_parked(self) -> None:
        while not any(not future.done() for _, future in self._sleepers):
            self._parked.clear()
            await self._parked.wait()


@dataclass
class RecordingSender:
    """A ``ChannelSender`` that records each post; ``fail`` may raise to simulate the platform."""

    platform: str
    posts: list[tuple[str, Reply]] = field(default_factory=list)
    fail: Callable[[str], Exception | None] | None = None
    onces: list[PostOnce | None] = field(default_factory=list)  # each attempt's ``once``

    async def post(self, channel: str, reply: Reply, *, once: PostOnce | None = None) -> None:
        self.onces.append(once)
        await asyncio.sleep(0)  # let other tasks run, as a network call would
        if self.fail is not None:
            error = self.fail(channel)
            if error is not None:
                raise error
        self.posts.append((channel, reply))


class HeldSender:
    """A ``ChannelSender`` whose posts stay in flight until the test sets ``release``.

    ``started`` is set when a post begins; ``cancelled`` counts posts cut off while held.
    Never released, it stands for a platform call that hangs, or a process that dies mid-post.
    """

    def __init__(self, platform: str = "slack") -> None:
        self.platform = platform
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        self.posts: list[tuple[str, Reply]] = []
        self.cancelled = 0

    async def post(self, channel: str, reply: Reply, *, once: PostOnce | None = None) -> None:
        self.started.set()
        try:
            await self.release.wait()
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        self.posts.append((channel, reply))
