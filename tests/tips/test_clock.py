"""The clock port: the system clock, and the fake one the tests step by hand."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import bot
from bot.tips.clock import SystemClock
from bot.tips.testing import FakeClock

START = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)


def test_system_clock_tells_aware_utc_time() -> None:
    now = SystemClock().now()
    assert now.tzinfo is UTC
    assert abs((now - datetime.now(UTC)).total_seconds()) < 60


async def test_system_clock_returns_at_once_for_a_past_moment() -> None:
    """sleep_until a moment already gone doesn't wait (bounded, in case it wrongly would)."""
    async with asyncio.timeout(1):
        await SystemClock().sleep_until(datetime(2000, 1, 1, tzinfo=UTC))


async def test_fake_clock_wakes_sleepers_only_when_their_moment_comes() -> None:
    clock = FakeClock(START)
    woke: list[datetime] = []

    async def sleeper(delay: timedelta) -> None:
        await clock.sleep_until(START + delay)
        woke.append(clock.now())

    tasks = [asyncio.create_task(sleeper(timedelta(minutes=m))) for m in (10, 5)]
    assert await clock.wait_for_sleeper() == START + timedelta(minutes=5)
    clock.advance(timedelta(minutes=4))
    await asyncio.sleep(0)
    assert woke == []
    clock.advance(timedelta(minutes=1))
    await asyncio.sleep(0)
    assert woke == [START + timedelta(minutes=5)]
    clock.set(START + timedelta(hours=1))
    await asyncio.gather(*tasks)
    assert woke[-1] == START + timedelta(hours=1)


def test_fake_clock_needs_an_aware_start() -> None:
    with pytest.raises(ValueError, match="aware"):
        FakeClock(datetime(2024, 6, 3, 8, 0))


def test_production_code_never_imports_the_test_doubles() -> None:
    """bot.tips.testing is for tests only: no module under bot/ imports it."""
    root = Path(bot.__file__).parent
    importers = [
        path.relative_to(root)
        for path in root.rglob("*.py")
        if path.name != "testing.py"
        and re.search(r"bot\.tips\.testing|from bot\.tips import .*testing", path.read_text())
    ]
    assert importers == []
