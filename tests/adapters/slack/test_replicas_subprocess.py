"""Three real ``mlcareer run slack --http`` on one PostgreSQL behind a round-robin proxy,
one of them SIGKILLed at random moments and restarted, answer every event once and post
every due tip once.

The test plays Slack: it delivers signed events through the proxy and retries each
delivery that got no 200 within 3 s (or got an error) with ``X-Slack-Retry-Num``, the way
Slack does but on a faster schedule (0.25, 1.25, 2.5 s instead of at once, 1 and 5
minutes), so retries land on other replicas. It also sends retries of events that were
answered (Slack missed the 200) and edited mentions (Slack re-sends an edited mention with
its original ts). Leases are short (events 3 s, tips 4 s) so a dead replica's claims are
taken over within the test. Subscriptions whose tips are due are added while it runs.

Counted: an event answered twice, or acknowledged (a 200 reached "Slack") but never
answered, fails the test; an event none of whose four deliveries reached a live replica
is left out (Slack would have given up too), and its count is printed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import signal
import time as clock
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path

import aiohttp
import pytest

from bot.tips.models import ChannelKey, Days, Subscription
from bot.tips.postgres_store import PostgresStore
from tests.adapters.slack import payloads
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.harness import signed_headers
from tests.adapters.slack.proxy import RoundRobinProxy
from tests.adapters.slack.subprocess_bot import BotProcess, bot_environment, free_port
from tests.postgres import PostgresServer

REPLICAS = 3
ROUNDS = 60
ROUND_SECONDS = 0.3  # a new round starts this often
KILLS = 8
RETRY_AFTER = (0.25, 1.5, 4.0)  # Slack's retry schedule (at once, 1 min, 5 min), sped up
SLACK_TIMEOUT = 3.0  # Slack counts a delivery failed without a 200 within 3 s
TIP_BATCHES = 4
TIPS_PER_BATCH = 6
SETTLE_SECONDS = 12.0  # after the rounds: time for the last retries and lapsed tip claims


@dataclass
class Delivery:
    """One event as Slack sees it: acknowledged or not, after how many tries."""

    body: dict[str, object]
    expects_reply: bool
    acknowledged: bool = False
    statuses: list[int] = field(default_factory=list)  # per try; 0 for no answer in time


class Replica:
    def __init__(self, folder: Path, env: dict[str, str], port: int) -> None:
        self.folder, self.env, self.port = folder, env, port
        self.bot: BotProcess | None = None
        self.up = asyncio.Event()
        self.kills = 0
        self.start_seconds: list[float] = []

    async def start(self, session: aiohttp.ClientSession) -> None:
        self.up.clear()
        began = clock.monotonic()
        args = ("run", "slack", "--http", "--port", str(self.port))
        self.bot = await BotProcess(self.folder, self.env, *args).start()
        await self.bot.wait_healthy(session, f"http://127.0.0.1:{self.port}/healthz")
        self.start_seconds.append(clock.monotonic() - began)
        self.up.set()

    async def kill(self) -> None:
        process = self._process()
        self.up.clear()
        self.kills += 1
        process.send_signal(signal.SIGKILL)
        await process.wait()

    async def stop(self) -> None:
        if self.bot is not None and self._process().returncode is None:
            await self.bot.stop()

    def _process(self) -> asyncio.subprocess.Process:
        assert self.bot is not None
        assert self.bot.process is not None
        return self.bot.process


@pytest.fixture
async def database(postgres_server: PostgresServer) -> AsyncIterator[str]:
    with postgres_server.database() as url:
        yield url


async def deliver(session: aiohttp.ClientSession, url: str, delivery: Delivery) -> None:
    """Slack's delivery: the first try, then up to three retries while no 200 came back."""
    data = json.dumps(delivery.body)
    reason = ""
    for attempt in range(1 + len(RETRY_AFTER)):
        if attempt:
            await asyncio.sleep(
                RETRY_AFTER[attempt - 1] - (RETRY_AFTER[attempt - 2] if attempt > 1 else 0)
            )
        headers = signed_headers(data, "application/json")
        if attempt:
            headers.update({"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": reason})
        try:
            async with session.post(
                f"{url}/slack/events",
                data=data,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=SLACK_TIMEOUT),
            ) as answer:
                delivery.statuses.append(answer.status)
                if answer.status == 200:
                    delivery.acknowledged = True
                    return
                reason = "http_error"
        except TimeoutError:
            delivery.statuses.append(0)
            reason = "http_timeout"


