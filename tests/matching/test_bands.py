"""Bands and the clear lead a full answer needs, on a small knowledge base written for the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Band, Matcher, Thresholds

KNOWLEDGE = """version: 2
sections:
  - {id: gardening, name: Gardening, order: 10, source: a test text}
entries:
  - id: gardening
    section: gardening
    title: Gardening basics
    answer: Water the plants.
    examples: [how often should I water tomato plants, when do tomatoes need water,
               watering tomato seedlings]
    source: a test text
  - id: decline/tomato-prices
    kind: decline
    title: Prices
    answer: I can't tell you prices.
    examples: [tomato seedlings price, how much do tomato seedlings cost, cost of seedlings]
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    folder: Path = tmp_path_factory.mktemp("kb")
    (folder / "all.yaml").write_text(KNOWLEDGE, encoding="utf-8")
    return load_knowledge(folder)


QUESTION = "how often water tomato seedlings price"


def test_a_full_answer_needs_a_clear_lead_over_another_kind(small: KnowledgeBase) -> None:
    """Close behind the answer is a decline: the answer is still given, as the closest topic."""
    plain = Matcher(small, Thresholds(confident=1, closest=1, clear_lead=0)).match(QUESTION)
    scores = {m.entry.id: m.score for m in plain.matches}
    lead = scores["gardening"] - scores["decline/tomato-prices"]
    assert lead > 0  # the answer leads
    assert plain.band is Band.ANSWER
    narrow = Matcher(small, Thresholds(confident=1, closest=1, clear_lead=lead + 1))
    result = narrow.match(QUESTION)
    assert result.band is Band.CLOSEST
    assert result.best is not None
    assert result.best.entry.id == "gardening"
    assert result.section == "gardening"


def test_bands_follow_the_thresholds(small: KnowledgeBase) -> None:
    question = "how often should I water tomato plants"
    assert Matcher(small, Thresholds(confident=50, closest=10)).match(question).band is Band.ANSWER
    assert Matcher(small, Thresholds(confident=101, closest=10)).match(question).band is (
        Band.CLOSEST
    )
    assert Matcher(small, Thresholds(confident=101, closest=101)).match(question).band is (
        Band.DECLINE
    )
