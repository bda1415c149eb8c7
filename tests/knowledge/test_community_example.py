"""The shipped example community layer (examples/community-knowledge/) works on top of the
shipped knowledge: its section shows everywhere sections show, and its questions are answered."""

from __future__ import annotations

import json
import random
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.adapters.discord.commands import command_definition
from bot.adapters.slack import blocks
from bot.core.reply import ReplyKind
from bot.core.request import Request
from bot.core.router import Router
from bot.core.services import Services
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.settings import DEFAULT_KNOWLEDGE_DIR

RunCli = Callable[..., subprocess.CompletedProcess[bytes]]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "community-knowledge"


@pytest.fixture(scope="module")
def layered() -> KnowledgeBase:
    return load_knowledge(DEFAULT_KNOWLEDGE_DIR, (EXAMPLE,))


@pytest.fixture
def router(layered: KnowledgeBase) -> Router:
    return Router(Services(knowledge=layered, matcher=Matcher(layered), rng=random.Random(1)))


async def test_the_interviews_section_shows_in_topics_and_help(router: Router) -> None:
    topics = await router.handle(Request(text="topics"))
    assert "Interviews" in [bullets.title for bullets in topics.lists]
    assert "interviews" in [link.topic for link in topics.suggestions]
    help_reply = await router.handle(Request(text="help"))
    assert "Interviews" in help_reply.plain_text()


def test_the_interviews_section_is_a_discord_subcommand(layered: KnowledgeBase) -> None:
    options = command_definition(layered)["options"]
    names = [option["name"] for option in options]
    assert "interviews" in names
    tip = next(option for option in options if option["name"] == "tip")
    assert "interviews" in [choice["value"] for choice in tip["options"][0]["choices"]]


async def test_one_of_its_questions_is_answered_from_its_own_source(router: Router) -> None:
    reply = await router.handle(Request(text="how do the partner companies run interviews?"))
    assert reply.kind is ReplyKind.ANSWER
    assert (reply.entry_id, reply.section) == ("interviews", "interviews")
    assert reply.source is not None
    assert "https://example.org/community/interview-notes" in reply.source


async def test_its_decline_entry_answers_with_its_own_text(router: Router) -> None:
    reply = await router.handle(Request(text="send me the solutions to the coding interview"))
    assert reply.kind is ReplyKind.DECLINE
    assert reply.entry_id == "decline/interview-answers"
    assert [link.topic for link in reply.suggestions] == ["interviews"]


def test_its_examples_are_added_to_shipped_entries(layered: KnowledgeBase) -> None:
    shipped = load_knowledge(DEFAULT_KNOWLEDGE_DIR)
    added = set(layered.by_id["skills"].examples) - set(shipped.by_id["skills"].examples)
    assert added == {"what do we need to know for the bootcamp's ML track"}


async def test_the_interviews_section_shows_in_about_tips_and_slack(
    router: Router, layered: KnowledgeBase
) -> None:
    about = await router.handle(Request(text="about"))
    assert "Interviews" in about.plain_text()
    tip = await router.handle(Request(text="tip interviews"))
    assert tip.kind is ReplyKind.TIP
    assert tip.source == "Section: Interviews"
    topics = await router.handle(Request(text="topics"))
    buttons = json.dumps(blocks.render(topics).blocks)
    assert '"value": "interviews"' in buttons


def test_kb_check_names_the_extra_layer(run_cli: RunCli) -> None:
    result = run_cli("--extra-knowledge", str(EXAMPLE), "kb", "check")
    assert result.returncode == 0, result.stderr.decode()
    assert f"(with {EXAMPLE})" in result.stdout.decode()
    env = run_cli("kb", "check", extra_env={"MLCAREER_EXTRA_KNOWLEDGE": str(EXAMPLE)})
    assert "12 sections" in env.stdout.decode()
