"""The bounded TTL cache behind dedupe, admin lookups and shares."""

from __future__ import annotations

import pytest

from bot.adapters.slack.cache import TTLCache
from tests.adapters.slack.harness import FakeClock


def test_value_is_remembered_until_its_time_is_up() -> None:
    clock = FakeClock()
    cache: TTLCache[str, int] = TTLCache(ttl=10, max_entries=5, clock=clock)
    cache.put("a", 1)
    clock.advance(9.9)
    assert cache.get("a") == 1
    clock.advance(0.1)
    assert cache.get("a") is None
    assert len(cache) == 0


def test_oldest_entry_goes_when_full() -> None:
    cache: TTLCache[str, int] = TTLCache(ttl=10, max_entries=2, clock=FakeClock())
    for number, key in enumerate("abc"):
        cache.put(key, number)
    assert "a" not in cache
    assert (cache.get("b"), cache.get("c")) == (1, 2)


def test_rewriting_a_key_renews_it() -> None:
    clock = FakeClock()
    cache: TTLCache[str, int] = TTLCache(ttl=10, max_entries=5, clock=clock)
    cache.put("a", 1)
    clock.advance(6)
    cache.put("b", 2)
    cache.put("a", 3)
    clock.advance(6)
    assert cache.get("a") == 3
    assert cache.get("b") == 2


def test_nonsense_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        TTLCache(ttl=0, max_entries=5)
