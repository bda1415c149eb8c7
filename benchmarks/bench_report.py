"""Print how long ``mlcareer report`` takes on 100,000 logged questions (target: under 5 s).

Fills a throw-away database with N questions (default 100,000) spread over 30 days: the
simulated week's templates (tests/questions/week.py) scaled up, each wording answered once by
the real router for its band and entry, from 5,000 people, with a votes table (migration 8's
DDL) holding a vote on every tenth question. Then times what the command does: read the log
(questions with their vote totals, and the daily counts), build the report (clusters and
all) and render it as text and HTML. SQLite always; PostgreSQL too when its server binaries
are installed (a throw-away server) or with --postgres-url.

    .venv/bin/python benchmarks/bench_report.py [--questions 100000] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.request import Request  # noqa: E402
from bot.core.router import Router  # noqa: E402
from bot.core.services import Services  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402
from bot.knowledge.model import KnowledgeBase  # noqa: E402
from bot.matching.matcher import Matcher  # noqa: E402
from bot.questions.render import render_html, render_text  # noqa: E402
from bot.questions.report import build_report  # noqa: E402
from bot.questions.sql_log import open_question_log  # noqa: E402
from bot.settings import DEFAULT_KNOWLEDGE_DIR  # noqa: E402
from tests.postgres import PostgresServer, find_binaries  # noqa: E402
from tests.questions.votes import VOTES_DDL  # noqa: E402
from tests.questions.week import week  # noqa: E402

TARGET_SECONDS = 5.0
DAYS = 30
END = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
START = END - timedelta(days=DAYS)


async def make_rows(
    count: int, knowledge: KnowledgeBase, matcher: Matcher
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], dict[tuple[str, str, str], int]]:
    """The question rows, the vote rows and the daily counts, as the log would hold them."""
    router = Router(Services(knowledge=knowledge, matcher=matcher))
    outcomes: dict[str, tuple[str, str | None, str | None, float | None]] = {}
    rows: list[tuple[Any, ...]] = []
    votes: list[tuple[Any, ...]] = []
    counts: dict[tuple[str, str, str], int] = {}
    rng = random.Random(3)
    span = timedelta(days=DAYS) / count
    for n, (_, platform, workspace, user, text) in enumerate(
        week(START, count, people=5000, seed=11)
    ):
        if text not in outcomes:
            reply = await router.handle(Request(text))
            outcomes[text] = (reply.kind.value, reply.entry_id, reply.section, reply.score)
        band, entry, section, score = outcomes[text]
        asked = START + span * n
        qid = uuid.uuid4().hex
        rows.append(
            (
                qid,
                int(asked.timestamp()),
                platform,
                workspace,
                "channel",
                f"h{user}",
                text,
                band,
                entry,
                section,
                score,
            )
        )
        if n % 10 == 0:
            votes.append((qid, f"h{user}", rng.choice((1, 1, -1)), None, int(asked.timestamp())))
        day = asked.date().isoformat()
        counts[(day, platform, band)] = counts.get((day, platform, band), 0) + 1
    return rows, votes, counts


INSERT_QUESTIONS = "INSERT INTO questions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
INSERT_VOTES = "INSERT INTO votes VALUES (?, ?, ?, ?, ?)"
INSERT_COUNTS = "INSERT INTO question_counts VALUES (?, ?, ?, ?)"


async def timed_report(url: str, knowledge: KnowledgeBase, matcher: Matcher) -> str:
    started, cpu = time.perf_counter(), time.process_time()
    log = await open_question_log(url)
    try:
        snapshot = await log.read(START)
    finally:
        await log.close()
    read = time.perf_counter()
    report = build_report(snapshot, matcher, knowledge, START.date(), END.date())
    built = time.perf_counter()
    text = render_text(report)
    render_html(report)
    done = time.perf_counter()
    total = done - started
    verdict = "OK" if total < TARGET_SECONDS else f"over the {TARGET_SECONDS:g} s target"
    # CPU time beside the wall clock: on a shared machine the wall clock counts other
    # processes' turns too (the load average is printed with it).
    print(
        f"  {len(snapshot.questions):,} questions: read {read - started:.2f} s, "
        f"report {built - read:.2f} s, render {done - built:.2f} s; "
        f"total {total:.2f} s wall ({verdict}), {time.process_time() - cpu:.2f} s CPU; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    return text


async def bench_sqlite(data: Any, knowledge: KnowledgeBase, matcher: Matcher) -> str:
    rows, votes, counts = data
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        log = await open_question_log(url)  # creates and migrates the file
        await log.close()
        conn = sqlite3.connect(f"{folder}/bench.db", isolation_level=None)
        conn.execute("BEGIN")
        conn.execute(VOTES_DDL)
        conn.executemany(INSERT_QUESTIONS, rows)
        conn.executemany(INSERT_VOTES, votes)
        conn.executemany(INSERT_COUNTS, [(*key, n) for key, n in counts.items()])
        conn.execute("COMMIT")
        conn.close()
        print("SQLite:")
        return await timed_report(url, knowledge, matcher)


@contextlib.contextmanager
def postgres_database(url: str | None) -> Iterator[str | None]:
    if url is not None:
        yield url
        return
    binaries = find_binaries()
    if binaries is None:
        yield None
        return
    server = PostgresServer(binaries)
    try:
        server.start()
        with server.database() as database:
            yield database
    finally:
        server.stop()


async def bench_postgres(data: Any, url: str, knowledge: KnowledgeBase, matcher: Matcher) -> None:
    rows, votes, counts = data
    log = await open_question_log(url)
    await log.close()
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        await conn.execute("DROP TABLE IF EXISTS votes")
        await conn.execute(VOTES_DDL)
        await conn.execute("TRUNCATE questions, question_counts")
        async with conn.cursor() as cursor:
            async with cursor.copy("COPY questions FROM STDIN") as copy:
                for row in rows:
                    await copy.write_row(row)
            async with cursor.copy("COPY votes FROM STDIN") as copy:
                for row in votes:
                    await copy.write_row(row)
            for key, n in counts.items():
                await cursor.execute(
                    "INSERT INTO question_counts VALUES (%s, %s, %s, %s)", (*key, n)
                )
    print("PostgreSQL:")
    await timed_report(url, knowledge, matcher)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument(
        "--postgres-url", help="a PostgreSQL database to use (its tables are replaced)"
    )
    args = parser.parse_args()
    knowledge = load_knowledge(DEFAULT_KNOWLEDGE_DIR)
    matcher = Matcher(knowledge)
    started = time.perf_counter()
    data = await make_rows(args.questions, knowledge, matcher)
    print(f"generated {args.questions:,} questions in {time.perf_counter() - started:.1f} s")
    text = await bench_sqlite(data, knowledge, matcher)
    with postgres_database(args.postgres_url) as url:
        if url is None:
            print("PostgreSQL: skipped (no server binaries; pass --postgres-url)")
        else:
            await bench_postgres(data, url, knowledge, matcher)
    print("\nThe SQLite report's text (the first 40 lines):")
    print("\n".join(text.splitlines()[:40]))


if __name__ == "__main__":
    asyncio.run(main())
