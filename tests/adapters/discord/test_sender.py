"""DiscordSender: posting a reply to a channel over REST, and its errors."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.adapters.discord.sender import rest_sender
from bot.core.reply import Reply, ReplyKind, TopicLink
from bot.errors import ChannelGoneError, PlatformError
from bot.settings import Secret, Settings
from tests.adapters.discord import fake_discord as fake
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.discord.harness import DiscordHarness

TIP = Reply(
    ReplyKind.TIP,
    "Tip of the day",
    "Learn SQL @everyone",
    related=(TopicLink("skills", "Skills"),),
    source="Section: Skills",
    public=True,
)


@pytest.fixture
async def api() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    yield server
    await server.close()
    server.assert_no_problems()


def settings_for(server: FakeDiscord) -> Settings:
    return Settings.load(
        environ={}, dotenv=None, discord_token=Secret(fake.TOKEN), discord_api_url=server.api_url
    )


async def test_a_rest_only_sender_posts_an_embed_without_the_gateway(api: FakeDiscord) -> None:
    async with rest_sender(settings_for(api)) as sender:
        assert sender.platform == "discord"
        await sender.post(fake.CHANNEL_ID, TIP)
    (sent,) = api.where("message")
    assert sent.path == f"/channels/{fake.CHANNEL_ID}/messages"
    assert sent.body["allowed_mentions"]["parse"] == []
    assert sent.body["embeds"][0]["title"] == "Tip of the day"
    assert "@everyone" not in sent.body["embeds"][0]["description"]
    ids = [b["custom_id"] for row in sent.body["components"] for b in row["components"]]
    assert ids == ["mlcareer:topic:skills"]
    assert api.identify is None  # never opened the gateway
    assert "/gateway/bot" not in [r.path for r in api.received]


@pytest.mark.parametrize("channel", [fake.GONE_CHANNEL_ID, fake.FORBIDDEN_CHANNEL_ID, "general"])
async def test_a_gone_or_forbidden_channel_raises_channel_gone(
    api: FakeDiscord, channel: str
) -> None:
    async with rest_sender(settings_for(api)) as sender:
        with pytest.raises(ChannelGoneError):
            await sender.post(channel, TIP)


async def test_other_failures_raise_platform_error(api: FakeDiscord) -> None:
    api.fail(
        "POST", r"^/channels/\d+/messages$", 400, {"message": "Invalid Form Body", "code": 50035}
    )
    async with rest_sender(settings_for(api)) as sender:
        with pytest.raises(PlatformError) as caught:
            await sender.post(fake.CHANNEL_ID, TIP)
    assert not isinstance(caught.value, ChannelGoneError)


async def test_the_runners_sender_posts_while_it_serves(harness: DiscordHarness) -> None:
    assert harness.runner is not None
    assert harness.runner.sender.platform == "discord"
    await harness.runner.sender.post(fake.CHANNEL_ID, TIP)
    (sent,) = harness.fake.where("message")
    assert sent.body["embeds"][0]["footer"]["text"] == "Section: Skills"


async def test_posting_after_the_client_closed_is_a_platform_error(api: FakeDiscord) -> None:
    """The scheduler may still post while ``mlcareer run`` shuts down: a closed client is a
    ``PlatformError`` it can handle, not aiohttp's RuntimeError."""
    async with rest_sender(settings_for(api)) as sender:
        pass
    with pytest.raises(PlatformError, match="closed"):
        await sender.post(fake.CHANNEL_ID, TIP)
