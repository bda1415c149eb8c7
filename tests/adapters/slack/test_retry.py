"""How long a rate-limited call waits."""

from __future__ import annotations

import pytest
from slack_sdk.http_retry.response import HttpResponse

from bot.adapters.slack.retry import DEFAULT_RETRY_AFTER, MAX_RETRY_AFTER, retry_after


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
