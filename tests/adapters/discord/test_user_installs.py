"""User installs, "Ask mlcareer about this message" and forwarded messages, on the golden
payloads in tests/fixtures/discord (their sources are in its SOURCES.md), through the real
discord.py client and the fake Discord."""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.discord.translate import command_text, target_text
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from tests.adapters.discord import events
from tests.adapters.discord import fake_discord as fake
from tests.adapters.discord.harness import DiscordHarness, plain_text, texts
from tests.adapters.discord.test_interactions import RecordingTips, mentions_none, tips_router

EPHEMERAL = 64
SHARE = "mlcareer:share"


def button_ids(body: dict[str, Any]) -> list[str]:
    return [b.get("custom_id", "") for row in body.get("components", []) for b in row["components"]]


def elsewhere(payload: dict[str, Any], *, external_apps: bool) -> dict[str, Any]:
    """``payload`` moved to the server that never added the bot (where the app is used as a
    user install), the member allowed to use external apps or not."""
    other = events.fixture("command_user_install_guild")
    for key in ("guild_id", "channel_id", "channel", "guild", "authorizing_integration_owners"):
        payload[key] = other[key]
    permissions = int(other["member"]["permissions"])
    if not external_apps:
        permissions &= ~(1 << 50)
    payload["member"] = {**payload["member"], "permissions": str(permissions)}
    return payload


# --- the translators on the golden payloads ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("message_command_ask", "how much do ML engineers earn?"),
        ("message_command_forwarded", "which programming languages should I learn?"),
        ("message_command_image", ""),
    ],
)
def test_a_message_commands_question_is_the_messages_text(name: str, text: str) -> None:
    data = events.fixture(name)["data"]
    assert target_text(data) == text
    assert command_text(data) == text


# --- "Ask mlcareer about this message" -----------------------------------------------------


@pytest.mark.parametrize("name", ["message_command_ask", "message_command_forwarded"])
async def test_the_message_command_answers_privately_with_share(
    harness: DiscordHarness, name: str
) -> None:
    """The message's text (or the forwarded message's) is asked as it would be typed."""
    (callback,) = await harness.interact(events.interaction(name))
    data = callback.body["data"]
    assert callback.body["type"] == 4
    assert data["flags"] & EPHEMERAL
    assert mentions_none(data["allowed_mentions"])
    assert button_ids(data)[-1] == SHARE
    question = target_text(events.fixture(name)["data"])
    assert texts([callback]) == await harness.command(question)


async def test_an_image_only_message_gets_a_friendly_word(harness: DiscordHarness) -> None:
    (callback,) = await harness.interact(events.interaction("message_command_image"))
    data = callback.body["data"]
    assert data["flags"] & EPHEMERAL
    assert "no text I can read" in plain_text(callback.message)
    assert SHARE not in button_ids(data)


async def test_a_shared_message_command_answer_posts_for_the_channel(
    harness: DiscordHarness,
) -> None:
    (answer,) = await harness.interact(events.interaction("message_command_ask"))
    assert answer.message is not None
    (shared,) = await harness.interact(events.click(SHARE, answer.message))
    assert not shared.body["data"].get("flags", 0) & EPHEMERAL
    assert shared.body["data"]["embeds"] == answer.message["embeds"]


# --- user installs ---------------------------------------------------------------------------


