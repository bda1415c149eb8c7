"""Each channel walks the tips in its own shuffled order, every tip once before any repeats.

The order is a pure function of the channel key and the cycle number (a SHA-256 seed, so it
doesn't depend on Python's per-process hash salt); it is stored anyway, so a change to the tips
never reshuffles a deck half-way through.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Collection, Iterable
from dataclasses import replace

from bot.tips.models import ChannelKey, Deck


def shuffled(
    tip_ids: Iterable[str], key: ChannelKey, cycle: int, salt: str = ""
) -> tuple[str, ...]:
    """``tip_ids`` in the order this channel walks them in ``cycle``."""
    seed = f"{key.platform}\x1f{key.channel}\x1f{cycle}\x1f{salt}".encode()
    rng = random.Random(int.from_bytes(hashlib.sha256(seed).digest()[:8], "big"))
    order = sorted(tip_ids)
    rng.shuffle(order)
    return tuple(order)


def fit(deck: Deck | None, tip_ids: Collection[str], key: ChannelKey) -> Deck:
    """The stored deck brought in line with the tips that exist now.

    Removed tips drop out (the position moves back by those already posted); new tips join the
    end of the current cycle in a shuffled order, so they come up before anything repeats.
    A channel without a deck gets a fresh one. ``version`` is kept, for the optimistic save.
    """
    current = set(tip_ids)
    if deck is None:
        return Deck(order=shuffled(current, key, 0))
    posted = [tip for tip in deck.order[: deck.position] if tip in current]
    waiting = [tip for tip in deck.order[deck.position :] if tip in current]
    added = shuffled(current.difference(deck.order), key, deck.cycle, salt="added")
    return replace(deck, order=(*posted, *waiting, *added), position=len(posted))


def draw(deck: Deck, key: ChannelKey) -> tuple[str, Deck]:
    """The next tip and the deck moved past it; a finished deck starts a new shuffled cycle.

    ``deck`` must be fitted and hold at least one tip. A new cycle never opens with the tip
    that closed the last one, so the same tip never appears twice in a row.
    """
    if not deck.order:
        raise ValueError("the deck is empty")
    if deck.position >= len(deck.order):
        last = deck.order[-1]
        order = shuffled(deck.order, key, deck.cycle + 1)
        if len(order) > 1 and order[0] == last:
            order = (*order[1:], order[0])
        deck = replace(deck, order=order, position=0, cycle=deck.cycle + 1)
    return deck.order[deck.position], replace(deck, position=deck.position + 1)
