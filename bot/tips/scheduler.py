"""The scheduler: posts each due subscription's tip exactly once per channel per local date.

For each due channel it claims the post in the database (one row per channel and local date)
before sending and marks it sent after, so a restart, a crash between claim and send, or two
processes sharing the database never post twice. A claim carries a lease: if its holder dies,
the post is claimed again once the lease runs out. After downtime, a tip missed by less than
the grace period is posted late; older ones are skipped, never queued up into a flood.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.ports import ChannelSender
from bot.core.replies import tip_reply
from bot.errors import ChannelGoneError, PlatformError
from bot.knowledge.model import KnowledgeBase, Tip
from bot.tips.clock import Clock
from bot.tips.deck import draw, fit
from bot.tips.models import ChannelKey, ClaimStatus, PlannedPost, Subscription
from bot.tips.ports import DeckStore, DueQueue, PostLedger
from bot.tips.schedule import latest_fire, next_fire
from bot.tips.zones import load_zone

log = logging.getLogger(__name__)

# A claim's holder must finish sending within the lease; platform senders give up on a call
# well before this, so a live holder never loses its claim to another process.
LEASE = timedelta(minutes=10)
# A post that keeps failing with a platform error is tried this many times, then given up for
# that day (the channel keeps its subscription and tries again at the next fire time).
MAX_ATTEMPTS = 5
RETRY_FIRST = timedelta(minutes=2)
RETRY_LONGEST = timedelta(minutes=30)
# The longest the scheduler sleeps, so subscriptions made by another process are noticed soon.
POLL = timedelta(seconds=60)


class Outcome(StrEnum):
    """What a run did with one due subscription."""

    POSTED = "posted"
    ALREADY_POSTED = "already posted"  # another run or process posted (or gave up) that date
    BUSY = "busy"  # another process is sending it, or a failed send waits for its retry time
    RETRYING = "retrying"  # the platform failed; the post stays claimed-unsent for a later run
    GAVE_UP = "gave up"  # the platform kept failing; that date's tip is given up
    SKIPPED = "skipped"  # missed by more than the grace period
    PAUSED = "paused"  # the channel is gone or the bot was removed
    NO_TIPS = "no tips"  # the knowledge base has no tips to post
    ERROR = "error"  # a bug or a storage failure; logged with its traceback


@dataclass(frozen=True, slots=True)
class Result:
    """What happened to one subscription in one run."""

    key: ChannelKey
    outcome: Outcome
    detail: str = ""


@dataclass(slots=True)
class RunReport:
    """Every due subscription a run looked at, and what became of it."""

    moment: datetime
    results: list[Result] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome is outcome)

    @property
    def failed(self) -> bool:
        """True when a post could not go out (to retry, given up, paused or broken)."""
        bad = {Outcome.RETRYING, Outcome.GAVE_UP, Outcome.PAUSED, Outcome.ERROR}
        return any(result.outcome in bad for result in self.results)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait before trying a failed post again: doubling, with a ceiling."""
    doubled: timedelta = RETRY_FIRST * (2 ** max(attempts - 1, 0))
    return min(doubled, RETRY_LONGEST)


