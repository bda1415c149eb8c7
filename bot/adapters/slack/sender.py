"""Posting to Slack: ``SlackSender`` (chat.postMessage, the ``ChannelSender`` port) and
``Responder`` (a message to an interaction's response_url). SDK errors become
``PlatformError``/``ChannelGoneError`` here, at the seam.

Every chat.postMessage carries message metadata naming it (``mlcareer_tip`` with the daily
tip's claim key, ``mlcareer_answer`` with a fresh key), so a post whose outcome is unknown is
looked up (conversations.history, or conversations.replies in a thread, with
include_all_metadata) before it is sent again: a tip retried after a crash or a stop, and an
answer whose connection dropped after Slack may have accepted it. Reading history needs
channels:history, groups:history, im:history or mpim:history by the kind of conversation;
without it the sender says so once in the log and posts without looking.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.blocks import Message, render
from bot.adapters.slack.checks import check_bot_token
from bot.adapters.slack.client import build_client, web_session
from bot.adapters.slack.retry import CONNECTION_RETRIES, Sleep, retry_handlers
from bot.core.ports import PostOnce
from bot.core.reply import Reply
from bot.errors import ChannelGoneError, PlatformError
from bot.settings import Settings

log = logging.getLogger(__name__)

# Slack error codes that mean the bot can no longer post there; retrying will not help.
GONE_ERRORS = frozenset({"not_in_channel", "channel_not_found", "is_archived", "account_inactive"})

# What a network failure looks like from the SDK, besides its own errors.
NETWORK_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError)
# The connection failures after which a chat.postMessage may or may not have been posted.
UNKNOWN_OUTCOME = (aiohttp.ServerConnectionError, aiohttp.ClientOSError)

# The metadata event types the bot's messages carry, and what their payload names them by.
TIP_EVENT = "mlcareer_tip"
ANSWER_EVENT = "mlcareer_answer"
METADATA_KEY = "key"
# Looking a post up: how far back before its first attempt (clocks differ), and how much of
# a busy channel to read at most.
SKEW = timedelta(minutes=2)
HISTORY_PAGE = 200
HISTORY_PAGES = 5
RESEND_WAIT = 0.5  # seconds before looking up and re-sending after a dropped connection


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

    def __init__(self, client: AsyncWebClient, *, sleep: Sleep = asyncio.sleep) -> None:
        self.client = client
        self._sleep = sleep
        self._no_history: set[str] = set()  # the history scopes found missing (logged once)

    async def post(
        self,
        channel: str,
        reply: Reply,
        *,
        thread_ts: str | None = None,
        shared_by: str | None = None,
        once: PostOnce | None = None,
        answer: bool = False,
    ) -> None:
        """Post ``reply`` in ``channel`` (in the thread ``thread_ts`` when given); with
        ``once``, at most once for its key (a daily tip, or with ``answer`` the answer to a
        message)."""
        await self.post_message(
            channel,
            render(reply, shared_by=shared_by),
            thread_ts=thread_ts,
            once=once,
            answer=answer,
        )

    async def post_message(
        self,
        channel: str,
        message: Message,
        *,
        thread_ts: str | None = None,
        once: PostOnce | None = None,
        answer: bool = False,
    ) -> None:
        """Post an already rendered message, marked with metadata; when its outcome is unknown
        (``once.retry``, or a dropped connection), look for it before posting again."""
        event = TIP_EVENT if once is not None and not answer else ANSWER_EVENT
        if once is None:
            once = PostOnce(f"answer:{uuid.uuid4().hex}", datetime.now(UTC), retry=False)
        metadata = {"event_type": event, "event_payload": {METADATA_KEY: once.key}}
        maybe_posted = once.retry
        for attempt in range(CONNECTION_RETRIES + 1):
            if maybe_posted and await self._already_there(channel, thread_ts, event, once):
                log.info(
                    "Slack: %s was posted by an earlier attempt; not posting it again", once.key
                )
                return
            try:
                await self.client.chat_postMessage(
                    channel=channel,
                    text=message.text,
                    blocks=list(message.blocks),
                    thread_ts=thread_ts,
                    unfurl_links=False,
                    unfurl_media=False,
                    metadata=metadata,
                )
                return
            except aiohttp.ClientConnectorError as exc:  # refused (retried already): not sent
                raise platform_error(exc, "chat.postMessage") from exc
            except UNKNOWN_OUTCOME as exc:
                if attempt == CONNECTION_RETRIES:
                    raise platform_error(exc, "chat.postMessage") from exc
                log.warning("Slack: chat.postMessage lost its connection (%s); looking first", exc)
                maybe_posted = True
                await self._sleep(RESEND_WAIT * 2**attempt)
            except (SlackClientError, *NETWORK_ERRORS) as exc:
                raise platform_error(exc, "chat.postMessage") from exc

    async def _already_there(
        self, channel: str, thread_ts: str | None, event: str, once: PostOnce
    ) -> bool:
        """True when the channel (or thread) holds a message since ``once.since`` whose
        metadata names ``once.key``. Anything that stops the look-up (a missing history scope,
        an error) is logged and answers False: the message is posted without looking."""
        oldest = f"{(once.since - SKEW).timestamp():.6f}"
        cursor: str | None = None
        try:
            for _ in range(HISTORY_PAGES):
                args: dict[str, Any] = {
                    "channel": channel,
                    "oldest": oldest,
                    "include_all_metadata": True,
                    "limit": HISTORY_PAGE,
                }
                if cursor:
                    args["cursor"] = cursor
                if thread_ts:
                    page = await self.client.conversations_replies(ts=thread_ts, **args)
                else:
                    page = await self.client.conversations_history(**args)
                if any(_names(item, event, once.key) for item in page.get("messages") or []):
                    return True
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not page.get("has_more") or not cursor:
                    return False
        except SlackApiError as exc:
            if _error_code(exc) == "missing_scope":
                self._missing_scope(exc)
            else:
                log.warning(
                    "Slack: could not look %s up before posting: %s", once.key, _error_code(exc)
                )
        except (SlackClientError, *NETWORK_ERRORS) as exc:
            log.warning("Slack: could not look %s up before posting: %s", once.key, exc)
        return False

    def _missing_scope(self, exc: SlackApiError) -> None:
        """Say once per scope that posts go out without the look-up, and what to add."""
        response = exc.response
        needed = str(response.get("needed") or "a history scope") if response is not None else ""
        if needed in self._no_history:
            return
        self._no_history.add(needed)
        log.warning(
            "Slack: the app lacks %s, so a retried post is sent without first checking "
            "whether it went out (it may appear twice); add the scope (see the manifest) "
            "and reinstall the app",
            needed,
        )

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


def _names(message: Any, event: str, key: str) -> bool:
    """True when a history message's metadata is ``event`` naming ``key``."""
    if not isinstance(message, dict):
        return False
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return bool(metadata.get("event_type") == event and payload.get(METADATA_KEY) == key)


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
