"""Sharding: the real discord.py AutoShardedClient against the fake gateway, which sends each
guild's events only to the session holding its shard, as Discord does.

Two runners with one shard each stand for two processes (``DISCORD_SHARD_IDS=0`` and ``=1``
of ``DISCORD_SHARD_COUNT=2``); the fake holds one server on each shard.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.adapters.discord.config import discord_config
from bot.adapters.discord.runner import DiscordRunner
from bot.core.reply import Reply, ReplyKind
from bot.core.router import Router
from bot.core.services import Services
from bot.errors import SettingsError
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.settings import Secret, Settings
from tests.adapters.discord import events
from tests.adapters.discord import fake_discord as fake
from tests.adapters.discord.fake_discord import FakeDiscord, Received

WAIT = 10.0
TIP = Reply(ReplyKind.TIP, "Tip of the day", "Learn SQL.", public=True)


def in_other_guild(payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` (a golden event of the main server) moved to the server on shard 1."""
    text = json.dumps(payload)
    text = text.replace(fake.GUILD_ID, fake.OTHER_GUILD_ID)
    moved: dict[str, Any] = json.loads(text.replace(fake.CHANNEL_ID, fake.OTHER_CHANNEL_ID))
    return moved


def settings_for(server: FakeDiscord, **values: str) -> Settings:
    return Settings.load(
        environ={},
        dotenv=None,
        discord_token=Secret(fake.TOKEN),
        discord_api_url=server.api_url,
        discord_guild_id=fake.GUILD_ID,
        **values,
    )


@pytest.fixture
async def server() -> AsyncIterator[FakeDiscord]:
    running = FakeDiscord()
    running.add_guild(fake.OTHER_GUILD_ID, fake.OTHER_CHANNEL_ID)
    await running.start()
    yield running
    await running.close()
    running.assert_no_problems()


@pytest.fixture
def router(knowledge: KnowledgeBase, matcher: Matcher) -> Router:
    return Router(Services(knowledge=knowledge, matcher=matcher))


@contextlib.asynccontextmanager
async def processes(
    server: FakeDiscord, router: Router, *shard_settings: dict[str, str]
) -> AsyncIterator[list[DiscordRunner]]:
    """One runner per ``shard_settings``, all connected; cancelled on exit."""
    runners = [
        DiscordRunner(settings_for(server, **values), router, identify_spacing=0.0)
        for values in shard_settings
    ]
    tasks = [asyncio.create_task(runner.run()) for runner in runners]
    try:
        yield runners
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def ready(server: FakeDiscord, runners: list[DiscordRunner], sessions: int) -> None:
    async with asyncio.timeout(WAIT):
        # Readiness is polled, as /readyz does: the runner has no event to wait on.
        while not server.wait_ready(sessions)() or [r for r in runners if await r.ready()]:  # noqa: ASYNC110
            await asyncio.sleep(0.01)


async def mention(server: FakeDiscord, payload: dict[str, Any]) -> list[Received]:
    """Push a mention; every message posted in its channel within a short while."""
    start = len(server.received)
    await server.dispatch("MESSAGE_CREATE", payload)
    channel = f"/channels/{payload['channel_id']}/messages"
    await server.wait_for(lambda r: r.kind == "message" and r.path == channel, after=start)
    await asyncio.sleep(0.2)  # room for a second (wrong) answer to arrive
    return [r for r in server.received[start:] if r.kind == "message" and r.path == channel]


async def interact(server: FakeDiscord, payload: dict[str, Any]) -> list[Received]:
    """Push an interaction; every callback made for it within a short while."""
    server.interactions[payload["token"]] = payload
    start = len(server.received)
    await server.dispatch("INTERACTION_CREATE", payload)
    prefix = f"/interactions/{payload['id']}/"
    await server.wait_for(lambda r: r.path.startswith(prefix), after=start)
    await asyncio.sleep(0.2)
    return [r for r in server.received[start:] if r.path.startswith(prefix)]


TWO_PROCESSES = (
    {"discord_shard_count": "2", "discord_shard_ids": "0"},
    {"discord_shard_count": "2", "discord_shard_ids": "1"},
)


async def test_two_processes_each_answer_only_their_own_shards_guilds(
    server: FakeDiscord, router: Router
) -> None:
    async with processes(server, router, *TWO_PROCESSES) as (first, second):
        await ready(server, [first, second], 2)
        assert sorted(d["shard"] for d in server.identifies) == [[0, 2], [1, 2]]
        # Each process knows only the server on its own shard.
        assert [g.id for g in first.client.guilds] == [int(fake.GUILD_ID)]
        assert [g.id for g in second.client.guilds] == [int(fake.OTHER_GUILD_ID)]

        here = events.message(f"<@{fake.BOT_ID}> what skills do I need?")
        there = in_other_guild(events.message(f"<@{fake.BOT_ID}> what skills do I need?"))
        for payload in (here, there):
            (answer,) = await mention(server, payload)
            assert answer.status == 200
            assert str(answer.body["message_reference"]["message_id"]) == payload["id"]

        for payload in (events.command("skills"), in_other_guild(events.command("skills"))):
            (callback,) = await interact(server, payload)
            assert callback.kind == "callback"
            assert callback.status == 200
            assert "Skills" in json.dumps(callback.body)


