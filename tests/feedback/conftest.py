"""Fixtures for feedback tests: a votes store on each backend (``db_url``), a fixed clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.feedback.service import Feedback
from bot.feedback.sql_store import SqlVoteStore
from bot.feedback.stores import open_vote_store
from tests.feedback.questions import log_question

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
KEY = b"test hash key, not a secret"


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[SqlVoteStore]:
    opened = await open_vote_store(db_url)
    await log_question(opened, "warm-up")  # creates the question log's table
    yield opened
    await opened.close()


@pytest.fixture
def feedback(store: SqlVoteStore) -> Feedback:
    return Feedback(store, KEY, lambda: NOW)
