"""The store contract: subscriptions, the due queue, optimistic decks and the claim ledger.

Every test here runs on each backend, SQLite and PostgreSQL (see the ``db_url`` fixture).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

from bot.tips.models import ChannelKey, ClaimStatus, Days, Deck, PlannedPost, Subscription
from bot.tips.ports import TipsStore
from bot.tips.stores import open_store

NOW = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)
KEY = ChannelKey("slack", "C1")
LEASE = timedelta(minutes=10)


def subscription(key: ChannelKey = KEY, fire: datetime = NOW, **changes: object) -> Subscription:
    values: dict[str, object] = {
        "key": key,
        "at": time(9, 0),
        "zone": "Europe/Berlin",
        "days": Days.DAILY,
        "next_fire": fire,
        "updated_by": "U1",
        "updated_at": NOW,
    }
    values.update(changes)
    return Subscription(**values)  # type: ignore[arg-type]


def post(key: ChannelKey = KEY, tip: str = "tip-01") -> PlannedPost:
    return PlannedPost(key, date(2024, 6, 3), tip, NOW)


async def test_subscriptions_round_trip_and_survive_reopening(db_url: str) -> None:
    """What is saved comes back field for field from a new connection; saving again replaces."""
    store = await open_store(db_url)
    await store.save(subscription())
    await store.save(subscription(at=time(7, 15), days=Days.WEEKDAYS))
    await store.close()
    reopened = await open_store(db_url)
    try:
        assert await reopened.get(KEY) == subscription(at=time(7, 15), days=Days.WEEKDAYS)
        assert await reopened.all() == [subscription(at=time(7, 15), days=Days.WEEKDAYS)]
        assert await reopened.delete(KEY) is True
        assert await reopened.delete(KEY) is False
        assert await reopened.get(KEY) is None
    finally:
        await reopened.close()


async def test_due_returns_active_due_subscriptions_on_the_given_platforms(
    store: TipsStore,
) -> None:
    """Due means: not paused, next fire at or before now, on a platform we can post to."""
    await store.save(subscription(ChannelKey("slack", "due"), NOW))
    await store.save(subscription(ChannelKey("slack", "early"), NOW - timedelta(hours=1)))
    await store.save(subscription(ChannelKey("slack", "later"), NOW + timedelta(seconds=1)))
    await store.save(subscription(ChannelKey("slack", "paused"), NOW, paused=True))
    await store.save(subscription(ChannelKey("discord", "elsewhere"), NOW))
    due = await store.due(NOW, ["slack"])
    assert [s.key.channel for s in due] == ["early", "due"]
    assert {s.key.channel for s in await store.due(NOW, ["slack", "discord"])} == {
        "early",
        "due",
        "elsewhere",
    }
    assert await store.due(NOW, []) == []
    assert await store.next_fire_after(NOW, ["slack"]) == NOW + timedelta(seconds=1)
    assert await store.next_fire_after(NOW, ["discord"]) is None


async def test_advance_only_moves_an_unchanged_subscription(store: TipsStore) -> None:
    """A scheduler never overwrites a schedule someone changed after it was read."""
    await store.save(subscription())
    tomorrow = NOW + timedelta(days=1)
    assert await store.advance(KEY, NOW, tomorrow) is True
    assert await store.advance(KEY, NOW, tomorrow + timedelta(days=1)) is False
    stored = await store.get(KEY)
    assert stored is not None
    assert stored.next_fire == tomorrow


async def test_pause_keeps_the_settings_and_records_why(store: TipsStore) -> None:
    await store.save(subscription())
    await store.pause(KEY, "channel_not_found", NOW)
    stored = await store.get(KEY)
    assert stored is not None
    assert (stored.paused, stored.pause_reason, stored.at) == (True, "channel_not_found", time(9))
    assert await store.due(NOW, ["slack"]) == []


async def test_deck_saves_are_optimistic(store: TipsStore) -> None:
    """Two writers that read the same deck version can't both advance it."""
    assert await store.load_deck(KEY) is None
    assert await store.save_deck(KEY, Deck(("a", "b", "c"), 1)) is True
    assert await store.save_deck(KEY, Deck(("a", "b", "c"), 1)) is False  # version 0 is gone
    stored = await store.load_deck(KEY)
    assert stored == Deck(("a", "b", "c"), 1, 0, version=1)
    assert await store.save_deck(KEY, Deck(("a", "b", "c"), 2, 0, version=1)) is True
    assert await store.save_deck(KEY, Deck(("a", "b", "c"), 3, 0, version=1)) is False
    assert await store.load_deck(KEY) == Deck(("a", "b", "c"), 2, 0, version=2)


