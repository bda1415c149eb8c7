"""The question log's port: record, purge old text, forget a person, and read for reports."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.questions.models import Forgotten, LoggedQuestion, LogSnapshot


class QuestionLog(Protocol):
    """Where logged questions live (SQLite or PostgreSQL, in the bot's one database)."""

    async def record(self, question: LoggedQuestion) -> None:
        """Count the question for its day, platform and band; store its row when it has an id."""
        ...

    async def purge_text(self, before: datetime) -> int:
        """Delete the text of questions asked before ``before``; how many rows lost their text."""
        ...

    async def forget(self, user_hash: str) -> Forgotten:
        """Delete every question (and vote) of one person; the daily counts stay (no person)."""
        ...

    async def read(self, since: datetime) -> LogSnapshot:
        """Every question asked since ``since`` with its votes, and the daily counts."""
        ...
