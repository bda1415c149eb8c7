"""The values daily tips are made of: channel keys, subscriptions, decks and post claims."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum


class Days(StrEnum):
    """Which days a subscription posts on, judged by the date in the channel's time zone."""

    DAILY = "daily"
    WEEKDAYS = "weekdays"

    def includes(self, day: date) -> bool:
        """True when a tip is due on ``day`` (Monday to Friday only for weekdays)."""
        return self is Days.DAILY or day.weekday() < 5

    @property
    def label(self) -> str:
        """How to say it in a sentence: "every day" or "on weekdays"."""
        return "every day" if self is Days.DAILY else "on weekdays (Monday to Friday)"


@dataclass(frozen=True, slots=True, order=True)
class ChannelKey:
    """A channel on one platform; every subscription, deck and post is keyed by it."""

    platform: str
    channel: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.channel}"


@dataclass(frozen=True, slots=True)
class Fire:
    """One scheduled post: the local date it belongs to and the UTC instant it is due."""

    day: date
    at: datetime


@dataclass(frozen=True, slots=True)
class Subscription:
    """A channel's daily-tip settings and when its next tip is due.

    ``at`` is the wall-clock time in ``zone`` (an IANA name). ``next_fire`` is the UTC instant of
    the next post, kept in storage so finding the due channels is one indexed range query.
    A paused subscription (the channel is gone or the bot was removed) keeps its settings and
    posts nothing until someone turns tips on again. ``updated_at``/``updated_by`` say when and
    by whom it was last changed.
    """

    key: ChannelKey
    at: time
    zone: str
    days: Days
    next_fire: datetime
    updated_at: datetime
    paused: bool = False
    pause_reason: str | None = None
    updated_by: str | None = None


@dataclass(frozen=True, slots=True)
class Deck:
    """A channel's shuffled order of tip ids and how far it has got.

    ``order[:position]`` have been posted in the current ``cycle``; ``version`` is the stored
    version this deck was read at, so two writers can't both advance it from the same place.
    """

    order: tuple[str, ...]
    position: int = 0
    cycle: int = 0
    version: int = 0

    @property
    def remaining(self) -> int:
        """How many tips are left before the deck repeats."""
        return max(len(self.order) - self.position, 0)


@dataclass(frozen=True, slots=True)
class PlannedPost:
    """The post a scheduler wants to claim: which channel, which local date, which tip."""

    key: ChannelKey
    day: date
    tip_id: str
    scheduled: datetime


class ClaimStatus(StrEnum):
    """What happened when a scheduler tried to claim a post."""

    CLAIMED = "claimed"  # this caller now owns the post and must send it
    BUSY = "busy"  # someone else holds it, or a failed send waits for its retry time
    DONE = "done"  # already sent, or given up on: nothing more to do for that date
    GAVE_UP = "gave_up"  # this claim attempt found the retries used up and closed the post


@dataclass(frozen=True, slots=True)
class Claim:
    """The answer to a claim: its status and, when claimed, the tip to send and a token.

    ``tip_id`` is the tip recorded when the post was first claimed, so a retry after a crash
    posts the same tip. Only the holder of ``token`` can mark the post sent or release it.
    ``first_claimed`` is when the post's first attempt was claimed: a retry looks for an
    earlier attempt's message on the platform from then on.
    """

    status: ClaimStatus
    key: ChannelKey
    day: date
    tip_id: str | None = None
    token: str | None = None
    attempts: int = 0
    first_claimed: datetime | None = None
