"""PrometheusMetrics: the core's metrics ports on prometheus-client, one registry each."""

from __future__ import annotations

import prometheus_client
import pytest

from bot.core.metrics import Metrics, NoMetrics
from bot.ops.metrics import PrometheusMetrics
from tests.ops.prometheus import sample


def every_call(metrics: Metrics) -> None:
    metrics.answered("slack", "answer", 0.003)
    metrics.tip("discord", "posted")
    metrics.web_api_retry("slack", "rate_limited")
    metrics.rate_limited("slack")
    metrics.reconnected("discord")
    metrics.restarted("discord")


@pytest.mark.parametrize("make", [NoMetrics, PrometheusMetrics])
def test_every_implementation_takes_every_call_of_the_ports(make: type[Metrics]) -> None:
    """The contract: any object passed down as ``Metrics`` accepts each port's calls."""
    every_call(make())


def test_each_call_shows_in_the_exposition_under_its_documented_name() -> None:
    metrics = PrometheusMetrics()
    every_call(metrics)
    metrics.answered("slack", "decline", 0.2)
    text = metrics.render().decode()
    assert sample(text, "mlcareer_requests_total", platform="slack", kind="answer") == 1
    assert sample(text, "mlcareer_requests_total", platform="slack") == 2
    assert sample(text, "mlcareer_answer_seconds_count", platform="slack") == 2
    assert sample(text, "mlcareer_answer_seconds_sum", platform="slack") == pytest.approx(0.203)
    assert sample(text, "mlcareer_answer_seconds_bucket", platform="slack", le="0.005") == 1
    assert sample(text, "mlcareer_answer_seconds_bucket", platform="slack", le="0.25") == 2
    assert sample(text, "mlcareer_tips_total", platform="discord", result="posted") == 1
    assert (
        sample(text, "mlcareer_web_api_retries_total", platform="slack", reason="rate_limited") == 1
    )
    assert sample(text, "mlcareer_rate_limits_total", platform="slack") == 1
    assert sample(text, "mlcareer_gateway_reconnects_total", platform="discord") == 1
    assert sample(text, "mlcareer_platform_restarts_total", platform="discord") == 1


def test_two_instances_share_nothing_and_the_global_registry_stays_empty() -> None:
    """No state leaks between tests (or two serve() calls): each has its own registry."""
    first, second = PrometheusMetrics(), PrometheusMetrics()
    first.restarted("slack")
    assert sample(first.render().decode(), "mlcareer_platform_restarts_total") == 1
    assert sample(second.render().decode(), "mlcareer_platform_restarts_total") == 0
    global_text = prometheus_client.generate_latest(prometheus_client.REGISTRY).decode()
    assert "mlcareer_" not in global_text
