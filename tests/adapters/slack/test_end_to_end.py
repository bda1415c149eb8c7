"""End to end: ``mlcareer run slack --http`` as a real subprocess, against the fake Slack."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from tests.adapters.slack import payloads
from tests.adapters.slack.fake_slack import BOT_TOKEN, FakeSlack
from tests.adapters.slack.harness import SIGNING_SECRET

START_SECONDS = 30.0  # the subprocess imports bolt and loads the knowledge base


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_environment(api_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DISCORD_", "MLCAREER_", "DATABASE_URL"))
    }
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api_url,
        PYTHONUNBUFFERED="1",
    )
    return env


def signed(body: str, content_type: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature or "",
    }


async def wait_healthy(
    session: aiohttp.ClientSession, url: str, process: asyncio.subprocess.Process
) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.returncode is not None:
            raise AssertionError(f"mlcareer exited with {process.returncode}")
        try:
            async with session.get(url) as response:
                if response.status == 200:
                    return
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError("mlcareer run slack --http did not become healthy")


async def test_run_slack_http_answers_a_signed_command_and_a_mention(
    fake: FakeSlack, tmp_path: Path
) -> None:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "--log-level",
        "DEBUG",
        "run",
        "slack",
        "--http",
        "--port",
        str(port),
        cwd=tmp_path,  # no stray .env is read
        env=clean_environment(fake.api_url),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            await wait_healthy(session, f"{base}/healthz", process)

            form = urlencode(payloads.command("salary", response_url=fake.response_url()))
            headers = signed(form, "application/x-www-form-urlencoded")
            async with session.post(f"{base}/slack/events", data=form, headers=headers) as response:
                assert response.status == 200
                answer = await response.json()
            assert answer["response_type"] == "ephemeral"
            assert answer["blocks"][0]["type"] == "header"

            event = json.dumps(payloads.load("app_mention"))
            async with session.post(
                f"{base}/slack/events", data=event, headers=signed(event, "application/json")
            ) as response:
                assert response.status == 200
            await fake.wait_until(lambda: bool(fake.sent("chat.postMessage")), START_SECONDS)
            assert fake.sent("chat.postMessage")[0].thread_ts == "1700000100.000100"

            bad = dict(headers, **{"X-Slack-Signature": "v0=" + "0" * 64})
            async with session.post(f"{base}/slack/events", data=form, headers=bad) as response:
                assert response.status == 401
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(process.communicate(), START_SECONDS)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "listening on http://0.0.0.0" in log
    assert "will be unused" not in log  # bolt's confusing same-token warning is filtered
    assert "Sending a request" in log  # DEBUG logging was on ...
    for secret in (BOT_TOKEN, SIGNING_SECRET):  # ... and still no secret was printed
        assert secret not in log


async def test_run_slack_without_a_signing_secret_stops_with_one_clear_line(tmp_path: Path) -> None:
    env = clean_environment("http://127.0.0.1:9/api/")
    del env["SLACK_SIGNING_SECRET"]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "slack",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), START_SECONDS)
    text = stderr.decode()
    errors = [line for line in text.splitlines() if line.startswith("mlcareer:")]
    assert process.returncode == 2
    assert len(errors) == 1
    assert errors[0].startswith("mlcareer: SLACK_SIGNING_SECRET is not set")
    assert "Traceback" not in text
