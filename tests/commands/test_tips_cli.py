"""``mlcareer tips list`` and ``mlcareer tips send-due``."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli import main
from bot.commands.tips import parse_moment, send_due, subscription_table
from bot.knowledge.model import Entry, KnowledgeBase, Tip, Vocabulary
from bot.settings import Secret, Settings
from bot.tips.models import ChannelKey, Days, Subscription
from bot.tips.schedule import next_fire
from bot.tips.scheduler import Outcome
from bot.tips.senders import build_senders
from bot.tips.stores import open_store
from bot.tips.testing import FakeClock, RecordingSender
from tests.adapters.discord import fake_discord
from tests.adapters.slack.fake_slack import BOT_TOKEN, FakeSlack

MONDAY_8AM = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)
SETTING_VARS = ("SLACK_BOT_TOKEN", "DISCORD_TOKEN", "DATABASE_URL", "MLCAREER_TIPS_GRACE_HOURS")


def tiny_knowledge() -> KnowledgeBase:
    entry = Entry("skills", "skills", "Skills", "Some skills.", "a paragraph", ("skills?",), ())
    tips = tuple(Tip(f"tip-{n}", "skills", f"Practise skill {n}.") for n in range(3))
    return KnowledgeBase(entries=(entry,), tips=tips, vocabulary=Vocabulary())


async def subscribe(
    url: str,
    channel: str,
    at: time = time(9, 0),
    zone: str = "UTC",
    days: Days = Days.DAILY,
    platform: str = "slack",
) -> None:
    """Save a subscription as ``tips on`` would have on Monday at 08:00."""
    store = await open_store(url)
    try:
        await store.save(
            Subscription(
                key=ChannelKey(platform, channel),
                at=at,
                zone=zone,
                days=days,
                next_fire=next_fire(MONDAY_8AM, at, ZoneInfo(zone), days).at,
                updated_at=MONDAY_8AM,
            )
        )
    finally:
        await store.close()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No platform tokens or database from the developer's shell; work in a temporary folder."""
    for name in SETTING_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def test_send_due_twice_for_the_same_moment_posts_once(db_url: str) -> None:
    """Cron may run send-due twice for one moment; the second run posts nothing."""
    url = db_url
    await subscribe(url, "C1")
    await subscribe(url, "C2", time(11, 0), "Europe/Berlin")  # 09:00 UTC in June
    await subscribe(url, "C3", time(10, 0), "UTC")  # not due yet
    settings = Settings(database_url=url)
    sender = RecordingSender("slack")
    at = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)
    clock = FakeClock(at)
    first = await send_due(settings, tiny_knowledge(), {"slack": sender}, at, clock)
    second = await send_due(settings, tiny_knowledge(), {"slack": sender}, at, clock)
    assert sorted(channel for channel, _ in sender.posts) == ["C1", "C2"]
    assert len(first.results) == 2
    assert second.results == []


