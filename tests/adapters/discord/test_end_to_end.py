"""``mlcareer run discord`` as a real process against the fake Discord."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.adapters.discord import events
from tests.adapters.discord import fake_discord as fake
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import plain_text


async def test_mlcareer_run_discord_answers_a_mention(tmp_path: Path) -> None:
    server = FakeDiscord()
    await server.start()
    log = tmp_path / "stderr.log"
    env = {
        **os.environ,
        "DISCORD_TOKEN": fake.TOKEN,
        "DISCORD_API_URL": server.api_url,
        "DISCORD_GUILD_ID": fake.GUILD_ID,
        "MLCAREER_LOG_LEVEL": "DEBUG",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tips.db'}",
    }
    env.pop("SLACK_BOT_TOKEN", None)
    with log.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "--env-file",
            str(tmp_path / "none.env"),
            "run",
            "discord",
            env=env,
            cwd=tmp_path,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            async with asyncio.timeout(30):
                await server.identified.wait()
            payload = events.message(f"<@{fake.BOT_ID}> what skills do I need?")
            await server.dispatch("MESSAGE_CREATE", payload)
            (sent,) = await server.wait_for(lambda r: r.kind == "message", within=10)
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
            async with asyncio.timeout(15):
                status = await process.wait()
            await server.close()
    output = log.read_text(encoding="utf-8", errors="replace")
    assert "Skills an ML engineer needs" in plain_text(sent.message)
    assert str(sent.body["message_reference"]["message_id"]) == payload["id"]
    assert status == 0, output[-2000:]
    assert "registered /mlcareer" in output
    assert "has sent the IDENTIFY payload" in output  # discord.py's DEBUG logging was on ...
    assert fake.TOKEN not in output  # ... and still no token
