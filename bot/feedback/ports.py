"""The votes port: what the feedback service needs from storage, and what a write came to."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Protocol

UP = 1
DOWN = -1
VOTES = (UP, DOWN)


class VoteOutcome(StrEnum):
    """What one write did, so the voter hears exactly that (and nothing counts twice)."""

    NEW = "new"  # the first vote (or the first note) of this person on this answer
    CHANGED = "changed"  # the vote (or the note) replaced a different one
    SAME = "same"  # exactly this was stored already: a double click, a form sent twice
    UNKNOWN = "unknown"  # no such question in the log: never logged, or purged by retention


class VoteStore(Protocol):
    """Votes keyed by (question id, voter hash): one row per person per answer.

    Voters are only ever the keyed hash of ``bot.core.privacy.user_hash``. A question id the
    question log does not hold (never logged, or purged after the retention window) is
    refused with ``UNKNOWN`` and nothing is written.
    """

    async def vote(
        self, question_id: str, voter_hash: str, vote: int, now: datetime
    ) -> VoteOutcome:
        """Record ``vote`` (``UP`` or ``DOWN``), replacing this voter's earlier one."""
        ...

    async def comment(
        self, question_id: str, voter_hash: str, text: str, now: datetime
    ) -> VoteOutcome:
        """Keep ``text`` (cleaned and cut, see ``bot.feedback.comments``) with the vote; with
        no vote yet, record a 👎 with it (the note is only asked for after a 👎)."""
        ...

    async def forget(self, voter_hash: str) -> int:
        """Delete every vote of this voter (``forget me``); how many were deleted."""
        ...
