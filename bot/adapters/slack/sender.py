"""Posting to Slack: ``SlackSender`` (chat.postMessage, the ``ChannelSender`` port) and
``Responder`` (a message to an interaction's response_url). SDK errors become
``PlatformError``/``ChannelGoneError`` here, at the seam.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.blocks import Message, render
from bot.adapters.slack.checks import check_bot_token
from bot.adapters.slack.client import build_client, web_session
from bot.adapters.slack.retry import retry_handlers
from bot.core.reply import Reply
from bot.errors import ChannelGoneError, PlatformError
from bot.settings import Settings

log = logging.getLogger(__name__)

# Slack error codes that mean the bot can no longer post there; retrying will not help.
GONE_ERRORS = frozenset({"not_in_channel", "channel_not_found", "is_archived", "account_inactive"})

# What a network failure looks like from the SDK, besides its own errors.
NETWORK_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError)


def platform_error(exc: BaseException, doing: str) -> PlatformError:
    """The adapter's error for an SDK or network failure while ``doing`` something."""
    if isinstance(exc, SlackApiError):
        code = _error_code(exc)
        if code in GONE_ERRORS:
            return ChannelGoneError(f"Slack {doing} failed: {code}")
        return PlatformError(f"Slack {doing} failed: {code}")
    return PlatformError(f"Slack {doing} failed: {type(exc).__name__}: {exc}")


class SlackSender:
    """Posts replies visibly in channels, DMs and threads through chat.postMessage.

    This is the ``ChannelSender`` for Slack (daily tips use it); mentions, DMs and shared
    answers use the extra keyword arguments.
    """

    platform = "slack"

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def post(
        self,
        channel: str,
        reply: Reply,
        *,
        thread_ts: str | None = None,
        shared_by: str | None = None,
    ) -> None:
        """Post ``reply`` in ``channel`` (in the thread ``thread_ts`` when given)."""
        await self.post_message(channel, render(reply, shared_by=shared_by), thread_ts=thread_ts)

    async def post_message(
        self, channel: str, message: Message, *, thread_ts: str | None = None
    ) -> None:
        """Post an already rendered message."""
        try:
            await self.client.chat_postMessage(
                channel=channel,
                text=message.text,
                blocks=list(message.blocks),
                thread_ts=thread_ts,
                unfurl_links=False,
                unfurl_media=False,
            )
        except (SlackClientError, *NETWORK_ERRORS) as exc:
            raise platform_error(exc, "chat.postMessage") from exc

    async def post_ephemeral(
        self, channel: str, user: str, message: Message, *, thread_ts: str | None = None
    ) -> None:
        """Show ``message`` in ``channel`` to ``user`` alone (chat.postEphemeral);
        ``ChannelGoneError`` when the bot is not in that channel (or cannot see it)."""
        try:
            await self.client.chat_postEphemeral(
                channel=channel,
                user=user,
                text=message.text,
                blocks=list(message.blocks),
                thread_ts=thread_ts,
            )
        except (SlackClientError, *NETWORK_ERRORS) as exc:
            raise platform_error(exc, "chat.postEphemeral") from exc

    async def open_dm(self, user: str) -> str:
        """The id of the bot's direct-message channel with ``user`` (opened if need be)."""
        try:
            response = await self.client.conversations_open(users=user)
        except (SlackClientError, *NETWORK_ERRORS) as exc:
            raise platform_error(exc, "conversations.open") from exc
        channel = (response.get("channel") or {}).get("id")
        if not isinstance(channel, str) or not channel:
            raise PlatformError("Slack conversations.open returned no channel")
        return channel


class Responder:
    """Sends messages to response_urls (answers to slash commands and button clicks).

    response_urls are not Web API calls: Slack hands one out with each interaction. They get
    the same retries and connection pool as the Web API client.
    """

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def send(self, response_url: str, payload: dict[str, Any]) -> None:
        """POST ``payload`` to ``response_url``; raise ``PlatformError`` when Slack refuses."""
        webhook = AsyncWebhookClient(
            url=response_url,
            session=self.client.session,
            retry_handlers=self.client.retry_handlers or retry_handlers(),
            logger=self.client.logger,
        )
        try:
            response = await webhook.send_dict(payload)
        except (SlackClientError, *NETWORK_ERRORS) as exc:
            raise platform_error(exc, "response_url") from exc
        if response.status_code != 200:
            raise PlatformError(
                f"Slack response_url failed: HTTP {response.status_code} {response.body[:100]!r}"
            )


def _error_code(exc: SlackApiError) -> str:
    response = exc.response
    try:
        code = response.get("error") if response is not None else None
    except (AttributeError, TypeError):
        code = None
    if code:
        return str(code)
    status = getattr(response, "status_code", None)
    return f"HTTP {status}" if status else "unknown error"


@asynccontextmanager
async def web_api_sender(settings: Settings) -> AsyncIterator[SlackSender]:
    """A sender for one-shot commands such as ``mlcareer tips send-due``: checks the bot token
    and SLACK_API_URL, and closes its connection pool when the block ends."""
    check_bot_token(settings)
    client = build_client(settings)
    async with web_session() as session:
        client.session = session
        try:
            yield SlackSender(client)
        finally:
            client.session = None
