"""AdminCheck: listed admins, Slack admins and owners, caching, and failures."""

from __future__ import annotations

import pytest

from bot.adapters.slack.admins import AdminCheck
from bot.adapters.slack.client import build_client
from bot.settings import Secret, Settings
from tests.adapters.slack.fake_slack import BOT_TOKEN, FakeSlack
from tests.adapters.slack.harness import FakeClock, FakeSleep


@pytest.fixture(autouse=True)
def workspace_admin(fake: FakeSlack) -> None:
    fake.admins.add("U0ADMIN")


def check(
    fake: FakeSlack, clock: FakeClock | None = None, listed: tuple[str, ...] = ()
) -> AdminCheck:
    settings = Settings(slack_bot_token=Secret(BOT_TOKEN), slack_api_url=fake.api_url)
    return AdminCheck(build_client(settings, FakeSleep()), listed, clock or FakeClock())


async def test_workspace_admin_is_an_admin_and_others_are_not(fake: FakeSlack) -> None:
    admins = check(fake)
    assert await admins.is_admin("U0ADMIN")
    assert not await admins.is_admin("U0MEMBER")


@pytest.mark.parametrize("flag", ["is_owner", "is_primary_owner"])
async def test_owners_count_as_admins(fake: FakeSlack, flag: str) -> None:
    fake.script("users.info", 200, {"ok": True, "user": {"id": "U0OWNER", flag: True}})
    assert await check(fake).is_admin("U0OWNER")


async def test_answers_are_cached_for_a_few_minutes(fake: FakeSlack) -> None:
    clock = FakeClock()
    admins = check(fake, clock)
    for _ in range(3):
        assert await admins.is_admin("U0ADMIN")
    assert len(fake.calls_to("users.info")) == 1
    clock.advance(301)
    await admins.is_admin("U0ADMIN")
    assert len(fake.calls_to("users.info")) == 2


async def test_listed_admins_need_no_call(fake: FakeSlack) -> None:
    assert await check(fake, listed=("U0LISTED",)).is_admin("U0LISTED")
    assert fake.calls_to("users.info") == []


async def test_when_slack_cannot_say_the_answer_is_no_and_is_asked_again_next_time(
    fake: FakeSlack,
) -> None:
    fake.script("users.info", 200, {"ok": False, "error": "missing_scope"})
    admins = check(fake)
    assert not await admins.is_admin("U0ADMIN")
    assert await admins.is_admin("U0ADMIN")
