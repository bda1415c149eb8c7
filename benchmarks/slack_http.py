"""Benchmark the Slack adapter in HTTP mode: signed /mlcareer slash commands per second and
the latency from request to response, through ``mlcareer run slack --http`` as a subprocess
on loopback, with a fake Slack Web API (only auth.test is called) on 127.0.0.1.

Usage: python benchmarks/slack_http.py [--requests 6000] [--concurrency 50] [--warmup 500]

Targets (issue 4): p99 under 50 ms and at least 300 commands/s at 50 concurrent requests.
Requests are signed before the clock starts, so the figures measure the bot, not the client.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.adapters.slack import payloads  # noqa: E402
from tests.adapters.slack.fake_slack import BOT_TOKEN, FakeSlack  # noqa: E402
from tests.adapters.slack.harness import SIGNING_SECRET  # noqa: E402

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def signed_commands(count: int, response_url: str) -> list[Signed]:
    verifier = SignatureVerifier(SIGNING_SECRET)
    stamp = str(int(time.time()))
    requests: list[Signed] = []
    for number, text in enumerate(islice(cycle(QUESTIONS), count)):
        form = payloads.command(text, response_url=response_url, trigger_id=f"t{number}")
        body = urlencode(form)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": verifier.generate_signature(timestamp=stamp, body=body) or "",
        }
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


async def wait_healthy(
    session: aiohttp.ClientSession, url: str, process: asyncio.subprocess.Process
) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.returncode is not None:
            raise SystemExit(f"mlcareer exited early with status {process.returncode}")
        try:
            async with session.get(url) as response:
                if response.status == 200:
                    return
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.1)
    raise SystemExit("mlcareer run slack --http did not become healthy within 60 s")


async def main(args: argparse.Namespace) -> None:
    fake = FakeSlack()
    await fake.start()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MLCAREER_"))}
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake.api_url
    )
    command = [
        sys.executable,
        "-m",
        "bot",
        "--log-level",
        "WARNING",
        "run",
        "slack",
        "--http",
        "--port",
        str(port),
    ]
    with tempfile.TemporaryDirectory() as empty:
        process = await asyncio.create_subprocess_exec(*command, cwd=empty, env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            connector = aiohttp.TCPConnector(limit=args.concurrency)
            async with aiohttp.ClientSession(connector=connector) as session:
                await wait_healthy(session, f"{base}/healthz", process)
                url = f"{base}/slack/events"
                warmup = signed_commands(args.warmup, fake.response_url())
                await fire(session, url, warmup, args.concurrency)  # also opens the connections
                requests = signed_commands(args.requests, fake.response_url())
                cpu_before = cpu_seconds(process.pid)
                latencies, errors, elapsed = await fire(session, url, requests, args.concurrency)
                cpu_after = cpu_seconds(process.pid)
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
            await process.wait()
            await fake.stop()

    rate = len(latencies) / elapsed
    p50, p90, p99 = (percentile(latencies, f) * 1000 for f in (0.50, 0.90, 0.99))
    print(f"command: {' '.join(['mlcareer', *command[3:]])} (subprocess, loopback)")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(
        f"requests: {len(latencies)} signed /mlcareer slash commands, {args.concurrency} concurrent"
    )
    print(f"errors: {errors}")
    print(f"throughput: {rate:.0f} commands/s ({elapsed:.2f} s)")
    print(
        f"latency: p50 {p50:.1f} ms, p90 {p90:.1f} ms, p99 {p99:.1f} ms, "
        f"max {max(latencies) * 1000:.1f} ms, mean {statistics.fmean(latencies) * 1000:.1f} ms"
    )
    if cpu_before is not None and cpu_after is not None:
        per_command = (cpu_after - cpu_before) / len(latencies) * 1000
        print(f"bot CPU: {per_command:.2f} ms per command (machine load may inflate latency)")
    verdict = "met" if p99 < 50 and rate >= 300 else "NOT met"
    print(f"targets (p99 < 50 ms, >= 300 commands/s): {verdict}")


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
    asyncio.run(main(parser.parse_args()))
