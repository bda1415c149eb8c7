"""Deleting question text once it is older than MLCAREER_LOG_RETENTION_DAYS, on a schedule.

Runs inside ``mlcareer run`` beside the daily-tip scheduler, on the same injected clock:
once at start and then every ``EVERY``. Only the text goes; the band, entry and score stay
for the report's counts and votes.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.questions.ports import QuestionLog
from bot.tips.clock import Clock

log = logging.getLogger(__name__)

EVERY = timedelta(hours=1)


class RetentionPurge:
    """Purges question text older than ``keep`` from ``questions``."""

    def __init__(self, questions: QuestionLog, clock: Clock, keep: timedelta) -> None:
        self._questions = questions
        self._clock = clock
        self._keep = keep

    async def run_once(self) -> int:
        """Purge now; how many questions lost their text (a failure is logged, 0)."""
        try:
            purged = await self._questions.purge_text(self._clock.now() - self._keep)
        except Exception:
            log.exception("could not purge old question text; trying again later")
            return 0
        if purged:
            log.info("question log: deleted the text of %d questions past retention", purged)
        return purged

    async def run_forever(self) -> None:
        """Purge at start, then every ``EVERY``, until cancelled."""
        while True:
            await self.run_once()
            await self._clock.sleep_until(self._clock.now() + EVERY)
