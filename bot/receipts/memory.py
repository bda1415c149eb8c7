"""``MemoryReceipts``: event receipts in one process's memory (a single bot, and tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.receipts.ports import Receipt


@dataclass(slots=True)
class _Entry:
    seen_at: datetime
    lease_until: datetime
    done: bool = False


class MemoryReceipts:
    """``EventReceipts`` in a dict: the same answers as the SQL store, shared by nobody.

    The event loop runs one coroutine at a time and nothing here awaits, so each call is
    atomic. Memory is bounded by ``purge``, which the running bot calls periodically.
    """

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}

    async def claim(self, key: str, now: datetime, lease: timedelta) -> Receipt:
        entry = self._entries.get(key)
        if entry is None:
            self._entries[key] = _Entry(now, now + lease)
            return Receipt.FIRST
        if entry.done:
            return Receipt.DONE
        if entry.lease_until <= now:
            entry.lease_until = now + lease
            return Receipt.FIRST
        return Receipt.IN_HAND

    async def finish(self, key: str) -> None:
        entry = self._entries.get(key)
        if entry is not None:
            entry.done = True

    async def purge(self, before: datetime) -> int:
        old = [key for key, entry in self._entries.items() if entry.seen_at < before]
        for key in old:
            del self._entries[key]
        return len(old)

    async def close(self) -> None:
        """Nothing to release; here so every receipts store closes alike."""
