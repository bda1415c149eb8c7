"""The router counts every request by platform and reply kind, with the time it took."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.core.request import Request
from bot.core.router import Router
from bot.core.services import Services
from bot.ops.metrics import PrometheusMetrics
from tests.ops.prometheus import sample


def ticking(step: float) -> Iterator[float]:
    now = 0.0
    while True:
        yield now
        now += step


async def test_each_request_is_counted_by_platform_and_kind_with_its_latency(
    services: Services,
) -> None:
    metrics = PrometheusMetrics()
    clock = ticking(0.004)  # every reading of the timer is 4 ms after the one before
    router = Router(services, metrics=metrics, timer=lambda: next(clock))
    for text, platform in [
        ("skills", "slack"),
        ("what skills do I need", "slack"),
        ("how do I fix my car", "discord"),
        ("help", "discord"),
    ]:
        await router.handle(Request(text, user="U1", channel="C1", platform=platform))
    text = metrics.render().decode()
    assert sample(text, "mlcareer_requests_total", platform="slack", kind="answer") == 2
    assert sample(text, "mlcareer_requests_total", platform="discord", kind="decline") == 1
    assert sample(text, "mlcareer_requests_total", platform="discord", kind="help") == 1
    assert sample(text, "mlcareer_answer_seconds_count", platform="slack") == 2
    assert sample(text, "mlcareer_answer_seconds_sum", platform="discord") == pytest.approx(0.008)
    assert sample(text, "mlcareer_answer_seconds_bucket", platform="slack", le="0.0025") == 0
    assert sample(text, "mlcareer_answer_seconds_bucket", platform="slack", le="0.005") == 2


async def test_a_failing_handler_is_counted_as_an_error(services: Services) -> None:
    metrics = PrometheusMetrics()
    router = Router(services, metrics=metrics)
    services.matcher = None  # type: ignore[assignment]  # every matcher call now fails
    reply = await router.handle(Request("what skills do I need", platform="slack"))
    assert reply.kind.value == "error"
    text = metrics.render().decode()
    assert sample(text, "mlcareer_requests_total", platform="slack", kind="error") == 1
