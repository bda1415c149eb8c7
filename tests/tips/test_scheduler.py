"""The scheduler posts each due tip exactly once per channel per local date, whatever happens."""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.reply import Reply, ReplyKind
from bot.errors import ChannelGoneError, PlatformError
from bot.knowledge.model import KnowledgeBase
from bot.tips.models import ChannelKey, ClaimStatus, Days, Deck, PlannedPost
from bot.tips.ports import TipsStore
from bot.tips.scheduler import MAX_ATTEMPTS, Outcome, RunReport, Scheduler, retry_delay
from bot.tips.stores import open_store
from bot.tips.testing import FakeClock, HeldSender, RecordingSender

from .conftest import START, SchedulerFactory, small_knowledge, subscribe, utc

KEY = ChannelKey("slack", "C1")


async def test_a_due_tip_is_posted_once_as_a_public_tip_reply(
    store: TipsStore, make_scheduler: SchedulerFactory, slack: RecordingSender, clock: FakeClock
) -> None:
    """At 09:00 the channel gets one tip with its section and how to ask for more; never twice."""
    await subscribe(store, clock.now())
    scheduler = make_scheduler()
    early = await scheduler.run_due(utc(2024, 6, 3, 8, 59))
    assert early.results == []
    clock.set(utc(2024, 6, 3, 9, 0))
    report = await scheduler.run_due()
    assert report.count(Outcome.POSTED) == 1
    assert len(slack.posts) == 1
    channel, reply = slack.posts[0]
    assert channel == "C1"
    assert reply.kind is ReplyKind.TIP
    assert reply.public is True
    assert reply.body.startswith("Test tip number")
    assert reply.section is not None
    assert reply.source is not None
    assert f"/mlcareer {reply.section}" in reply.source
    again = await scheduler.run_due(utc(2024, 6, 3, 9, 30))
    assert again.results == []
    assert len(slack.posts) == 1
    stored = await store.get(KEY)
    assert stored is not None
    assert stored.next_fire == utc(2024, 6, 4, 9, 0)


async def test_a_whole_deck_is_posted_without_repeats(
    store: TipsStore, make_scheduler: SchedulerFactory, slack: RecordingSender, clock: FakeClock
) -> None:
    """Day after day, every tip is posted once before the first one comes back."""
    knowledge = small_knowledge(9)
    await subscribe(store, clock.now())
    scheduler = make_scheduler(tips=knowledge)
    for day in range(12):
        clock.set(utc(2024, 6, 3, 9, 0) + timedelta(days=day))
        await scheduler.run_due()
    tips = [reply.entry_id for _, reply in slack.posts]
    assert len(tips) == 12
    assert sorted(tips[:9]) == sorted(tip.id for tip in knowledge.tips)
    assert len(set(tips[9:])) == 3
    assert tips[9] != tips[8]


async def test_weekdays_subscription_posts_monday_to_friday_only(
    store: TipsStore, make_scheduler: SchedulerFactory, slack: RecordingSender, clock: FakeClock
) -> None:
    """A weekdays channel in Berlin gets five tips in a week, on Monday to Friday local dates."""
    clock.set(utc(2024, 6, 3, 0, 0))
    await subscribe(store, clock.now(), at=time(8, 30), zone="Europe/Berlin", days=Days.WEEKDAYS)
    scheduler = make_scheduler()
    posted_on: list[date] = []
    moment = clock.now()
    while moment < utc(2024, 6, 10, 12, 0):
        moment += timedelta(minutes=30)
        clock.set(moment)
        report = await scheduler.run_due()
        if report.count(Outcome.POSTED):
            posted_on.append(moment.astimezone(ZoneInfo("Europe/Berlin")).date())
    assert posted_on == [date(2024, 6, d) for d in (3, 4, 5, 6, 7, 10)]
    assert len(slack.posts) == 6


