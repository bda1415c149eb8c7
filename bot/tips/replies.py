"""The replies of the ``tips`` commands: plain text, the same on every platform."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.reply import BulletList, Reply, ReplyKind, TopicLink
from bot.tips.models import Subscription
from bot.tips.parsing import TipsInputError

EXAMPLE = "/mlcareer tips on 08:30 Europe/Berlin weekdays"

USAGE = (
    "tips on [HH:MM] [TIME_ZONE] [weekdays|daily]: post a tip in this channel every day "
    "(default 09:00 UTC, every day), e.g. tips on 08:30 Europe/Berlin weekdays",
    "tips off: stop the daily tips here",
    "tips status: when the next tip comes, and how many are left before they repeat",
    "tips now: post the next tip here right away",
    "tips help: this message",
)

# Who may change a channel's tips, by platform (the adapters decide ``Request.is_admin``).
MANAGERS = {
    "slack": "workspace admins and owners, and the people listed in the bot's MLCAREER_ADMINS "
    "setting",
    "discord": "people with the Manage Channels permission",
}
ANY_MANAGER = "people who manage this channel"


def managers(platform: str) -> str:
    """Who may turn tips on and off on ``platform``, in words."""
    return MANAGERS.get(platform, ANY_MANAGER)


def local_time(moment: datetime, zone: ZoneInfo) -> str:
    """``Monday 3 June 2024, 09:00 CEST``: a moment as the channel's members read it."""
    local = moment.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} {local.tzname()}"


def schedule_text(subscription: Subscription) -> str:
    """``every day at 09:00 (Europe/Berlin time)``."""
    return f"{subscription.days.label} at {subscription.at:%H:%M} ({subscription.zone} time)"


def usage_reply(notices: tuple[str, ...] = ()) -> Reply:
    """What the ``tips`` commands do and who may use them."""
    return Reply(
        kind=ReplyKind.HELP,
        title="Daily tips",
        body=(
            "I can post one career tip a day in this channel, at a time that suits its "
            "members, walking through every tip before any repeats."
        ),
        lists=(
            BulletList("Commands (after /mlcareer)", USAGE),
            BulletList(
                "Who can change them",
                (
                    f"On Slack: {MANAGERS['slack']}.",
                    f"On Discord: {MANAGERS['discord']}.",
                    "Anyone can use tips status and tips help.",
                ),
            ),
        ),
        notices=notices,
    )


def unknown_reply(word: str, guess: str | None) -> Reply:
    """``tips <word>`` that isn't a tips command, with a did-you-mean where one is close."""
    hint = f" Did you mean \u201ctips {guess}\u201d?" if guess else ""
    base = usage_reply()
    return Reply(
        kind=ReplyKind.NOTICE,
        title="I don't know that tips command",
        body=f"There's no \u201ctips {word}\u201d.{hint}",
        lists=base.lists,
        suggestions=(TopicLink(f"tips {guess}", f"tips {guess}"),) if guess else (),
    )


def refusal_reply(platform: str, action: str) -> Reply:
    """A polite no for someone who may not change the channel's tips, saying who can."""
    return Reply(
        kind=ReplyKind.NOTICE,
        title="Only channel managers can do that",
        body=(
            f"Sorry, \u201ctips {action}\u201d changes this channel's daily tips, so only "
            f"{managers(platform)} can use it. Ask one of them, or use "
            "\u201c/mlcareer tips status\u201d to see the schedule, or "
            "\u201c/mlcareer tip\u201d for a tip just for you."
        ),
        suggestions=(TopicLink("tips status", "tips status"),),
    )


def input_error_reply(error: TipsInputError) -> Reply:
    """Arguments we couldn't read: why, an example, and corrected commands to click."""
    return Reply(
        kind=ReplyKind.NOTICE,
        title="I couldn't set that up",
        body=f"{error.message}\n\nFor example: {EXAMPLE}",
        suggestions=tuple(TopicLink(f"tips {fix}", f"tips {fix}") for fix in error.fixes),
    )


def on_reply(subscription: Subscription, zone: ZoneInfo, resumed: bool, tips: int) -> Reply:
    """Tips are on: the schedule and when the first one comes."""
    notices = () if tips else ("The knowledge base has no tips yet, so nothing will be posted.",)
    verb = "are back on" if resumed else "are on"
    return Reply(
        kind=ReplyKind.NOTICE,
        title=f"Daily tips {verb} in this channel",
        body=(
            f"I'll post a tip here {schedule_text(subscription)}.\n"
            f"Next tip: {local_time(subscription.next_fire, zone)}."
        ),
        notices=notices,
    )


def off_reply(existed: bool) -> Reply:
    """Tips are off (or were never on)."""
    if not existed:
        return Reply(
            kind=ReplyKind.NOTICE,
            title="Daily tips weren't on here",
            body="This channel has no daily tips, so there was nothing to turn off.",
        )
    return Reply(
        kind=ReplyKind.NOTICE,
        title="Daily tips are off in this channel",
        body=(
            "I won't post tips here any more. Turn them back on with /mlcareer tips on; "
            "the deck carries on where it stopped."
        ),
    )


def status_reply(
    subscription: Subscription | None,
    zone: ZoneInfo | None,
    now: datetime,
    remaining: int,
    total: int,
) -> Reply:
    """The channel's schedule, its next post in local time, and the tips left in the deck."""
    if total == 0:
        deck = "The knowledge base has no tips yet."
    elif remaining == 0:
        deck = f"Every one of the {total} tips has been posted here; the next one starts over."
    else:
        deck = f"{remaining} of {total} tips left before they start to repeat."
    if subscription is None or zone is None:
        return Reply(
            kind=ReplyKind.NOTICE,
            title="Daily tips are off in this channel",
            body=f"Someone who manages the channel can turn them on with {EXAMPLE}.\n{deck}",
        )
    schedule = f"Posting {schedule_text(subscription)}."
    if subscription.paused:
        reason = subscription.pause_reason or "posting here failed"
        return Reply(
            kind=ReplyKind.NOTICE,
            title="Daily tips are paused in this channel",
            body=(
                f"I stopped posting here: {reason}. {schedule} Someone who manages the "
                f"channel can resume with /mlcareer tips on.\n{deck}"
            ),
        )
    if subscription.next_fire <= now:
        upcoming = "Next tip: due now, on its way."
    else:
        upcoming = f"Next tip: {local_time(subscription.next_fire, zone)}."
    return Reply(
        kind=ReplyKind.NOTICE,
        title="Daily tips are on in this channel",
        body=f"{schedule}\n{upcoming}\n{deck}",
    )


def no_tips_reply() -> Reply:
    return Reply(
        kind=ReplyKind.NOTICE,
        title="No tips yet",
        body="The knowledge base has no tips to post yet.",
    )