async def test_a_claim_is_exclusive_until_its_lease_runs_out(store: TipsStore) -> None:
    """The first claim wins; a second waits for the lease; then it is retaken with the same tip."""
    first = await store.claim(post(tip="tip-01"), Deck(("tip-01",), 1), NOW, LEASE, 5)
    assert (first.status, first.tip_id, first.attempts) == (ClaimStatus.CLAIMED, "tip-01", 1)
    assert await store.load_deck(KEY) == Deck(("tip-01",), 1, 0, version=1)

    busy = await store.claim(post(tip="tip-02"), Deck(("tip-02",), 1), NOW + LEASE / 2, LEASE, 5)
    assert busy.status is ClaimStatus.BUSY

    later = NOW + LEASE + timedelta(seconds=1)
    retaken = await store.claim(post(tip="tip-02"), Deck(("tip-02",), 1), later, LEASE, 5)
    assert (retaken.status, retaken.tip_id, retaken.attempts) == (ClaimStatus.CLAIMED, "tip-01", 2)
    assert retaken.token != first.token
    # The deck was advanced once, with the first claim, and not again.
    assert await store.load_deck(KEY) == Deck(("tip-01",), 1, 0, version=1)

    assert await store.mark_sent(first, later) is False  # the first holder lost its claim
    assert await store.mark_sent(retaken, later) is True
    done = await store.claim(post(), Deck(("tip-01",), 1), later + LEASE * 9, LEASE, 5)
    assert done.status is ClaimStatus.DONE


async def test_a_claim_whose_deck_moved_meanwhile_is_not_taken(store: TipsStore) -> None:
    """If the deck changed since it was read, the claim backs off and nothing is written."""
    assert await store.save_deck(KEY, Deck(("a", "b"), 1)) is True
    stale = Deck(("a", "b"), 1, 0, version=0)
    claim = await store.claim(post(tip="a"), stale, NOW, LEASE, 5)
    assert claim.status is ClaimStatus.BUSY
    fresh = await store.claim(post(tip="b"), Deck(("a", "b"), 2, 0, version=1), NOW, LEASE, 5)
    assert fresh.status is ClaimStatus.CLAIMED


async def test_retry_later_holds_the_post_until_its_retry_time(store: TipsStore) -> None:
    """A failed send keeps the post unsent, closed to claims until the retry time."""
    claim = await store.claim(post(), Deck(("tip-01",), 1), NOW, LEASE, 5)
    retry_at = NOW + timedelta(minutes=2)
    await store.retry_later(claim, retry_at, "rate limited")
    assert (await store.claim(post(), Deck(()), NOW, LEASE, 5)).status is ClaimStatus.BUSY
    again = await store.claim(post(), Deck(()), retry_at, LEASE, 5)
    assert (again.status, again.attempts) == (ClaimStatus.CLAIMED, 2)


async def test_every_attempt_knows_when_the_first_was_claimed(store: TipsStore) -> None:
    """A retry looks on the platform for an earlier attempt's post from the first claim on,
    however many attempts came between."""
    first = await store.claim(post(), Deck(("tip-01",), 1), NOW, LEASE, 5)
    assert first.first_claimed == NOW
    await store.retry_later(first, NOW + timedelta(minutes=1), "timed out")
    second = await store.claim(post(), Deck(()), NOW + timedelta(minutes=1), LEASE, 5)
    await store.retry_later(second, NOW + timedelta(minutes=3), "timed out")
    third = await store.claim(post(), Deck(()), NOW + timedelta(minutes=3), LEASE, 5)
    assert (third.attempts, third.first_claimed) == (3, NOW)


