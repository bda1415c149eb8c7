"""Recognising Slack's redeliveries."""

from __future__ import annotations

import pytest

from bot.adapters.slack.dedupe import Deduplicator, is_redelivery, retry_number
from tests.adapters.slack.harness import FakeClock


@pytest.mark.parametrize(
    ("headers", "number"),
    [
        ({}, 0),
        ({"x-slack-retry-num": ["0"]}, 0),  # Socket Mode's first delivery says 0
        ({"x-slack-retry-num": ["2"]}, 2),
        ({"X-Slack-Retry-Num": "1"}, 1),
        ({"x-slack-retry-num": ["nonsense"]}, 0),
    ],
)
def test_retry_number_reads_the_header(headers: dict[str, list[str] | str], number: int) -> None:
    assert retry_number(headers) == number


@pytest.mark.parametrize(
    ("headers", "redelivered"),
    [
        ({}, False),
        ({"X-Slack-Retry-Num": "0"}, False),
        ({"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}, True),
        ({"x-slack-retry-num": ["2"], "x-slack-retry-reason": ["http_error"]}, True),
        ({"X-Slack-Retry-Num": "1"}, True),
        ({"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "connection_failed"}, False),
        ({"X-Slack-Retry-Num": "3", "X-Slack-Retry-Reason": "ssl_error"}, False),
    ],
)
def test_a_retry_counts_as_a_redelivery_unless_the_first_delivery_never_arrived(
    headers: dict[str, list[str] | str], redelivered: bool
) -> None:
    assert is_redelivery(headers) is redelivered


def test_an_event_id_is_new_once_within_the_window() -> None:
    clock = FakeClock()
    seen = Deduplicator(60, 100, clock)
    assert seen.first_time("Ev1")
    assert not seen.first_time("Ev1")
    assert seen.first_time("Ev2")
    clock.advance(61)
    assert seen.first_time("Ev1")


def test_memory_is_bounded() -> None:
    seen = Deduplicator(60, 3, FakeClock())
    for key in ("a", "b", "c", "d"):
        assert seen.first_time(key)
    assert seen.first_time("a")  # forgotten to make room


def test_an_event_without_an_id_is_never_dropped() -> None:
    seen = Deduplicator(60, 100, FakeClock())
    assert seen.first_time("")
    assert seen.first_time("")
