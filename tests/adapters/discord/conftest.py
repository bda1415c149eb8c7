"""Fixtures for the Discord adapter tests: a running fake Discord with the real bot on it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.adapters.discord.harness import DiscordHarness


@pytest.fixture
async def harness() -> AsyncIterator[DiscordHarness]:
    async with DiscordHarness() as running:
        yield running
