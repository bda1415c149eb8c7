"""The crash window, closed: a real ``mlcareer tips send-due`` (or ``mlcareer run``) process is
stopped with SIGTERM or killed with SIGKILL just as a tip goes out, against the fake Slack and
the fake Discord (which hold the answer to that post), then a run recovers; every one of the
six channels ends with exactly one tip.

After a SIGKILL nothing is recorded, so the recovery runs with its clock past the dead
claim's 10-minute lease (the only way a claim is ever taken over); the fakes' clocks are real,
so the recovery must find the first post on the platform (Slack: its metadata through
conversations.history; Discord: its nonce, or the channel read back) rather than post again.
"""

from __future__ import annotations

import asyncio
import itertools
import signal
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from bot.commands.tips import send_due
from bot.knowledge.loader import load_knowledge
from bot.settings import DEFAULT_KNOWLEDGE_DIR, Secret, Settings
from bot.tips.models import ChannelKey, Days, Subscription
from bot.tips.scheduler import LEASE, Outcome, RunReport
from bot.tips.senders import build_senders
from bot.tips.stores import open_store
from bot.tips.testing import FakeClock
from tests.adapters.discord import fake_discord
from tests.adapters.discord.fake_discord import FakeDiscord
from tests.adapters.slack.fake_slack import BOT_TOKEN, FakeSlack
from tests.adapters.slack.subprocess_bot import bot_environment, free_port

AT = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)  # what send-due is told it is (--at)
CHANNELS = 6
ROUNDS = 20  # SIGKILL rounds per platform
SHARED_ROUNDS = 10  # two schedulers on one database, one killed
HOLD = 30.0  # seconds the fake holds the answer to the post in flight (killed long before)
PARALLEL = 4  # rounds at once (each its own database and channels)
WAIT = 60.0  # bounded wait for a subprocess to get somewhere (it imports the SDKs first)
_LOGS = itertools.count()
KNOWLEDGE = load_knowledge(DEFAULT_KNOWLEDGE_DIR)  # what the subprocess loads too


async def subscribe(url: str, platform: str, channels: list[str], at: datetime = AT) -> None:
    store = await open_store(url)
    try:
        for channel in channels:
            await store.save(
                Subscription(
                    key=ChannelKey(platform, channel),
                    at=time(at.hour, at.minute),
                    zone="UTC",
                    days=Days.DAILY,
                    next_fire=at,
                    updated_at=at,
                )
            )
    finally:
        await store.close()


def slack_env(fake: FakeSlack, url: str) -> dict[str, str]:
    return bot_environment(fake.api_url, DATABASE_URL=url)


def discord_env(server: FakeDiscord, url: str) -> dict[str, str]:
    env = bot_environment("http://127.0.0.1:9/api/", DATABASE_URL=url)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL"):
        del env[name]
    env.update(DISCORD_TOKEN=fake_discord.TOKEN, DISCORD_API_URL=server.api_url)
    return env


def slack_settings(fake: FakeSlack, url: str) -> Settings:
    return Settings(slack_bot_token=Secret(BOT_TOKEN), slack_api_url=fake.api_url, database_url=url)


def discord_settings(server: FakeDiscord, url: str) -> Settings:
    return Settings(
        discord_token=Secret(fake_discord.TOKEN), discord_api_url=server.api_url, database_url=url
    )


async def mlcareer(folder: Path, env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    """``python -m bot ARGS`` in ``folder``; its stderr in a file there, for a failing test."""
    with (folder / f"stderr-{next(_LOGS)}.log").open("wb") as stderr:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            *args,
            cwd=folder,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=stderr,
        )


def send_due_args() -> tuple[str, ...]:
    return ("tips", "send-due", "--at", AT.isoformat())


async def until(condition: Callable[[], bool], seconds: float = WAIT) -> None:
    # Polled: a subprocess ending and a post the fake holds mid-answer signal no event here.
    async with asyncio.timeout(seconds):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.005)