async def test_claims_give_up_after_the_last_attempt(store: TipsStore) -> None:
    """After max_attempts unsent claims the post is closed as failed and stays closed."""
    moment = NOW
    for attempt in range(1, 4):
        claim = await store.claim(post(), Deck(("tip-01",), 1), moment, LEASE, 3)
        assert (claim.status, claim.attempts) == (ClaimStatus.CLAIMED, attempt)
        await store.retry_later(claim, moment, "still down")
    gave_up = await store.claim(post(), Deck(()), moment, LEASE, 3)
    assert gave_up.status is ClaimStatus.GAVE_UP
    closed = await store.claim(post(), Deck(()), moment, LEASE, 3)
    assert closed.status is ClaimStatus.DONE


async def test_drop_forgets_an_unsent_claim(store: TipsStore) -> None:
    """After a channel is gone its unsent claim is removed, so the date can be posted later."""
    claim = await store.claim(post(), Deck(("tip-01",), 1), NOW, LEASE, 5)
    await store.drop(claim)
    again = await store.claim(post(), Deck(("tip-01",), 2, 0, version=1), NOW, LEASE, 5)
    assert (again.status, again.attempts) == (ClaimStatus.CLAIMED, 1)


async def test_due_walks_a_backlog_in_batches_in_due_order(store: TipsStore) -> None:
    """Batch by batch, every due subscription comes once, by fire time then channel, even
    those left due; two due at the same instant are not lost at a batch boundary."""
    fires = {"a": 3, "b": 1, "c": 1, "d": 2, "e": 1, "f": 0, "g": 4}
    for channel, minutes in fires.items():
        await store.save(
            subscription(ChannelKey("slack", channel), NOW + timedelta(minutes=minutes))
        )
    await store.save(subscription(ChannelKey("discord", "x"), NOW + timedelta(minutes=1)))
    await store.save(subscription(ChannelKey("slack", "late"), NOW + timedelta(minutes=9)))
    moment = NOW + timedelta(minutes=5)
    walked: list[str] = []
    batches: list[int] = []
    after = None
    while True:
        batch = await store.due(moment, ["slack", "discord"], after, limit=3)
        batches.append(len(batch))
        walked.extend(str(sub.key) for sub in batch)
        if len(batch) < 3:
            break
        after = batch[-1]
    assert walked == [
        "slack:f",
        "discord:x",
        "slack:b",
        "slack:c",
        "slack:e",
        "slack:d",
        "slack:a",
        "slack:g",
    ]
    assert batches == [3, 3, 2]


async def test_posted_is_true_once_a_date_is_sent_or_given_up(store: TipsStore) -> None:
    """A pending claim doesn't count (it may still go out at a new time); sent does."""
    day = date(2024, 6, 3)
    assert await store.posted(KEY, day) is False
    claim = await store.claim(post(), Deck(("tip-01",), 1), NOW, LEASE, 5)
    assert await store.posted(KEY, day) is False
    await store.mark_sent(claim, NOW)
    assert await store.posted(KEY, day) is True
    assert await store.posted(KEY, date(2024, 6, 4)) is False
    assert await store.posted(ChannelKey("discord", "C1"), day) is False


async def test_a_healthy_store_is_ready(store: TipsStore) -> None:
    """``ready`` (what the ops endpoint's /readyz asks) says nothing is wrong."""
    assert await store.ready() is None


async def test_two_connections_claiming_one_post_at_once_get_one_claim(db_url: str) -> None:
    """Two processes racing for the same post, first when nobody has claimed it and again
    when the claim's lease has run out: each time exactly one of them gets it."""
    first, second = await open_store(db_url), await open_store(db_url)
    try:
        for moment in (NOW, NOW + LEASE + timedelta(seconds=1)):
            claims = await asyncio.gather(
                first.claim(post(), Deck(("tip-01",), 1), moment, LEASE, 5),
                second.claim(post(), Deck(("tip-01",), 1), moment, LEASE, 5),
            )
            statuses = sorted(claim.status for claim in claims)
            assert statuses == [ClaimStatus.BUSY, ClaimStatus.CLAIMED]
    finally:
        await first.close()
        await second.close()
