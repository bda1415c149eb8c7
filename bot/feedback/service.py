"""The feedback policy, once for every platform: validate what came back, hash the voter,
store, and say what happened.

Adapters hand over the raw value their button carried (a question id) and the person as a
``Request``; everything else is decided here, so Slack, Discord and the terminal behave alike.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.core.privacy import person_of
from bot.core.reply import Reply
from bot.core.request import Request
from bot.errors import StorageError
from bot.feedback import replies
from bot.feedback.comments import clean_comment, was_cut
from bot.feedback.ports import DOWN, VOTES, VoteOutcome, VoteStore

log = logging.getLogger(__name__)

# Question ids are the question log's own opaque tokens; anything longer or with other
# characters did not come from us (and could not fit Discord's 100-character custom ids).
MAX_QUESTION_ID = 64
_ID_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-_.")


def valid_question_id(value: str) -> bool:
    """Whether ``value`` has the shape of a question id (1-64 letters, digits, ``-_.``)."""
    return 0 < len(value) <= MAX_QUESTION_ID and all(c in _ID_CHARACTERS for c in value)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a vote came to: the reply for the voter, whether to ask for a note now (after a
    👎 newly counted or changed to, never after a refused or repeated one), and whether the
    vote stands in the store (so a note given with it can be kept)."""

    reply: Reply
    ask_comment: bool = False
    counted: bool = False


def _system_now() -> datetime:
    return datetime.now(UTC)


class Feedback:
    """Votes and notes on logged answers; ``key`` is the user-hash key (MLCAREER_HASH_KEY)."""

    def __init__(
        self, store: VoteStore, key: bytes, now: Callable[[], datetime] = _system_now
    ) -> None:
        if not key:
            raise ValueError("feedback needs a non-empty hash key")
        self._store = store
        self._key = key
        self._now = now

    def voter(self, request: Request) -> str:
        """The person's keyed hash: the only form in which a voter is stored."""
        return person_of(self._key, request)

    async def vote(self, request: Request, question_id: str, vote: int) -> Verdict:
        """Count ``vote`` (1 or -1) by the request's person on ``question_id``; never raises."""
        if vote not in VOTES or not valid_question_id(question_id):
            return Verdict(replies.not_ours())
        try:
            outcome = await self._store.vote(question_id, self.voter(request), vote, self._now())
        except StorageError:
            log.exception("storing a vote failed")
            return Verdict(replies.not_saved())
        ask = vote == DOWN and outcome in {VoteOutcome.NEW, VoteOutcome.CHANGED}
        counted = outcome is not VoteOutcome.UNKNOWN
        return Verdict(replies.voted(outcome, vote), ask_comment=ask, counted=counted)

    async def comment(self, request: Request, question_id: str, text: str) -> Reply:
        """Keep the note ``text`` with the person's vote on ``question_id``; never raises."""
        if not valid_question_id(question_id):
            return replies.not_ours()
        if not clean_comment(text):
            return replies.no_comment()
        try:
            outcome = await self._store.comment(question_id, self.voter(request), text, self._now())
        except StorageError:
            log.exception("storing a note on a vote failed")
            return replies.not_saved()
        return replies.commented(outcome, cut=was_cut(text))

    async def forget(self, request: Request) -> int:
        """Delete every vote of the request's person; how many there were."""
        return await self._store.forget(self.voter(request))
