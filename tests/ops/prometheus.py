"""Reading what ``/metrics`` serves, with prometheus-client's own parser of the text format."""

from __future__ import annotations

import aiohttp
from prometheus_client.parser import text_string_to_metric_families


def sample(text: str, name: str, **labels: str) -> float:
    """The value of the sample ``name`` whose labels include ``labels``; 0.0 when absent (a
    counter never incremented has no sample). Several matching samples are added up."""
    total, found = 0.0, False
    for family in text_string_to_metric_families(text):
        for each in family.samples:
            if each.name == name and labels.items() <= each.labels.items():
                total += each.value
                found = True
    return total if found else 0.0


async def scrape(session: aiohttp.ClientSession, base: str) -> str:
    """GET ``base``/metrics: the text, after checking it is served as Prometheus text."""
    async with session.get(f"{base}/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=")
        return await response.text()
