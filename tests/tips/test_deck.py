"""Per-channel shuffled decks: every tip once before repeats, stable, and tolerant of changes."""

from __future__ import annotations

import itertools

import pytest

from bot.tips.deck import draw, fit, shuffled
from bot.tips.models import ChannelKey, Deck

KEY = ChannelKey("slack", "C100")
TIPS = [f"tip-{n:02d}" for n in range(12)]


def walk(deck: Deck, count: int, key: ChannelKey = KEY) -> tuple[list[str], Deck]:
    drawn = []
    for _ in range(count):
        tip, deck = draw(deck, key)
        drawn.append(tip)
    return drawn, deck


def test_order_is_deterministic_per_channel() -> None:
    """The same channel always gets the same order; other channels get other orders."""
    assert shuffled(TIPS, KEY, 0) == shuffled(list(reversed(TIPS)), KEY, 0)
    others = {shuffled(TIPS, ChannelKey("slack", f"C{n}"), 0) for n in range(5)}
    assert len(others) > 1
    assert sorted(shuffled(TIPS, KEY, 0)) == sorted(TIPS)


def test_a_whole_deck_has_no_repeats_and_the_next_cycle_starts_fresh() -> None:
    """Every tip comes once per cycle; the cycle boundary never repeats a tip back to back."""
    deck = fit(None, TIPS, KEY)
    first, deck = walk(deck, len(TIPS))
    assert sorted(first) == sorted(TIPS)
    assert deck.remaining == 0
    second, deck = walk(deck, len(TIPS))
    assert sorted(second) == sorted(TIPS)
    assert second[0] != first[-1]
    assert deck.cycle == 1


def test_no_back_to_back_repeat_at_any_cycle_boundary() -> None:
    """Over many cycles of a small deck the same tip never appears twice in a row."""
    deck = fit(None, TIPS[:3], KEY)
    drawn, _ = walk(deck, 3 * 40)
    assert all(a != b for a, b in itertools.pairwise(drawn))


def test_added_tips_come_before_anything_repeats() -> None:
    """Tips added mid-cycle join the current cycle; nothing repeats until they are posted."""
    deck = fit(None, TIPS[:8], KEY)
    posted, deck = walk(deck, 5)
    deck = fit(deck, TIPS, KEY)  # four new tips
    assert deck.position == 5
    assert deck.remaining == 7
    rest, deck = walk(deck, deck.remaining)
    assert sorted(posted + rest) == sorted(TIPS)


def test_removed_tips_drop_out_without_repeats() -> None:
    """Removing tips, posted or not, keeps the position honest and never crashes."""
    deck = fit(None, TIPS, KEY)
    posted, deck = walk(deck, 6)
    waiting = deck.order[8]
    keep = [tip for tip in TIPS if tip not in {posted[0], posted[1], waiting}]
    deck = fit(deck, keep, KEY)
    assert deck.position == 4
    assert deck.remaining == len(keep) - 4
    rest, deck = walk(deck, deck.remaining)
    assert set(posted[2:] + rest) == set(keep)
    assert len(posted[2:] + rest) == len(keep)


def test_a_finished_deck_that_grows_posts_the_new_tips_first() -> None:
    """When every tip was posted and new ones arrive, the new ones come before a repeat."""
    deck = fit(None, TIPS[:4], KEY)
    _, deck = walk(deck, 4)
    deck = fit(deck, TIPS[:6], KEY)
    following, _ = walk(deck, 2)
    assert sorted(following) == TIPS[4:6]


def test_an_empty_deck_cannot_be_drawn() -> None:
    """With no tips at all the deck is empty and drawing says so instead of looping."""
    deck = fit(fit(None, TIPS, KEY), [], KEY)
    assert deck.order == ()
    with pytest.raises(ValueError, match="empty"):
        draw(deck, KEY)
