"""The harness that shared conversation scenarios replay against Slack, in both transports."""

from __future__ import annotations

import pytest

from bot.core.replies import help_reply
from bot.core.request import Request
from tests.adapters.slack.harness import SlackHarness
from tests.shipped import SHIPPED


@pytest.mark.parametrize("socket_mode", [False, True], ids=["http", "socket-mode"])
async def test_command_mention_and_dm_each_return_the_texts_of_the_answers(
    socket_mode: bool,
) -> None:
    async with SlackHarness(socket_mode=socket_mode) as slack:
        assert slack.runner is not None
        salary = (await slack.runner.router.handle(Request("salary"))).title
        [by_command] = await slack.command("salary")
        [by_mention] = await slack.mention("salary")
        [by_dm] = await slack.dm("help")
    assert by_command.startswith(salary)
    assert by_mention.startswith(salary)
    assert by_dm.startswith(help_reply(SHIPPED).title)