async def redeliver(session: aiohttp.ClientSession, url: str, body: dict[str, object]) -> None:
    """A retry of an event that was answered: Slack missed the 200 (a retry of a delivery
    that reached a bot, to whichever replica the proxy picks next)."""
    data = json.dumps(body)
    headers = signed_headers(data, "application/json")
    headers.update({"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    async with session.post(f"{url}/slack/events", data=data, headers=headers) as answer:
        await answer.read()


def message_of(delivery: Delivery) -> tuple[str, str]:
    event = delivery.body["event"]
    assert isinstance(event, dict)
    return str(event["channel"]), str(event["ts"])


async def add_due_tips(url: str, batch: int) -> list[str]:
    """Subscriptions whose tip is due now (this minute, UTC), as `tips on` saves them."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    store = await PostgresStore.open(url)
    channels = [f"C0TIP{batch}X{n}" for n in range(TIPS_PER_BATCH)]
    try:
        for channel in channels:
            await store.save(
                Subscription(
                    key=ChannelKey("slack", channel),
                    at=time(now.hour, now.minute),
                    zone="UTC",
                    days=Days.DAILY,
                    next_fire=now,
                    updated_by="U-admin",
                    updated_at=now,
                )
            )
    finally:
        await store.close()
    return channels


async def test_three_replicas_answer_every_event_once_while_one_is_killed(
    fake: FakeSlack, database: str, tmp_path: Path
) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    ports = [free_port() for _ in range(REPLICAS)]
    env = bot_environment(
        fake.api_url,
        DATABASE_URL=database,
        # Past the 2 s a replica waits for its answer before acknowledging, and before the
        # last retry, as 30 s is past 2 s and before Slack's second retry (a minute).
        MLCAREER_EVENT_LEASE_SECONDS="3",
        MLCAREER_TIPS_LEASE_SECONDS="4",
    )
    replicas = []
    for number, port in enumerate(ports):
        folder = tmp_path / f"replica{number}"
        folder.mkdir()
        replicas.append(Replica(folder, env, port))
    proxy = RoundRobinProxy([f"http://127.0.0.1:{port}" for port in ports])
    await proxy.start()
    deliveries: list[Delivery] = []
    tip_channels: list[str] = []
    restarts: list[asyncio.Task[None]] = []
    started = clock.monotonic()
    async with aiohttp.ClientSession() as session:
        try:
            await asyncio.gather(*(replica.start(session) for replica in replicas))

            async def kill_at_random_moments() -> None:
                span = ROUNDS * ROUND_SECONDS
                for moment in sorted(rng.uniform(0.2, span) for _ in range(KILLS)):
                    await asyncio.sleep(max(0.0, moment - (clock.monotonic() - begun)))
                    live = [replica for replica in replicas if replica.up.is_set()]
                    if len(live) < 2:
                        continue  # always one replica left serving
                    victim = rng.choice(live)
                    await victim.kill()
                    restarts.append(asyncio.create_task(victim.start(session)))

            async def round_(number: int) -> None:
                ts = f"1700100{number:03d}.000100"
                asked = payloads.event(
                    "app_mention", f"Ev0ROUND{number}", ts=ts, text="<@UBOT> salary"
                )
                delivery = Delivery(asked, expects_reply=True)
                deliveries.append(delivery)
                await deliver(session, proxy.url, delivery)
                if delivery.acknowledged:
                    await redeliver(session, proxy.url, asked)  # Slack missed the 200
                edited = payloads.event("app_mention_edited", f"Ev0EDIT{number}", ts=ts)
                edit = Delivery(edited, expects_reply=False)
                deliveries.append(edit)
                await deliver(session, proxy.url, edit)
                if number % 5 == 0:  # a DM that mentions the bot: two events, one message
                    dm = {"text": "<@UBOT> skills", "ts": ts, "channel": f"D0ROUND{number}"}
                    twins = [
                        Delivery(payloads.event("message_im", f"Ev0DMA{number}", **dm), True),
                        Delivery(payloads.event("app_mention", f"Ev0DMB{number}", **dm), True),
                    ]
                    deliveries.extend(twins)
                    await asyncio.gather(*(deliver(session, proxy.url, t) for t in twins))

            async def tips_while_running() -> None:
                for batch in range(TIP_BATCHES):
                    await asyncio.sleep(rng.uniform(0.5, ROUNDS * ROUND_SECONDS / TIP_BATCHES))
                    tip_channels.extend(await add_due_tips(database, batch))

            begun = clock.monotonic()
            rounds = []
            chaos = asyncio.create_task(kill_at_random_moments())
            tips = asyncio.create_task(tips_while_running())
            for number in range(ROUNDS):
                rounds.append(asyncio.create_task(round_(number)))
                await asyncio.sleep(ROUND_SECONDS)
            await asyncio.gather(*rounds, chaos, tips)
            await asyncio.gather(*restarts)

            def tips_posted() -> Counter[str]:
                wanted = set(tip_channels)
                return Counter(
                    sent.channel for sent in fake.sent("chat.postMessage") if sent.channel in wanted
                )

            # Lapsed tip claims are posted by another replica within a lease or two.
            with contextlib.suppress(TimeoutError):
                await fake.wait_until(
                    lambda: len(tips_posted()) == len(tip_channels), SETTLE_SECONDS
                )
            await asyncio.sleep(1.0)  # anything posted twice would be by now
        finally:
            for task in restarts:
                task.cancel()
            await asyncio.gather(*restarts, return_exceptions=True)
            await asyncio.gather(*(replica.stop() for replica in replicas), return_exceptions=True)
            await proxy.stop()

    replies = Counter(
        (sent.channel, sent.thread_ts or "") for sent in fake.sent("chat.postMessage")
    )
    in_dms = Counter(sent.channel for sent in fake.sent("chat.postMessage"))

    def replies_to(delivery: Delivery) -> int:
        event = delivery.body["event"]
        assert isinstance(event, dict)
        if str(event["channel"]).startswith("D"):  # one DM channel per round, threaded or not
            return in_dms[event["channel"]]
        return replies[(event["channel"], event["ts"])]

    # DM twins are two events for one message: count each message once.
    messages = {message_of(d): d for d in deliveries if d.expects_reply}
    duplicates = sum(1 for d in messages.values() if replies_to(d) > 1)
    reachable = [d for d in messages.values() if d.acknowledged]
    lost = sum(1 for d in reachable if replies_to(d) == 0)
    unreachable = len(messages) - len(reachable)
    edits_answered = sum(1 for d in deliveries if not d.expects_reply and replies_to(d) > 1)
    posted = tips_posted()
    duplicate_tips = sum(1 for count in posted.values() if count > 1)
    lost_tips = len(set(tip_channels) - set(posted))
    kills = sum(replica.kills for replica in replicas)
    print(
        f"\nreplicas: seed {seed}, {ROUNDS} rounds, {len(messages)} messages, {kills} kills, "
        f"{proxy.failed} deliveries to a dead replica; duplicates {duplicates}, lost {lost}, "
        f"unreachable {unreachable}, edits answered {edits_answered}; tips {len(tip_channels)}: "
        f"duplicates {duplicate_tips}, lost {lost_tips}; {clock.monotonic() - started:.1f} s; "
        f"starts {sorted(round(s, 1) for r in replicas for s in r.start_seconds)}"
    )
    if unreachable:  # every try met a dead replica (502) or a live claim of one (503)
        print(
            "tries of those unreachable:",
            [d.statuses for d in messages.values() if not d.acknowledged],
        )
    assert kills >= 2, "the chaos should have killed replicas"
    assert duplicates == 0
    assert lost == 0
    assert edits_answered == 0
    assert duplicate_tips == 0
    assert lost_tips == 0
