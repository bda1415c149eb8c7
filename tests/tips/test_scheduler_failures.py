"""The scheduler when things go wrong: slow sends, shutdown mid-post, a locked or failing
database, unexpected errors in the long-running loop, and a clock that jumps."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core.request import Request
from bot.errors import StorageError
from bot.tips.commands import TipsService
from bot.tips.models import ChannelKey, ClaimStatus, Deck, PlannedPost
from bot.tips.ports import TipsStore
from bot.tips.scheduler import LEASE, Outcome, retry_delay
from bot.tips.sqlite_store import SqliteStore
from bot.tips.testing import FakeClock, HeldSender, RecordingSender

from .conftest import KEY, SQLITE_ONLY, SchedulerFactory, subscribe, utc

NINE = utc(2024, 6, 3, 9, 0)


class FailingStore:
    """The real store, except that the methods told to ``fail`` raise first, then recover."""

    def __init__(self, store: TipsStore) -> None:
        self._store = store
        self._failures: dict[str, list[Exception]] = {}

    def fail(self, method: str, error: Exception, times: int = 1) -> None:
        self._failures.setdefault(method, []).extend([error] * times)

    def __getattr__(self, name: str) -> Any:
        real = getattr(self._store, name)
        pending = self._failures.get(name)
        if not pending:
            return real

        async def failing(*args: Any, **kwargs: Any) -> Any:
            if pending:
                raise pending.pop(0)
            return await real(*args, **kwargs)

        return failing


async def claim_status(store: TipsStore, at: datetime) -> ClaimStatus:
    """What a claim on today's post for KEY would find at ``at`` (without sending anything)."""
    post = PlannedPost(KEY, NINE.date(), "tip-00", NINE)
    return (await store.claim(post, Deck(("tip-00",)), at, LEASE, 5)).status


async def test_a_send_that_would_outlast_its_lease_is_abandoned_and_retried_once(
    store: TipsStore, make_scheduler: SchedulerFactory, clock: FakeClock
) -> None:
    """The send is cut off before the lease could lapse, so no one else can post meanwhile;
    the post is released for a retry, which then posts it once."""
    await subscribe(store, clock.now())
    hung = HeldSender()
    clock.set(NINE)
    scheduler = make_scheduler(senders={"slack": hung}, send_timeout=timedelta(0))
    async with asyncio.timeout(5):  # fails rather than hangs if the send were not cut off
        report = await scheduler.run_due()
    assert [r.outcome for r in report.results] == [Outcome.RETRYING]
    assert "no answer within 0 s" in report.results[0].detail
    assert hung.cancelled == 1
    assert hung.posts == []
    retry_at = NINE + retry_delay(1)
    assert await claim_status(store, retry_at - timedelta(seconds=1)) is ClaimStatus.BUSY

    working = RecordingSender("slack")
    clock.set(retry_at)
    assert (await make_scheduler(senders={"slack": working}).run_due()).count(Outcome.POSTED) == 1
    clock.advance(LEASE * 2)
    assert (await make_scheduler(senders={"slack": working}).run_due()).results == []
    assert len(working.posts) == 1


def test_the_send_timeout_must_be_shorter_than_the_lease(
    make_scheduler: SchedulerFactory,
) -> None:
    with pytest.raises(ValueError, match="shorter than the lease"):
        make_scheduler(lease=timedelta(minutes=5), send_timeout=timedelta(minutes=5))


async def test_stopping_mid_post_lets_the_post_finish_and_be_recorded(
    store: TipsStore, make_scheduler: SchedulerFactory, clock: FakeClock
) -> None:
    """Cancelled while a post is in flight, the loop lets it go out and records it, so a
    restart doesn't post it again."""
    await subscribe(store, clock.now())
    held = HeldSender()
    clock.set(NINE)
    task = asyncio.create_task(make_scheduler(senders={"slack": held}).run_forever())
    await held.started.wait()
    task.cancel()
    await asyncio.sleep(0)  # the loop is now waiting for the post, not cancelling it
    held.release.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert [channel for channel, _ in held.posts] == ["C1"]
    assert held.cancelled == 0
    clock.advance(LEASE * 2)
    restarted = RecordingSender("slack")
    assert (await make_scheduler(senders={"slack": restarted}).run_due()).results == []
    assert restarted.posts == []


async def test_stopping_mid_post_past_the_grace_leaves_the_post_to_a_restart(
    store: TipsStore, make_scheduler: SchedulerFactory, clock: FakeClock
) -> None:
    """A post still hanging when the grace is over is abandoned and recorded as maybe
    posted: its claim is released, so the restarted scheduler retries it at once (not after
    the lease), as a retry of the same post, which the sender looks for before posting."""
    await subscribe(store, clock.now())
    hung = HeldSender()
    clock.set(NINE)
    scheduler = make_scheduler(senders={"slack": hung}, shutdown_grace=timedelta(0))
    task = asyncio.create_task(scheduler.run_forever())
    await hung.started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        async with asyncio.timeout(5):  # fails rather than hangs if the grace were ignored
            await task
    assert hung.cancelled == 1
    restarted = RecordingSender("slack")
    clock.set(NINE + timedelta(seconds=30))  # well inside the lease
    assert (await make_scheduler(senders={"slack": restarted}).run_due()).count(Outcome.POSTED) == 1
    assert restarted.posts[0][0] == "C1"
    [once] = restarted.onces
    assert once is not None
    assert once.retry


