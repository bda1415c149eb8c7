"""The shared chat transcripts, replayed on Discord as slash commands and as mentions."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapters.discord.harness import DiscordHarness
from tests.scenarios.transcript import load, transcripts


@pytest.mark.parametrize("path", transcripts(), ids=lambda p: p.stem)
async def test_conversation_as_slash_commands(path: Path, harness: DiscordHarness) -> None:
    for turn in load(path):
        shown = "\n".join(await harness.command(turn.said))
        for fragment in turn.expect:
            assert fragment in shown, f"/mlcareer {turn.said!r} -> {shown!r}"


@pytest.mark.parametrize("path", transcripts(), ids=lambda p: p.stem)
async def test_conversation_as_mentions(path: Path, harness: DiscordHarness) -> None:
    for turn in load(path):
        shown = "\n".join(await harness.mention(turn.said))
        for fragment in turn.expect:
            assert fragment in shown, f"@mlcareer {turn.said!r} -> {shown!r}"
