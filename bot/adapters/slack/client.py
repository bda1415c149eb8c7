"""The one Web API client the adapter uses: SLACK_API_URL as base URL, and retries."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.checks import api_url
from bot.adapters.slack.redact import redact
from bot.adapters.slack.retry import Sleep, retry_handlers
from bot.core.metrics import NO_METRICS, PlatformMetrics
from bot.settings import Settings

TIMEOUT_SECONDS = 15


def build_client(
    settings: Settings, sleep: Sleep = asyncio.sleep, metrics: PlatformMetrics = NO_METRICS
) -> AsyncWebClient:
    """A client for every Web API call the bot makes (its connection pool is attached while
    the runner runs); its retries and rate limits are counted in ``metrics``. A malformed
    SLACK_API_URL is a ``SettingsError`` here already, never a quiet fall-back to slack.com;
    a missing token is reported when the runner starts."""
    token = settings.slack_bot_token.reveal() if settings.slack_bot_token else None
    return AsyncWebClient(
        token=token,
        base_url=api_url(settings.slack_api_url),
        timeout=TIMEOUT_SECONDS,
        retry_handlers=retry_handlers(sleep, metrics),
        logger=redact(logging.getLogger("bot.adapters.slack.web")),
    )


def web_session(timeout: float = TIMEOUT_SECONDS) -> aiohttp.ClientSession:
    """The connection pool for the client and for response_urls, with the client's timeout.

    The SDK applies its ``timeout`` only to sessions it makes itself; a session handed to it
    uses the session's own, which aiohttp leaves at five minutes. So every call the bot makes
    to Slack is bounded here, once.
    """
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout))
