"""Print how long finding the due daily-tip subscriptions takes with many channels subscribed,
on SQLite and on PostgreSQL.

For each backend it fills a throw-away database with N subscriptions (default 100,000) spread
over time zones, times of day, platforms and daily/weekdays, then steps through a day in
5-minute ticks like a running scheduler would: at each tick it times the store's ``due`` calls
(the indexed query plus turning rows into Subscriptions, batch by batch as the scheduler reads
them) and moves the due ones on, untimed.
Then the worst case, every subscription due at once after a long outage: the scheduler reads
that backlog in batches of ``DUE_BATCH`` in due order, so the figures are the first batch
(what stands between waking up and the first post), each batch, and the whole walk; for
comparison, the same backlog read in one query as one list. Then ``next_fire_after``.
Last, for SQLite, the event loop's lag while a save waits for another connection's write lock
(as when ``mlcareer tips send-due`` runs from cron beside ``mlcareer run``).

PostgreSQL is a server started for the run in a temporary folder (as the tests do, see
tests/postgres.py), or the one at --postgres-url (its tables are created in a new schema that
is dropped afterwards).

Usage: python benchmarks/tips_due.py [--subscriptions N] [--seed S]
       [--backend sqlite|postgres|both] [--postgres-url URL]
Targets: finding the due ones under 50 ms a tick with 100,000 subscriptions; loop lag under
100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sqlite3
import statistics
import sys
import tempfile
import threading
import time as clock
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.tips.database import open_database  # noqa: E402
from bot.tips.models import ChannelKey, Days, Subscription  # noqa: E402
from bot.tips.ports import DUE_BATCH, TipsStore  # noqa: E402
from bot.tips.postgres_store import migrate  # noqa: E402
from bot.tips.schedule import next_fire  # noqa: E402
from bot.tips.sqlite_store import SqliteStore  # noqa: E402
from bot.tips.stores import open_store  # noqa: E402
from tests.postgres import PostgresServer, find_binaries  # noqa: E402

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
COLUMNS = "platform, channel, at, zone, days, next_fire, updated_at"
LOCK_HELD_SECONDS = 2.0


def subscription_rows(count: int, rng: random.Random) -> list[tuple[Any, ...]]:
    """``count`` subscriptions as ``tips on`` would have saved them, as table rows."""
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
    return rows


def fill_sqlite(path: Path, rows: list[tuple[Any, ...]]) -> None:
    """Insert the rows in one transaction (no ANALYZE: the planner must pick the index on a
    fresh file too)."""
    conn = open_database(f"sqlite:///{path}")
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO subscriptions ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    conn.close()


async def fill_postgres(url: str, rows: list[tuple[Any, ...]]) -> None:
    """Migrate and COPY the rows in (no ANALYZE, as for SQLite)."""
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        await migrate(conn)
        async with (
            conn.cursor() as cursor,
            cursor.copy(f"COPY subscriptions ({COLUMNS}) FROM STDIN") as copy,
        ):
            for row in rows:
                await copy.write_row(row)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


async def measure(store: TipsStore, count: int) -> None:
    timings: list[float] = []
    due_counts: list[int] = []
    moment = START
    while moment < START + timedelta(days=1):
        moment += timedelta(minutes=5)
        spent, found = 0.0, 0
        after: Subscription | None = None
        while True:  # every batch due at this tick, as Scheduler.run_due reads them
            began = clock.perf_counter()
            due = await store.due(moment, PLATFORMS, after, DUE_BATCH)
            spent += clock.perf_counter() - began
            found += len(due)
            for sub in due:  # what the scheduler does after posting; not timed
                following = next_fire(moment, sub.at, ZoneInfo(sub.zone), sub.days).at
                await store.advance(sub.key, sub.next_fire, following)
            if len(due) < DUE_BATCH:
                break
            after = due[-1]
        timings.append(spent)
        due_counts.append(found)
    began = clock.perf_counter()
    upcoming = await store.next_fire_after(moment, PLATFORMS)
    next_time = clock.perf_counter() - began

    outage = START + timedelta(days=3)
    batches: list[float] = []
    walked = 0
    after = None
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

    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"  subscriptions: {count:,} over {len(ZONES)} time zones, {len(PLATFORMS)} platforms")
    print(
        f"  finding the due ones, one day in 5-minute ticks ({len(timings)} ticks, "
        f"{statistics.mean(due_counts):.0f} due per tick on average, max {max(due_counts)}, "
        f"read in batches of {DUE_BATCH}), time per tick:"
    )
    print(
        f"    median {ms(statistics.median(timings))}, p95 {ms(p95)}, max {ms(timings[-1])}"
        f"  (target < 50 ms)"
    )
    print(f"  worst case, all {walked:,} due at once after an outage, in batches of {DUE_BATCH}:")
    print(
        f"    first batch {ms(batches[0])}, per batch median {ms(statistics.median(batches))}, "
        f"max {ms(max(batches))}; all {len(batches)} batches {ms(sum(batches))}"
    )
    print(f"    the same {len(everything):,} in one query, as one list: {ms(at_once)}")
    print(f"  next_fire_after: {ms(next_time)} (next fire {upcoming:%Y-%m-%d %H:%M} UTC)")


def hold_write_lock(path: Path, locked: threading.Event) -> None:
    """Another process's transaction: the write lock, held for LOCK_HELD_SECONDS."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    locked.set()
    clock.sleep(LOCK_HELD_SECONDS)
    conn.execute("ROLLBACK")
    conn.close()


