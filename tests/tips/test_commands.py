"""The ``tips`` commands: who may use them, what they store, and what people read back."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.core.reply import Reply, ReplyKind
from bot.core.request import Request
from bot.core.router import Router
from bot.core.services import Services
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.tips.commands import TipsService
from bot.tips.models import ChannelKey, Days
from bot.tips.ports import TipsStore
from bot.tips.scheduler import Outcome
from bot.tips.stores import open_store
from bot.tips.testing import FakeClock, RecordingSender

from .conftest import SchedulerFactory, small_knowledge

KEY = ChannelKey("slack", "C1")


def admin(text: str = "", platform: str = "slack", channel: str = "C1") -> Request:
    return Request(text=text, user="U-admin", channel=channel, platform=platform, is_admin=True)


def member(text: str = "", platform: str = "slack", channel: str = "C1") -> Request:
    return Request(text=text, user="U-member", channel=channel, platform=platform, is_admin=False)


def everything(reply: Reply) -> str:
    return reply.plain_text()


@pytest.mark.parametrize("action", ["on", "on 9:00 Europe/Berlin", "off", "now", "stop", "next"])
async def test_members_may_not_change_tips_on_slack(
    service: TipsService, store: TipsStore, action: str
) -> None:
    """On Slack the refusal names workspace admins/owners and MLCAREER_ADMINS; nothing changes."""
    reply = await service.handle(member(platform="slack"), action)
    text = everything(reply)
    assert reply.kind is ReplyKind.NOTICE
    assert "workspace admins and owners" in text
    assert "MLCAREER_ADMINS" in text
    assert await store.get(KEY) is None
    assert await store.load_deck(KEY) is None


async def test_members_may_not_change_tips_on_discord(
    service: TipsService, store: TipsStore
) -> None:
    """On Discord the refusal names the Manage Channels permission."""
    reply = await service.handle(member(platform="discord", channel="99"), "on")
    assert "Manage Channels" in everything(reply)
    assert "MLCAREER_ADMINS" not in everything(reply)
    assert await store.get(ChannelKey("discord", "99")) is None


async def test_members_may_read_status_and_help(service: TipsService) -> None:
    status = await service.handle(member(), "status")
    assert status.title == "Daily tips are off in this channel"
    usage = await service.handle(member(), "help")
    assert usage.kind is ReplyKind.HELP
    assert "Manage Channels" in everything(usage)


async def test_tips_on_defaults_to_nine_utc_daily_and_is_stored(
    service: TipsService, db_url: str
) -> None:
    """Plain ``tips on`` means 09:00 UTC every day, written to the database at once."""
    reply = await service.handle(admin(), "on")
    assert reply.title == "Daily tips are on in this channel"
    assert "every day at 09:00 (UTC time)" in reply.body
    assert "Next tip: Monday 3 June 2024, 09:00 UTC" in reply.body
    other = await open_store(db_url)
    try:
        stored = await other.get(KEY)
    finally:
        await other.close()
    assert stored is not None
    assert (stored.at, stored.zone, stored.days) == (time(9, 0), "UTC", Days.DAILY)
    assert stored.next_fire == datetime(2024, 6, 3, 9, 0, tzinfo=UTC)
    assert stored.updated_by == "U-admin"


async def test_tips_on_with_time_zone_and_weekdays(
    service: TipsService, store: TipsStore, clock: FakeClock
) -> None:
    """The next post is shown in the channel's local time, with the zone's abbreviation."""
    clock.set(datetime(2024, 6, 7, 12, 0, tzinfo=UTC))  # a Friday
    reply = await service.handle(admin(), "on 8:30am europe/berlin weekdays")
    assert "on weekdays (Monday to Friday) at 08:30 (Europe/Berlin time)" in reply.body
    assert "Next tip: Monday 10 June 2024, 08:30 CEST" in reply.body
    stored = await store.get(KEY)
    assert stored is not None
    assert stored.next_fire == datetime(2024, 6, 10, 6, 30, tzinfo=UTC)


async def test_tips_on_again_keeps_what_it_leaves_out(
    service: TipsService, store: TipsStore
) -> None:
    """Changing only the days keeps the channel's time and zone."""
    await service.handle(admin(), "on 7:15 Asia/Tokyo")
    await service.handle(admin(), "on weekdays")
    stored = await store.get(KEY)
    assert stored is not None
    assert (stored.at, stored.zone, stored.days) == (time(7, 15), "Asia/Tokyo", Days.WEEKDAYS)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ("on 25:00", "isn't a time of day"),
        ("on 13pm", "12-hour clock"),
        ("on 9:00 Europe/Berln", "Did you mean Europe/Berlin"),
        ("on 9:00 UTC+2", "daylight saving"),
        ("on 9:00 10:00", "two times"),
        ("on daily weekdays", "not both"),
        ("on 9:00 weekdayz", "Did you mean \u201cweekdays\u201d"),
        ("on \u23f0 \U0001f680", "time zone"),
    ],
)
async def test_bad_input_gets_a_friendly_message_and_changes_nothing(
    service: TipsService, store: TipsStore, args: str, says: str
) -> None:
    reply = await service.handle(admin(), args)
    assert reply.kind is ReplyKind.NOTICE
    assert says in reply.body
    assert "For example: /mlcareer tips on 08:30 Europe/Berlin weekdays" in reply.body
    assert await store.get(KEY) is None


