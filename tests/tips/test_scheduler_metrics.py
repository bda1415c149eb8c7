"""The scheduler counts each due tip it dealt with: posted, failed or skipped."""

from __future__ import annotations

from datetime import timedelta

from bot.errors import PlatformError
from bot.ops.metrics import PrometheusMetrics
from bot.tips.models import ChannelKey
from bot.tips.sqlite_store import SqliteStore
from bot.tips.testing import FakeClock, RecordingSender
from tests.ops.prometheus import sample

from .conftest import SchedulerFactory, subscribe, utc


def tips(metrics: PrometheusMetrics, result: str) -> float:
    return sample(metrics.render().decode(), "mlcareer_tips_total", platform="slack", result=result)


async def test_posted_failed_and_skipped_tips_are_counted(
    store: SqliteStore, make_scheduler: SchedulerFactory, slack: RecordingSender, clock: FakeClock
) -> None:
    metrics = PrometheusMetrics()
    scheduler = make_scheduler(metrics=metrics, grace=timedelta(hours=6))
    await subscribe(store, clock.now(), ChannelKey("slack", "C-ok"))
    await subscribe(store, clock.now(), ChannelKey("slack", "C-down"))
    slack.fail = lambda channel: PlatformError("Slack is down") if channel == "C-down" else None
    clock.set(utc(2024, 6, 3, 9, 0))
    await scheduler.run_due()
    assert (tips(metrics, "posted"), tips(metrics, "failed"), tips(metrics, "skipped")) == (1, 1, 0)

    # The next day's run comes seven hours late: both channels' tips are skipped.
    clock.set(utc(2024, 6, 4, 16, 0))
    await scheduler.run_due()
    assert (tips(metrics, "posted"), tips(metrics, "failed"), tips(metrics, "skipped")) == (1, 1, 2)
    assert len(slack.posts) == 1


async def test_a_run_with_nothing_due_counts_nothing(
    store: SqliteStore, make_scheduler: SchedulerFactory, clock: FakeClock
) -> None:
    metrics = PrometheusMetrics()
    await subscribe(store, clock.now())
    await make_scheduler(metrics=metrics).run_due(utc(2024, 6, 3, 8, 0))
    assert "mlcareer_tips_total{" not in metrics.render().decode()