async def test_a_user_install_answers_in_a_group_dm(harness: DiscordHarness) -> None:
    """Context 2 (a group DM the bot is not in): the answer is an interaction response, which
    needs no bot there, and sharing it posts for the group."""
    (callback,) = await harness.interact(events.interaction("command_user_install_group_dm"))
    data = callback.body["data"]
    assert data["flags"] & EPHEMERAL
    assert "degree" in plain_text(callback.message).lower()
    assert callback.message is not None
    click = events.click(SHARE, callback.message, dm=True)
    base = events.fixture("command_user_install_group_dm")
    for key in ("channel_id", "channel", "authorizing_integration_owners", "context"):
        click[key] = base[key]
    (shared,) = await harness.interact(click)
    assert not shared.body["data"].get("flags", 0) & EPHEMERAL
    assert shared.body["data"]["embeds"] == callback.message["embeds"]


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("command_user_install_guild", "this server hasn't added the bot"),
        ("command_user_install_group_dm", "can't post in group DMs"),
    ],
)
@pytest.mark.parametrize("action", ["on", "now"])
async def test_daily_tips_where_the_bot_is_not_explain_how_to_add_it(
    knowledge: KnowledgeBase, matcher: Matcher, name: str, where: str, action: str
) -> None:
    """Daily tips are posted by the bot, so where it isn't (a user install in a server that
    never added it, a group DM) they are not turned on; the reply says why, with the link."""
    tips = RecordingTips()
    async with DiscordHarness(tips_router(knowledge, matcher, tips)) as harness:
        payload = events.interaction(name)
        options = [] if action == "now" else events.fixture("command_tips_on")["data"]["options"]
        sub = options[0]["options"][0]["options"] if options else []
        payload["data"]["options"] = [
            {"name": "tips", "type": 2, "options": [{"name": action, "type": 1, "options": sub}]}
        ]
        (callback,) = await harness.interact(payload)
    assert tips.requests == []  # nothing was switched on or drawn
    data = callback.body["data"]
    assert data["flags"] & EPHEMERAL
    assert where in plain_text(callback.message)
    assert data["content"].startswith("https://discord.com/oauth2/authorize?client_id=")
    if payload.get("guild_id"):
        assert f"guild_id={payload['guild_id']}" in data["content"]
    assert SHARE not in button_ids(data)


async def test_tips_status_still_works_from_a_user_install(
    knowledge: KnowledgeBase, matcher: Matcher
) -> None:
    tips = RecordingTips()
    async with DiscordHarness(tips_router(knowledge, matcher, tips)) as harness:
        payload = events.interaction("command_user_install_guild")
        payload["data"]["options"] = [
            {"name": "tips", "type": 2, "options": [{"name": "status", "type": 1, "options": []}]}
        ]
        await harness.interact(payload)
    ((request, args),) = tips.requests
    assert args == "status"
    assert request.channel == events.fixture("command_user_install_guild")["channel_id"]


async def test_a_user_install_in_a_server_answers_the_question(harness: DiscordHarness) -> None:
    payload = elsewhere(events.command("ask", {"question": "salary"}), external_apps=True)
    (callback,) = await harness.interact(payload)
    assert "$114,121" in plain_text(callback.message)


@pytest.mark.parametrize("external_apps", [True, False])
async def test_share_where_the_bot_is_not_installed(
    harness: DiscordHarness, external_apps: bool
) -> None:
    """A server that turned off Use External Apps shows an app's public replies only to the
    person using it: instead of a share that nobody else sees, the reply says so."""
    (answer,) = await harness.interact(events.command("salary"))
    assert answer.message is not None
    click = elsewhere(events.click(SHARE, answer.message), external_apps=external_apps)
    (shared,) = await harness.interact(click)
    data = shared.body["data"]
    if external_apps:
        assert not data.get("flags", 0) & EPHEMERAL
        assert data["embeds"] == answer.message["embeds"]
    else:
        assert data["flags"] & EPHEMERAL
        assert "can't be shared here" in plain_text(shared.message)
        assert "guild_id=200000000000000002" in data["content"]


# --- forwarded messages ----------------------------------------------------------------------


async def test_a_message_forwarded_to_the_bot_is_answered_as_the_question(
    harness: DiscordHarness,
) -> None:
    payload = events.message("", fixture_name="message_forwarded_dm")
    (sent,) = await harness.post_message(payload)
    assert sent.path == f"/channels/{fake.DM_CHANNEL_ID}/messages"
    question = payload["message_snapshots"][0]["message"]["content"]
    assert texts([sent]) == await harness.dm(question)


async def test_a_message_forwarded_into_a_server_channel_is_ignored(
    harness: DiscordHarness,
) -> None:
    """A forward carries no words of its own, so it can't ask the bot anything; a mention
    inside the forwarded text was meant for the original channel."""
    ignored = events.message("", fixture_name="message_forwarded_guild", mention_bot=False)
    await harness.fake.dispatch("MESSAGE_CREATE", ignored)
    probe = events.message(f"<@{fake.BOT_ID}> salary")
    await harness.post_message(probe)
    replies = [r for r in harness.fake.received if r.kind == "message"]
    assert [str(r.body["message_reference"]["message_id"]) for r in replies] == [probe["id"]]