async def kill(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.kill()
    await process.wait()


async def recover(settings: Settings, after_lease: bool = True) -> RunReport:
    """A run as ``send-due`` does it; after a SIGKILL its clock is past the dead claim's lease."""
    now = datetime.now(UTC) + (LEASE + timedelta(minutes=1) if after_lease else timedelta(0))
    async with build_senders(settings) as senders:
        return await send_due(settings, KNOWLEDGE, senders, AT, FakeClock(now))


def slack_counts(fake: FakeSlack, channels: list[str]) -> list[int]:
    return [len(fake.posts_in(channel)) for channel in channels]


def discord_counts(server: FakeDiscord, channels: list[str]) -> list[int]:
    return [len(server.messages_in(channel)) for channel in channels]


def tally(counts: list[int]) -> tuple[int, int]:
    """(duplicates, channels left without a tip)."""
    return sum(max(c - 1, 0) for c in counts), counts.count(0)


async def in_rounds(
    count: int, one_round: Callable[[int], Awaitable[tuple[int, int]]]
) -> tuple[int, int]:
    """Run ``count`` independent rounds, ``PARALLEL`` at a time; their summed tallies."""
    gate = asyncio.Semaphore(PARALLEL)

    async def gated(number: int) -> tuple[int, int]:
        async with gate:
            return await one_round(number)

    results = await asyncio.gather(*(gated(number) for number in range(count)))
    return sum(r[0] for r in results), sum(r[1] for r in results)


async def test_sigkill_as_a_slack_tip_goes_out_never_posts_it_twice(tmp_path: Path) -> None:
    """20 rounds, each killing send-due as a different one of six posts goes out."""
    fake = FakeSlack()
    await fake.start()
    fake.hold_posts = HOLD

    async def one_round(number: int) -> tuple[int, int]:
        url = f"sqlite:///{tmp_path / f'slack-{number}.db'}"
        channels = [f"C{number:02d}{n}" for n in range(CHANNELS)]
        await subscribe(url, "slack", channels)
        held = channels[number % CHANNELS]
        fake.hold_channels.add(held)
        process = await mlcareer(tmp_path, slack_env(fake, url), *send_due_args())
        try:
            await until(lambda: len(fake.posts_in(held)) == 1)
        finally:
            await kill(process)
        report = await recover(slack_settings(fake, url))
        assert report.count(Outcome.ERROR) == 0
        return tally(slack_counts(fake, channels))

    try:
        assert await in_rounds(ROUNDS, one_round) == (0, 0)
    finally:
        await fake.stop()


async def test_sigkill_as_a_discord_tip_goes_out_never_posts_it_twice(tmp_path: Path) -> None:
    """20 rounds; in the second ten Discord has forgotten the nonce by the time the recovery
    comes (as after the real 10-minute lease), so reading the channel back must do."""
    server = FakeDiscord()
    await server.start()
    server.hold_messages = HOLD

    async def one_round(number: int) -> tuple[int, int]:
        url = f"sqlite:///{tmp_path / f'discord-{number}.db'}"
        channels = [f"3100000000000{number:03d}{n:02d}" for n in range(CHANNELS)]
        await subscribe(url, "discord", channels)
        held = channels[number % CHANNELS]
        server.hold_channels.add(held)
        process = await mlcareer(tmp_path, discord_env(server, url), *send_due_args())
        try:
            await until(lambda: len(server.messages_in(held)) == 1)
        finally:
            await kill(process)
        report = await recover(discord_settings(server, url))
        assert report.count(Outcome.ERROR) == 0
        return tally(discord_counts(server, channels))

    try:
        half = ROUNDS // 2
        assert await in_rounds(half, one_round) == (0, 0)
        server.nonce_window = 0.0
        assert await in_rounds(half, lambda n: one_round(half + n)) == (0, 0)
    finally:
        await server.close()


async def test_two_schedulers_on_one_database_one_killed_at_post_time(tmp_path: Path) -> None:
    """Two send-due processes share a database; the one whose post is held is killed once the
    other is done; a recovery later leaves each channel with one tip (10 rounds, Slack)."""
    fake = FakeSlack()
    await fake.start()
    fake.hold_posts = HOLD

    async def one_round(number: int) -> tuple[int, int]:
        url = f"sqlite:///{tmp_path / f'shared-{number}.db'}"
        channels = [f"C9{number:02d}{n}" for n in range(CHANNELS)]
        await subscribe(url, "slack", channels)
        held = channels[number % CHANNELS]
        fake.hold_channels.add(held)
        env = slack_env(fake, url)
        both = [await mlcareer(tmp_path, env, *send_due_args()) for _ in range(2)]
        try:
            # The holder is stuck on the held post; the other one finishes and exits.
            await until(
                lambda: (
                    len(fake.posts_in(held)) == 1
                    and sum(p.returncode is not None for p in both) == 1
                )
            )
        finally:
            for process in both:
                await kill(process)
        report = await recover(slack_settings(fake, url))
        assert report.count(Outcome.ERROR) == 0
        return tally(slack_counts(fake, channels))

    try:
        assert await in_rounds(SHARED_ROUNDS, one_round) == (0, 0)
    finally:
        await fake.stop()


async def test_sigterm_during_send_due_finishes_the_post_and_records_it(tmp_path: Path) -> None:
    """SIGTERM while the third post's answer is held (1 s, inside the 10 s shutdown grace):
    the process waits for it, records it and exits 1; a run straight after (no lease run
    out) posts the other channels and finds that one done."""
    fake = FakeSlack()
    await fake.start()
    fake.hold_posts, fake.hold_post_number = 1.0, 3
    url = f"sqlite:///{tmp_path / 'tips.db'}"
    channels = [f"CTERM{n}" for n in range(CHANNELS)]
    try:
        await subscribe(url, "slack", channels)
        process = await mlcareer(tmp_path, slack_env(fake, url), *send_due_args())
        try:
            await until(lambda: len(fake.sent("chat.postMessage")) >= 3)
            process.send_signal(signal.SIGTERM)
            out, _ = await asyncio.wait_for(process.communicate(), WAIT)
        finally:
            await kill(process)
        assert process.returncode == 1
        assert "Stopped (SIGTERM)" in out.decode()
        report = await recover(slack_settings(fake, url), after_lease=False)
        # The first three were posted and recorded (the third while stopping): not due now.
        assert [r.outcome for r in report.results] == [Outcome.POSTED] * (CHANNELS - 3)
        assert slack_counts(fake, channels) == [1] * CHANNELS
    finally:
        await fake.stop()


async def test_sigterm_during_mlcareer_run_finishes_the_post_and_records_it(
    tmp_path: Path,
) -> None:
    """``mlcareer run slack --http`` posting due tips: SIGTERM while one answer is held; the
    scheduler lets it finish and records it; a run after the stop posts only what was left."""
    fake = FakeSlack()
    await fake.start()
    fake.hold_posts, fake.hold_post_number = 1.0, 2
    url = f"sqlite:///{tmp_path / 'tips.db'}"
    channels = [f"CRUN{n}" for n in range(CHANNELS)]
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    try:
        await subscribe(url, "slack", channels, at=now)
        env = bot_environment(fake.api_url, DATABASE_URL=url, SLACK_PORT=str(free_port()))
        process = await mlcareer(tmp_path, env, "run", "slack", "--http")
        try:
            await until(lambda: len(fake.sent("chat.postMessage")) >= 2)
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.communicate(), WAIT)
        finally:
            await kill(process)
        assert process.returncode == 0
        settings = slack_settings(fake, url)
        async with build_senders(settings) as senders:
            report = await send_due(
                settings, KNOWLEDGE, senders, None, FakeClock(datetime.now(UTC))
            )
        assert report.count(Outcome.ERROR) == 0
        assert slack_counts(fake, channels) == [1] * CHANNELS
    finally:
        await fake.stop()
