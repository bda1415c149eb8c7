"""Fixtures for the question log: a log on each backend (SQLite and PostgreSQL, ``db_url``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.questions.sql_log import SqlQuestionLog, open_question_log

# Monday 30 November 2026, noon UTC.
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
async def qlog(db_url: str) -> AsyncIterator[SqlQuestionLog]:
    opened = await open_question_log(db_url)
    yield opened
    await opened.close()
