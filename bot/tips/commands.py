"""The ``tips`` commands (on, off, status, now, help): the core's ``TipsCommands`` port."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, time
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process

from bot.core.replies import tip_reply
from bot.core.reply import Reply
from bot.core.request import Request
from bot.knowledge.model import KnowledgeBase
from bot.tips import replies
from bot.tips.clock import Clock
from bot.tips.deck import draw, fit
from bot.tips.models import ChannelKey, Days, Fire, Subscription
from bot.tips.parsing import TipsInputError, parse_on
from bot.tips.ports import DeckStore, PostHistory, SubscriptionStore
from bot.tips.schedule import next_fire
from bot.tips.zones import load_zone

log = logging.getLogger(__name__)

DEFAULT_TIME = time(9, 0)
DEFAULT_ZONE = "UTC"
DEFAULT_DAYS = Days.DAILY

# Each word a person might type after "tips", and the action it means.
ACTIONS = {
    "": "help",
    "help": "help",
    "on": "on",
    "start": "on",
    "enable": "on",
    "off": "off",
    "stop": "off",
    "disable": "off",
    "status": "status",
    "info": "status",
    "now": "now",
    "next": "now",
}
# Actions that change the channel, allowed only to people who manage it.
MANAGER_ACTIONS = frozenset({"on", "off", "now"})
# Saving the deck is optimistic; if another writer moves it meanwhile, read it again.
_DECK_TRIES = 3
# Local dates whose post is already done that a new schedule may land on: today, and at most a
# day or two more after a change to a zone ahead of the old one.
_DONE_DAYS_AT_MOST = 3


class TipsService:
    """Carries out ``tips ...`` for the request's channel. Implements ``TipsCommands``.

    Turning tips on again keeps whatever the command leaves out (time, zone, days) from the
    channel's previous settings, and resumes a paused channel. The first post of a new schedule
    skips local dates that already had their tip (one tip a day, even after ``tips off`` and
    ``on``, or a new time later the same day), so the time it announces is when it posts.
    Every subscription change is written to the store straight away; nothing lives only in
    memory.
    """

    def __init__(
        self,
        *,
        subscriptions: SubscriptionStore,
        decks: DeckStore,
        history: PostHistory,
        knowledge: KnowledgeBase,
        clock: Clock,
    ) -> None:
        self._subscriptions = subscriptions
        self._decks = decks
        self._history = history
        self._knowledge = knowledge
        self._clock = clock

    async def handle(self, request: Request, args: str) -> Reply:
        word, _, rest = args.strip().partition(" ")
        action = ACTIONS.get(word.lower())
        if action is None:
            return replies.unknown_reply(word, _closest_action(word))
        if action in MANAGER_ACTIONS and not request.is_admin:
            return replies.refusal_reply(request.platform, action)
        key = ChannelKey(request.platform, request.channel)
        if action == "on":
            return await self._turn_on(key, rest, request.user)
        if action == "off":
            return replies.off_reply(await self._subscriptions.delete(key))
        if action == "status":
            return await self._status(key)
        if action == "now":
            return await self._tip_now(key)
        return replies.usage_reply()

    async def subscriptions(self, platform: str) -> list[Subscription]:
        """Every subscription on ``platform`` (paused ones too), ordered by channel: what an
        admin's overview lists (the Slack Home tab)."""
        return [s for s in await self._subscriptions.all() if s.key.platform == platform]

    async def _turn_on(self, key: ChannelKey, args: str, user: str) -> Reply:
        try:
            wanted = parse_on(args)
        except TipsInputError as error:
            return replies.input_error_reply(error)
        old = await self._subscriptions.get(key)
        at = wanted.at or (old.at if old else DEFAULT_TIME)
        zone_name = wanted.zone or (old.zone if old else DEFAULT_ZONE)
        days = wanted.days or (old.days if old else DEFAULT_DAYS)
        zone = load_zone(zone_name)
        if zone is None:  # only a stored zone can be missing (the zone database changed)
            return replies.input_error_reply(
                TipsInputError(
                    f"This system no longer knows the time zone {zone_name}; please give one."
                )
            )
        now = self._clock.now()
        subscription = Subscription(
            key=key,
            at=at,
            zone=zone_name,
            days=days,
            next_fire=(await self._first_open_fire(key, now, at, zone, days)).at,
            updated_by=user,
            updated_at=now,
        )
        await self._subscriptions.save(subscription)
        log.info(
            "daily tips: %s turned on for %s (%s)", user, key, replies.schedule_text(subscription)
        )
        resumed = old is not None and old.paused
        return replies.on_reply(subscription, zone, resumed, len(self._knowledge.tips))

    async def _first_open_fire(
        self, key: ChannelKey, now: datetime, at: time, zone: ZoneInfo, days: Days
    ) -> Fire:
        """The first fire after ``now`` on a local date that hasn't had its tip yet."""
        fire = next_fire(now, at, zone, days)
        for _ in range(_DONE_DAYS_AT_MOST):
            if not await self._history.posted(key, fire.day):
                break
            fire = next_fire(fire.at, at, zone, days)
        return fire

    async def _status(self, key: ChannelKey) -> Reply:
        subscription = await self._subscriptions.get(key)
        tip_ids = [tip.id for tip in self._knowledge.tips]
        deck = fit(await self._decks.load_deck(key), tip_ids, key)
        zone = load_zone(subscription.zone) if subscription else None
        return replies.status_reply(
            subscription, zone, self._clock.now(), deck.remaining, len(tip_ids)
        )

    async def _tip_now(self, key: ChannelKey) -> Reply:
        tips = {tip.id: tip for tip in self._knowledge.tips}
        if not tips:
            return replies.no_tips_reply()
        for _ in range(_DECK_TRIES):
            deck = fit(await self._decks.load_deck(key), tips.keys(), key)
            tip_id, drawn = draw(deck, key)
            if await self._decks.save_deck(key, drawn):
                break
        else:
            log.warning("daily tips: %s's deck kept changing; posting %s anyway", key, tip_id)
        return replace(tip_reply(tips[tip_id], self._knowledge), public=True)


def _closest_action(word: str) -> str | None:
    """The tips command a mistyped word most likely meant (``stauts`` -> ``status``)."""
    found = process.extractOne(
        word.lower(), ["on", "off", "status", "now", "help"], scorer=fuzz.ratio, score_cutoff=60
    )
    return None if found is None else str(found[0])
