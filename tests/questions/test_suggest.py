"""``kb suggest``'s example proposals: up-voted partial and closest answers join their entry."""

from __future__ import annotations

import yaml

from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.questions.models import LoggedQuestion, LogSnapshot, ReadQuestion
from bot.questions.suggest import propose, suggestions_yaml
from tests.questions.conftest import NOW


def row(n: int, text: str, band: str, entry: str | None, up: int = 0) -> ReadQuestion:
    question = LoggedQuestion(
        f"q{n}", NOW, "slack", "T1", "channel", f"u{n}", text, band, entry, None, 20.0
    )
    return ReadQuestion(question, up=up)


def test_up_voted_partial_and_closest_answers_become_examples_of_their_entry(
    knowledge: KnowledgeBase, matcher: Matcher
) -> None:
    snapshot = LogSnapshot(
        (
            row(1, "what do ml folks make in lisbon", "closest", "salary", up=1),
            row(2, "what do ml folks make in lisbon", "closest", "salary", up=2),
            row(3, "how long until I am an ml engineer", "partial", "partial/time-to-become", 1),
            row(4, "which cloud certificate pays best", "closest", "salary"),  # no 👍
            row(5, "what skills do I need", "answer", "skills", up=3),  # answered already
        ),
        (),
    )
    examples, stubs = propose(snapshot, matcher, knowledge)
    proposed = {p.entry_id: p.questions for p in examples}
    assert proposed["salary"] == ["what do ml folks make in lisbon"]
    assert proposed["partial/time-to-become"] == ["how long until I am an ml engineer"]
    assert "skills" not in proposed
    text = suggestions_yaml(examples, stubs, "2026-11-24")
    assert "# asked 2 times by 2 people (got a \U0001f44d)" in text
    assert yaml.safe_load(text)["examples"]["salary"] == ["what do ml folks make in lisbon"]
