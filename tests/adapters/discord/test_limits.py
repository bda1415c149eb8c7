"""A knowledge base with a topic far too long for Discord, answered through the real client:
every message stays within Discord's limits (the fake refuses anything over them) and says
where the full topic is."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.core.router import Router
from bot.core.services import Services
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from tests.adapters.discord import discord_rules as rules
from tests.adapters.discord import events
from tests.adapters.discord.harness import DiscordHarness

POINTER = "/mlcareer ask question:skills"


def oversized(knowledge: KnowledgeBase) -> KnowledgeBase:
    """The shipped knowledge base with the skills topic grown far past Discord's limits: a
    9,000-character answer, 80 long points, and 30 more topics all related to it."""
    skills = knowledge.by_id["skills"]
    extra = tuple(
        replace(
            knowledge.by_id["skills/communication"],
            id=f"skills/extra-{n}",
            title=f"Extra skill {n} " + "with a long name " * 6,
            aliases=(),
        )
        for n in range(30)
    )
    grown = replace(
        skills,
        answer=" ".join(f"sentence {n} about what ML engineers need to know." for n in range(180)),
        points=tuple(f"point {n}: " + "detail " * 25 for n in range(80)),
        related=tuple(entry.id for entry in extra),
    )
    entries = tuple(grown if entry.id == "skills" else entry for entry in knowledge.entries)
    return KnowledgeBase(
        entries=entries + extra, tips=knowledge.tips, vocabulary=knowledge.vocabulary
    )


def message_of(received: Any) -> dict[str, Any]:
    """The message body a callback or a channel post carried."""
    body: dict[str, Any] = received.body
    return body["data"] if received.kind == "callback" else body


@pytest.mark.parametrize("how", ["command", "mention"])
async def test_a_huge_topic_is_shortened_within_discords_limits(
    knowledge: KnowledgeBase, how: str
) -> None:
    big = oversized(knowledge)
    router = Router(Services(knowledge=big, matcher=Matcher(big)))
    async with DiscordHarness(router) as harness:
        if how == "command":
            received = await harness.interact(events.command("skills"))
        else:
            received = await harness.post_message(events.message("<@100000000000000001> skills"))
    (sent,) = received
    assert sent.status == 200
    message = message_of(sent)
    assert rules.message_problems(message) == []
    (embed,) = message["embeds"]
    assert embed["title"] == "Skills an ML engineer needs"
    assert POINTER in embed["description"]
    assert "sentence 0 about" in embed["description"]
    assert embed["fields"][0]["value"].startswith("\u2022 point 0\\:")
    buttons = [b for row in message["components"] for b in row["components"]]
    assert len(message["components"]) == 5
    assert len(buttons) == 25
    assert all(len(button["label"]) <= 80 for button in buttons)
