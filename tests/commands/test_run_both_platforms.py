"""``mlcareer run`` with both platforms: one event loop serves Slack, Discord and the tips."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from bot.commands.run import serve
from bot.settings import Secret, Settings
from tests.adapters.discord import events
from tests.adapters.discord import fake_discord as discord_fake
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import plain_text
from tests.adapters.slack import payloads
from tests.adapters.slack.fake_slack import APP_TOKEN, BOT_TOKEN, FakeSlack

WAIT = 20.0  # bounded loopback waits: start-up imports and connects both platforms


async def test_slack_and_discord_answer_from_one_event_loop(tmp_path: Path) -> None:
    """A Slack mention (Socket Mode) and a Discord mention are both answered by one serve()."""
    slack, discord = FakeSlack(), FakeDiscord()
    await slack.start()
    await discord.start()
    settings = Settings(
        slack_bot_token=Secret(BOT_TOKEN),
        slack_app_token=Secret(APP_TOKEN),
        slack_api_url=slack.api_url,
        discord_token=Secret(discord_fake.TOKEN),
        discord_api_url=discord.api_url,
        discord_guild_id=discord_fake.GUILD_ID,
        database_url=f"sqlite:///{tmp_path / 'tips.db'}",
        ops_port=0,
    )
    running = asyncio.create_task(serve(settings, ["slack", "discord"]))
    try:
        async with asyncio.timeout(WAIT):
            await discord.identified.wait()
        mention = payloads.event("app_mention", text="<@UBOT> what skills do I need?")
        async with asyncio.timeout(WAIT):
            await slack.send_envelope("events_api", mention)
            await slack.wait_until(lambda: bool(slack.sent("chat.postMessage")), WAIT)
        await discord.dispatch(
            "MESSAGE_CREATE", events.message(f"<@{discord_fake.BOT_ID}> do I need a degree?")
        )
        (discord_reply,) = await discord.wait_for(lambda r: r.kind == "message", within=WAIT)
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await slack.stop()
        await discord.close()
    (slack_reply,) = slack.sent("chat.postMessage")
    assert "Skills an ML engineer needs" in slack_reply.text
    assert "Degrees and education" in plain_text(discord_reply.message)
    assert (tmp_path / "tips.db").exists()  # the daily-tip scheduler opened its database
