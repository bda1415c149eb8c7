"""The channel senders for posting tips outside ``mlcareer run`` (``mlcareer tips send-due``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from bot.core.ports import ChannelSender
from bot.settings import Settings


@asynccontextmanager
async def build_senders(settings: Settings) -> AsyncIterator[dict[str, ChannelSender]]:
    """One sender per platform whose token is set, keyed by platform name, for one block.

    An async context manager rather than a plain function because senders hold connections:
    Discord's logs in over REST and must log out, Slack's web client has an HTTP session.
    Adapters are imported only inside, so terminal commands never load slack_bolt or discord.
    """
    senders: dict[str, ChannelSender] = {}
    stack = AsyncExitStack()  # closes whatever the senders opened, in reverse order
    async with stack:
        if settings.slack_bot_token:
            from bot.adapters.slack.sender import web_api_sender

            senders["slack"] = await stack.enter_async_context(web_api_sender(settings))
        if settings.discord_token:
            from bot.adapters.discord.sender import rest_sender

            senders["discord"] = await stack.enter_async_context(rest_sender(settings))
        yield senders
