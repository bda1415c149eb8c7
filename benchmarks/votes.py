"""Print how long recording a vote and a note takes, on SQLite and on PostgreSQL.

For each backend it logs Q questions in a throw-away database (a test-only ``questions``
table, as the question log's migration 7 creates it), then times ``Feedback.vote``, the
whole core path an adapter calls (question id check, keyed hash, one transaction that reads
the question and the vote and writes): first votes, double clicks, changed votes, and notes,
one at a time; then 50 voters clicking the same answer at once (every vote on one question
is serialised on its row, so this is the worst case for a popular answer). It also prints the
event loop's worst lag during the SQLite run, since SQLite runs on a worker thread.

Usage: python benchmarks/votes.py [--questions Q] [--backend sqlite|postgres|both]
Target: 50 voters on one answer at once all answered well inside the 3 s Discord allows
before the first response (the vote is stored before it; Slack is acknowledged first).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.request import Request  # noqa: E402
from bot.feedback.service import Feedback  # noqa: E402
from bot.feedback.stores import open_vote_store  # noqa: E402
from tests.feedback.questions import log_question  # noqa: E402
from tests.postgres import PostgresServer, find_binaries  # noqa: E402

KEY = b"benchmark key"


def person(n: int) -> Request:
    return Request(text="", user=f"U{n:06d}", channel="C1", platform="slack", workspace="T1")


async def timed(calls: list[Callable[[], Awaitable[object]]]) -> list[float]:
    spent = []
    for call in calls:
        start = time.perf_counter()
        await call()
        spent.append((time.perf_counter() - start) * 1000)
    return spent


def line(name: str, spent: list[float]) -> None:
    ordered = sorted(spent)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(
        f"  {name:<28} n={len(spent):<5} p50 {statistics.median(spent):6.2f} ms"
        f"  p99 {p99:6.2f} ms  max {ordered[-1]:6.2f} ms"
    )


async def lag_watch(worst: list[float], stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        start = loop.time()
        await asyncio.sleep(0.001)
        worst[0] = max(worst[0], (loop.time() - start - 0.001) * 1000)


async def bench(url: str, label: str, questions: int) -> None:
    store = await open_vote_store(url)
    try:
        ids = [await log_question(store, f"q{n:06d}") for n in range(questions)]
        feedback = Feedback(store, KEY)
        worst, stop = [0.0], asyncio.Event()
        watcher = asyncio.create_task(lag_watch(worst, stop))
        print(f"{label} ({questions} questions logged)")
        line("first vote", await timed([lambda q=q: feedback.vote(person(1), q, 1) for q in ids]))
        line("double click", await timed([lambda q=q: feedback.vote(person(1), q, 1) for q in ids]))
        line(
            "changed vote", await timed([lambda q=q: feedback.vote(person(1), q, -1) for q in ids])
        )
        note = "what I was looking for " * 30
        line(
            "note (500 chars)",
            await timed([lambda q=q: feedback.comment(person(1), q, note) for q in ids]),
        )
        line("unknown question", await timed([lambda: feedback.vote(person(1), "nope", 1)] * 200))
        crowd = []
        for round_ in range(20):
            start = time.perf_counter()
            await asyncio.gather(*(feedback.vote(person(v), ids[round_], 1) for v in range(2, 52)))
            crowd.append((time.perf_counter() - start) * 1000)
        line("50 voters at once (all)", crowd)
        stop.set()
        await watcher
        print(f"  event loop's worst lag: {worst[0]:.2f} ms")
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=500)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    args = parser.parse_args()
    if args.backend in {"sqlite", "both"}:
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(bench(f"sqlite:///{Path(folder) / 'votes.db'}", "SQLite", args.questions))
    if args.backend in {"postgres", "both"}:
        binaries = find_binaries()
        if binaries is None:
            print("PostgreSQL: no server binaries found; skipped")
            return
        server = PostgresServer(binaries)
        try:
            server.start()
            with server.database() as url:
                asyncio.run(bench(url, "PostgreSQL", args.questions))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
