"""The shared chat transcripts, replayed on Discord as slash commands and as mentions."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapters.discord.harness import DiscordHarness
from tests.scenarios.transcript import load, transcripts

SHOWN_AS = {"command": "/mlcareer", "mention": "@mlcareer"}


@pytest.mark.parametrize("how", SHOWN_AS)
@pytest.mark.parametrize("path", transcripts(), ids=lambda p: p.stem)
async def test_conversation(path: Path, how: str, harness: DiscordHarness) -> None:
    """Each turn's expected fragments appear whether it is typed as ``/mlcareer ...`` or as a
    mention of the bot."""
    say = harness.command if how == "command" else harness.mention
    for turn in load(path):
        shown = "\n".join(await say(turn.said))
        for fragment in turn.expect:
            assert fragment in shown, f"{SHOWN_AS[how]} {turn.said!r} -> {shown!r}"
