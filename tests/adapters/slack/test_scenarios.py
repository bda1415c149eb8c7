"""The shared chat transcripts, replayed on Slack as slash commands and as mentions."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapters.slack.harness import SlackHarness
from tests.scenarios.transcript import load, transcripts


@pytest.mark.parametrize("path", transcripts(), ids=lambda p: p.stem)
async def test_conversation_as_slash_commands(path: Path, slack: SlackHarness) -> None:
    for turn in load(path):
        shown = "\n".join(await slack.command(turn.said))
        for fragment in turn.expect:
            assert fragment in shown, f"/mlcareer {turn.said!r} -> {shown!r}"


@pytest.mark.parametrize("path", transcripts(), ids=lambda p: p.stem)
async def test_conversation_as_mentions(path: Path, slack: SlackHarness) -> None:
    for turn in load(path):
        shown = "\n".join(await slack.mention(turn.said))
        for fragment in turn.expect:
            assert fragment in shown, f"@mlcareer {turn.said!r} -> {shown!r}"


@pytest.mark.parametrize("path", transcripts(), ids=lambda p: p.stem)
async def test_conversation_over_socket_mode(path: Path, socket_slack: SlackHarness) -> None:
    for turn in load(path):
        shown = "\n".join(await socket_slack.command(turn.said))
        for fragment in turn.expect:
            assert fragment in shown, f"/mlcareer {turn.said!r} -> {shown!r}"
