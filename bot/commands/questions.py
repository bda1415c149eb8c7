"""What ``report``, ``kb suggest`` and ``kb diff`` share: reading the question log once."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, timedelta

from bot.commands.state import database_file
from bot.errors import SettingsError
from bot.questions.models import LogSnapshot
from bot.questions.sql_log import open_question_log
from bot.settings import Settings

DEFAULT_DAYS = 7


def since_date(text: str) -> date:
    """``--since``: a date as YYYY-MM-DD, refused by argparse with a usage line otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2026-11-30") from None


def add_since(parser: argparse.ArgumentParser, days: int = DEFAULT_DAYS) -> None:
    """The ``--since DATE`` option, defaulting to the last ``days`` days."""
    parser.add_argument(
        "--since",
        type=since_date,
        metavar="DATE",
        help=f"the first UTC day to read, YYYY-MM-DD (default: {days} days ago, with today)",
    )


def first_day(since: date | None, today: date, days: int = DEFAULT_DAYS) -> date:
    """``--since``, or the first of the last ``days`` days (today included)."""
    return since or today - timedelta(days=days - 1)


async def read_log(settings: Settings, since: date) -> LogSnapshot:
    """The log since the start of ``since`` (UTC); ``SettingsError`` when there is no database."""
    file = database_file(settings.database_url)
    if file is not None and not file.exists():
        raise SettingsError(
            f"there is no database at {file} yet, so no question has been logged; "
            "set DATABASE_URL to the bot's database"
        )
    questions = await open_question_log(settings.database_url)
    try:
        return await questions.read(datetime(since.year, since.month, since.day, tzinfo=UTC))
    finally:
        await questions.close()


def today() -> date:
    """Today in UTC, the log's calendar."""
    return datetime.now(UTC).date()
