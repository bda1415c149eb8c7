"""Retries for Web API and response_url calls: rate limits (429), 5xx and dropped connections.

These are slack_sdk's async retry handlers with one change: the waiting goes through an
injected ``sleep`` so tests run without waiting on the wall clock. A 429 waits what Slack's
``Retry-After`` header asks; 5xx and connection errors back off exponentially. Every retry,
and every rate limit Slack answers with, is reported to the metrics port.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import ClientConnectorError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.core.metrics import NO_METRICS, PlatformMetrics

Sleep = Callable[[float], Awaitable[None]]

RATE_LIMIT_RETRIES = 5
SERVER_ERROR_RETRIES = 3
CONNECTION_RETRIES = 3
DEFAULT_RETRY_AFTER = 1.0  # seconds, when a 429 comes without a Retry-After header
MAX_RETRY_AFTER = 60.0

_BACKOFF = BackoffRetryIntervalCalculator(backoff_factor=0.5)
# Methods a dropped connection must not simply repeat (see ``ConnectionRetry``).
UNSAFE_TO_REPEAT = ("chat.postMessage",)


class _InjectedSleep(AsyncRetryHandler):
    """Waits between attempts through the injected ``sleep`` (slack_sdk's own handlers call
    ``asyncio.sleep``), by exponential backoff unless a subclass knows better, and counts
    each retry under ``reason``."""

    reason = "retry"

    def __init__(
        self, sleep: Sleep, max_retry_count: int, metrics: PlatformMetrics = NO_METRICS
    ) -> None:
        super().__init__(max_retry_count=max_retry_count, interval_calculator=_BACKOFF)
        self._sleep = sleep
        self._metrics = metrics

    def seconds(self, state: RetryState, response: HttpResponse | None) -> float:
        """How long to wait before the next attempt."""
        return self.interval_calculator.calculate_sleep_duration(state.current_attempt)

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        self._metrics.web_api_retry("slack", self.reason)
        await self._sleep(self.seconds(state, response))
        state.increment_current_attempt()


class RateLimitRetry(_InjectedSleep, AsyncRateLimitErrorRetryHandler):
    """Retry a 429 after the number of seconds in ``Retry-After``; count every 429, the last
    one (not retried) too."""

    reason = "rate_limited"

    def __init__(
        self,
        sleep: Sleep,
        max_retry_count: int = RATE_LIMIT_RETRIES,
        metrics: PlatformMetrics = NO_METRICS,
    ) -> None:
        super().__init__(sleep, max_retry_count, metrics)

    async def can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is not None and response.status_code == 429:
            self._metrics.rate_limited("slack")
        return await super().can_retry_async(
            state=state, request=request, response=response, error=error
        )

    def seconds(self, state: RetryState, response: HttpResponse | None) -> float:
        return retry_after(response)


class ServerErrorRetry(_InjectedSleep, AsyncServerErrorRetryHandler):
    """Retry any 5xx answer with exponential backoff (slack_sdk's own covers 500 and 503)."""

    reason = "server_error"

    def __init__(
        self,
        sleep: Sleep,
        max_retry_count: int = SERVER_ERROR_RETRIES,
        metrics: PlatformMetrics = NO_METRICS,
    ) -> None:
        super().__init__(sleep, max_retry_count, metrics)

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and 500 <= response.status_code <= 599


class ConnectionRetry(_InjectedSleep, AsyncConnectionErrorRetryHandler):
    """Retry a refused or reset connection with exponential backoff; chat.postMessage only
    when the connection was refused.

    A connection reset after Slack accepted a message leaves its outcome unknown, and a blind
    retry would post it twice; ``SlackSender`` retries chat.postMessage itself, looking for
    the first attempt's message (by its metadata) before posting again.
    """

    reason = "connection_error"

    def __init__(
        self,
        sleep: Sleep,
        max_retry_count: int = CONNECTION_RETRIES,
        metrics: PlatformMetrics = NO_METRICS,
    ) -> None:
        super().__init__(sleep, max_retry_count, metrics)

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        never_sent = isinstance(error, ClientConnectorError)  # refused: Slack got nothing
        if request.url.rstrip("/").endswith(UNSAFE_TO_REPEAT) and not never_sent:
            return False
        return await super()._can_retry_async(
            state=state, request=request, response=response, error=error
        )


def retry_handlers(
    sleep: Sleep = asyncio.sleep, metrics: PlatformMetrics = NO_METRICS
) -> list[AsyncRetryHandler]:
    """The handlers every client of the adapter uses, in slack_sdk's order of checking."""
    return [
        ConnectionRetry(sleep, metrics=metrics),
        RateLimitRetry(sleep, metrics=metrics),
        ServerErrorRetry(sleep, metrics=metrics),
    ]


def retry_after(response: HttpResponse | None) -> float:
    """Seconds Slack asked us to wait (``Retry-After``), within sane bounds."""
    if response is None:
        return DEFAULT_RETRY_AFTER
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            value = values[0] if isinstance(values, list) else values
            try:
                return min(max(float(value), 0.0), MAX_RETRY_AFTER)
            except ValueError:
                break
    return DEFAULT_RETRY_AFTER
