"""Fixtures for the Slack adapter tests: the fake Slack alone, and the harness in HTTP mode
and in Socket Mode."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from bot.core.reply import Reply, ReplyKind
from bot.core.request import Request
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import SlackHarness


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