@pytest.mark.parametrize(
    ("zone", "at", "night_start", "expected_post"),
    [
        # Spring forward: 02:30 doesn't exist; the tip goes out at 03:00 local, that day.
        ("Europe/Berlin", time(2, 30), utc(2024, 3, 30, 22), utc(2024, 3, 31, 1, 0)),
        ("America/New_York", time(2, 30), utc(2024, 3, 10, 4), utc(2024, 3, 10, 7, 0)),
        # Fall back: 02:30 (Berlin) / 01:30 (New York) happen twice; one tip, at the first.
        ("Europe/Berlin", time(2, 30), utc(2024, 10, 26, 22), utc(2024, 10, 27, 0, 30)),
        ("America/New_York", time(1, 30), utc(2024, 11, 3, 3), utc(2024, 11, 3, 5, 30)),
    ],
)
async def test_dst_nights_post_exactly_one_tip(
    store: TipsStore,
    make_scheduler: SchedulerFactory,
    slack: RecordingSender,
    clock: FakeClock,
    zone: str,
    at: time,
    night_start: datetime,
    expected_post: datetime,
) -> None:
    """Stepping a fake clock through a DST night minute by minute: one tip, at the right instant."""
    clock.set(night_start - timedelta(days=1))
    await subscribe(store, clock.now(), at=at, zone=zone)
    scheduler = make_scheduler()
    clock.set(night_start)
    await scheduler.run_due()
    slack.posts.clear()  # the tip of the day before
    posted_at: list[datetime] = []
    moment = night_start
    while moment < night_start + timedelta(hours=10):
        moment += timedelta(minutes=1)
        clock.set(moment)
        if (await scheduler.run_due()).count(Outcome.POSTED):
            posted_at.append(moment)
    assert posted_at == [expected_post]


async def test_run_forever_sleeps_on_the_clock_until_the_next_tip(
    store: TipsStore, make_scheduler: SchedulerFactory, slack: RecordingSender, clock: FakeClock
) -> None:
    """The long-running loop wakes at the fire time (or the poll cap), posts, and sleeps again."""
    await subscribe(store, clock.now(), at=time(9, 0))
    scheduler = make_scheduler(poll=timedelta(minutes=5))
    task = asyncio.create_task(scheduler.run_forever())
    try:
        wake = await clock.wait_for_sleeper()
        assert wake == utc(2024, 6, 3, 8, 5)  # the next tip is an hour away: the poll cap
        assert slack.posts == []
    finally:
        task.cancel()
    # A subscription due sooner than the poll cap: the loop sleeps exactly until it.
    await store.delete(KEY)
    await subscribe(store, clock.now(), at=time(8, 3))
    task = asyncio.create_task(scheduler.run_forever())
    try:
        wake = await clock.wait_for_sleeper()
        assert wake == utc(2024, 6, 3, 8, 3)
        clock.set(wake)
        next_wake = await clock.wait_for_sleeper()
        assert len(slack.posts) == 1
        assert next_wake == utc(2024, 6, 3, 8, 8)  # nothing due for a day: the poll cap
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_restart_between_claim_and_send_posts_once(
    db_url: str, make_scheduler: SchedulerFactory, clock: FakeClock
) -> None:
    """A process stopped mid-post past its grace abandons the post and releases its claim at
    once, noted as maybe posted: the restart retries it straight away (not after the lease),
    naming it as a retry of the same post so the sender looks for it before posting."""
    first_store = await open_store(db_url)
    await subscribe(first_store, clock.now())
    hanging = HeldSender()  # never released: the request is still out when the stop comes
    crashed = make_scheduler(
        on=first_store, senders={"slack": hanging}, shutdown_grace=timedelta(0)
    )
    clock.set(utc(2024, 6, 3, 9, 0))
    run = asyncio.create_task(crashed.run_due())
    await hanging.started.wait()
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    assert hanging.cancelled == 1
    await first_store.close()

    restarted_store = await open_store(db_url)
    sender = RecordingSender("slack")
    restarted = make_scheduler(on=restarted_store, senders={"slack": sender})
    clock.set(utc(2024, 6, 3, 9, 1))  # well inside the abandoned claim's lease
    assert (await restarted.run_due()).count(Outcome.POSTED) == 1
    assert (await restarted.run_due(utc(2024, 6, 3, 9, 12))).results == []
    assert len(sender.posts) == 1
    once = sender.onces[0]
    assert once is not None
    assert once.retry
    assert once.key == "slack:C1:2024-06-03"
    assert once.since == utc(2024, 6, 3, 9, 0)  # the first attempt's claim time
    await restarted_store.close()


