"""``mlcareer run`` as a real subprocess against the fake Slack: what the end-to-end tests and
``benchmarks/slack_http.py`` share.

The bot's stderr goes to a file rather than a pipe: at DEBUG level the SDKs log every request,
and a pipe nobody reads until the end would fill up and stall the bot.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from pathlib import Path

import aiohttp

from tests.adapters.slack.fake_slack import BOT_TOKEN
from tests.adapters.slack.harness import SIGNING_SECRET

START_SECONDS = 30.0  # the subprocess imports bolt and loads the knowledge base
STOP_SECONDS = 15.0

# Variables that would change what the bot does; a developer's shell must not leak in.
_SETTING_PREFIXES = ("SLACK_", "DISCORD_", "MLCAREER_", "DATABASE_URL")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bot_environment(api_url: str, **extra: str) -> dict[str, str]:
    """The environment of a bot that talks to the fake Slack at ``api_url`` over HTTP mode's
    settings (add ``SLACK_APP_TOKEN`` for Socket Mode). The health and metrics endpoint is off
    (``MLCAREER_OPS_PORT=0``) unless ``extra`` gives it a port: tests run side by side."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SETTING_PREFIXES)}
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api_url,
        PYTHONUNBUFFERED="1",
        MLCAREER_OPS_PORT="0",
    )
    env.update(extra)
    return env


class BotProcess:
    """``python -m bot ARGS`` started in ``folder`` (no stray .env), its stderr in a file."""

    def __init__(self, folder: Path, env: dict[str, str], *args: str) -> None:
        self.folder = folder
        self.env = env
        self.args = args
        self.stderr_path = folder / "mlcareer.stderr"
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> BotProcess:
        with self.stderr_path.open("wb") as stderr:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                *self.args,
                cwd=self.folder,
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=stderr,
                # A shell starting pytest in the background makes it ignore Ctrl-C, which
                # children inherit; the bot must still stop on Ctrl-C here.
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
            )
        return self

    async def stop(self) -> int:
        """Ctrl-C, as a person would; the exit status."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return await asyncio.wait_for(self.process.wait(), STOP_SECONDS)
        except TimeoutError:
            self.process.kill()  # never leave a bot running behind a failed test
            await self.process.wait()
            raise

    async def wait(self) -> int:
        """Wait for the bot to stop by itself (a start that fails); the exit status."""
        assert self.process is not None
        return await asyncio.wait_for(self.process.wait(), START_SECONDS)

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    async def wait_healthy(self, session: aiohttp.ClientSession, url: str) -> None:
        """Poll GET /healthz (bounded) until HTTP mode answers."""
        assert self.process is not None
        await wait_healthy(session, url, self.process)


async def wait_healthy(
    session: aiohttp.ClientSession, url: str, process: asyncio.subprocess.Process
) -> None:
    """Poll ``url`` (GET /healthz, or /readyz to wait for readiness; bounded) until it
    answers 200 or ``process`` exits."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.returncode is not None:
            raise RuntimeError(f"mlcareer exited with {process.returncode}")
        try:
            async with session.get(url) as response:
                if response.status == 200:
                    return
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.05)
    raise RuntimeError(f"mlcareer run: {url} did not answer 200")