async def test_a_did_you_mean_offers_the_corrected_command_to_click(service: TipsService) -> None:
    reply = await service.handle(admin(), "on 9:00 Europe/Berln weekdays")
    assert reply.suggestions[0].topic == "tips on 9:00 Europe/Berlin weekdays"


@pytest.mark.parametrize(("typed", "guess"), [("stauts", "status"), ("of", "off"), ("nwo", "now")])
async def test_an_unknown_subcommand_suggests_the_nearest(
    service: TipsService, typed: str, guess: str
) -> None:
    reply = await service.handle(admin(), typed)
    assert f"Did you mean \u201ctips {guess}\u201d" in reply.body
    assert reply.suggestions[0].topic == f"tips {guess}"


async def test_an_unknown_subcommand_without_a_near_one_shows_usage(service: TipsService) -> None:
    reply = await service.handle(member(), "banana")
    assert "There's no \u201ctips banana\u201d." in reply.body
    assert reply.lists


async def test_subscriptions_lists_one_platforms_channels_paused_ones_too(
    service: TipsService, store: TipsStore, clock: FakeClock
) -> None:
    await service.handle(admin(channel="C2"), "on 08:30 Europe/Berlin")
    await service.handle(admin(channel="C1"), "on")
    await service.handle(admin(platform="discord", channel="42"), "on")
    await store.pause(ChannelKey("slack", "C2"), "channel_not_found", clock.now())
    listed = await service.subscriptions("slack")
    assert [s.key.channel for s in listed] == ["C1", "C2"]
    assert listed[1].paused
    assert [s.key.channel for s in await service.subscriptions("discord")] == ["42"]
    assert await service.subscriptions("console") == []


async def test_tips_off_removes_the_subscription(service: TipsService, store: TipsStore) -> None:
    await service.handle(admin(), "on")
    assert (await service.handle(admin(), "off")).title == "Daily tips are off in this channel"
    assert await store.get(KEY) is None
    assert (await service.handle(admin(), "off")).title == "Daily tips weren't on here"


async def test_status_shows_schedule_next_post_and_tips_left(
    service: TipsService, knowledge: KnowledgeBase
) -> None:
    await service.handle(admin(), "on 21:30 America/New_York")
    reply = await service.handle(member(), "status")
    assert reply.title == "Daily tips are on in this channel"
    assert "every day at 21:30 (America/New_York time)" in reply.body
    assert "Next tip: Monday 3 June 2024, 21:30 EDT" in reply.body
    total = len(knowledge.tips)
    assert f"{total} of {total} tips left" in reply.body
    await service.handle(admin(), "now")
    assert f"{total - 1} of {total} tips left" in (await service.handle(member(), "status")).body


async def test_status_of_a_paused_channel_says_why(
    service: TipsService, store: TipsStore, clock: FakeClock
) -> None:
    await service.handle(admin(), "on")
    await store.pause(KEY, "the bot was removed from the channel", clock.now())
    reply = await service.handle(member(), "status")
    assert reply.title == "Daily tips are paused in this channel"
    assert "the bot was removed from the channel" in reply.body
    resumed = await service.handle(admin(), "on")
    assert resumed.title == "Daily tips are back on in this channel"
    stored = await store.get(KEY)
    assert stored is not None
    assert stored.paused is False


async def test_tips_now_returns_public_tips_and_walks_the_deck(
    service: TipsService, knowledge: KnowledgeBase
) -> None:
    """Each ``tips now`` is a channel-wide tip reply, and the deck advances without repeats."""
    seen = []
    for _ in knowledge.tips:
        reply = await service.handle(admin(), "now")
        assert reply.kind is ReplyKind.TIP
        assert reply.public is True
        assert reply.source is not None
        assert f"/mlcareer {reply.section}" in reply.source
        seen.append(reply.entry_id)
    assert sorted(seen) == sorted(tip.id for tip in knowledge.tips)
    status = await service.handle(member(), "status")
    assert "Every one of the 7 tips has been posted here" in status.body


