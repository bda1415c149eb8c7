"""A small bounded in-memory cache whose entries expire after a fixed time."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

# The clock port: seconds from any fixed origin. Tests pass a fake one they can move.
Clock = Callable[[], float]


class TTLCache(Generic[K, V]):
    """Remembers up to ``max_entries`` values, each for ``ttl`` seconds of ``clock`` time.

    Entries are kept in insertion order; as every entry lives equally long, the oldest are at
    the front, so expiring and evicting is cheap. Rewriting a key moves it to the back.
    """

    def __init__(self, ttl: float, max_entries: int, clock: Clock = time.monotonic) -> None:
        if ttl <= 0 or max_entries <= 0:
            raise ValueError("ttl and max_entries must be positive")
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The value stored under ``key``, or None when absent or expired."""
        self._expire()
        found = self._entries.get(key)
        return None if found is None else found[1]

    def put(self, key: K, value: V) -> None:
        """Store ``value``; the oldest entry goes when the cache is full."""
        self._expire()
        self._entries.pop(key, None)
        self._entries[key] = (self._clock() + self.ttl, value)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def __contains__(self, key: object) -> bool:
        self._expire()
        return key in self._entries

    def __len__(self) -> int:
        self._expire()
        return len(self._entries)

    def _expire(self) -> None:
        now = self._clock()
        while self._entries:
            key, (expires, _) = next(iter(self._entries.items()))
            if expires > now:
                break
            del self._entries[key]
