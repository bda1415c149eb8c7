"""``PrometheusMetrics``: the metrics ports (``bot.core.metrics``) on prometheus-client.

Each instance owns its own ``CollectorRegistry``, created by ``mlcareer run`` at start-up and
served at ``/metrics``; nothing is registered in prometheus-client's global default registry,
so no count leaks from one test (or one ``serve``) into another.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

# Answer latency buckets, in seconds: a matcher answer takes about a millisecond, a request
# that waits on the tips database or a slow handler longer.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class PrometheusMetrics:
    """Implements ``bot.core.metrics.Metrics``; ``render`` is the ``/metrics`` body."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self._requests = Counter(
            "mlcareer_requests",
            "Requests answered, by platform and kind of reply (answer, closest, decline, ...).",
            ["platform", "kind"],
            registry=self.registry,
        )
        self._latency = Histogram(
            "mlcareer_answer_seconds",
            "Time from a request reaching the router to its reply, by platform.",
            ["platform"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._tips = Counter(
            "mlcareer_tips",
            "Daily tips that were due, by platform and result (posted, failed, skipped).",
            ["platform", "result"],
            registry=self.registry,
        )
        self._retries = Counter(
            "mlcareer_web_api_retries",
            "Web API calls retried, by platform and reason "
            "(rate_limited, server_error, connection_error).",
            ["platform", "reason"],
            registry=self.registry,
        )
        self._rate_limits = Counter(
            "mlcareer_rate_limits",
            "Web API calls answered with a rate limit (HTTP 429), by platform.",
            ["platform"],
            registry=self.registry,
        )
        self._reconnects = Counter(
            "mlcareer_gateway_reconnects",
            "Gateway sessions opened again after the first (Discord), by platform.",
            ["platform"],
            registry=self.registry,
        )
        self._restarts = Counter(
            "mlcareer_platform_restarts",
            "Platform runners restarted after a failure, by platform.",
            ["platform"],
            registry=self.registry,
        )

    def answered(self, platform: str, kind: str, seconds: float) -> None:
        """Count one request by platform and reply kind; observe its latency."""
        self._requests.labels(platform, kind).inc()
        self._latency.labels(platform).observe(seconds)

    def tip(self, platform: str, result: str) -> None:
        """Count one due tip by platform and result."""
        self._tips.labels(platform, result).inc()

    def web_api_retry(self, platform: str, reason: str) -> None:
        """Count one retried Web API call by platform and reason."""
        self._retries.labels(platform, reason).inc()

    def rate_limited(self, platform: str) -> None:
        """Count one rate-limited Web API answer."""
        self._rate_limits.labels(platform).inc()

    def reconnected(self, platform: str) -> None:
        """Count one gateway reconnect."""
        self._reconnects.labels(platform).inc()

    def restarted(self, platform: str) -> None:
        """Count one platform restart."""
        self._restarts.labels(platform).inc()

    def render(self) -> bytes:
        """Every metric in the Prometheus text format."""
        return generate_latest(self.registry)