async def test_a_claim_whose_holder_died_waits_for_its_lease(
    db_url: str, make_scheduler: SchedulerFactory, clock: FakeClock, store: TipsStore
) -> None:
    """A holder that died without a word (SIGKILL) keeps its claim until the lease ends; then
    the post is retried as a retry (the sender looks for it first)."""
    await subscribe(store, clock.now())
    hanging = HeldSender()
    dead = make_scheduler(on=store, senders={"slack": hanging})
    clock.set(utc(2024, 6, 3, 9, 0))
    run = asyncio.create_task(dead.run_due())
    await hanging.started.wait()  # left hanging: nothing is recorded, as after a SIGKILL

    other_store = await open_store(db_url)
    sender = RecordingSender("slack")
    other = make_scheduler(on=other_store, senders={"slack": sender})
    clock.set(utc(2024, 6, 3, 9, 5))
    assert (await other.run_due()).count(Outcome.BUSY) == 1
    clock.set(utc(2024, 6, 3, 9, 11))
    assert (await other.run_due()).count(Outcome.POSTED) == 1
    assert len(sender.posts) == 1
    assert sender.onces[0] is not None
    assert sender.onces[0].retry
    await other_store.close()
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run


def test_two_schedulers_in_two_threads_on_one_database_post_once(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """Two schedulers, each on its own thread, event loop and connection to the same database,
    released at the same instant over 120 due channels: every channel gets exactly one tip."""
    channels = [f"C{n:03d}" for n in range(120)]

    async def set_up() -> None:
        setup = await open_store(db_url)
        for channel in channels:
            await subscribe(setup, START, key=ChannelKey("slack", channel))
        await setup.close()

    asyncio.run(set_up())
    posts: list[str] = []  # list.append is atomic, so both threads may share it
    start_together = threading.Barrier(2)
    reports: list[RunReport] = []
    errors: list[BaseException] = []

    class SharedSender:
        platform = "slack"

        async def post(self, channel: str, reply: Reply, *, once: object = None) -> None:
            await asyncio.sleep(0.001)  # a network round trip, for the other thread to overlap
            posts.append(channel)

    async def one_process() -> None:
        store = await open_store(db_url)
        try:
            scheduler = Scheduler(
                queue=store,
                decks=store,
                ledger=store,
                knowledge=knowledge,
                senders={"slack": SharedSender()},
                clock=FakeClock(utc(2024, 6, 3, 9, 0)),
                grace=timedelta(hours=6),
            )
            start_together.wait(timeout=10)
            for _ in range(3):
                reports.append(await scheduler.run_due())
        finally:
            await store.close()

    def thread_main() -> None:
        try:
            asyncio.run(one_process())
        except BaseException as exc:  # handed to the test thread below
            errors.append(exc)

    threads = [threading.Thread(target=thread_main) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(posts) == channels
    assert sum(report.count(Outcome.POSTED) for report in reports) == len(channels)
    assert not any(report.count(Outcome.ERROR) for report in reports)


async def test_a_tip_missed_within_the_grace_period_is_posted_late(
    store: TipsStore, make_scheduler: SchedulerFactory, slack: RecordingSender, clock: FakeClock
) -> None:
    """After five hours of downtime the 09:00 tip still goes out, once."""
    await subscribe(store, clock.now())
    clock.set(utc(2024, 6, 3, 14, 0))
    report = await make_scheduler(grace=timedelta(hours=6)).run_due()
    assert report.count(Outcome.POSTED) == 1
    assert len(slack.posts) == 1


async def test_a_tip_missed_beyond_the_grace_period_is_skipped(
    store: TipsStore, make_scheduler: SchedulerFactory, slack: RecordingSender, clock: FakeClock
) -> None:
    """Seven hours late is too late: nothing is posted today, and tomorrow's tip is on time."""
    await subscribe(store, clock.now())
    scheduler = make_scheduler(grace=timedelta(hours=6))
    clock.set(utc(2024, 6, 3, 16, 0))
    report = await scheduler.run_due()
    assert report.count(Outcome.SKIPPED) == 1
    assert slack.posts == []
    stored = await store.get(KEY)
    assert stored is not None
    assert stored.next_fire == utc(2024, 6, 4, 9, 0)
    clock.set(utc(2024, 6, 4, 9, 0))
    assert (await scheduler.run_due()).count(Outcome.POSTED) == 1


async def test_a_long_outage_posts_at_most_one_catch_up_tip(
    store: TipsStore, make_scheduler: SchedulerFactory, slack: RecordingSender, clock: FakeClock
) -> None:
    """Back after four days: one tip for today (within grace), not a flood of missed ones."""
    await subscribe(store, clock.now())
    clock.set(utc(2024, 6, 7, 10, 0))
    scheduler = make_scheduler()
    await scheduler.run_due()
    await scheduler.run_due()
    assert len(slack.posts) == 1


async def test_a_removed_channel_pauses_the_subscription_without_retrying(
    store: TipsStore,
    make_scheduler: SchedulerFactory,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """ChannelGoneError pauses the channel with the reason, logs it, and stops trying."""
    await subscribe(store, clock.now())
    calls: list[str] = []

    def gone(channel: str) -> Exception:
        calls.append(channel)
        return ChannelGoneError("channel_not_found")

    sender = RecordingSender("slack", fail=gone)
    scheduler = make_scheduler(senders={"slack": sender})
    clock.set(utc(2024, 6, 3, 9, 0))
    with caplog.at_level(logging.WARNING, logger="bot.tips.scheduler"):
        report = await scheduler.run_due()
    assert report.count(Outcome.PAUSED) == 1
    assert "paused slack:C1: channel_not_found" in caplog.text
    stored = await store.get(KEY)
    assert stored is not None
    assert (stored.paused, stored.pause_reason) == (True, "channel_not_found")
    for hours in range(1, 30):
        clock.set(utc(2024, 6, 3, 9, 0) + timedelta(hours=hours))
        assert (await scheduler.run_due()).results == []
    assert calls == ["C1"]


async def test_a_platform_error_keeps_the_claim_and_retries_later(
    store: TipsStore, make_scheduler: SchedulerFactory, clock: FakeClock
) -> None:
    """A failed post stays claimed-unsent, waits its retry delay, and then goes out once."""
    await subscribe(store, clock.now())
    failures = [PlatformError("rate limited")]
    sender = RecordingSender("slack", fail=lambda _: failures.pop() if failures else None)
    scheduler = make_scheduler(senders={"slack": sender})
    clock.set(utc(2024, 6, 3, 9, 0))
    assert (await scheduler.run_due()).count(Outcome.RETRYING) == 1
    clock.advance(retry_delay(1) - timedelta(seconds=1))
    assert (await scheduler.run_due()).count(Outcome.BUSY) == 1
    clock.advance(timedelta(seconds=1))
    assert (await scheduler.run_due()).count(Outcome.POSTED) == 1
    assert len(sender.posts) == 1
    stored = await store.get(KEY)
    assert stored is not None
    assert stored.paused is False


async def test_retries_are_bounded_and_the_next_day_starts_afresh(
    store: TipsStore, make_scheduler: SchedulerFactory, clock: FakeClock
) -> None:
    """A platform that keeps failing is tried MAX_ATTEMPTS times, then that day is given up."""
    await subscribe(store, clock.now())
    calls: list[str] = []
    broken = True

    def failing(channel: str) -> Exception | None:
        calls.append(channel)
        return PlatformError("service unavailable") if broken else None

    sender = RecordingSender("slack", fail=failing)
    scheduler = make_scheduler(senders={"slack": sender})
    clock.set(utc(2024, 6, 3, 9, 0))
    outcomes = []
    while clock.now() < utc(2024, 6, 3, 15, 0):
        outcomes.extend(r.outcome for r in (await scheduler.run_due()).results)
        clock.advance(timedelta(minutes=1))
    assert len(calls) == MAX_ATTEMPTS
    assert outcomes.count(Outcome.GAVE_UP) == 1
    broken = False
    clock.set(utc(2024, 6, 4, 9, 0))
    assert (await scheduler.run_due()).count(Outcome.POSTED) == 1


async def test_an_unexpected_sender_bug_is_logged_and_retried(
    store: TipsStore,
    make_scheduler: SchedulerFactory,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A sender raising something other than PlatformError doesn't stop the run; it's retried."""
    await subscribe(store, clock.now(), key=ChannelKey("slack", "bad"))
    await subscribe(store, clock.now(), key=ChannelKey("slack", "good"))
    sender = RecordingSender(
        "slack", fail=lambda channel: KeyError("oops") if channel == "bad" else None
    )
    clock.set(utc(2024, 6, 3, 9, 0))
    with caplog.at_level(logging.ERROR, logger="bot.tips.scheduler"):
        report = await make_scheduler(senders={"slack": sender}).run_due()
    assert {(str(r.key), r.outcome) for r in report.results} == {
        ("slack:bad", Outcome.RETRYING),
        ("slack:good", Outcome.POSTED),
    }
    assert any(record.exc_info for record in caplog.records)


async def test_platforms_without_a_sender_are_left_for_another_process(
    store: TipsStore, make_scheduler: SchedulerFactory, slack: RecordingSender, clock: FakeClock
) -> None:
    """A Slack-only scheduler leaves Discord subscriptions due and untouched."""
    discord_key = ChannelKey("discord", "123")
    await subscribe(store, clock.now(), key=discord_key)
    clock.set(utc(2024, 6, 3, 9, 0))
    assert (await make_scheduler().run_due()).results == []
    stored = await store.get(discord_key)
    assert stored is not None
    assert stored.next_fire == utc(2024, 6, 3, 9, 0)
    discord = RecordingSender("discord")
    report = await make_scheduler(senders={"slack": slack, "discord": discord}).run_due()
    assert report.count(Outcome.POSTED) == 1
    assert [channel for channel, _ in discord.posts] == ["123"]


async def test_tips_added_and_removed_between_days_never_crash_or_repeat(
    store: TipsStore, make_scheduler: SchedulerFactory, slack: RecordingSender, clock: FakeClock
) -> None:
    """The deck follows the knowledge base as it changes, and nothing repeats needlessly."""
    await subscribe(store, clock.now())
    full = small_knowledge(8)
    days = iter(range(100))

    async def post_with(tip_ids: set[str]) -> str:
        knowledge = replace(full, tips=tuple(t for t in full.tips if t.id in tip_ids))
        clock.set(utc(2024, 6, 3, 9, 0) + timedelta(days=next(days)))
        assert (await make_scheduler(tips=knowledge).run_due()).count(Outcome.POSTED) == 1
        return str(slack.posts[-1][1].entry_id)

    first = {f"tip-0{n}" for n in range(6)}
    posted = [await post_with(first) for _ in range(3)]
    removed = sorted(first - set(posted))[0]  # one tip not posted yet disappears
    second = (first - {removed}) | {"tip-06", "tip-07"}  # and two new ones arrive
    posted += [await post_with(second) for _ in range(len(second) - 3)]
    assert len(posted) == len(set(posted)) == 7
    assert set(posted) == second
    assert removed not in posted


async def test_no_tips_in_the_knowledge_base_posts_nothing(
    store: TipsStore, make_scheduler: SchedulerFactory, slack: RecordingSender, clock: FakeClock
) -> None:
    """An empty deck is reported and skipped, not a crash or a loop."""
    await subscribe(store, clock.now())
    clock.set(utc(2024, 6, 3, 9, 0))
    report = await make_scheduler(tips=small_knowledge(0)).run_due()
    assert report.count(Outcome.NO_TIPS) == 1
    assert slack.posts == []


def test_retry_delay_doubles_up_to_a_ceiling() -> None:
    delays = [retry_delay(n) for n in range(1, 8)]
    assert delays[0] < delays[1] < delays[2]
    assert max(delays) == delays[-1] == timedelta(minutes=30)


def test_start_is_a_monday() -> None:
    """The fixtures' start moment is a Monday 08:00 UTC, which the tests above rely on."""
    assert START.weekday() == 0
    assert START.hour == 8


async def test_a_backlog_is_worked_through_in_batches_each_channel_once(
    store: TipsStore, make_scheduler: SchedulerFactory, slack: RecordingSender, clock: FakeClock
) -> None:
    """Read two at a time, seven due channels are each looked at once in one run, in due
    order; one another process is sending is left busy rather than read again and again."""
    for n in range(7):
        await subscribe(store, clock.now(), key=ChannelKey("slack", f"C{n}"), at=time(8, 50 + n))
    clock.set(utc(2024, 6, 3, 9, 0))
    elsewhere = PlannedPost(ChannelKey("slack", "C3"), date(2024, 6, 3), "tip-00", clock.now())
    held = await store.claim(elsewhere, Deck(("tip-00",)), clock.now(), timedelta(minutes=10), 5)
    assert held.status is ClaimStatus.CLAIMED
    report = await make_scheduler(batch=2).run_due()
    assert [(r.key.channel, r.outcome) for r in report.results] == [
        ("C0", Outcome.POSTED),
        ("C1", Outcome.POSTED),
        ("C2", Outcome.POSTED),
        ("C3", Outcome.BUSY),
        ("C4", Outcome.POSTED),
        ("C5", Outcome.POSTED),
        ("C6", Outcome.POSTED),
    ]
    assert [channel for channel, _ in slack.posts] == ["C0", "C1", "C2", "C4", "C5", "C6"]


async def test_a_retried_post_whose_tip_was_removed_posts_another_without_repeating_it(
    store: TipsStore, make_scheduler: SchedulerFactory, clock: FakeClock
) -> None:
    """The first try fails; before the retry its tip leaves the knowledge base. The retry
    posts the next tip instead, and that one doesn't come back the day after."""
    await subscribe(store, clock.now())
    full = small_knowledge(5)
    failures = [PlatformError("rate limited")]
    sender = RecordingSender("slack", fail=lambda _: failures.pop() if failures else None)
    clock.set(utc(2024, 6, 3, 9, 0))
    first = await make_scheduler(tips=full, senders={"slack": sender}).run_due()
    assert first.count(Outcome.RETRYING) == 1
    deck = await store.load_deck(KEY)
    assert deck is not None
    assert deck.position == 1
    recorded = deck.order[0]  # the tip the failed claim recorded for today
    fewer = replace(full, tips=tuple(t for t in full.tips if t.id != recorded))
    clock.advance(retry_delay(1))
    assert (await make_scheduler(tips=fewer, senders={"slack": sender}).run_due()).count(
        Outcome.POSTED
    ) == 1
    clock.set(utc(2024, 6, 4, 9, 0))
    await make_scheduler(tips=fewer, senders={"slack": sender}).run_due()
    posted = [reply.entry_id for _, reply in sender.posts]
    assert len(posted) == 2
    assert recorded not in posted
    assert posted[0] != posted[1]
