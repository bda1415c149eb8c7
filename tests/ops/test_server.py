"""The health and metrics endpoint over real HTTP on 127.0.0.1 (an ephemeral port)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest

from bot.core.ports import Readiness
from bot.errors import SettingsError
from bot.ops.metrics import PrometheusMetrics
from bot.ops.server import OpsServer
from tests.ops.prometheus import sample, scrape


class Switch:
    """A readiness check the test turns up and down."""

    def __init__(self, problem: str | None = None) -> None:
        self.problem = problem

    async def ready(self) -> str | None:
        return self.problem


class Hangs:
    async def ready(self) -> str | None:
        await asyncio.Future()
        return None


class Breaks:
    async def ready(self) -> str | None:
        raise RuntimeError("a bug in the check")


@asynccontextmanager
async def serving(
    checks: Mapping[str, Readiness], metrics: PrometheusMetrics | None = None, **options: Any
) -> AsyncIterator[tuple[aiohttp.ClientSession, str]]:
    server = OpsServer("127.0.0.1", 0, metrics or PrometheusMetrics(), checks, **options)
    await server.start()
    try:
        assert server.port != 0  # the port the system chose
        async with aiohttp.ClientSession() as session:
            yield session, f"http://127.0.0.1:{server.port}"
    finally:
        await server.stop()


async def get(session: aiohttp.ClientSession, url: str) -> tuple[int, Any]:
    async with session.get(url) as response:
        return response.status, await response.json()


async def test_healthz_says_ok_even_when_nothing_is_ready() -> None:
    async with serving({"slack": Switch("not connected")}) as (session, base):
        assert await get(session, f"{base}/healthz") == (200, {"status": "ok"})


async def test_readyz_follows_each_check_down_and_up_again() -> None:
    slack, discord, database = Switch(), Switch("not connected yet"), Switch()
    checks = {"slack": slack, "discord": discord, "database": database}
    async with serving(checks) as (session, base):
        status, body = await get(session, f"{base}/readyz")
        assert status == 503
        assert body == {
            "status": "not ready",
            "checks": {"slack": "ok", "discord": "not connected yet", "database": "ok"},
            "not_ready": ["discord"],
        }

        discord.problem = None
        status, body = await get(session, f"{base}/readyz")
        assert (status, body["status"], body["not_ready"]) == (200, "ready", [])
        assert set(body["checks"].values()) == {"ok"}

        database.problem = "tips database: disk I/O error"
        status, body = await get(session, f"{base}/readyz")
        assert status == 503
        assert body["not_ready"] == ["database"]
        assert body["checks"]["database"] == "tips database: disk I/O error"


async def test_a_check_that_hangs_or_breaks_is_not_ready_and_never_blocks_readyz() -> None:
    checks = {"slow": Hangs(), "buggy": Breaks(), "fine": Switch()}
    async with serving(checks, check_seconds=0.05) as (session, base):
        status, body = await get(session, f"{base}/readyz")
    assert status == 503
    assert body["checks"] == {
        "slow": "no answer within 0.05 s",
        "buggy": "the check failed: RuntimeError",
        "fine": "ok",
    }
    assert body["not_ready"] == ["buggy", "slow"]


async def test_metrics_serves_the_registry_in_the_prometheus_text_format() -> None:
    metrics = PrometheusMetrics()
    metrics.answered("discord", "closest", 0.01)
    async with serving({}, metrics) as (session, base):
        text = await scrape(session, base)
        metrics.answered("discord", "closest", 0.01)
        again = await scrape(session, base)
    assert sample(text, "mlcareer_requests_total", platform="discord", kind="closest") == 1
    assert sample(again, "mlcareer_requests_total", platform="discord", kind="closest") == 2


async def test_a_port_in_use_is_a_settings_error_naming_the_variables() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = OpsServer("127.0.0.1", port, PrometheusMetrics(), {})
        with pytest.raises(SettingsError, match="MLCAREER_OPS_PORT") as caught:
            await server.start()
    assert f"127.0.0.1:{port}" in str(caught.value)
    assert "MLCAREER_OPS_PORT=0" in str(caught.value)
    await server.stop()  # nothing to stop; must not fail
