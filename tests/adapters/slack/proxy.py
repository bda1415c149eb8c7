"""A small round-robin HTTP proxy on 127.0.0.1: the load balancer in front of replicas.

Each request goes to the next backend in turn, whatever happened to the last one; a backend
that is down (refused or dropped the connection) makes it answer 502, as a load balancer
without health checks would, so the sender (our Slack) retries and the next try reaches
another replica. Shared by the multi-replica test and ``benchmarks/bench_replicas.py``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import aiohttp
from aiohttp import web

# Headers that belong to one hop, not to the request (RFC 9110 section 7.6.1).
_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "host", "content-length"})


class RoundRobinProxy:
    """``await proxy.start()``; send to ``proxy.url``; ``proxy.backends`` are base URLs."""

    def __init__(
        self, backends: Sequence[str], *, timeout: float = 10.0, fresh_connections: bool = True
    ) -> None:
        self.backends = list(backends)
        self._fresh = fresh_connections
        self._turn = itertools.cycle(range(len(self.backends)))
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.failed = 0  # requests answered 502 because their backend was down

    async def start(self) -> None:
        # Fresh connections by default: a pooled connection to a replica killed meanwhile
        # would fail the next request for a reason no load balancer has. The benchmark
        # keeps them open (``fresh_connections=False``), as a production balancer does.
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(force_close=self._fresh, limit=0),
            timeout=self._timeout,
        )
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        assert self._session is not None
        backend = self.backends[next(self._turn)]
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP}
        body = await request.read()
        try:
            async with self._session.request(
                request.method, backend + request.path_qs, data=body, headers=headers
            ) as answer:
                payload = await answer.read()
                out = {k: v for k, v in answer.headers.items() if k.lower() not in _HOP}
                return web.Response(status=answer.status, body=payload, headers=out)
        except (aiohttp.ClientError, ConnectionError):
            self.failed += 1
            return web.Response(status=502, text="bad gateway: the replica is down")
        except TimeoutError:
            return web.Response(status=504, text="gateway timeout")