async def test_a_post_that_could_not_be_recorded_is_recorded_before_anything_else(
    store: TipsStore,
    make_scheduler: SchedulerFactory,
    slack: RecordingSender,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The tip went out but the database failed to mark it sent: the scheduler keeps it,
    posts nothing more until it is recorded, and never posts it a second time."""
    await subscribe(store, clock.now())
    flaky = FailingStore(store)
    flaky.fail("mark_sent", StorageError("tips database: could not mark: locked"), times=2)
    scheduler = make_scheduler(on=flaky)
    clock.set(NINE)
    with caplog.at_level(logging.ERROR, logger="bot.tips.scheduler"):
        first = await scheduler.run_due()
    assert [r.outcome for r in first.results] == [Outcome.POSTED]
    assert "not recorded yet" in first.results[0].detail
    assert "could not record it" in caplog.text

    clock.advance(timedelta(minutes=1))
    with pytest.raises(StorageError):
        await scheduler.run_due()  # still failing: nothing else is tried

    clock.advance(LEASE)  # the claim's lease has lapsed by now
    third = await scheduler.run_due()
    assert [r.outcome for r in third.results] == [Outcome.ALREADY_POSTED]
    assert len(slack.posts) == 1


@SQLITE_ONLY
async def test_a_locked_database_stops_the_run_and_the_rest_stay_due(
    sqlite_url: str, tmp_path: Path, make_scheduler: SchedulerFactory, clock: FakeClock
) -> None:
    """With the write lock held elsewhere, the first claim fails (SQLITE_BUSY after the busy
    timeout), the run stops there, and the next run posts every channel once."""
    store = await SqliteStore.open(sqlite_url, busy_timeout=0)
    for name in ("C1", "C2", "C3"):
        await subscribe(store, clock.now(), key=ChannelKey("slack", name))
    sender = RecordingSender("slack")
    scheduler = make_scheduler(on=store, senders={"slack": sender})
    other = sqlite3.connect(tmp_path / "tips.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    clock.set(NINE)
    try:
        locked = await scheduler.run_due()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [r.outcome for r in locked.results] == [Outcome.ERROR]
    assert "database is locked" in locked.results[0].detail
    assert sender.posts == []
    after = await scheduler.run_due()
    assert after.count(Outcome.POSTED) == 3
    assert sorted(channel for channel, _ in sender.posts) == ["C1", "C2", "C3"]
    await store.close()


async def test_run_forever_logs_an_unexpected_failure_and_keeps_going(
    store: TipsStore,
    make_scheduler: SchedulerFactory,
    slack: RecordingSender,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A run that raises is logged with its traceback; the loop sleeps a poll and carries on."""
    await subscribe(store, clock.now())
    flaky = FailingStore(store)
    flaky.fail("due", RuntimeError("a bug in the due query"))
    flaky.fail("next_fire_after", StorageError("tips database: could not read"))
    poll = timedelta(minutes=5)
    clock.set(NINE)
    task = asyncio.create_task(make_scheduler(on=flaky, poll=poll).run_forever())
    try:
        with caplog.at_level(logging.ERROR, logger="bot.tips.scheduler"):
            assert await clock.wait_for_sleeper() == NINE + poll
        assert "a bug in the due query" in caplog.text
        assert any(record.exc_info for record in caplog.records)
        assert slack.posts == []
        clock.set(NINE + poll)
        assert await clock.wait_for_sleeper() == NINE + 2 * poll  # next_fire_after failed
        assert len(slack.posts) == 1
        clock.set(NINE + 2 * poll)
        assert await clock.wait_for_sleeper() == NINE + 3 * poll
        assert not task.done()
    finally:
        task.cancel()
    assert len(slack.posts) == 1


async def test_a_clock_that_jumps_back_does_not_post_the_same_day_again(
    store: TipsStore,
    make_scheduler: SchedulerFactory,
    slack: RecordingSender,
    clock: FakeClock,
    service: TipsService,
) -> None:
    """After the 09:00 post the clock is set back an hour and tips are turned on again:
    09:00 comes round a second time, and nothing more is posted that day."""
    await subscribe(store, clock.now())
    scheduler = make_scheduler()
    clock.set(NINE)
    assert (await scheduler.run_due()).count(Outcome.POSTED) == 1
    clock.set(NINE - timedelta(hours=1))
    assert (await scheduler.run_due()).results == []
    admin = Request(text="", user="U-admin", channel="C1", platform="slack", is_admin=True)
    reply = await service.handle(admin, "on 09:00")
    assert "Next tip: Tuesday 4 June 2024, 09:00 UTC" in reply.body
    for minutes in (0, 30, 60):
        clock.set(NINE + timedelta(minutes=minutes))
        await scheduler.run_due()
    assert len(slack.posts) == 1
    clock.set(NINE + timedelta(days=1))
    assert (await scheduler.run_due()).count(Outcome.POSTED) == 1
