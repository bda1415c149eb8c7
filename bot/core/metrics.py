"""The metrics ports: what the router, the tip scheduler and the platform adapters report.

Each seam calls the small protocol it needs; ``mlcareer run`` passes one object implementing
them all (``bot.ops.metrics.PrometheusMetrics``), and everything else gets ``NO_METRICS``. The
core never imports a metrics library: it only calls these methods.
"""

from __future__ import annotations

from typing import Protocol


class RequestMetrics(Protocol):
    """Reported by the router for every request it answers."""

    def answered(self, platform: str, kind: str, seconds: float) -> None:
        """One request on ``platform`` got a reply of ``kind`` (``ReplyKind``) in ``seconds``."""
        ...


class TipMetrics(Protocol):
    """Reported by the tip scheduler for every due tip it dealt with."""

    def tip(self, platform: str, result: str) -> None:
        """A due tip on ``platform`` was ``posted``, ``failed`` or ``skipped``."""
        ...


class PlatformMetrics(Protocol):
    """Reported by the platform adapters and their supervisor."""

    def web_api_retry(self, platform: str, reason: str) -> None:
        """A Web API call is retried: ``rate_limited``, ``server_error`` or ``connection_error``."""
        ...

    def rate_limited(self, platform: str) -> None:
        """The platform answered a call with a rate limit (HTTP 429)."""
        ...

    def reconnected(self, platform: str) -> None:
        """The platform's event connection (Discord's gateway) was opened again."""
        ...

    def restarted(self, platform: str) -> None:
        """The platform's runner failed and is being started again."""
        ...


class Metrics(RequestMetrics, TipMetrics, PlatformMetrics, Protocol):
    """Every metrics port at once: what ``mlcareer run`` builds and passes down."""


class NoMetrics:
    """Counts nothing: for commands and tests that serve no metrics endpoint."""

    def answered(self, platform: str, kind: str, seconds: float) -> None:
        """Nothing to count."""

    def tip(self, platform: str, result: str) -> None:
        """Nothing to count."""

    def web_api_retry(self, platform: str, reason: str) -> None:
        """Nothing to count."""

    def rate_limited(self, platform: str) -> None:
        """Nothing to count."""

    def reconnected(self, platform: str) -> None:
        """Nothing to count."""

    def restarted(self, platform: str) -> None:
        """Nothing to count."""


NO_METRICS = NoMetrics()