async def test_a_dm_reaches_the_process_with_shard_0_only(
    server: FakeDiscord, router: Router
) -> None:
    async with processes(server, router, *TWO_PROCESSES) as runners:
        await ready(server, runners, 2)
        (answer,) = await mention(server, events.message("salary", fixture_name="message_dm"))
        assert answer.status == 200


async def test_a_tip_for_the_other_shards_guild_is_posted_over_rest(
    server: FakeDiscord, router: Router
) -> None:
    """The process running the tip scheduler holds shard 1 only, yet posts to the server on
    shard 0: tips go over REST, which has nothing to do with shards."""
    async with processes(server, router, TWO_PROCESSES[1]) as (second,):
        await ready(server, [second], 1)
        assert second.client.get_guild(int(fake.GUILD_ID)) is None
        await second.sender.post(fake.CHANNEL_ID, TIP)
    (posted,) = server.where("message")
    assert posted.path == f"/channels/{fake.CHANNEL_ID}/messages"
    assert posted.status == 200
    assert posted.body["embeds"][0]["title"] == "Tip of the day"


async def test_one_process_runs_every_shard_discord_recommends(
    server: FakeDiscord, router: Router
) -> None:
    server.recommended_shards = 2
    async with processes(server, router, {}) as (runner,):
        await ready(server, [runner], 2)
        assert sorted(d["shard"] for d in server.identifies) == [[0, 2], [1, 2]]
        assert sorted(g.id for g in runner.client.guilds) == sorted(
            [int(fake.GUILD_ID), int(fake.OTHER_GUILD_ID)]
        )
        there = in_other_guild(events.message(f"<@{fake.BOT_ID}> what skills do I need?"))
        (answer,) = await mention(server, there)
        assert answer.status == 200
        assert runner.sessions == 2  # one session per shard, neither counted as a reconnect


async def test_too_many_servers_on_one_session_stops_with_sharding_required(
    server: FakeDiscord, router: Router
) -> None:
    server.max_guilds_per_session = 1
    runner = DiscordRunner(settings_for(server, discord_shard_count="1"), router)
    with pytest.raises(SettingsError, match=r"4011 Sharding required.*DISCORD_SHARD_COUNT"):
        async with asyncio.timeout(WAIT):
            await runner.run()
    assert server.closes == [4011]


@pytest.mark.parametrize("shard", [[2, 2], [0, 0], [-1, 2], "0,2", [0]])
async def test_the_fake_closes_an_invalid_shard_with_4010(
    server: FakeDiscord, shard: object
) -> None:
    async with aiohttp.ClientSession() as http, http.ws_connect(server.gateway_url) as ws:
        hello = await ws.receive_json()
        assert hello["op"] == fake.HELLO
        identify = {"token": server.token, "intents": 0, "properties": {}, "shard": shard}
        await ws.send_json({"op": fake.IDENTIFY, "d": identify})
        closed = await ws.receive()
    assert closed.type is aiohttp.WSMsgType.CLOSE
    assert closed.data == 4010
    assert server.closes == [4010]
    assert not server.sessions


async def test_an_interaction_can_be_acknowledged_only_once(server: FakeDiscord) -> None:
    payload = events.command("skills")
    url = f"{server.api_url}/interactions/{payload['id']}/{payload['token']}/callback"
    body = {"type": 4, "data": {"content": "hi", "allowed_mentions": {"parse": []}}}
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json=body) as first:
            assert first.status == 200
        async with http.post(url, json=body) as second:
            assert second.status == 400
            error = await second.json()
    assert error["code"] == 40060
    assert error["message"] == "Interaction has already been acknowledged."
    server.problems.clear()  # the refusal was the point


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"discord_shard_count": "0"}, "DISCORD_SHARD_COUNT must be auto or a whole number"),
        ({"discord_shard_count": "two"}, "DISCORD_SHARD_COUNT must be auto or a whole number"),
        ({"discord_shard_ids": "0"}, "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT set"),
        (
            {"discord_shard_count": "auto", "discord_shard_ids": "0"},
            "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT set",
        ),
        (
            {"discord_shard_count": "2", "discord_shard_ids": "1,2"},
            "must each be below DISCORD_SHARD_COUNT=2 (shards are numbered from 0), not 2",
        ),
        ({"discord_shard_count": "2", "discord_shard_ids": "0,0"}, "names a shard twice"),
        ({"discord_shard_count": "2", "discord_shard_ids": "0;1"}, "separated by commas"),
        ({"discord_shard_count": "2", "discord_shard_ids": "-1"}, "separated by commas"),
    ],
)
def test_bad_shard_settings_stop_with_one_clear_line(values: dict[str, str], message: str) -> None:
    settings = Settings.load(environ={}, dotenv=None, discord_token=Secret(fake.TOKEN), **values)
    with pytest.raises(SettingsError) as caught:
        discord_config(settings)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("values", "shards"),
    [
        ({}, (None, None)),
        ({"discord_shard_count": "AUTO"}, (None, None)),
        ({"discord_shard_count": "4", "discord_shard_ids": " 3, 1 "}, (4, (1, 3))),
        ({"discord_shard_count": "4", "discord_shard_ids": ""}, (4, None)),
    ],
)
def test_shard_settings_are_read(
    values: dict[str, str], shards: tuple[int | None, tuple[int, ...] | None]
) -> None:
    settings = Settings.load(environ={}, dotenv=None, discord_token=Secret(fake.TOKEN), **values)
    config = discord_config(settings)
    assert (config.shard_count, config.shard_ids) == shards
