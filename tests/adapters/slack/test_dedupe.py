"""Recognising Slack's redeliveries."""

from __future__ import annotations

import pytest

from bot.adapters.slack.dedupe import Deduplicator, retry_number
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


def test_an_event_id_is_new_once_within_the_window() -> None:
    clock = FakeClock()
    seen = Deduplicator(clock, ttl=60)
    assert seen.first_time("Ev1")
    assert not seen.first_time("Ev1")
    assert seen.first_time("Ev2")
    clock.advance(61)
    assert seen.first_time("Ev1")


def test_memory_is_bounded() -> None:
    seen = Deduplicator(FakeClock(), ttl=60, max_entries=3)
    for key in ("a", "b", "c", "d"):
        assert seen.first_time(key)
    assert seen.first_time("a")  # forgotten to make room


def test_an_event_without_an_id_is_never_dropped() -> None:
    seen = Deduplicator(FakeClock())
    assert seen.first_time("")
    assert seen.first_time("")
