"""Print how long finding the due daily-tip subscriptions takes with many channels subscribed.

Builds a throw-away SQLite file with N subscriptions (default 10,000) spread over time zones,
times of day, platforms and daily/weekdays, then steps through a day in 5-minute ticks like a
running scheduler would: at each tick it times ``SqliteStore.due`` (the indexed query plus
turning rows into Subscriptions) and then moves the due ones on, untimed. Then the worst case,
every subscription due at once after a long outage: the scheduler reads that backlog in
batches of ``DUE_BATCH`` in due order, so the figures are the first batch (what stands between
waking up and the first post), each batch, and the whole walk; for comparison, the same
backlog read in one query as one list. Last, ``next_fire_after``.

Usage: python benchmarks/tips_due.py [--subscriptions N] [--seed S]
Target: under 50 ms per due query with 10,000 subscriptions.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time as clock
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.tips.database import open_database
from bot.tips.models import Days, Subscription
from bot.tips.ports import DUE_BATCH
from bot.tips.schedule import next_fire
from bot.tips.sqlite_store import SqliteStore

ZONES = (
    "UTC", "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Warsaw",
    "Europe/Kyiv", "Europe/Istanbul", "Africa/Lagos", "Africa/Nairobi", "Asia/Dubai",
    "Asia/Kolkata", "Asia/Kathmandu", "Asia/Dhaka", "Asia/Bangkok", "Asia/Singapore",
    "Asia/Shanghai", "Asia/Tokyo", "Asia/Seoul", "Australia/Sydney", "Australia/Adelaide",
    "Australia/Lord_Howe", "Pacific/Auckland", "Pacific/Honolulu", "America/Anchorage",
    "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York",
    "America/Toronto", "America/Mexico_City", "America/Bogota", "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires", "America/St_Johns", "Atlantic/Azores",
)  # fmt: skip
START = datetime(2024, 6, 3, 0, 0, tzinfo=UTC)
PLATFORMS = ("slack", "discord")


def populate(path: Path, count: int, rng: random.Random) -> None:
    """Insert ``count`` subscriptions in one transaction, as ``tips on`` would have saved them."""
    conn = open_database(f"sqlite:///{path}")
    rows = []
    for n in range(count):
        zone = rng.choice(ZONES)
        at = time(rng.randrange(24), rng.choice((0, 15, 30, 45)))
        days = rng.choice((Days.DAILY, Days.DAILY, Days.WEEKDAYS))
        fire = next_fire(START, at, ZoneInfo(zone), days).at
        platform = PLATFORMS[n % 2]
        channel = f"C{n:06d}" if platform == "slack" else str(10**17 + n)
        row = (platform, channel, f"{at:%H:%M}", zone, days.value, int(fire.timestamp()))
        rows.append((*row, int(START.timestamp())))
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO subscriptions (platform, channel, at, zone, days, next_fire, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute("COMMIT")  # no ANALYZE: the planner must pick the index on a fresh file too
    conn.close()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


async def measure(path: Path, count: int) -> None:
    store = SqliteStore.open(f"sqlite:///{path}")
    try:
        timings: list[float] = []
        due_counts: list[int] = []
        moment = START
        while moment < START + timedelta(days=1):
            moment += timedelta(minutes=5)
            began = clock.perf_counter()
            due = await store.due(moment, PLATFORMS)
            timings.append(clock.perf_counter() - began)
            due_counts.append(len(due))
            for sub in due:  # what the scheduler does after posting; not timed
                following = next_fire(moment, sub.at, ZoneInfo(sub.zone), sub.days).at
                await store.advance(sub.key, sub.next_fire, following)
        began = clock.perf_counter()
        upcoming = await store.next_fire_after(moment, PLATFORMS)
        next_time = clock.perf_counter() - began

        outage = START + timedelta(days=3)
        batches: list[float] = []
        walked = 0
        after: Subscription | None = None
        while True:  # what Scheduler.run_due does, minus the posting
            began = clock.perf_counter()
            batch = await store.due(outage, PLATFORMS, after, DUE_BATCH)
            batches.append(clock.perf_counter() - began)
            walked += len(batch)
            if len(batch) < DUE_BATCH:
                break
            after = batch[-1]

        began = clock.perf_counter()
        everything = await store.due(outage, PLATFORMS, None, count)
        at_once = clock.perf_counter() - began
    finally:
        store.close()

    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"subscriptions: {count:,} over {len(ZONES)} time zones, {len(PLATFORMS)} platforms")
    print(
        f"due query, one day in 5-minute ticks ({len(timings)} ticks, "
        f"{statistics.mean(due_counts):.0f} due per tick on average, max {max(due_counts)}):"
    )
    print(
        f"  median {ms(statistics.median(timings))}, p95 {ms(p95)}, max {ms(timings[-1])}"
        f"  (target < 50 ms)"
    )
    print(f"worst case, all {walked:,} due at once after an outage, in batches of {DUE_BATCH}:")
    print(
        f"  first batch {ms(batches[0])}, per batch median {ms(statistics.median(batches))}, "
        f"max {ms(max(batches))}; all {len(batches)} batches {ms(sum(batches))}"
    )
    print(f"  the same {len(everything):,} in one query, as one list: {ms(at_once)}")
    print(f"next_fire_after: {ms(next_time)} (next fire {upcoming:%Y-%m-%d %H:%M} UTC)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=10_000, metavar="N")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        populate(path, args.subscriptions, random.Random(args.seed))
        asyncio.run(measure(path, args.subscriptions))


if __name__ == "__main__":
    main()
