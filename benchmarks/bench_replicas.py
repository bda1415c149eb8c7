"""Benchmark replicas: signed /mlcareer slash commands per second and their p99 through a
round-robin proxy, in front of one and then three ``mlcareer run slack --http`` subprocesses
sharing one PostgreSQL database (a throw-away server, or --postgres-url), on loopback, with
the fake Slack Web API on 127.0.0.1.

Usage: python benchmarks/bench_replicas.py [--requests 3000] [--concurrency 50]
                                           [--postgres-url URL]

Each setup gets the same saturated run: 50 clients each send the next command as soon as the
last is answered (see benchmarks/slack_http.py), so throughput is the most the replicas do
together and latency is mostly waiting in line. The proxy is in both runs, so the difference
is the replicas. On a machine with fewer free cores than replicas, three cannot beat one by
much: the figures say what this machine does, printed with its core count and load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.slack_http import fire, load, report, signed_commands  # noqa: E402
from benchmarks.tips_due import postgres_database  # noqa: E402
from tests.adapters.slack.fake_slack import FakeSlack  # noqa: E402
from tests.adapters.slack.proxy import RoundRobinProxy  # noqa: E402
from tests.adapters.slack.subprocess_bot import (  # noqa: E402
    BotProcess,
    bot_environment,
    free_port,
)


async def measure(
    replicas: int, database: str, args: argparse.Namespace
) -> tuple[list[float], int, float]:
    """Start ``replicas`` bots behind a fresh proxy, warm them up, time the saturated run."""
    fake = FakeSlack()
    await fake.start()
    ports = [free_port() for _ in range(replicas)]
    env = bot_environment(fake.api_url, DATABASE_URL=database)
    with tempfile.TemporaryDirectory() as empty:
        bots = [
            BotProcess(
                Path(empty),
                env,
                "--log-level",
                "WARNING",
                "run",
                "slack",
                "--http",
                "--port",
                str(p),
            )
            for p in ports
        ]
        backends = [f"http://127.0.0.1:{port}" for port in ports]
        proxy = RoundRobinProxy(backends, fresh_connections=False)
        await proxy.start()
        try:
            await asyncio.gather(*(bot.start() for bot in bots))
            connector = aiohttp.TCPConnector(limit=args.concurrency)
            async with aiohttp.ClientSession(connector=connector) as session:
                for bot, port in zip(bots, ports, strict=True):
                    await bot.wait_healthy(session, f"http://127.0.0.1:{port}/healthz")
                url = f"{proxy.url}/slack/events"
                warmup = signed_commands(args.warmup, fake.response_url())
                await fire(session, url, warmup, args.concurrency)
                requests = signed_commands(args.requests, fake.response_url())
                return await fire(session, url, requests, args.concurrency)
        finally:
            await asyncio.gather(*(bot.stop() for bot in bots), return_exceptions=True)
            await proxy.stop()
            await fake.stop()


async def main(args: argparse.Namespace) -> None:
    with postgres_database(args.postgres_url) as database:
        one = await measure(1, database, args)
        three = await measure(3, database, args)
    print("command: mlcareer run slack --http, N subprocesses behind a round-robin proxy")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load {load()}")
    print(f"up to {args.concurrency} signed /mlcareer slash commands in flight, saturated")
    rate_one, p99_one = report("1 replica ", *one)
    rate_three, p99_three = report("3 replicas", *three)
    print(
        f"3 vs 1 replica: throughput x{rate_three / rate_one:.2f}, "
        f"p99 {p99_one:.1f} ms -> {p99_three:.1f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=3000, help="timed requests (default 3000)")
    parser.add_argument(
        "--concurrency", type=int, default=50, help="requests in flight (default 50)"
    )
    parser.add_argument(
        "--warmup", type=int, default=300, help="untimed requests first (default 300)"
    )
    parser.add_argument(
        "--postgres-url", help="a PostgreSQL server to use instead of a throw-away one"
    )
    asyncio.run(main(parser.parse_args()))
