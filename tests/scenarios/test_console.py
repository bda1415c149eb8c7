"""Replay every chat transcript through the terminal adapter (router + console renderer)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.console.render import render
from bot.core.request import Request
from bot.core.router import Router
from bot.core.services import Services
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from tests.scenarios.transcript import load, transcripts


@pytest.mark.parametrize("path", transcripts(), ids=lambda p: p.stem)
async def test_console_conversation(path: Path, knowledge: KnowledgeBase, matcher: Matcher) -> None:
    """Each turn of the transcript, rendered for the terminal, shows every fragment expected."""
    router = Router(Services(knowledge=knowledge, matcher=matcher))
    for turn in load(path):
        shown = render(await router.handle(Request(text=turn.said)))
        for fragment in turn.expect:
            assert fragment in shown, f"{turn.said!r} -> {shown!r}"