async def test_tips_now_works_without_a_subscription_and_with_no_tips(
    store: TipsStore, clock: FakeClock, knowledge: KnowledgeBase
) -> None:
    empty = KnowledgeBase(entries=knowledge.entries, tips=(), vocabulary=knowledge.vocabulary)
    service = TipsService(
        subscriptions=store, decks=store, history=store, knowledge=empty, clock=clock
    )
    reply = await service.handle(admin(), "now")
    assert reply.title == "No tips yet"
    assert "no tips" in (await service.handle(admin(), "on")).plain_text()


@pytest.mark.parametrize("args", ["", "help", "HELP"])
async def test_bare_tips_and_help_show_usage(service: TipsService, args: str) -> None:
    reply = await service.handle(member(), args)
    assert reply.kind is ReplyKind.HELP
    text = everything(reply)
    for command in ("tips on [HH:MM] [TIME_ZONE] [weekdays|daily]", "tips off", "tips status"):
        assert command in text


async def test_the_router_hands_tips_commands_to_the_service(
    service: TipsService, knowledge: KnowledgeBase, store: TipsStore, clock: FakeClock
) -> None:
    """Through the real router: ``tips on ...`` subscribes, ``tips status`` reads it back."""
    router = Router(Services(knowledge=knowledge, matcher=Matcher(knowledge), tips=service))
    reply = await router.handle(admin("tips on 9am Europe/Berlin", platform="discord", channel="7"))
    assert reply.title == "Daily tips are on in this channel"
    assert await store.get(ChannelKey("discord", "7")) is not None
    status = await router.handle(member("tips status", platform="discord", channel="7"))
    assert "Next tip: Tuesday 4 June 2024, 09:00 CEST" in status.body
    clock.advance(timedelta(days=1))
    refused = await router.handle(member("tips off", platform="discord", channel="7"))
    assert "Manage Channels" in refused.body


@pytest.mark.parametrize(
    ("commands", "announced"),
    [
        # Off and on again later the same day: today's tip is already out.
        (("off", "on 17:00"), "Next tip: Tuesday 4 June 2024, 17:00 UTC"),
        # A new time later the same day.
        (("on 18:30",), "Next tip: Tuesday 4 June 2024, 18:30 UTC"),
        # A new zone whose 09:00 is still to come on the same local date (15:00 CEST).
        (("on America/New_York",), "Next tip: Tuesday 4 June 2024, 09:00 EDT"),
    ],
)
async def test_a_changed_schedule_after_todays_tip_starts_tomorrow(
    service: TipsService,
    store: TipsStore,
    make_scheduler: SchedulerFactory,
    slack: RecordingSender,
    clock: FakeClock,
    commands: tuple[str, ...],
    announced: str,
) -> None:
    """One tip a day: a change after today's post announces (and keeps) tomorrow's time."""
    await service.handle(admin(), "on 09:00")
    scheduler = make_scheduler()
    clock.set(datetime(2024, 6, 3, 9, 0, tzinfo=UTC))
    await scheduler.run_due()
    assert len(slack.posts) == 1
    clock.set(datetime(2024, 6, 3, 10, 0, tzinfo=UTC))
    for command in commands:
        reply = await service.handle(admin(), command)
    assert announced in reply.body
    assert announced in (await service.handle(member(), "status")).body
    for hour in range(10, 24):
        clock.set(datetime(2024, 6, 3, hour, 0, tzinfo=UTC))
        await scheduler.run_due()
    assert len(slack.posts) == 1
    stored = await store.get(KEY)
    assert stored is not None
    clock.set(stored.next_fire)
    assert (await scheduler.run_due()).count(Outcome.POSTED) == 1


async def test_on_again_the_same_day_before_the_tip_keeps_today(
    service: TipsService, clock: FakeClock
) -> None:
    """Nothing posted yet today: off and on again still announces today's time."""
    await service.handle(admin(), "on 09:00")
    await service.handle(admin(), "off")
    reply = await service.handle(admin(), "on 11:00")
    assert "Next tip: Monday 3 June 2024, 11:00 UTC" in reply.body


async def test_status_counts_tips_left_as_the_deck_grows_and_shrinks(
    service: TipsService, store: TipsStore, clock: FakeClock
) -> None:
    """Tips added to the knowledge base join the deck before anything repeats; removed
    ones drop out of the count."""
    posted = {(await service.handle(admin(), "now")).entry_id for _ in range(3)}

    def status_with(knowledge: KnowledgeBase) -> Awaitable[Reply]:
        changed = TipsService(
            subscriptions=store, decks=store, history=store, knowledge=knowledge, clock=clock
        )
        return changed.handle(member(), "status")

    assert "6 of 9 tips left" in (await status_with(small_knowledge(9))).body
    full = small_knowledge(9)
    fewer = replace(full, tips=tuple(t for t in full.tips if t.id in posted or t.id == "tip-08"))
    assert "1 of 4 tips left" in (await status_with(fewer)).body
