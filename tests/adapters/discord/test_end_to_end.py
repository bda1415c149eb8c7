"""``mlcareer run discord`` (and ``mlcareer run`` with Slack beside it) as a real process
against the fake Discord; and the one-line refusals of bad Discord settings."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.cli import main
from tests.adapters.discord import events
from tests.adapters.discord import fake_discord as fake
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import plain_text
from tests.adapters.slack import payloads
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import signed_headers
from tests.adapters.slack.subprocess_bot import bot_environment, free_port, wait_healthy
from tests.ops.prometheus import sample, scrape

START_SECONDS = 30.0  # the subprocess imports discord.py (and bolt) and loads the knowledge


def discord_environment(server: FakeDiscord, tmp_path: Path) -> dict[str, str]:
    """The environment without any developer setting, plus the Discord ones for ``server``."""
    env = bot_environment("http://127.0.0.1:9/api/")
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL"):
        del env[name]
    env.update(
        DISCORD_TOKEN=fake.TOKEN,
        DISCORD_API_URL=server.api_url,
        DISCORD_GUILD_ID=fake.GUILD_ID,
        DATABASE_URL=f"sqlite:///{tmp_path / 'tips.db'}",
    )
    return env


@asynccontextmanager
async def mlcareer(
    args: list[str], env: dict[str, str], tmp_path: Path
) -> AsyncIterator[asyncio.subprocess.Process]:
    """``python -m bot ARGS`` in ``tmp_path`` (so no stray .env is read), stopped with Ctrl-C
    at the end; its stderr goes to ``tmp_path/stderr.log``."""
    with (tmp_path / "stderr.log").open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            *args,
            env=env,
            cwd=tmp_path,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
            # A shell starting pytest in the background makes it ignore Ctrl-C, which children
            # inherit; Python then never raises KeyboardInterrupt. Ctrl-C must work here.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        try:
            yield process
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
            try:
                async with asyncio.timeout(START_SECONDS):
                    await process.wait()
            except TimeoutError:
                process.kill()  # never leave a bot running behind a failed test
                await process.wait()
                raise


async def answered_mention(server: FakeDiscord) -> fake.Received:
    """Wait for the bot to connect, mention it, and return its reply."""
    async with asyncio.timeout(START_SECONDS):
        await server.identified.wait()
    payload = events.message(f"<@{fake.BOT_ID}> what skills do I need?")
    await server.dispatch("MESSAGE_CREATE", payload)
    (sent,) = await server.wait_for(lambda r: r.kind == "message", within=10)
    assert str(sent.body["message_reference"]["message_id"]) == payload["id"]
    return sent


async def test_mlcareer_run_discord_answers_a_mention(tmp_path: Path) -> None:
    """Discord only, with the health and metrics endpoint: ready, and the mention counted."""
    server = FakeDiscord()
    await server.start()
    port = free_port()
    ops = f"http://127.0.0.1:{port}"
    env = {
        **discord_environment(server, tmp_path),
        "MLCAREER_LOG_LEVEL": "DEBUG",
        "MLCAREER_OPS_PORT": str(port),
    }
    try:
        async with (
            mlcareer(["run", "discord"], env, tmp_path) as process,
            aiohttp.ClientSession() as http,
        ):
            sent = await answered_mention(server)
            await wait_healthy(http, f"{ops}/healthz", process)
            # discord.py reports ready a moment after READY, once its guild cache is filled.
            await wait_healthy(http, f"{ops}/readyz", process)
            async with http.get(f"{ops}/readyz") as response:
                assert response.status == 200
                ready = await response.json()
            metrics = await scrape(http, ops)
    finally:
        await server.close()
    output = (tmp_path / "stderr.log").read_text(encoding="utf-8", errors="replace")
    assert "Skills an ML engineer needs" in plain_text(sent.message)
    assert ready["checks"] == {"discord": "ok", "database": "ok"}
    assert sample(metrics, "mlcareer_requests_total", platform="discord", kind="answer") == 1
    assert sample(metrics, "mlcareer_answer_seconds_count", platform="discord") == 1
    assert process.returncode == 0, output[-2000:]
    assert "registered /mlcareer" in output
    assert "has sent the IDENTIFY payload" in output  # discord.py's DEBUG logging was on ...
    assert fake.TOKEN not in output  # ... and still no token
    server.assert_no_problems()


async def test_mlcareer_run_serves_slack_and_discord_on_one_loop(tmp_path: Path) -> None:
    """With both platforms configured, plain ``mlcareer run`` answers on each of them from
    one process (``asyncio.gather`` on one loop)."""
    discord_api, slack_api = FakeDiscord(), FakeSlack()
    await discord_api.start()
    await slack_api.start()
    port = free_port()
    env = {**bot_environment(slack_api.api_url), **discord_environment(discord_api, tmp_path)}
    try:
        async with (
            mlcareer(["run", "--http", "--port", str(port)], env, tmp_path) as process,
            aiohttp.ClientSession() as http,
        ):
            sent = await answered_mention(discord_api)
            await wait_healthy(http, f"http://127.0.0.1:{port}/healthz", process)
            form = urlencode(payloads.command("salary", response_url=slack_api.response_url()))
            async with http.post(
                f"http://127.0.0.1:{port}/slack/events",
                data=form,
                headers=signed_headers(form, "application/x-www-form-urlencoded"),
            ) as response:
                assert response.status == 200
                slack_answer = json.loads(await response.text())
    finally:
        await slack_api.stop()
        await discord_api.close()
    output = (tmp_path / "stderr.log").read_text(encoding="utf-8", errors="replace")
    assert process.returncode == 0, output[-2000:]
    assert "Skills an ML engineer needs" in plain_text(sent.message)
    assert "$114,121" in json.dumps(slack_answer)
    discord_api.assert_no_problems()


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (None, "mlcareer: DISCORD_TOKEN is not set"),
        ("not-a-real-token", "mlcareer: DISCORD_TOKEN is malformed"),
        (f"Bot {fake.TOKEN}", "mlcareer: DISCORD_TOKEN must be the bare token"),
    ],
)
def test_run_discord_with_a_bad_token_stops_with_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    token: str | None,
    message: str,
) -> None:
    for name in [name for name in os.environ if name.startswith(("DISCORD_", "SLACK_"))]:
        monkeypatch.delenv(name)
    if token is not None:
        monkeypatch.setenv("DISCORD_TOKEN", token)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'tips.db'}")
    status = main(["--env-file", "/dev/null", "run", "discord"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith(message)
    assert err.count("\n") == 1
    assert "Traceback" not in err
    if token is not None:
        assert token.removeprefix("Bot ") not in err
