"""Syncing /mlcareer at start-up: to one server or globally, only when it changed, and
Discord's refusals as one clear error."""

from __future__ import annotations

import pytest

from bot.adapters.discord.commands import command_definitions
from bot.errors import PlatformError
from bot.knowledge.model import KnowledgeBase
from tests.adapters.discord import discord_rules as rules
from tests.adapters.discord import fake_discord as fake
from tests.adapters.discord.harness import DiscordHarness

GUILD_COMMANDS = f"/applications/{fake.APPLICATION_ID}/guilds/{fake.GUILD_ID}/commands"
GLOBAL_COMMANDS = f"/applications/{fake.APPLICATION_ID}/commands"
SCOPES = [(fake.GUILD_ID, GUILD_COMMANDS), (None, GLOBAL_COMMANDS)]


@pytest.mark.parametrize(("guild_id", "path"), SCOPES, ids=["guild", "global"])
async def test_commands_are_synced_once_to_the_right_scope(
    knowledge: KnowledgeBase, guild_id: str | None, path: str
) -> None:
    """DISCORD_GUILD_ID: that server (instant); unset: global. The body is what Discord's
    bulk overwrite accepts (the fake would have answered 400 otherwise)."""
    async with DiscordHarness(discord_guild_id=guild_id) as harness:
        puts = [r for r in harness.fake.received if r.method == "PUT"]
    assert [(r.path, r.status) for r in puts] == [(path, 200)]
    wanted = command_definitions(knowledge, global_scope=guild_id is None, user_install=True)
    assert puts[0].body == wanted
    assert rules.commands_problems(puts[0].body, guild=guild_id is not None) == []


async def test_server_commands_carry_no_global_only_fields() -> None:
    """Discord takes ``contexts`` and ``integration_types`` on global commands only."""
    async with DiscordHarness(discord_guild_id=fake.GUILD_ID) as harness:
        (put,) = [r for r in harness.fake.received if r.method == "PUT"]
    assert [command["type"] for command in put.body] == [1, 3]
    assert all("contexts" not in c and "integration_types" not in c for c in put.body)


async def test_global_commands_offer_user_installs_everywhere() -> None:
    """Installed to a server or to a user; usable in servers, the bot's DM and group DMs."""
    async with DiscordHarness(discord_guild_id=None) as harness:
        (put,) = [r for r in harness.fake.received if r.method == "PUT"]
    for command in put.body:
        assert command["integration_types"] == [0, 1]
        assert command["contexts"] == [0, 1, 2]


async def test_an_app_without_user_install_registers_for_servers_only() -> None:
    """Discord refuses a command asking for an installation context the app doesn't offer
    (the fake too), so an app with only "Guild Install" ticked keeps working as before."""
    harness = DiscordHarness(discord_guild_id=None)
    harness.fake.installs = frozenset({0})
    async with harness:
        (put,) = [r for r in harness.fake.received if r.method == "PUT"]
    assert put.status == 200
    for command in put.body:
        assert command["integration_types"] == [0]
        assert command["contexts"] == [0, 1]


@pytest.mark.parametrize(("guild_id", "path"), SCOPES, ids=["guild", "global"])
async def test_an_unchanged_definition_is_not_written_again(
    guild_id: str | None, path: str
) -> None:
    async with DiscordHarness(discord_guild_id=guild_id) as first:
        existing = first.fake.commands
    second = DiscordHarness(discord_guild_id=guild_id)
    second.fake.commands = existing  # Discord already has what the first run wrote
    async with second:
        calls = [(r.method, r.path) for r in second.fake.received if r.kind == "commands"]
    assert calls == [("GET", path)]


async def test_a_changed_definition_is_written() -> None:
    async with DiscordHarness(discord_guild_id=None) as first:
        existing = first.fake.commands
    existing[None][0]["options"][0]["description"] = "An older description"
    second = DiscordHarness(discord_guild_id=None)
    second.fake.commands = existing
    async with second:
        calls = [r.method for r in second.fake.received if r.kind == "commands"]
    assert calls == ["GET", "PUT"]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (403, "Discord refused to register /mlcareer for server"),
        (400, "registering /mlcareer for server"),
    ],
)
async def test_a_refused_sync_stops_the_start_with_one_line(status: int, message: str) -> None:
    harness = DiscordHarness()
    harness.fake.fail("PUT", r"/commands$", status, {"message": "no", "code": 50001})
    with pytest.raises(PlatformError, match=message) as caught:
        await harness.start()
    assert "\n" not in str(caught.value)
    assert fake.TOKEN not in str(caught.value)
    if status == 403:
        assert "applications.commands" in str(caught.value)
