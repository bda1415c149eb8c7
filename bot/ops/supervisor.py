"""``Supervisor``: keeps one platform runner serving, whatever escapes it.

An exception that ends a runner (an unparseable gateway payload, a websocket that keeps
failing, a network that is down) is logged with its traceback, the platform shows as down in
``/readyz``, and the runner is started again after a capped exponential backoff, while the
other platforms and the tip scheduler carry on. Only a ``SettingsError`` on the very first
start ends ``mlcareer run`` (exit status 2): a setting will not fix itself by waiting.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from bot.core.metrics import PlatformMetrics
from bot.core.ports import PlatformRunner
from bot.errors import SettingsError

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Timer = Callable[[], float]

FIRST_DELAY = 1.0  # seconds before the first restart
MAX_DELAY = 60.0  # the longest wait between restarts
# A runner that served this long before failing is starting over: its backoff resets.
STABLE_AFTER = 300.0
PROBLEM_CHARS = 200  # the longest problem text /readyz shows


def backoff(failures: int, first: float = FIRST_DELAY, cap: float = MAX_DELAY) -> float:
    """Seconds to wait after the ``failures``-th failure in a row: doubling, at most ``cap``."""
    exponent = min(max(failures - 1, 0), 32)  # 2**32 * first is past any sane cap already
    return float(min(first * 2.0**exponent, cap))


def describe(exc: BaseException) -> str:
    """An exception in one short line, for ``/readyz`` (the log has the traceback)."""
    text = " ".join(str(exc).split())
    line = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return line if len(line) <= PROBLEM_CHARS else line[: PROBLEM_CHARS - 3] + "..."


class Supervisor:
    """Runs ``runner`` until cancelled, restarting it when it fails; ``Readiness`` for it.

    ``sleep`` and ``timer`` are injected so tests never wait on real time.
    """

    def __init__(
        self,
        runner: PlatformRunner,
        metrics: PlatformMetrics,
        *,
        sleep: Sleep = asyncio.sleep,
        timer: Timer = time.monotonic,
        first_delay: float = FIRST_DELAY,
        max_delay: float = MAX_DELAY,
        stable_after: float = STABLE_AFTER,
    ) -> None:
        self.runner = runner
        self.name = runner.name
        self._metrics = metrics
        self._sleep = sleep
        self._timer = timer
        self._first_delay = first_delay
        self._max_delay = max_delay
        self._stable_after = stable_after
        self._down: str | None = None  # why the runner is not running, while it waits
        self.failures = 0  # failures in a row (reset after a stable run)

    async def ready(self) -> str | None:
        """None when the runner is running and says it is connected; else why not."""
        if self._down is not None:
            return self._down
        return await self.runner.ready()

    async def run(self) -> None:
        """Run the runner, restarting it after each failure; return only when cancelled
        (which cancels the runner too) or raise the ``SettingsError`` of the first start."""
        first = True
        while True:
            started = self._timer()
            error: BaseException | None = None
            try:
                await self.runner.run()
            except SettingsError as exc:
                if first:
                    raise
                error = exc
            except Exception as exc:
                error = exc
            first = False
            if self._timer() - started >= self._stable_after:
                self.failures = 0
            self.failures += 1
            delay = backoff(self.failures, self._first_delay, self._max_delay)
            problem = describe(error) if error is not None else "stopped by itself"
            self._down = f"down ({problem}); restarting in {delay:g} s"
            log.error(
                "%s failed (%s); restarting it in %g s", self.name, problem, delay, exc_info=error
            )
            try:
                await self._sleep(delay)
            finally:
                self._down = None
            self._metrics.restarted(self.name)
            log.info("%s: restarting (failure %d in a row)", self.name, self.failures)
