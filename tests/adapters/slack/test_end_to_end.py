"""End to end: ``mlcareer run`` as a real subprocess against the fake Slack, over HTTP
(``mlcareer run slack --http``) and over Socket Mode (plain ``mlcareer run`` with an app
token), with DEBUG logging on and no secret in the log."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

from tests.adapters.slack import payloads
from tests.adapters.slack.block_kit import problems
from tests.adapters.slack.fake_slack import APP_TOKEN, BOT_TOKEN, FakeSlack
from tests.adapters.slack.harness import SIGNING_SECRET, signed_headers
from tests.adapters.slack.subprocess_bot import (
    START_SECONDS,
    BotProcess,
    bot_environment,
    free_port,
)
from tests.ops.prometheus import sample, scrape

SECRETS = (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET)


async def test_run_slack_http_answers_a_signed_command_and_a_mention(
    fake: FakeSlack, tmp_path: Path
) -> None:
    port = free_port()
    env = bot_environment(fake.api_url)
    bot = BotProcess(
        tmp_path, env, "--log-level", "DEBUG", "run", "slack", "--http", "--port", str(port)
    )
    await bot.start()
    base = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            await bot.wait_healthy(session, f"{base}/healthz")

            form = urlencode(payloads.command("salary", response_url=fake.response_url()))
            headers = signed_headers(form, "application/x-www-form-urlencoded")
            async with session.post(f"{base}/slack/events", data=form, headers=headers) as response:
                assert response.status == 200
                answer = await response.json()
            assert answer["response_type"] == "ephemeral"
            assert answer["blocks"][0]["type"] == "header"
            assert problems(answer) == []

            event = json.dumps(payloads.load("app_mention"))
            async with session.post(
                f"{base}/slack/events",
                data=event,
                headers=signed_headers(event, "application/json"),
            ) as response:
                assert response.status == 200
            await fake.wait_until(lambda: bool(fake.sent("chat.postMessage")), START_SECONDS)
            assert fake.sent("chat.postMessage")[0].thread_ts == "1700000100.000100"

            bad = dict(headers, **{"X-Slack-Signature": "v0=" + "0" * 64})
            async with session.post(f"{base}/slack/events", data=form, headers=bad) as response:
                assert response.status == 401
    finally:
        status = await bot.stop()
    log = bot.stderr
    assert status == 0, log[-2000:]
    assert "listening on http://0.0.0.0" in log
    assert "will be unused" not in log  # bolt's confusing same-token warning is filtered
    assert "Sending a request" in log  # DEBUG logging was on ...
    for secret in SECRETS:  # ... and still no secret was printed
        assert secret not in log


async def test_run_with_an_app_token_serves_slack_over_socket_mode(
    fake: FakeSlack, tmp_path: Path
) -> None:
    """Plain ``mlcareer run`` starts every platform whose settings are present (here only
    Slack), and SLACK_APP_TOKEN makes Socket Mode the default: no port, no public URL. The
    health and metrics endpoint is served all the same."""
    ops = f"http://127.0.0.1:{free_port()}"
    env = bot_environment(
        fake.api_url, SLACK_APP_TOKEN=APP_TOKEN, MLCAREER_OPS_PORT=ops.rpartition(":")[2]
    )
    bot = BotProcess(tmp_path, env, "--log-level", "DEBUG", "run")
    await bot.start()
    try:
        await fake.wait_connected(START_SECONDS)
        form = payloads.command("salary", response_url=fake.response_url())
        answer = await fake.ack_for(await fake.send_envelope("slash_commands", form))
        assert answer["response_type"] == "ephemeral"
        assert problems(answer) == []

        await fake.send_envelope("events_api", payloads.load("app_mention"))
        await fake.wait_until(lambda: bool(fake.sent("chat.postMessage")), START_SECONDS)
        assert fake.sent("chat.postMessage")[0].thread_ts == "1700000100.000100"

        async with aiohttp.ClientSession() as session:
            await bot.wait_healthy(session, f"{ops}/healthz")
            await bot.wait_healthy(session, f"{ops}/readyz")  # 200 once ready
            async with session.get(f"{ops}/readyz") as response:
                assert response.status == 200
                assert (await response.json())["checks"] == {"slack": "ok", "database": "ok"}
            metrics = await scrape(session, ops)
        assert sample(metrics, "mlcareer_requests_total", platform="slack") == 2
        assert sample(metrics, "mlcareer_requests_total", platform="slack", kind="answer") >= 1
    finally:
        status = await bot.stop()
    log = bot.stderr
    assert status == 0, log[-2000:]
    assert "connected in Socket Mode" in log
    assert [c.token for c in fake.calls_to("apps.connections.open")] == [APP_TOKEN]
    assert "Sending a request" in log
    for secret in SECRETS:
        assert secret not in log


async def test_run_slack_without_a_signing_secret_stops_with_one_clear_line(tmp_path: Path) -> None:
    env = bot_environment("http://127.0.0.1:9/api/")
    del env["SLACK_SIGNING_SECRET"]
    bot = BotProcess(tmp_path, env, "run", "slack")
    await bot.start()
    status = await bot.wait()
    text = bot.stderr
    errors = [line for line in text.splitlines() if line.startswith("mlcareer:")]
    assert status == 2
    assert len(errors) == 1
    assert errors[0].startswith("mlcareer: SLACK_SIGNING_SECRET is not set")
    assert "Traceback" not in text


async def test_sigterm_stops_mlcareer_run_cleanly(fake: FakeSlack, tmp_path: Path) -> None:
    """systemd, Docker and Kubernetes stop a service with SIGTERM: a clean exit 0, no traceback."""
    port = free_port()
    bot = BotProcess(tmp_path, bot_environment(fake.api_url), "run", "--http", "--port", str(port))
    await bot.start()
    try:
        async with aiohttp.ClientSession() as session:
            await bot.wait_healthy(session, f"http://127.0.0.1:{port}/healthz")
        assert bot.process is not None
        bot.process.send_signal(signal.SIGTERM)
        status = await bot.wait()
    finally:
        await bot.stop()
    assert status == 0, bot.stderr[-2000:]
    assert "Traceback" not in bot.stderr
    assert "stopped" in bot.stderr
