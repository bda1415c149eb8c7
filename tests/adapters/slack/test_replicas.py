"""Two Slack runners sharing one set of event receipts answer every event once, as replicas
on one database do: deliveries, retries and DM twins spread over both, a claim held by a
replica that died, and a database that fails. (The subprocess test with three real
``mlcareer run`` on PostgreSQL is tests/adapters/slack/test_replicas_subprocess.py.)"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.receipts.memory import MemoryReceipts
from bot.receipts.ports import EventReceipts, Receipt
from bot.receipts.stores import open_receipts
from tests.adapters.slack import payloads
from tests.adapters.slack.harness import SlackHarness


@pytest.fixture
async def shared(tmp_path: Path) -> AsyncIterator[EventReceipts]:
    receipts = await open_receipts(f"sqlite:///{tmp_path / 'shared.db'}")
    try:
        yield receipts
    finally:
        await receipts.close()


@pytest.fixture
async def replicas(shared: EventReceipts) -> AsyncIterator[tuple[SlackHarness, SlackHarness]]:
    async with SlackHarness(receipts=shared) as one, SlackHarness(receipts=shared) as two:
        yield one, two


def posted(*replicas: SlackHarness) -> int:
    return sum(len(replica.posted()) for replica in replicas)


async def test_a_retry_delivered_to_the_other_replica_is_not_answered_again(
    replicas: tuple[SlackHarness, SlackHarness],
) -> None:
    one, two = replicas
    body = payloads.event("app_mention", "Ev0SPREAD", ts="1700000100.000100")
    await one.event_messages(body)
    retry = await two.deliver_event(body, retry=1, reason="http_timeout")
    assert retry is not None
    assert retry.status == 200
    assert retry.headers.get("x-slack-no-retry") == "1"
    await two.settle()
    assert posted(one, two) == 1


async def test_a_dm_that_mentions_the_bot_is_answered_once_across_replicas(
    replicas: tuple[SlackHarness, SlackHarness],
) -> None:
    """message.im to one replica, app_mention to the other: one message, one answer."""
    one, two = replicas
    event = {"text": "<@UBOT> salary", "ts": "1700000900.000900", "channel": "D0ASKER"}
    await one.event_messages(payloads.event("message_im", "Ev0TWIN1", **event))
    await two.deliver_event(payloads.event("app_mention", "Ev0TWIN2", **event))
    await two.settle()
    assert posted(one, two) == 1


async def test_an_edited_mention_is_ignored_on_every_replica(
    replicas: tuple[SlackHarness, SlackHarness],
) -> None:
    one, two = replicas
    for replica in (one, two):
        await replica.deliver_event(payloads.load("app_mention_edited"))
        await replica.settle()
    assert posted(one, two) == 0


async def test_an_event_in_hand_elsewhere_is_refused_so_slack_delivers_it_again(
    replicas: tuple[SlackHarness, SlackHarness], shared: EventReceipts
) -> None:
    """Another replica claimed it and has not answered yet (it may have died): not a 200,
    so Slack retries later; nothing is answered here meanwhile."""
    one, _ = replicas
    await shared.claim("event:Ev0HELD", datetime.now(UTC), timedelta(minutes=5))
    body = payloads.event("app_mention", "Ev0HELD", ts="1700000200.000200")
    answer = await one.deliver_event(body, retry=1)
    assert answer is not None
    assert answer.status == 503
    await one.settle()
    assert one.posted() == []


async def test_a_claim_whose_replica_died_is_answered_once_its_lease_ran_out(
    replicas: tuple[SlackHarness, SlackHarness], shared: EventReceipts
) -> None:
    """A replica claimed the event and its message, then was killed: Slack's next retry
    after the lease (30 s by default) is answered, once."""
    one, two = replicas
    long_ago = datetime.now(UTC) - timedelta(minutes=2)
    await shared.claim("event:Ev0DIED", long_ago, timedelta(seconds=30))
    await shared.claim("message:C0GENERAL:1700000300.000300", long_ago, timedelta(seconds=15))
    body = payloads.event("app_mention", "Ev0DIED", ts="1700000300.000300", channel="C0GENERAL")
    await one.deliver_event(body, retry=2, reason="http_error")
    await one.fake.wait_until(lambda: len(one.posted()) == 1)
    await two.deliver_event(body, retry=3, reason="http_error")
    await two.settle()
    assert posted(one, two) == 1
    assert await shared.claim("event:Ev0DIED", datetime.now(UTC), timedelta(0)) is Receipt.DONE


async def test_the_event_is_acknowledged_only_after_its_answer_was_posted(
    slack: SlackHarness,
) -> None:
    """So a replica killed before answering never told Slack the event was handled."""
    body = payloads.event("app_mention", "Ev0ORDER", ts="1700000400.000400")
    answer = await slack.deliver_event(body)
    assert answer is not None
    assert answer.status == 200
    assert len(slack.posted()) == 1  # already there when the 200 arrived


class BrokenReceipts(MemoryReceipts):
    """Receipts whose database is down."""

    async def claim(self, key: str, now: datetime, lease: timedelta) -> Receipt:
        from bot.errors import StorageError

        raise StorageError("tips database: could not claim an event: the server is gone")


async def test_a_failing_database_still_answers_once_per_replica() -> None:
    """Fail open: the process's own memory dedupes until the database is back."""
    async with SlackHarness(receipts=BrokenReceipts()) as slack:
        body = payloads.event("app_mention", "Ev0DBDOWN", ts="1700000500.000500")
        await slack.event_messages(body)
        await slack.deliver_event(body, retry=1)
        await slack.settle()
        assert len(slack.posted()) == 1


async def test_over_socket_mode_an_event_in_hand_elsewhere_is_not_acknowledged(
    shared: EventReceipts,
) -> None:
    """No ack, so Slack redelivers it (to this or another connection) later."""
    async with SlackHarness(socket_mode=True, receipts=shared) as slack:
        await shared.claim("event:Ev0SOCKHELD", datetime.now(UTC), timedelta(minutes=5))
        body = payloads.event("app_mention", "Ev0SOCKHELD", ts="1700000600.000600")
        envelope = await slack.fake.send_envelope("events_api", body)
        await slack.settle()
        assert envelope not in slack.fake.socket_acks
        assert slack.posted() == []
        # The claim's holder finished: the redelivery is acknowledged, and not answered.
        await shared.finish("event:Ev0SOCKHELD")
        again = await slack.fake.send_envelope("events_api", body, retry_attempt=1)
        await slack.fake.ack_for(again)
        await slack.settle()
        assert slack.posted() == []
