"""The health and metrics endpoint ``mlcareer run`` serves in every mode (MLCAREER_OPS_HOST and
MLCAREER_OPS_PORT, default 127.0.0.1:8081; port 0 turns it off).

- ``GET /healthz``: 200 while the process and its event loop are alive.
- ``GET /readyz``: 200 when every check (each configured platform, the database) is ready,
  503 otherwise; the JSON body says which check is not ready and why.
- ``GET /metrics``: every metric in the Prometheus text format.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from aiohttp import web

from bot.core.ports import Readiness
from bot.errors import SettingsError
from bot.ops.metrics import PrometheusMetrics

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
CHECK_SECONDS = 2.0  # a check that takes longer counts as not ready


class OpsServer:
    """Serves the three endpoints on ``host``:``port`` (port 0: any free port, for tests)."""

    def __init__(
        self,
        host: str,
        port: int,
        metrics: PrometheusMetrics,
        checks: Mapping[str, Readiness],
        *,
        check_seconds: float = CHECK_SECONDS,
    ) -> None:
        self.host = host
        self.port = port
        self.metrics = metrics
        self.checks = dict(checks)
        self.check_seconds = check_seconds
        self._runner: web.AppRunner | None = None

    def app(self) -> web.Application:
        """The aiohttp application behind the endpoint."""
        app = web.Application()
        app.router.add_get(HEALTH_PATH, self._health)
        app.router.add_get(READY_PATH, self._ready)
        app.router.add_get(METRICS_PATH, self._metrics)
        return app

    async def start(self) -> None:
        """Listen; a host or port that cannot be opened is a ``SettingsError`` naming them."""
        runner = web.AppRunner(self.app(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            raise SettingsError(
                f"cannot serve the health and metrics endpoint on {self.host}:{self.port} "
                f"({exc.strerror or exc}): choose another MLCAREER_OPS_HOST or MLCAREER_OPS_PORT, "
                "or set MLCAREER_OPS_PORT=0 to turn it off"
            ) from exc
        self._runner = runner
        for address in runner.addresses:
            if isinstance(address, tuple) and len(address) >= 2:
                self.port = int(address[1])
                break
        log.info("health and metrics on http://%s:%d%s", self.host, self.port, METRICS_PATH)

    async def stop(self) -> None:
        """Stop listening (nothing to do when it never started)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def readiness(self) -> dict[str, str | None]:
        """Every check's problem (None when ready), asked all at once, each bounded in time."""
        names = list(self.checks)
        results = await asyncio.gather(*(self._check(name) for name in names))
        return dict(zip(names, results, strict=True))

    async def _check(self, name: str) -> str | None:
        try:
            async with asyncio.timeout(self.check_seconds):
                return await self.checks[name].ready()
        except TimeoutError:
            return f"no answer within {self.check_seconds:g} s"
        except Exception as exc:
            log.exception("readiness check %r failed", name)
            return f"the check failed: {type(exc).__name__}"

    async def _health(self, request: web.Request) -> web.StreamResponse:
        return web.json_response({"status": "ok"})

    async def _ready(self, request: web.Request) -> web.StreamResponse:
        problems = await self.readiness()
        ready = all(problem is None for problem in problems.values())
        body = {
            "status": "ready" if ready else "not ready",
            "checks": {name: problem or "ok" for name, problem in problems.items()},
            "not_ready": sorted(name for name, problem in problems.items() if problem),
        }
        return web.json_response(body, status=200 if ready else 503)

    async def _metrics(self, request: web.Request) -> web.StreamResponse:
        return web.Response(
            body=self.metrics.render(), headers={"Content-Type": self.metrics.content_type}
        )
