"""Interactions per second and latency of the Discord adapter on loopback.

Latency is measured from the moment the fake Discord sends INTERACTION_CREATE on the gateway
to the moment it receives the interaction callback (POST /interactions/{id}/{token}/callback),
through the real discord.py client, the router and the renderer. The fake and the bot share
one event loop, as they would share one machine's CPU; nothing leaves 127.0.0.1.

Usage: python benchmarks/discord_interactions.py [--count 1000] [--concurrency 10]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import time
from itertools import cycle
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.adapters.discord.harness import DiscordHarness, command_payload

TEXTS = (
    "skills",
    "salary",
    "help",
    "career-path",
    "do I need a degree?",
    "which industries hire ML engineers?",
    "tip",
    "what does an ML engineer do all day",
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def one(harness: DiscordHarness, text: str) -> float:
    """Seconds from INTERACTION_CREATE sent to the callback received."""
    payload = command_payload(text)
    sent = time.perf_counter()
    (callback, *_) = await harness.interact(payload, within=10)
    return callback.at - sent


def report(name: str, latencies: list[float], wall: float) -> None:
    ms = [value * 1000 for value in latencies]
    print(
        f"{name:22} n={len(ms):5}  {len(ms) / wall:7.1f} interactions/s  "
        f"p50={percentile(ms, 0.50):6.2f} ms  p99={percentile(ms, 0.99):6.2f} ms  "
        f"max={max(ms):6.2f} ms  mean={statistics.fmean(ms):6.2f} ms"
    )


async def main(count: int, concurrency: int) -> None:
    logging.basicConfig(level=logging.WARNING)
    async with DiscordHarness() as harness:
        texts = cycle(TEXTS)
        for _ in range(50):  # warm-up: imports, caches, connection pool
            await one(harness, next(texts))

        start = time.perf_counter()
        sequential = [await one(harness, next(texts)) for _ in range(count)]
        report("one at a time", sequential, time.perf_counter() - start)

        gate = asyncio.Semaphore(concurrency)

        async def limited(text: str) -> float:
            async with gate:
                return await one(harness, text)

        start = time.perf_counter()
        concurrent = await asyncio.gather(*(limited(next(texts)) for _ in range(count)))
        report(f"{concurrency} in flight", list(concurrent), time.perf_counter() - start)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="interactions per phase")
    parser.add_argument("--concurrency", type=int, default=10, help="in flight at once")
    args = parser.parse_args()
    asyncio.run(main(args.count, args.concurrency))
