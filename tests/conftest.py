"""Shared fixtures: the shipped knowledge base and a matcher over it, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.settings import DEFAULT_KNOWLEDGE_DIR

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    return load_knowledge(DEFAULT_KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def matcher(knowledge: KnowledgeBase) -> Matcher:
    return Matcher(knowledge)