class Scheduler:
    """Finds due subscriptions and posts their tips through each platform's sender.

    ``senders`` maps a platform name (``Request.platform``: "slack", "discord") to its sender;
    subscriptions on platforms without a sender are left for a process that has one.
    """

    def __init__(
        self,
        *,
        queue: DueQueue,
        decks: DeckStore,
        ledger: PostLedger,
        knowledge: KnowledgeBase,
        senders: Mapping[str, ChannelSender],
        clock: Clock,
        grace: timedelta,
        lease: timedelta = LEASE,
        max_attempts: int = MAX_ATTEMPTS,
        poll: timedelta = POLL,
    ) -> None:
        self._queue = queue
        self._decks = decks
        self._ledger = ledger
        self._knowledge = knowledge
        self._senders = dict(senders)
        self._clock = clock
        self._grace = grace
        self._lease = lease
        self._max_attempts = max_attempts
        self._poll = poll

    async def run_due(self, at: datetime | None = None) -> RunReport:
        """Post every tip due at ``at`` (default: now) and return what happened.

        ``at`` decides what is due and what is too late; leases and retry times always use
        the clock, so a run for a past moment can't take over a live process's claim.
        """
        moment = self._clock.now() if at is None else at
        report = RunReport(moment)
        for subscription in await self._queue.due(moment, self._senders.keys()):
            try:
                result = await self._fire(subscription, moment)
            except Exception as exc:
                log.exception("daily tips: %s failed; it will be tried again", subscription.key)
                result = Result(subscription.key, Outcome.ERROR, str(exc))
            report.results.append(result)
        return report

    async def run_forever(self) -> None:
        """Post due tips, then sleep until the next fire time (at most ``POLL``); never returns.

        A failed run is logged and retried on the next wake-up; only cancellation stops it.
        """
        log.info("daily tips: scheduler started for %s", ", ".join(sorted(self._senders)))
        while True:
            upcoming: datetime | None = None
            try:
                await self.run_due()
                upcoming = await self._queue.next_fire_after(
                    self._clock.now(), self._senders.keys()
                )
            except Exception:
                log.exception("daily tips: a scheduler run failed; trying again shortly")
            now = self._clock.now()
            wake = now + self._poll if upcoming is None else min(upcoming, now + self._poll)
            await self._clock.sleep_until(wake)

    async def _fire(self, subscription: Subscription, moment: datetime) -> Result:
        key = subscription.key
        zone = load_zone(subscription.zone)
        if zone is None:  # the zone database no longer has it: don't guess, ask for a new one
            reason = f"unknown time zone {subscription.zone!r}; turn tips on again with a valid one"
            await self._queue.pause(key, reason, self._clock.now())
            log.warning("daily tips: paused %s: %s", key, reason)
            return Result(key, Outcome.PAUSED, reason)
        fire = latest_fire(moment, subscription.at, zone, subscription.days)
        following = next_fire(moment, subscription.at, zone, subscription.days).at

        async def move_on() -> None:
            await self._queue.advance(key, subscription.next_fire, following)

        late = moment - fire.at
        if late > self._grace:
            await move_on()
            hours = late.total_seconds() / 3600
            detail = (
                f"missed {fire.day} by {hours:.1f} h (grace {self._grace_hours}); "
                f"next {following:%Y-%m-%d %H:%M} UTC"
            )
            log.info("daily tips: skipped %s: %s", key, detail)
            return Result(key, Outcome.SKIPPED, detail)

        tips = {tip.id: tip for tip in self._knowledge.tips}
        if not tips:
            await move_on()
            log.warning("daily tips: nothing posted to %s: the knowledge base has no tips", key)
            return Result(key, Outcome.NO_TIPS)
        deck = fit(await self._decks.load_deck(key), tips.keys(), key)
        tip_id, drawn = draw(deck, key)
        post = PlannedPost(key, fire.day, tip_id, fire.at)
        claim = await self._ledger.claim(
            post, drawn, self._clock.now(), self._lease, self._max_attempts
        )
        if claim.status is ClaimStatus.BUSY:
            return Result(key, Outcome.BUSY, f"{fire.day} is claimed elsewhere or waiting to retry")
        if claim.status is ClaimStatus.DONE:
            await move_on()
            return Result(key, Outcome.ALREADY_POSTED, str(fire.day))
        if claim.status is ClaimStatus.GAVE_UP:
            await move_on()
            log.warning(
                "daily tips: gave up on %s for %s after %d tries", key, fire.day, claim.attempts
            )
            return Result(key, Outcome.GAVE_UP, f"{fire.day} after {claim.attempts} tries")

        # A retried claim posts the tip recorded when it was first claimed, if it still exists.
        tip: Tip = tips.get(claim.tip_id or "", tips[tip_id])
        reply = replace(tip_reply(tip, self._knowledge), public=True)
        try:
            await self._senders[key.platform].post(key.channel, reply)
        except ChannelGoneError as exc:
            reason = str(exc) or "the channel is gone or the bot was removed from it"
            await self._ledger.drop(claim)
            await self._queue.pause(key, reason, self._clock.now())
            log.warning("daily tips: paused %s: %s", key, reason)
            return Result(key, Outcome.PAUSED, reason)
        except Exception as exc:
            retry_at = self._clock.now() + retry_delay(claim.attempts)
            await self._ledger.retry_later(claim, retry_at, str(exc) or type(exc).__name__)
            if isinstance(exc, PlatformError):
                log.warning(
                    "daily tips: posting to %s failed (try %d), will retry: %s",
                    key,
                    claim.attempts,
                    exc,
                )
            else:
                log.exception(
                    "daily tips: posting to %s failed (try %d), will retry", key, claim.attempts
                )
            return Result(key, Outcome.RETRYING, f"try {claim.attempts}: {exc}")
        if not await self._ledger.mark_sent(claim, self._clock.now()):
            log.warning("daily tips: %s for %s was posted after its claim lapsed", key, fire.day)
        await move_on()
        log.info("daily tips: posted %s to %s for %s", tip.id, key, fire.day)
        return Result(key, Outcome.POSTED, f"{tip.id} for {fire.day}")

    @property
    def _grace_hours(self) -> str:
        return f"{self._grace.total_seconds() / 3600:g} h"
