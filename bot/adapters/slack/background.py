"""Work that goes on after Slack has its acknowledgement: answers to mentions, DMs, clicks.

Slack wants every request acknowledged within 3 seconds, and the bot acknowledges at once;
the answer is then posted from a task kept here. Keeping the tasks (rather than firing and
forgetting) means none is garbage-collected mid-flight, and shutdown can let them finish.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

log = logging.getLogger(__name__)

GRACE_SECONDS = 5.0

T = TypeVar("T")


class Background:
    """The set of answers still being worked on."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """Run ``work`` on the loop, kept until it ends; the task, for whoever may wait."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def __len__(self) -> int:
        return len(self._tasks)

    async def drain(self, grace: float = GRACE_SECONDS) -> None:
        """Let unfinished answers complete for up to ``grace`` seconds, then cancel the rest."""
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=grace)
        for task in pending:
            task.cancel()
        if pending:
            log.warning("stopped %d unfinished Slack answer(s) at shutdown", len(pending))
            await asyncio.gather(*pending, return_exceptions=True)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # Handlers catch their own failures; this is the last line of defence.
            log.error("a Slack answer failed", exc_info=task.exception())