def test_send_due_without_any_platform_says_so(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no token set there is nowhere to post: a clear message and exit status 2."""
    status = main(["--env-file", "/dev/null", "tips", "send-due"])
    err = capsys.readouterr().err
    assert status == 2
    assert "no chat platform is configured" in err
    assert "SLACK_BOT_TOKEN" in err
    assert "DISCORD_TOKEN" in err
    assert "Traceback" not in err


def test_tips_list_shows_every_subscription(
    db_url: str,
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An empty database says how to start; otherwise one aligned row per channel."""
    url = db_url
    monkeypatch.setenv("DATABASE_URL", url)
    env_file = "/dev/null"
    assert main(["--env-file", env_file, "tips", "list"]) == 0
    assert "No channel has daily tips yet" in capsys.readouterr().out
    asyncio.run(subscribe(url, "C-berlin", time(8, 30), "Europe/Berlin", Days.WEEKDAYS))
    asyncio.run(subscribe(url, "C-ny", time(21, 0), "America/New_York"))
    assert main(["--env-file", env_file, "tips", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("PLATFORM  CHANNEL")
    assert "NEXT POST (LOCAL)" in lines[0]
    assert "C-berlin" in lines[1]
    assert "Tuesday 4 June 2024, 08:30 CEST" in lines[1]  # 10:00 in Berlin had passed
    assert "weekdays" in lines[1]
    assert "Monday 3 June 2024, 21:00 EDT" in lines[2]
    assert lines[2].rstrip().endswith("on")


def test_subscription_table_shows_a_paused_channel_with_its_reason() -> None:
    paused = Subscription(
        key=ChannelKey("discord", "42"),
        at=time(9, 0),
        zone="UTC",
        days=Days.DAILY,
        next_fire=MONDAY_8AM,
        updated_at=MONDAY_8AM,
        paused=True,
        pause_reason="missing access (403)",
    )
    assert "paused: missing access (403)" in subscription_table([paused])


@pytest.mark.parametrize(
    "url",
    [
        "mysql://bot:s3cr3t-pass@db/mlcareer",  # neither SQLite nor PostgreSQL
        "postgresql://bot:s3cr3t-pass@127.0.0.1:1/mlcareer",  # nothing listens there
    ],
)
def test_a_database_url_that_cannot_be_used_is_refused_by_name(
    url: str,
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One line naming DATABASE_URL, never its password, and no traceback."""
    monkeypatch.setenv("DATABASE_URL", url)
    status = main(["--env-file", "/dev/null", "tips", "list"])
    err = capsys.readouterr().err
    assert status in (1, 2)
    assert "DATABASE_URL" in err
    assert "s3cr3t-pass" not in err
    assert "Traceback" not in err


def test_at_must_be_an_iso_date_time(clean_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["tips", "send-due", "--at", "tomorrow at nine"])
    assert exited.value.code == 2
    assert "not an ISO date-time" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-06-03T09:00", datetime(2024, 6, 3, 9, 0, tzinfo=UTC)),
        ("2024-06-03T09:00Z", datetime(2024, 6, 3, 9, 0, tzinfo=UTC)),
        ("2024-06-03T11:00+02:00", datetime(2024, 6, 3, 9, 0, tzinfo=UTC)),
    ],
)
def test_at_without_an_offset_is_utc(text: str, expected: datetime) -> None:
    assert parse_moment(text) == expected


async def test_send_due_posts_once_on_every_configured_platform_through_their_senders(
    tmp_path: Path,
) -> None:
    """Both tokens set: one run posts on Slack (chat.postMessage) and Discord (POST
    /channels/{id}/messages) through the real senders; the same moment again posts nothing."""
    url = f"sqlite:///{tmp_path / 'tips.db'}"
    await subscribe(url, "C0TIPS")
    await subscribe(url, fake_discord.CHANNEL_ID, platform="discord")
    slack, discord = FakeSlack(), fake_discord.FakeDiscord()
    await slack.start()
    await discord.start()
    try:
        settings = Settings(
            database_url=url,
            slack_bot_token=Secret(BOT_TOKEN),
            slack_api_url=slack.api_url,
            discord_token=Secret(fake_discord.TOKEN),
            discord_api_url=discord.api_url,
        )
        at = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)
        reports = []
        for _ in range(2):
            async with build_senders(settings) as senders:
                assert set(senders) == {"slack", "discord"}
                reports.append(
                    await send_due(settings, tiny_knowledge(), senders, at, FakeClock(at))
                )
        assert reports[0].count(Outcome.POSTED) == 2
        assert reports[1].results == []
        assert [s.channel for s in slack.sent("chat.postMessage")] == ["C0TIPS"]
        paths = [r.path for r in discord.where("message")]
        assert paths == [f"/channels/{fake_discord.CHANNEL_ID}/messages"]
    finally:
        await slack.stop()
        await discord.close()


def test_tips_list_without_a_database_creates_nothing(
    clean_env: Path, user_data_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Read-only: no database yet is said plainly, and neither a file nor a folder appears."""
    assert main(["--env-file", "/dev/null", "tips", "list"]) == 0
    out = capsys.readouterr().out
    assert f"there is no database at {user_data_folder / 'mlcareer.db'} yet" in out
    assert not user_data_folder.parent.exists()
    assert list(clean_env.iterdir()) == []


def test_send_due_creates_the_default_database_in_the_data_folder_and_logs_where(
    clean_env: Path,
    user_data_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Without DATABASE_URL, send-due creates <data folder>/mlcareer.db (WAL, owner-only
    folder) and logs the database and .env paths, never their contents."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")  # nothing is due: no call
    env_file = clean_env / ".env"
    env_file.write_text("MLCAREER_TIPS_GRACE_HOURS=2\n", encoding="utf-8")
    caplog.set_level(logging.INFO, logger="bot.commands.state")
    assert main(["tips", "send-due", "--at", "2024-06-03T09:00"]) == 0
    assert "No tips due" in capsys.readouterr().out
    database = user_data_folder / "mlcareer.db"
    assert database.is_file()
    assert user_data_folder.stat().st_mode & 0o777 == 0o700
    conn = sqlite3.connect(database)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
    assert f"database: {database} (in the data folder, MLCAREER_DATA_DIR)" in caplog.messages
    assert f"settings: the environment and {env_file}" in caplog.messages
    assert "GRACE" not in caplog.text
    assert BOT_TOKEN not in caplog.text
    assert not (clean_env / "mlcareer.db").exists()  # no longer in the working folder
