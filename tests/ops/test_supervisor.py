"""Supervisor: a failing platform runner is logged, shown down and restarted with capped
exponential backoff, on an injected sleep and timer (no test waits on real time)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.core.ports import ChannelSender
from bot.core.reply import Reply
from bot.errors import PlatformError, SettingsError
from bot.ops.metrics import PrometheusMetrics
from bot.ops.supervisor import MAX_DELAY, Supervisor, backoff, describe
from tests.ops.prometheus import sample


class NoSender:
    platform = "slack"

    async def post(self, channel: str, reply: Reply, *, once: object = None) -> None:
        raise PlatformError("not used here")


class ScriptedRunner:
    """Fails with each of ``failures`` in turn (one per run), then serves until cancelled."""

    name = "slack"

    def __init__(self, *failures: BaseException | None) -> None:
        self.failures = list(failures)
        self.sender: ChannelSender = NoSender()
        self.runs = 0
        self.serving = asyncio.Event()
        self.cancelled = False

    async def ready(self) -> str | None:
        return None if self.serving.is_set() else "not connected yet"

    async def run(self) -> None:
        self.runs += 1
        if self.failures:
            failure = self.failures.pop(0)
            if failure is None:
                return  # stops by itself, without an error
            raise failure
        self.serving.set()
        try:
            await asyncio.Future()
        except asyncio.CancelledError:
            self.cancelled = True
            raise


class Sleeps:
    """Records each backoff; ``hold`` makes the next sleeps wait until ``release``."""

    def __init__(self, *, hold: bool = False) -> None:
        self.delays: list[float] = []
        self.asleep = asyncio.Event()
        self._gate = asyncio.Event()
        if not hold:
            self._gate.set()

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.asleep.set()
        await self._gate.wait()
        self.asleep.clear()

    def release(self) -> None:
        self._gate.set()


class Timer:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def until(condition: asyncio.Event, seconds: float = 5.0) -> None:
    async with asyncio.timeout(seconds):
        await condition.wait()


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


def test_backoff_doubles_from_the_first_delay_up_to_the_cap() -> None:
    assert [backoff(n) for n in range(1, 10)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert backoff(1000) == MAX_DELAY  # no overflow however long it keeps failing
    assert [backoff(n, first=0.5, cap=3) for n in range(1, 6)] == [0.5, 1, 2, 3, 3]


def test_describe_is_one_short_line() -> None:
    assert describe(ValueError("bad\n  payload")) == "ValueError: bad payload"
    assert describe(TimeoutError()) == "TimeoutError"
    assert len(describe(RuntimeError("x" * 1000))) == 200


async def test_a_runner_that_keeps_failing_is_restarted_with_capped_backoff() -> None:
    errors = [PlatformError(f"websocket failed ({n})") for n in range(9)]
    runner, sleeps, metrics = ScriptedRunner(*errors), Sleeps(), PrometheusMetrics()
    task = asyncio.create_task(Supervisor(runner, metrics, sleep=sleeps).run())
    await until(runner.serving)
    try:
        assert sleeps.delays == [1, 2, 4, 8, 16, 32, 60, 60, 60]
        assert runner.runs == 10
        restarts = sample(metrics.render().decode(), "mlcareer_platform_restarts_total")
        assert restarts == 9
    finally:
        await stop(task)
    assert runner.cancelled  # cancelling the supervisor cancels the runner


async def test_while_waiting_to_restart_the_platform_is_down_with_the_reason(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runner = ScriptedRunner(ValueError("Expecting value: line 1 column 1 (char 0)"))
    sleeps = Sleeps(hold=True)
    supervisor = Supervisor(runner, PrometheusMetrics(), sleep=sleeps)
    task = asyncio.create_task(supervisor.run())
    try:
        await until(sleeps.asleep)
        problem = await supervisor.ready()
        assert problem == (
            "down (ValueError: Expecting value: line 1 column 1 (char 0)); restarting in 1 s"
        )
        [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
        assert record.exc_info is not None  # logged with its traceback
        assert "slack failed (ValueError" in record.getMessage()

        sleeps.release()
        await until(runner.serving)
        assert await supervisor.ready() is None  # up again: the runner's own answer
    finally:
        await stop(task)


async def test_a_settings_error_on_the_first_start_ends_supervision() -> None:
    runner = ScriptedRunner(SettingsError("DISCORD_TOKEN was rejected"))
    sleeps = Sleeps()
    with pytest.raises(SettingsError, match="rejected"):
        await Supervisor(runner, PrometheusMetrics(), sleep=sleeps).run()
    assert sleeps.delays == []


async def test_a_settings_error_after_the_first_start_is_restarted_like_any_failure() -> None:
    """A token revoked while running must not take the other platform down with it."""
    runner = ScriptedRunner(PlatformError("gateway closed"), SettingsError("token rejected"))
    sleeps = Sleeps()
    task = asyncio.create_task(Supervisor(runner, PrometheusMetrics(), sleep=sleeps).run())
    await until(runner.serving)
    await stop(task)
    assert sleeps.delays == [1, 2]


async def test_a_runner_that_returns_by_itself_is_restarted_too() -> None:
    runner, sleeps = ScriptedRunner(None), Sleeps()
    supervisor = Supervisor(runner, PrometheusMetrics(), sleep=sleeps)
    task = asyncio.create_task(supervisor.run())
    await until(runner.serving)
    await stop(task)
    assert sleeps.delays == [1]
    assert runner.runs == 2


async def test_a_run_that_lasted_resets_the_backoff() -> None:
    """Failing after a long stable run starts the backoff from the first delay again."""
    timer, sleeps = Timer(), Sleeps()

    class LastsThenFails(ScriptedRunner):
        async def run(self) -> None:
            if self.runs == 3:
                timer.now += 301  # the fourth run serves for five minutes and then fails
            await super().run()

    runner = LastsThenFails(*(PlatformError("down") for _ in range(5)))
    supervisor = Supervisor(runner, PrometheusMetrics(), sleep=sleeps, timer=timer)
    task = asyncio.create_task(supervisor.run())
    await until(runner.serving)
    await stop(task)
    assert sleeps.delays == [1, 2, 4, 1, 2]
