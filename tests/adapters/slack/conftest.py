"""Fixtures for the Slack adapter tests: the fake Slack alone, and the harness in HTTP mode
and in Socket Mode."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.reply import Reply, ReplyKind
from bot.core.request import Request
from bot.tips.commands import TipsService
from bot.tips.ports import TipsStore
from bot.tips.stores import open_store
from bot.tips.testing import FakeClock
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import SlackHarness
from tests.shipped import SHIPPED


@dataclass
class RecordingTips:
    """A TipsCommands double: remembers each request and echoes its arguments back, as a
    real service does for a subcommand it does not know; ``tips now`` answers for everyone."""

    requests: list[Request] = field(default_factory=list)

    async def handle(self, request: Request, args: str) -> Reply:
        self.requests.append(request)
        if args == "now":
            return Reply(
                kind=ReplyKind.TIP, title="Tip of the day", body="Ship small.", public=True
            )
        who = "an admin" if request.is_admin else "not an admin"
        return Reply(
            kind=ReplyKind.NOTICE, title="Daily tips", body=f"You are {who}. You asked: {args}"
        )


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    """The fake Slack Web API on 127.0.0.1, with no bot in front of it."""
    slack = FakeSlack()
    await slack.start()
    yield slack
    await slack.stop()


@pytest.fixture
async def slack() -> AsyncIterator[SlackHarness]:
    async with SlackHarness() as harness:
        yield harness


@pytest.fixture
async def socket_slack() -> AsyncIterator[SlackHarness]:
    async with SlackHarness(socket_mode=True) as harness:
        yield harness


@pytest.fixture
async def tips_store(tmp_path: Path) -> AsyncIterator[TipsStore]:
    """A real daily-tips database (SQLite in the test's directory)."""
    store = await open_store(f"sqlite:///{tmp_path / 'tips.db'}")
    yield store
    await store.close()


@pytest.fixture
def tips_service(tips_store: TipsStore) -> TipsService:
    """The real tips service on that database, at a fixed time (Monday 3 June 2024, 08:00)."""
    return TipsService(
        subscriptions=tips_store,
        decks=tips_store,
        history=tips_store,
        knowledge=SHIPPED,
        clock=FakeClock(datetime(2024, 6, 3, 8, 0, tzinfo=UTC)),
    )
