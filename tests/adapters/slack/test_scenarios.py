"""The shared chat transcripts, replayed on Slack as slash commands and as mentions over
HTTP, and as slash commands over Socket Mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapters.slack.harness import SlackHarness
from tests.scenarios.transcript import load, transcripts

WAYS = {
    "command": (False, "/mlcareer"),
    "mention": (False, "@mlcareer"),
    "socket-mode-command": (True, "/mlcareer"),
}


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("path", transcripts(), ids=lambda p: p.stem)
async def test_conversation(path: Path, way: str) -> None:
    socket_mode, prefix = WAYS[way]
    async with SlackHarness(socket_mode=socket_mode) as slack:
        say = slack.mention if prefix == "@mlcareer" else slack.command
        for turn in load(path):
            shown = "\n".join(await say(turn.said))
            for fragment in turn.expect:
                assert fragment in shown, f"{prefix} {turn.said!r} -> {shown!r}"
