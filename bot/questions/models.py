"""The question log's plain records: one logged question, its votes, and the daily counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

# The reply kinds that are logged: the router's answers to a free question or a topic.
LOGGED_BANDS = ("answer", "partial", "closest", "decline")


class LoggedQuestion(NamedTuple):
    """One question as stored: never a user id, only ``user_hash`` (a keyed hash).

    ``id`` is None when MLCAREER_QUESTION_LOG=off: then only the day's count is kept, and
    ``user_hash`` and ``text`` are None too. ``text`` is also None once the retention period
    has passed. ``entry_id`` is None for the generic decline (nothing matched). A named
    tuple rather than a dataclass: the report reads 100,000 of them, and a tuple is built in
    a fraction of the time.
    """

    id: str | None
    asked_at: datetime
    platform: str
    workspace: str
    channel_kind: str
    user_hash: str | None
    text: str | None
    band: str
    entry_id: str | None
    section: str | None
    score: float | None


class ReadQuestion(NamedTuple):
    """A logged question as the report reads it, with its 👍 and 👎 counts."""

    question: LoggedQuestion
    up: int = 0
    down: int = 0


@dataclass(frozen=True, slots=True)
class DayCount:
    """How many questions one platform got on one UTC day that ended in one band."""

    day: date
    platform: str
    band: str
    n: int


@dataclass(frozen=True, slots=True)
class LogSnapshot:
    """Everything the report needs since a moment: the rows, and the daily counts."""

    questions: tuple[ReadQuestion, ...]
    counts: tuple[DayCount, ...]


@dataclass(frozen=True, slots=True)
class Forgotten:
    """What ``forget me`` deleted."""

    questions: int
    votes: int
