"""DiscordSender posting a daily tip at most once: a deterministic nonce with enforce_nonce,
which the fake Discord honours as Discord does, and the channel read back before a retry."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot.adapters.discord.sender import NONCE_CHARS, nonce, rest_sender
from bot.core.ports import PostOnce
from tests.adapters.discord import fake_discord as fake
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.test_sender import TIP, settings_for


@pytest.fixture
async def api() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    yield server
    await server.close()


def once(key: str = f"discord:{fake.CHANNEL_ID}:2024-06-03", *, retry: bool = False) -> PostOnce:
    return PostOnce(key, datetime.now(UTC) - timedelta(seconds=5), retry=retry)


def test_the_nonce_is_the_same_for_the_same_post_and_fits_discord() -> None:
    assert nonce(once()) == nonce(once(retry=True))
    assert nonce(once()) != nonce(once(f"discord:{fake.CHANNEL_ID}:2024-06-04"))
    assert len(nonce(once("discord:" + "9" * 20 + ":2024-06-03"))) <= NONCE_CHARS


async def test_a_repeated_post_within_the_nonce_window_is_one_message(api: FakeDiscord) -> None:
    async with rest_sender(settings_for(api)) as sender:
        await sender.post(fake.CHANNEL_ID, TIP, once=once())
        await sender.post(fake.CHANNEL_ID, TIP, once=once())  # the first's outcome unknown
    sent = api.where("message")
    assert [r.body["nonce"] for r in sent] == [nonce(once())] * 2
    assert all(r.body["enforce_nonce"] is True for r in sent)
    assert [r.repeated for r in sent] == [False, True]
    assert len(api.messages_in(fake.CHANNEL_ID)) == 1
    api.assert_no_problems()


async def test_a_retry_after_the_nonce_window_finds_the_message_and_posts_nothing(
    api: FakeDiscord,
) -> None:
    api.nonce_window = 0.0  # Discord has forgotten the nonce (the lease is 10 minutes)
    async with rest_sender(settings_for(api)) as sender:
        await sender.post(fake.CHANNEL_ID, TIP, once=once())
        await sender.post(fake.CHANNEL_ID, TIP, once=once(retry=True))
    assert len(api.messages_in(fake.CHANNEL_ID)) == 1
    [read] = [r for r in api.received if r.method == "GET" and r.path.endswith("/messages")]
    assert "after" in read.query


async def test_a_retry_that_finds_nothing_posts(api: FakeDiscord) -> None:
    async with rest_sender(settings_for(api)) as sender:
        await sender.post(fake.CHANNEL_ID, TIP, once=once(retry=True))
    assert len(api.messages_in(fake.CHANNEL_ID)) == 1


async def test_the_fake_refuses_a_nonce_over_25_characters_like_discord(api: FakeDiscord) -> None:
    async with rest_sender(settings_for(api)) as sender:
        target = sender._client.get_partial_messageable(int(fake.CHANNEL_ID))
        with pytest.raises(discord.HTTPException, match="400"):
            await target.send("hello", nonce="x" * 26)
    assert api.messages_in(fake.CHANNEL_ID) == []
