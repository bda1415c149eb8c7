"""``mlcareer tips list`` and ``mlcareer tips send-due``: daily tips from the command line.

``send-due`` is for people who prefer cron to a long-running ``mlcareer run``: it posts every
tip due at one moment and exits. The database ledger makes a second run for the same moment
post nothing.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from bot.commands.run import configured_platforms
from bot.commands.state import database_file, prepare_state
from bot.commands.stopping import Stopped, until_sigterm
from bot.core.ports import ChannelSender
from bot.errors import SettingsError
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.settings import Settings
from bot.tips.clock import Clock
from bot.tips.daily import open_daily_tips
from bot.tips.models import Subscription
from bot.tips.replies import local_time
from bot.tips.scheduler import Outcome, RunReport
from bot.tips.senders import build_senders
from bot.tips.stores import open_store
from bot.tips.zones import load_zone


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of ``tips list`` and ``tips send-due``; the name and help line of
    ``tips`` are in ``bot.cli.COMMANDS``."""
    parser.description = (
        "Daily tips from the command line. Channels subscribe with "
        "'/mlcareer tips on' in Slack or Discord; the subscriptions live in DATABASE_URL."
    )
    actions = parser.add_subparsers(dest="tips_command", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list",
        help="show every channel's subscription",
        description="Show every channel's daily-tip subscription: schedule, time zone, next "
        "post in the channel's local time, and whether it is paused.",
    )
    listing.set_defaults(func=run_list)
    send = actions.add_parser(
        "send-due",
        help="post every tip due now (or at --at) and exit, for cron",
        description="Post every daily tip that is due, on every platform whose token is set, "
        "and exit. Run it from cron every few minutes instead of keeping 'mlcareer run' up. "
        "Tips missed by more than MLCAREER_TIPS_GRACE_HOURS are skipped. Running it twice "
        "for the same moment posts nothing the second time. Exits 1 when a post failed. "
        "SIGTERM stops it cleanly: the post in flight is finished or recorded.",
    )
    send.add_argument(
        "--at",
        type=parse_moment,
        metavar="ISO-DATETIME",
        help="act as if it were this moment, e.g. 2024-06-03T09:00+02:00 "
        "(default: now; without an offset, UTC)",
    )
    send.set_defaults(func=run_send_due)


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date-time for ``--at``; one without an offset is taken as UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO date-time; use e.g. 2024-06-03T09:00 or 2024-06-03T09:00+02:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print every channel's subscription as a table, or how to start one.

    Read-only: with no database yet, it says so and creates nothing.
    """
    file = database_file(settings.database_url)
    if file is not None and not file.exists():
        print(
            f"No channel has daily tips yet (there is no database at {file} yet). "
            "Turn them on in a channel with /mlcareer tips on."
        )
        return 0
    subscriptions = asyncio.run(list_subscriptions(settings.database_url))
    if not subscriptions:
        print("No channel has daily tips yet. Turn them on in a channel with /mlcareer tips on.")
        return 0
    print(subscription_table(subscriptions))
    return 0


async def list_subscriptions(url: str) -> list[Subscription]:
    """Every subscription in the store at ``url``."""
    store = await open_store(url)
    try:
        return await store.all()
    finally:
        await store.close()


def subscription_table(subscriptions: Sequence[Subscription]) -> str:
    """Subscriptions as an aligned plain-text table, one row each."""
    header = ("PLATFORM", "CHANNEL", "TIME", "DAYS", "TIME ZONE", "NEXT POST (LOCAL)", "STATUS")
    rows = [header]
    for sub in subscriptions:
        zone = load_zone(sub.zone)
        upcoming = local_time(sub.next_fire, zone) if zone else "unknown zone"
        status = f"paused: {sub.pause_reason or 'posting failed'}" if sub.paused else "on"
        row = (
            sub.key.platform,
            sub.key.channel,
            f"{sub.at:%H:%M}",
            sub.days.value,
            sub.zone,
            upcoming,
            status,
        )
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = [
        "  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines)


STOPPED = (
    "Stopped (SIGTERM) before every due tip was handled: the post in flight was finished "
    "or abandoned and recorded; the rest stay due for the next run."
)


def run_send_due(args: argparse.Namespace, settings: Settings) -> int:
    """Post the tips due now (or at --at) and report; exit status 1 when a post failed."""
    configured = configured_platforms(settings)
    if not configured:
        raise SettingsError(
            "no chat platform is configured, so there is nowhere to post tips: set "
            "SLACK_BOT_TOKEN (Slack) or DISCORD_TOKEN (Discord) in the environment or .env "
            "(see .env.example)"
        )
    knowledge = load_knowledge(settings.knowledge_dir, settings.extra_knowledge)
    prepare_state(settings, args.env_file)
    try:
        report = asyncio.run(
            until_sigterm(send_due_with_platform_senders(settings, knowledge, args.at))
        )
    except Stopped:
        print(STOPPED)
        return 1
    print(report_text(report))
    return 1 if report.failed else 0


async def send_due_with_platform_senders(
    settings: Settings, knowledge: KnowledgeBase, at: datetime | None
) -> RunReport:
    """``send_due`` through the senders of every configured platform."""
    async with build_senders(settings) as senders:
        if not senders:
            names = " and ".join(name.capitalize() for name in configured_platforms(settings))
            raise SettingsError(
                f"{names} is configured, but this build has no tip sender for it yet "
                "(see build_senders in bot/tips/senders.py)"
            )
        return await send_due(settings, knowledge, senders, at)


async def send_due(
    settings: Settings,
    knowledge: KnowledgeBase,
    senders: Mapping[str, ChannelSender],
    at: datetime | None,
    clock: Clock | None = None,
) -> RunReport:
    """Post every tip due at ``at`` (default: now) through ``senders``, once."""
    tips = await open_daily_tips(settings, knowledge, senders, clock)
    try:
        return await tips.scheduler.run_due(at)
    finally:
        await tips.close()


def report_text(report: RunReport) -> str:
    """One line per channel looked at, then a summary."""
    when = f"{report.moment:%Y-%m-%d %H:%M} UTC"
    if not report.results:
        return f"No tips due at {when}."
    lines = [f"{r.outcome.value:<15} {r.key}  {r.detail}".rstrip() for r in report.results]
    counts = [f"{report.count(o)} {o.value}" for o in Outcome if report.count(o)]
    lines.append(f"At {when}: " + ", ".join(counts) + ".")
    return "\n".join(lines)
