"""How long a rate-limited call waits, and how retries and rate limits are counted."""

from __future__ import annotations

import socket

import pytest
from slack_sdk.http_retry.response import HttpResponse

from bot.adapters.slack.client import build_client
from bot.adapters.slack.retry import (
    CONNECTION_RETRIES,
    DEFAULT_RETRY_AFTER,
    MAX_RETRY_AFTER,
    RATE_LIMIT_RETRIES,
    retry_after,
)
from bot.adapters.slack.sender import SlackSender
from bot.core.reply import Reply, ReplyKind
from bot.errors import PlatformError
from bot.ops.metrics import PrometheusMetrics
from bot.settings import Secret, Settings
from tests.adapters.slack.fake_slack import BOT_TOKEN, FakeSlack
from tests.adapters.slack.harness import FakeSleep
from tests.ops.prometheus import sample

TIP = Reply(kind=ReplyKind.TIP, title="Tip of the day", body="Ship small.")


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "4"}, 4.0),
        ({"retry-after": ["2"]}, 2.0),
        ({}, DEFAULT_RETRY_AFTER),
        ({"Retry-After": "soon"}, DEFAULT_RETRY_AFTER),
        ({"Retry-After": "-3"}, 0.0),
        ({"Retry-After": "86400"}, MAX_RETRY_AFTER),
    ],
)
def test_retry_after_follows_the_header_within_bounds(
    headers: dict[str, str | list[str]], seconds: float
) -> None:
    response = HttpResponse(status_code=429, headers=headers)
    assert retry_after(response) == seconds


def test_no_response_means_the_default_wait() -> None:
    assert retry_after(None) == DEFAULT_RETRY_AFTER


def counted(metrics: PrometheusMetrics) -> dict[str, float]:
    text = metrics.render().decode()
    reasons = ("rate_limited", "server_error", "connection_error")
    found = {
        reason: sample(text, "mlcareer_web_api_retries_total", platform="slack", reason=reason)
        for reason in reasons
    }
    found["rate_limits"] = sample(text, "mlcareer_rate_limits_total", platform="slack")
    return found


def metered_sender(api_url: str, metrics: PrometheusMetrics) -> SlackSender:
    settings = Settings(slack_bot_token=Secret(BOT_TOKEN), slack_api_url=api_url)
    return SlackSender(build_client(settings, FakeSleep(), metrics))


async def test_retries_and_rate_limits_are_counted(fake: FakeSlack) -> None:
    metrics = PrometheusMetrics()
    fake.script(
        "chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, **{"Retry-After": "1"}
    )
    fake.script("chat.postMessage", 503, {"ok": False, "error": "service_unavailable"})
    await metered_sender(fake.api_url, metrics).post("C1", TIP)
    assert len(fake.sent("chat.postMessage")) == 1
    assert counted(metrics) == {
        "rate_limited": 1,
        "server_error": 1,
        "connection_error": 0,
        "rate_limits": 1,
    }


async def test_a_rate_limit_that_never_clears_counts_every_429(fake: FakeSlack) -> None:
    """Five retries, and the sixth 429 (not retried) is still a rate limit."""
    metrics = PrometheusMetrics()
    for _ in range(RATE_LIMIT_RETRIES + 1):
        fake.script("chat.postMessage", 429, {"ok": False, "error": "ratelimited"})
    with pytest.raises(PlatformError):
        await metered_sender(fake.api_url, metrics).post("C1", TIP)
    found = counted(metrics)
    assert found["rate_limited"] == RATE_LIMIT_RETRIES
    assert found["rate_limits"] == RATE_LIMIT_RETRIES + 1


async def test_a_refused_connection_is_retried_and_counted() -> None:
    metrics = PrometheusMetrics()
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(PlatformError):
        await metered_sender(f"http://127.0.0.1:{port}/api/", metrics).post("C1", TIP)
    assert counted(metrics)["connection_error"] == CONNECTION_RETRIES
