"""The scheduler: posts each due subscription's tip exactly once per channel per local date.

For each due channel it claims the post in the database (one row per channel and local date)
before sending and marks it sent after, so a restart, a crash between claim and send, or two
processes sharing the database never post twice. A claim carries a lease: if its holder dies,
the post is claimed again once the lease runs out. After downtime, a tip missed by less than
the grace period is posted late; older ones are skipped, never queued up into a flood.

What keeps a post from going out twice when things go wrong:
- a send that outlasts its claim's lease is abandoned first (``send_timeout`` < ``lease``), so
  no other process can take the claim over while this one is still sending;
- a post that went out but couldn't be recorded (the database was locked or failing) is kept
  in memory and recorded before the next run posts anything;
- stopping the scheduler while a post is in flight lets that post finish and be recorded
  (for up to ``shutdown_grace``); past that the post is abandoned and its claim released at
  once, noted as maybe posted, so a restart retries it straight away;
- every attempt names its post to the sender (``PostOnce``: platform, channel and local date),
  so a retry of a post that may have gone out (a crash, a SIGKILL, a timeout) is not posted
  twice: Discord drops a repeated message nonce, and on Slack the sender looks for the
  earlier attempt's message (by its metadata) before posting again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.metrics import NO_METRICS, TipMetrics
from bot.core.ports import ChannelSender, PostOnce
from bot.core.replies import tip_reply
from bot.errors import ChannelGoneError, PlatformError, StorageError
from bot.knowledge.model import KnowledgeBase, Tip
from bot.tips.clock import Clock
from bot.tips.deck import draw, fit
from bot.tips.models import ChannelKey, Claim, ClaimStatus, PlannedPost, Subscription
from bot.tips.ports import DUE_BATCH, DeckStore, DueQueue, PostLedger
from bot.tips.schedule import latest_fire, next_fire
from bot.tips.zones import load_zone

log = logging.getLogger(__name__)

# A claim's holder must finish sending within the lease, or another process may take the post
# over. Platform senders retry rate limits and server errors themselves, which can add up to
# minutes, so the scheduler abandons a send after SEND_TIMEOUT, well inside the lease.
LEASE = timedelta(minutes=10)
SEND_TIMEOUT = timedelta(minutes=8)
# How long stopping the scheduler waits for a post already on its way, so it can be recorded.
SHUTDOWN_GRACE = timedelta(seconds=10)
# A post that keeps failing with a platform error is tried this many times, then given up for
# that day (the channel keeps its subscription and tries again at the next fire time).
MAX_ATTEMPTS = 5
RETRY_FIRST = timedelta(minutes=2)
RETRY_LONGEST = timedelta(minutes=30)
# What the ledger notes for a post abandoned mid-send at shutdown.
ABANDONED = "stopped while posting; it may have gone out"
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
    ERROR = "error"  # a bug or a storage failure; logged, and tried again on the next run


# What each outcome counts as in the tips metric; the others (already posted, busy) are
# another run's or another process's tip, not this one's.
TALLY = {
    Outcome.POSTED: "posted",
    Outcome.SKIPPED: "skipped",
    Outcome.NO_TIPS: "skipped",
    Outcome.RETRYING: "failed",
    Outcome.GAVE_UP: "failed",
    Outcome.PAUSED: "failed",
    Outcome.ERROR: "failed",
}


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


def _describe(exc: Exception, send_timeout: timedelta) -> str:
    """A failed send in a few words, for the log and the ledger."""
    if isinstance(exc, TimeoutError) and not str(exc):
        return f"no answer within {send_timeout.total_seconds():g} s"
    return str(exc) or type(exc).__name__


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
        send_timeout: timedelta = SEND_TIMEOUT,
        shutdown_grace: timedelta = SHUTDOWN_GRACE,
        batch: int = DUE_BATCH,
        metrics: TipMetrics = NO_METRICS,
    ) -> None:
        if send_timeout >= lease:
            raise ValueError("send_timeout must be shorter than the lease")
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
        self._send_timeout = send_timeout
        self._shutdown_grace = shutdown_grace
        self._batch = batch
        self._metrics = metrics
        # Posts that went out but could not be marked sent yet (the database failed).
        self._unrecorded: list[Claim] = []

    async def run_due(self, at: datetime | None = None) -> RunReport:
        """Post every tip due at ``at`` (default: now) and return what happened.

        ``at`` decides what is due and what is too late; leases and retry times always use
        the clock, so a run for a past moment can't take over a live process's claim. Due
        subscriptions are read in batches in due order. A storage failure ends the run early
        (the database is unavailable; the rest stay due for the next run) and raises
        ``StorageError`` when posts that went out earlier still can't be recorded.
        """
        moment = self._clock.now() if at is None else at
        report = RunReport(moment)
        await self._record_unrecorded()
        after: Subscription | None = None
        while True:
            batch = await self._queue.due(moment, self._senders.keys(), after, self._batch)
            for subscription in batch:
                try:
                    result = await self._fire(subscription, moment)
                except StorageError as exc:
                    log.error("daily tips: %s; stopping this run, the rest stay due", exc)
                    self._report(report, Result(subscription.key, Outcome.ERROR, str(exc)))
                    return report
                except Exception as exc:
                    log.exception("daily tips: %s failed; it will be tried again", subscription.key)
                    result = Result(subscription.key, Outcome.ERROR, str(exc))
                self._report(report, result)
            if len(batch) < self._batch:
                return report
            after = batch[-1]

    async def run_forever(self) -> None:
        """Post due tips, then sleep until the next fire time (at most ``POLL``); never returns.

        Any failure is logged and the loop carries on after the next sleep; only cancellation
        stops it, and a post in flight then gets ``shutdown_grace`` to finish and be recorded.
        """
        log.info("daily tips: scheduler started for %s", ", ".join(sorted(self._senders)))
        while True:
            wake: datetime | None = None
            try:
                await self.run_due()
                upcoming = await self._queue.next_fire_after(
                    self._clock.now(), self._senders.keys()
                )
                now = self._clock.now()
                wake = now + self._poll if upcoming is None else min(upcoming, now + self._poll)
            except Exception:
                log.exception("daily tips: a scheduler run failed; trying again shortly")
            try:
                await self._clock.sleep_until(wake or self._clock.now() + self._poll)
            except Exception:  # a broken clock must not spin the loop or end it
                log.exception("daily tips: the scheduler could not sleep; waiting %s", self._poll)
                await asyncio.sleep(self._poll.total_seconds())

    def _report(self, report: RunReport, result: Result) -> None:
        report.results.append(result)
        counted = TALLY.get(result.outcome)
        if counted is not None:
            self._metrics.tip(result.key.platform, counted)

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

        late = moment - fire.at
        if late > self._grace:
            await self._move_on(subscription, following)
            hours = late.total_seconds() / 3600
            detail = (
                f"missed {fire.day} by {hours:.1f} h (grace {self._grace_hours}); "
                f"next {following:%Y-%m-%d %H:%M} UTC"
            )
            log.info("daily tips: skipped %s: %s", key, detail)
            return Result(key, Outcome.SKIPPED, detail)

        tips = {tip.id: tip for tip in self._knowledge.tips}
        if not tips:
            await self._move_on(subscription, following)
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
            await self._move_on(subscription, following)
            return Result(key, Outcome.ALREADY_POSTED, str(fire.day))
        if claim.status is ClaimStatus.GAVE_UP:
            await self._move_on(subscription, following)
            log.warning(
                "daily tips: gave up on %s for %s after %d tries", key, fire.day, claim.attempts
            )
            return Result(key, Outcome.GAVE_UP, f"{fire.day} after {claim.attempts} tries")

        # A retried claim posts the tip recorded when it was first claimed. If that tip has
        # left the knowledge base since, the tip drawn now stands in, and the deck moves past
        # it too (optimistically), so it doesn't come up again tomorrow.
        tip = tips.get(claim.tip_id or "")
        if tip is None:
            tip = tips[tip_id]
            await self._decks.save_deck(key, drawn)
        delivery = asyncio.ensure_future(self._deliver(claim, tip, subscription, following))
        try:
            return await asyncio.shield(delivery)
        except asyncio.CancelledError:
            await self._let_finish(delivery, claim)
            raise

    async def _move_on(self, subscription: Subscription, following: datetime) -> None:
        """Set the next fire time, unless the subscription changed since it was read."""
        await self._queue.advance(subscription.key, subscription.next_fire, following)

    async def _deliver(
        self, claim: Claim, tip: Tip, subscription: Subscription, following: datetime
    ) -> Result:
        """Send a claimed post and record what happened: sent, to retry, or channel gone."""
        key, day = claim.key, claim.day
        reply = replace(tip_reply(tip, self._knowledge), public=True)
        try:
            async with asyncio.timeout(self._send_timeout.total_seconds()):
                await self._senders[key.platform].post(key.channel, reply, once=self._once(claim))
        except ChannelGoneError as exc:
            reason = str(exc) or "the channel is gone or the bot was removed from it"
            await self._ledger.drop(claim)
            await self._queue.pause(key, reason, self._clock.now())
            log.warning("daily tips: paused %s: %s", key, reason)
            return Result(key, Outcome.PAUSED, reason)
        except Exception as exc:
            error = _describe(exc, self._send_timeout)
            retry_at = self._clock.now() + retry_delay(claim.attempts)
            await self._ledger.retry_later(claim, retry_at, error)
            if isinstance(exc, PlatformError | TimeoutError):
                log.warning(
                    "daily tips: posting to %s failed (try %d), will retry: %s",
                    key,
                    claim.attempts,
                    error,
                )
            else:
                log.exception(
                    "daily tips: posting to %s failed (try %d), will retry", key, claim.attempts
                )
            return Result(key, Outcome.RETRYING, f"try {claim.attempts}: {error}")
        log.info("daily tips: posted %s to %s for %s", tip.id, key, day)
        if not await self._record_sent(claim):
            return Result(key, Outcome.POSTED, f"{tip.id} for {day} (not recorded yet)")
        await self._move_on(subscription, following)
        return Result(key, Outcome.POSTED, f"{tip.id} for {day}")

    def _once(self, claim: Claim) -> PostOnce:
        """The post's name for the sender: the same for every attempt, in every process."""
        return PostOnce(
            key=f"{claim.key.platform}:{claim.key.channel}:{claim.day.isoformat()}",
            since=claim.first_claimed or self._clock.now(),
            retry=claim.attempts > 1,
        )

    async def _record_sent(self, claim: Claim) -> bool:
        """Mark a post that went out as sent; if the database fails, keep it to record later."""
        try:
            if not await self._ledger.mark_sent(claim, self._clock.now()):
                log.warning(
                    "daily tips: %s for %s was posted after its claim lapsed", claim.key, claim.day
                )
        except StorageError as exc:
            self._unrecorded.append(claim)
            log.error(
                "daily tips: posted to %s for %s but could not record it (%s); recording it "
                "before anything else is posted",
                claim.key,
                claim.day,
                exc,
            )
            return False
        return True

    async def _record_unrecorded(self) -> None:
        """Record the posts that went out while the database failed; raise if it still fails.

        Until they are recorded nothing else is posted: their claims would lapse and be
        posted again.
        """
        while self._unrecorded:
            claim = self._unrecorded[0]
            await self._ledger.mark_sent(claim, self._clock.now())
            self._unrecorded.pop(0)
            log.info("daily tips: recorded the post to %s for %s", claim.key, claim.day)

    async def _let_finish(self, delivery: asyncio.Future[Result], claim: Claim) -> None:
        """Stopping while a post is in flight: give it ``shutdown_grace`` to go out and be
        recorded, so a restart doesn't send it again; past that, abandon it and record so:
        its claim is released at once (not left to lapse with the lease), noted as maybe
        posted, and the restart's retry looks for it on the platform before posting again."""
        done, _ = await asyncio.wait({delivery}, timeout=self._shutdown_grace.total_seconds())
        if done:
            return
        delivery.cancel()
        await asyncio.wait({delivery})
        if delivery.cancelled():  # cut off mid-send: whether it went out is unknown
            try:
                await self._ledger.retry_later(claim, self._clock.now(), ABANDONED)
            except StorageError as exc:  # the lease still runs out; the retry is only later
                log.error("daily tips: could not record the abandoned post: %s", exc)
        log.warning(
            "daily tips: stopped while posting to %s; it is retried (and looked for first) "
            "after a restart",
            claim.key,
        )

    @property
    def _grace_hours(self) -> str:
        return f"{self._grace.total_seconds() / 3600:g} h"