async def loop_lag(path: Path) -> None:
    """The loop's worst lateness while a save waits for another connection's write lock."""
    store = await SqliteStore.open(f"sqlite:///{path}")
    locked = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(path, locked))
    holder.start()
    await asyncio.to_thread(locked.wait)
    lags: list[float] = []

    async def probe() -> None:
        while True:
            before = clock.perf_counter()
            await asyncio.sleep(0.005)
            lags.append(clock.perf_counter() - before - 0.005)

    probing = asyncio.create_task(probe())
    began = clock.perf_counter()
    await store.save(
        Subscription(ChannelKey("slack", "C-lag"), time(9), "UTC", Days.DAILY, START, START)
    )
    waited = clock.perf_counter() - began
    probing.cancel()
    await asyncio.to_thread(holder.join)
    await store.close()
    print(
        f"  loop lag while a save waited {waited:.2f} s for another connection's write lock: "
        f"max {ms(max(lags))} over {len(lags)} probes every 5 ms (target < 100 ms)"
    )


async def bench_sqlite(rows: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        fill_sqlite(path, rows)
        store = await open_store(f"sqlite:///{path}")
        try:
            await measure(store, len(rows))
        finally:
            await store.close()
        await loop_lag(path)


@contextlib.contextmanager
def postgres_database(url: str | None) -> Iterator[str]:
    """A schema of its own on the server at ``url``, or on a throw-away server."""
    if url is not None:
        name = f"tips_bench_{random.randrange(10**9)}"
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"CREATE SCHEMA {name}")
            try:
                joiner = "&" if "?" in url else "?"
                yield f"{url}{joiner}options=-csearch_path%3D{name}"
            finally:
                admin.execute(f"DROP SCHEMA {name} CASCADE")
        return
    binaries = find_binaries()
    if binaries is None:
        raise SystemExit(
            "no PostgreSQL server binaries found: install postgresql or pass --postgres-url"
        )
    server = PostgresServer(binaries)
    try:
        server.start()
        with server.database() as database:
            yield database
    finally:
        server.stop()


async def bench_postgres(rows: list[tuple[Any, ...]], url: str) -> None:
    await fill_postgres(url, rows)
    store = await open_store(url)
    try:
        await measure(store, len(rows))
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=100_000, metavar="N")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--postgres-url", metavar="URL", help="use this server, not a new one")
    args = parser.parse_args()
    rows = subscription_rows(args.subscriptions, random.Random(args.seed))
    if args.backend in ("sqlite", "both"):
        print("SQLite:")
        asyncio.run(bench_sqlite(rows))
    if args.backend in ("postgres", "both"):
        with postgres_database(args.postgres_url) as url:
            print("PostgreSQL:")
            asyncio.run(bench_postgres(rows, url))


if __name__ == "__main__":
    main()
