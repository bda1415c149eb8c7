"""The event receipts port: claim a delivery before answering it, mark it done after."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol


class Receipt(StrEnum):
    """What a claim found."""

    FIRST = "first"  # nobody had it, or its holder's lease ran out: answer it now
    IN_HAND = "in_hand"  # another delivery holds a live claim on it: it may still answer
    DONE = "done"  # answered already


class EventReceipts(Protocol):
    """Atomic insert-if-absent receipts with a lease, in a store every replica shares.

    A claim whose holder died (killed after claiming, before answering) is not lost: once
    its lease has run out, the next delivery of the same key claims it again.
    """

    async def claim(self, key: str, now: datetime, lease: timedelta) -> Receipt:
        """Claim ``key`` until ``now + lease``; ``FIRST`` means this caller should answer."""
        ...

    async def finish(self, key: str) -> None:
        """Mark ``key`` answered: later deliveries of it find ``DONE``."""
        ...

    async def purge(self, before: datetime) -> int:
        """Forget every receipt first seen before ``before``; how many were forgotten."""
        ...
