"""Partial answers and decline entries, end to end through the router and every renderer."""

from __future__ import annotations

import json
import random
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.adapters.discord import embeds
from bot.adapters.slack import blocks
from bot.adapters.slack.shares import can_share
from bot.commands.ask import as_json
from bot.core.reply import Reply, ReplyKind
from bot.core.request import Request
from bot.core.router import Router
from bot.core.services import Services
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Band, Matcher
from bot.settings import DEFAULT_KNOWLEDGE_DIR

RunCli = Callable[..., subprocess.CompletedProcess[bytes]]
LAYER = Path(__file__).resolve().parent.parent / "data" / "kb-layers" / "partial"


@pytest.fixture(scope="module")
def layered() -> KnowledgeBase:
    return load_knowledge(DEFAULT_KNOWLEDGE_DIR, (LAYER,))


@pytest.fixture
def router(layered: KnowledgeBase) -> Router:
    return Router(Services(knowledge=layered, matcher=Matcher(layered), rng=random.Random(1)))


async def ask(router: Router, text: str) -> Reply:
    return await router.handle(Request(text=text))


def test_a_partial_entry_ranks_with_the_rest_and_gets_the_partial_band(
    layered: KnowledgeBase,
) -> None:
    result = Matcher(layered).match("how long does zorbling take?")
    assert result.band is Band.PARTIAL
    assert result.best is not None
    assert result.best.entry.id == "partial/test-how-long"
    assert result.section == "career-path"


async def test_a_partial_reply_says_the_gap_first_then_the_answer(
    router: Router, layered: KnowledgeBase
) -> None:
    reply = await ask(router, "how long does zorbling take?")
    assert reply.kind is ReplyKind.PARTIAL
    assert reply.body.startswith("Placeholder gap: the source does not say how long")
    assert reply.body.endswith(layered.by_id["career-path"].answer)
    assert reply.title == layered.by_id["career-path"].title  # defaults to answers_with's
    assert (reply.entry_id, reply.section) == ("partial/test-how-long", "career-path")
    record = as_json(reply, "how long does zorbling take?")
    assert (record["band"], record["partial"]) == ("partial", True)


async def test_a_full_answer_is_not_partial_in_json(router: Router) -> None:
    record = as_json(await ask(router, "skills"), "skills")
    assert (record["band"], record["partial"]) == ("answer", False)


async def test_a_decline_entry_replies_with_its_own_text_and_nearest_buttons(
    router: Router,
) -> None:
    reply = await ask(router, "which quux should I buy for frobnicating")
    assert reply.kind is ReplyKind.DECLINE
    assert reply.body == "Placeholder decline: quux is not something I can answer; ask the channel."
    assert [link.topic for link in reply.suggestions] == ["skills", "salary"]
    assert reply.section is None
    assert reply.entry_id == "decline/test-quux"


async def test_nothing_scoring_gets_the_generic_decline(router: Router) -> None:
    reply = await ask(router, "zxqv wubwub plonk")
    assert reply.kind is ReplyKind.DECLINE
    assert reply.title == "I don't know that one"
    assert reply.entry_id is None


async def test_slack_offers_share_on_a_partial_and_shows_the_gap(router: Router) -> None:
    reply = await ask(router, "how long does zorbling take?")
    assert can_share(reply, "C1")
    message = blocks.render(reply, share_value="k1")
    dumped = json.dumps(message.blocks)
    assert "Placeholder gap" in dumped
    assert "Share in channel" in dumped


async def test_discord_offers_share_on_a_partial_and_shows_the_gap(router: Router) -> None:
    reply = await ask(router, "how long does zorbling take?")
    rendered = embeds.render(reply, shareable=True)
    assert rendered.embed["description"].startswith("Placeholder gap")
    assert rendered.embed["color"] == embeds.COLOURS[ReplyKind.PARTIAL]
    assert any(button.custom_id == embeds.SHARE_ID for button in rendered.buttons)


def test_ask_json_prints_partial_through_the_real_command_line(run_cli: RunCli) -> None:
    result = run_cli(
        "--extra-knowledge", str(LAYER), "ask", "--json", "how long does zorbling take"
    )
    record = json.loads(result.stdout)
    assert (record["band"], record["partial"], record["entry"]) == (
        "partial",
        True,
        "partial/test-how-long",
    )
    text = run_cli("--extra-knowledge", str(LAYER), "ask", "how long does zorbling take")
    assert text.stdout.decode().splitlines()[2].startswith("Placeholder gap")
