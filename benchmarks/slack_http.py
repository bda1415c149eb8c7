"""Benchmark the Slack adapter in HTTP mode: signed /mlcareer slash commands per second and
the latency from request to response, through ``mlcareer run slack --http`` as a subprocess
on loopback, with a fake Slack Web API (only auth.test is called) on 127.0.0.1.

Usage: python benchmarks/slack_http.py [--requests 6000] [--concurrency 50] [--rate 300]

Two runs, both with up to 50 requests in flight:
  saturated: each of 50 clients sends its next command as soon as the last is answered, so
    throughput is the most the bot can do and latency is mostly waiting in line (about
    50 / throughput);
  paced: commands start at a steady --rate per second (the target load), and each latency is
    counted from when its command was due, so a stall cannot hide (no coordinated omission).
Targets (issue 4): p99 under 50 ms and at least 300 commands/s at 50 concurrent requests.
Requests are signed before the clock starts, so the figures measure the bot, not the client.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.adapters.slack import payloads  # noqa: E402
from tests.adapters.slack.fake_slack import FakeSlack  # noqa: E402
from tests.adapters.slack.harness import signed_headers  # noqa: E402
from tests.adapters.slack.subprocess_bot import (  # noqa: E402
    BotProcess,
    bot_environment,
    free_port,
)

QUESTIONS = (
    "skills",
    "what skills do I need?",
    "salary",
    "how much do ML engineers earn?",
    "do I need a degree?",
    "help",
    "topics",
    "tip",
    "skils",
    "which industries hire ML engineers?",
    "",
    "what does an ML engineer do all day?",
)

Signed = tuple[bytes, dict[str, str]]


def signed_commands(count: int, response_url: str) -> list[Signed]:
    stamp = int(time.time())
    requests: list[Signed] = []
    for number, text in enumerate(islice(cycle(QUESTIONS), count)):
        form = payloads.command(text, response_url=response_url, trigger_id=f"t{number}")
        body = urlencode(form)
        headers = signed_headers(body, "application/x-www-form-urlencoded", timestamp=stamp)
        requests.append((body.encode(), headers))
    return requests


async def fire(
    session: aiohttp.ClientSession, url: str, requests: list[Signed], concurrency: int
) -> tuple[list[float], int, float]:
    """Send every request with ``concurrency`` in flight; (latencies in s, errors, elapsed)."""
    latencies: list[float] = []
    errors = 0
    queue = iter(requests)

    async def worker() -> None:
        nonlocal errors
        for body, headers in queue:
            started = time.perf_counter()
            async with session.post(url, data=body, headers=headers) as response:
                payload = await response.read()
            latencies.append(time.perf_counter() - started)
            if response.status != 200 or b'"blocks"' not in payload:
                errors += 1

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, errors, time.perf_counter() - began


async def fire_paced(
    session: aiohttp.ClientSession, url: str, requests: list[Signed], concurrency: int, rate: float
) -> tuple[list[float], int, float]:
    """Start one request every 1/rate seconds (at most ``concurrency`` in flight)."""
    latencies: list[float] = []
    errors = 0
    slots = asyncio.Semaphore(concurrency)

    async def one(due: float, body: bytes, headers: dict[str, str]) -> None:
        nonlocal errors
        async with slots, session.post(url, data=body, headers=headers) as response:
            payload = await response.read()
        latencies.append(time.perf_counter() - due)
        if response.status != 200 or b'"blocks"' not in payload:
            errors += 1

    began = time.perf_counter()
    tasks = []
    for number, (body, headers) in enumerate(requests):
        due = began + number / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.create_task(one(due, body, headers)))
    await asyncio.gather(*tasks)
    return latencies, errors, time.perf_counter() - began


def report(name: str, latencies: list[float], errors: int, elapsed: float) -> tuple[float, float]:
    rate = len(latencies) / elapsed
    p50, p90, p99 = (percentile(latencies, f) * 1000 for f in (0.50, 0.90, 0.99))
    print(
        f"{name}: {len(latencies)} commands, {errors} errors, {rate:.0f} commands/s; "
        f"latency p50 {p50:.1f} ms, p90 {p90:.1f} ms, p99 {p99:.1f} ms, "
        f"max {max(latencies) * 1000:.1f} ms, mean {statistics.fmean(latencies) * 1000:.1f} ms"
    )
    return rate, p99


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used so far, on Linux; None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def main(args: argparse.Namespace) -> None:
    fake = FakeSlack()
    await fake.start()
    port = free_port()
    command = ["--log-level", "WARNING", "run", "slack", "--http", "--port", str(port)]
    with tempfile.TemporaryDirectory() as empty:
        bot = await BotProcess(Path(empty), bot_environment(fake.api_url), *command).start()
        assert bot.process is not None
        base = f"http://127.0.0.1:{port}"
        try:
            connector = aiohttp.TCPConnector(limit=args.concurrency)
            async with aiohttp.ClientSession(connector=connector) as session:
                await bot.wait_healthy(session, f"{base}/healthz")
                url = f"{base}/slack/events"
                warmup = signed_commands(args.warmup, fake.response_url())
                await fire(session, url, warmup, args.concurrency)  # also opens the connections
                requests = signed_commands(args.requests, fake.response_url())
                cpu_before = cpu_seconds(bot.process.pid)
                saturated = await fire(session, url, requests, args.concurrency)
                cpu_after = cpu_seconds(bot.process.pid)
                paced_requests = signed_commands(int(args.rate * args.seconds), fake.response_url())
                paced = await fire_paced(session, url, paced_requests, args.concurrency, args.rate)
        finally:
            await bot.stop()
            await fake.stop()

    print(f"command: {' '.join(['mlcareer', *command])} (subprocess, loopback)")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load {load()}")
    print(f"up to {args.concurrency} signed /mlcareer slash commands in flight")
    top_rate, saturated_p99 = report("saturated", *saturated)
    if cpu_before is not None and cpu_after is not None:
        per_command = (cpu_after - cpu_before) / len(saturated[0]) * 1000
        print(f"bot CPU: {per_command:.2f} ms per command")
    _, paced_p99 = report(f"paced at {args.rate:.0f}/s", *paced)
    verdict = "met" if paced_p99 < 50 and top_rate >= 300 else "NOT met"
    print(f"targets (p99 < 50 ms at {args.rate:.0f}/s, >= 300 commands/s): {verdict}")
    saturated_verdict = "met" if saturated_p99 < 50 else "NOT met"
    print(f"p99 < 50 ms even saturated, {args.concurrency} in flight: {saturated_verdict}")


def load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=6000, help="timed requests (default 6000)")
    parser.add_argument(
        "--concurrency", type=int, default=50, help="requests in flight (default 50)"
    )
    parser.add_argument(
        "--warmup", type=int, default=500, help="untimed requests first (default 500)"
    )
    parser.add_argument(
        "--rate", type=float, default=300.0, help="paced run: commands per second (default 300)"
    )
    parser.add_argument(
        "--seconds", type=float, default=10.0, help="paced run: how long (default 10)"
    )
    asyncio.run(main(parser.parse_args()))
