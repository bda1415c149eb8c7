"""Answers finished after the acknowledgement, and what happens to them at shutdown."""

from __future__ import annotations

import asyncio

import pytest

from bot.adapters.slack.background import Background


async def test_spawned_work_runs_and_is_forgotten_when_done() -> None:
    background = Background()
    done = asyncio.Event()

    async def work() -> None:
        done.set()

    background.spawn(work())
    assert len(background) == 1
    await asyncio.wait_for(done.wait(), 1)
    await background.drain()
    assert len(background) == 0


async def test_drain_cancels_what_does_not_finish_in_time(caplog: pytest.LogCaptureFixture) -> None:
    background = Background()
    cancelled = asyncio.Event()

    async def stuck() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            cancelled.set()

    background.spawn(stuck())
    await asyncio.sleep(0)
    await background.drain(grace=0)
    assert cancelled.is_set()
    assert "stopped 1 unfinished Slack answer" in caplog.text


async def test_a_failure_that_escapes_a_handler_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    background = Background()

    async def broken() -> None:
        raise RuntimeError("boom")

    background.spawn(broken())
    await background.drain()
    assert "a Slack answer failed" in caplog.text
    assert "boom" in caplog.text
