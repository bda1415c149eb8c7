"""Mentions and DMs through the real discord.py client and the fake Discord."""

from __future__ import annotations

from typing import Any

import pytest

from tests.adapters.discord import events
from tests.adapters.discord import fake_discord as fake
from tests.adapters.discord.harness import DiscordHarness, plain_text, texts


def allowed_none(body: dict[str, Any]) -> bool:
    allowed = body["allowed_mentions"]
    return allowed.get("parse") == [] and not allowed.get("replied_user", False)


async def test_a_mention_is_answered_as_a_reply(harness: DiscordHarness) -> None:
    payload = events.message(events.fixture("message_mention")["content"])
    (sent,) = await harness.post_message(payload)
    assert str(sent.body["message_reference"]["message_id"]) == payload["id"]
    assert allowed_none(sent.body)
    assert "Skills an ML engineer needs" in plain_text(sent.message)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("message_mention_nickname", "$114,121"), ("message_role_mention", "degree")],
)
async def test_other_mention_forms_are_answered(
    harness: DiscordHarness, name: str, expected: str
) -> None:
    """``<@!id>`` (nickname form) and the bot's own role ``<@&id>`` count as mentions."""
    base = events.fixture(name)
    payload = events.message(base["content"], fixture_name=name, mention_bot=bool(base["mentions"]))
    (sent,) = await harness.post_message(payload)
    assert str(sent.body["message_reference"]["message_id"]) == payload["id"]
    assert expected in plain_text(sent.message)


async def test_a_mention_in_a_thread_is_answered_in_the_thread(harness: DiscordHarness) -> None:
    """A thread the bot has no cache of (discord.py hands over a partial channel)."""
    payload = events.message(f"<@{fake.BOT_ID}> salary")
    payload["channel_id"] = fake.THREAD_CHANNEL_ID
    (sent,) = await harness.post_message(payload)
    assert sent.path == f"/channels/{fake.THREAD_CHANNEL_ID}/messages"
    assert str(sent.body["message_reference"]["message_id"]) == payload["id"]
    assert "$114,121" in plain_text(sent.message)


async def test_a_dm_is_answered_in_the_dm(harness: DiscordHarness) -> None:
    payload = events.message("salary", fixture_name="message_dm")
    (sent,) = await harness.post_message(payload)
    assert sent.path == f"/channels/{fake.DM_CHANNEL_ID}/messages"
    assert "message_reference" not in sent.body
    assert "$114,121" in plain_text(sent.message)
    assert allowed_none(sent.body)


@pytest.mark.parametrize(
    ("name", "author"),
    [
        ("message_own", fake.BOT_ID),
        ("message_other_bot", fake.OTHER_BOT_ID),
        ("message_no_mention", fake.USER_ID),
    ],
)
async def test_ignored_messages_get_no_answer(
    harness: DiscordHarness, name: str, author: str
) -> None:
    base = events.fixture(name)
    ignored = events.message(
        base["content"], fixture_name=name, author=author, mention_bot=bool(base["mentions"])
    )
    await harness.fake.dispatch("MESSAGE_CREATE", ignored)
    # Events are handled in order: once a later mention is answered, the ignored one was seen.
    probe = events.message(f"<@{fake.BOT_ID}> salary")
    await harness.post_message(probe)
    replies = [r for r in harness.fake.received if r.kind == "message"]
    assert [str(r.body["message_reference"]["message_id"]) for r in replies] == [probe["id"]]


async def test_a_hostile_everyone_question_pings_nobody(harness: DiscordHarness) -> None:
    payload = events.message(f"<@{fake.BOT_ID}> @everyone @here <@{fake.USER_ID}> skils")
    (sent,) = await harness.post_message(payload)
    assert allowed_none(sent.body)
    text = plain_text(sent.message)
    for raw in ("@everyone", "@here", f"<@{fake.USER_ID}>"):
        assert raw not in text
    assert text  # it still answered


async def test_an_empty_mention_gets_help(harness: DiscordHarness) -> None:
    replies = await harness.mention("")
    assert "career advice on machine learning engineering" in replies[0]


async def test_a_429_on_the_message_route_is_retried(harness: DiscordHarness) -> None:
    harness.fake.rate_limit("POST", r"^/channels/\d+/messages$", retry_after=0.01)
    replies = await harness.mention("salary")
    statuses = [r.status for r in harness.fake.received if r.path.startswith("/channels/")]
    assert statuses == [429, 200]
    assert "$114,121" in replies[0]


async def test_a_very_long_question_is_answered_within_limits(harness: DiscordHarness) -> None:
    (sent,) = await harness.post_message(events.message(f"<@{fake.BOT_ID}> " + "salary " * 900))
    (embed,) = sent.body["embeds"]
    assert len(embed.get("description", "")) <= 4096
    assert "read only the first" in embed["description"]
    assert texts([sent])
