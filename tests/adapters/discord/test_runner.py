"""DiscordRunner and its settings: clear errors, no privileged intents, no token in logs."""

from __future__ import annotations

import logging

import pytest

from bot.adapters.discord.config import discord_config
from bot.adapters.discord.runner import DiscordRunner
from bot.core.router import Router
from bot.core.services import Services
from bot.errors import PlatformError, SettingsError
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.settings import Secret, Settings
from tests.adapters.discord import fake_discord as fake
from tests.adapters.discord.harness import DiscordHarness

PRIVILEGED = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content


def settings(**values: object) -> Settings:
    return Settings.load(environ={}, dotenv=None, **values)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "DISCORD_TOKEN is not set"),
        ({"discord_token": Secret("not-a-token")}, "DISCORD_TOKEN is malformed"),
        ({"discord_token": Secret(f"Bot {fake.TOKEN}")}, "without the 'Bot ' prefix"),
        (
            {"discord_token": Secret(fake.TOKEN), "discord_guild_id": "my-server"},
            "DISCORD_GUILD_ID must be a Discord id",
        ),
        (
            {"discord_token": Secret(fake.TOKEN), "discord_application_id": "12"},
            "DISCORD_APPLICATION_ID must be a Discord id",
        ),
        (
            {"discord_token": Secret(fake.TOKEN), "discord_api_url": "discord.com"},
            "DISCORD_API_URL must be an http(s) URL",
        ),
    ],
)
def test_bad_settings_stop_with_one_clear_line(values: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        discord_config(settings(**values))
    text = str(caught.value)
    assert message in text
    assert "\n" not in text
    assert fake.TOKEN not in text


async def test_run_raises_settings_error_before_connecting(
    knowledge: KnowledgeBase, matcher: Matcher
) -> None:
    runner = DiscordRunner(settings(), Router(Services(knowledge=knowledge, matcher=matcher)))
    with pytest.raises(SettingsError, match="DISCORD_TOKEN is not set"):
        await runner.run()


async def test_a_rejected_token_is_a_settings_error(
    knowledge: KnowledgeBase, matcher: Matcher
) -> None:
    other = "MTAwMDAwMDAwMDAwMDAwMDAx.fake00.another-fake-token"
    harness = DiscordHarness()
    await harness.fake.start()
    try:
        runner = DiscordRunner(
            settings(discord_token=Secret(other), discord_api_url=harness.fake.api_url),
            Router(Services(knowledge=knowledge, matcher=matcher)),
        )
        with pytest.raises(SettingsError, match="Discord rejected DISCORD_TOKEN") as caught:
            await runner.run()
        assert other not in str(caught.value)
    finally:
        await harness.fake.close()


async def test_identify_asks_for_no_privileged_intent(harness: DiscordHarness) -> None:
    assert harness.fake.identify is not None
    intents = harness.fake.identify["intents"]
    assert intents & PRIVILEGED == 0
    assert intents & (1 << 0)
    assert intents & (1 << 9)
    assert intents & (1 << 12)


async def test_the_gateway_comes_from_the_api_with_the_clients_encoding(
    harness: DiscordHarness,
) -> None:
    assert "/gateway/bot" in [r.path for r in harness.fake.received]
    query = harness.fake.gateway_query
    assert query["encoding"] == "json"
    assert query.get("compress") in {"zlib-stream", "zstd-stream"}


async def test_the_token_is_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    """Not by the bot, and not by discord.py's own loggers at DEBUG, which log every REST
    call and gateway event (but not the Authorization header nor the IDENTIFY payload)."""
    caplog.set_level(logging.DEBUG)
    async with DiscordHarness() as harness:
        await harness.command("skills")
        await harness.mention("salary")
    debug = {r.name for r in caplog.records if r.levelno == logging.DEBUG}
    assert {"discord.http", "discord.gateway", "discord.client"} <= debug
    assert "has sent the IDENTIFY payload" in caplog.text
    assert fake.TOKEN not in caplog.text
    assert fake.TOKEN.split(".")[2] not in caplog.text


async def test_no_gateway_from_the_api_is_a_platform_error() -> None:
    harness = DiscordHarness()
    harness.fake.fail("GET", r"^/gateway/bot$", 403, {"message": "Missing Access", "code": 50001})
    with pytest.raises(PlatformError, match="did not name a gateway") as caught:
        await harness.start()
    assert "\n" not in str(caught.value)
