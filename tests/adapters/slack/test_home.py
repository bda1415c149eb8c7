"""The App Home tab and its daily-tips modal, through the real bolt app and the real tips
service (on SQLite) against the fake Slack's views.publish and views.open."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.slack.home import MAX_VIEW_BLOCKS
from bot.core.replies import section_links
from bot.core.request import Request
from bot.tips.commands import TipsService
from bot.tips.models import ChannelKey, Days, Subscription
from bot.tips.ports import TipsStore
from bot.tips.schedule import next_fire
from tests.adapters.slack import payloads
from tests.adapters.slack.conftest import RecordingTips
from tests.adapters.slack.harness import SlackHarness, eventually
from tests.shipped import SHIPPED

ADMIN = "U0ADMIN"
NOW = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)


def elements(view: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for block in view["blocks"]:
        found.extend(block.get("elements", []) if block["type"] == "actions" else [])
        if "accessory" in block:
            found.append(block["accessory"])
    return found


def texts(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"])


async def subscribe(
    store: TipsStore,
    channel: str,
    at: time = time(9, 0),
    zone: str = "UTC",
    days: Days = Days.DAILY,
    *,
    paused: bool = False,
) -> None:
    await store.save(
        Subscription(
            key=ChannelKey("slack", channel),
            at=at,
            zone=zone,
            days=days,
            next_fire=next_fire(NOW, at, ZoneInfo(zone), days).at,
            updated_at=NOW,
            paused=paused,
            pause_reason="channel_not_found" if paused else None,
        )
    )


def edit_click(slack: SlackHarness, view: dict[str, Any], channel: str) -> dict[str, Any]:
    """The admin's click on Edit beside ``channel``, with a fresh trigger_id."""
    [button] = [e for e in elements(view) if e.get("value") == channel]
    body = payloads.action("block_actions_home", value=channel, trigger_id=slack.fake.new_trigger())
    body["user"]["id"] = ADMIN
    body["actions"][0]["action_id"] = button["action_id"]
    return body


def submission(channel: str, at: str, zone: str, days: str, user: str = ADMIN) -> dict[str, Any]:
    body = payloads.load("view_submission_tips")
    body["user"]["id"] = user
    body["view"]["private_metadata"] = channel
    values = body["view"]["state"]["values"]
    values["tips_time"]["time"]["selected_option"]["value"] = at
    values["tips_zone"]["zone"]["selected_option"]["value"] = zone
    values["tips_days"]["days"]["selected_option"]["value"] = days
    return body


async def test_home_tab_welcomes_and_offers_every_topic_as_a_button_without_an_admin_part(
    tips_service: TipsService, tips_store: TipsStore
) -> None:
    await subscribe(tips_store, "C0TIPS")
    async with SlackHarness(tips=tips_service) as slack:
        view = await slack.open_home("U0ASKER")
    assert view["type"] == "home"
    assert view["blocks"][0]["text"]["text"] == "Welcome to mlcareer"
    topics = [e for e in elements(view) if e["action_id"].startswith("home_topic:")]
    assert [b["value"] for b in topics] == [link.topic for link in section_links(SHIPPED)]
    assert "Daily tips in this workspace" not in texts(view)
    assert "C0TIPS" not in texts(view)
    assert not [e for e in elements(view) if e["action_id"].startswith("tips_edit:")]


async def test_the_messages_tab_publishes_nothing(slack: SlackHarness) -> None:
    body = payloads.event("app_home_opened", "Ev0MSGTAB", tab="messages")
    await slack.deliver_event(body)
    await slack.settle()
    assert slack.fake.calls_to("views.publish") == []


@pytest.mark.parametrize("how", ["slack admin", "listed admin"])
async def test_admins_see_the_workspaces_subscriptions_with_an_edit_button_each(
    tips_service: TipsService, tips_store: TipsStore, how: str
) -> None:
    await subscribe(tips_store, "C0TIPS", time(8, 30), "Europe/Berlin", Days.WEEKDAYS)
    await subscribe(tips_store, "C0GONE", paused=True)
    await tips_store.save(  # another platform's subscription is not this workspace's
        Subscription(ChannelKey("discord", "123"), time(9), "UTC", Days.DAILY, NOW, NOW)
    )
    who = {"slack_admins": {ADMIN}} if how == "slack admin" else {"admins": (ADMIN,)}
    async with SlackHarness(tips=tips_service, **who) as slack:  # type: ignore[arg-type]
        view = await slack.open_home(ADMIN)
    shown = texts(view)
    assert "Daily tips in this workspace" in shown
    assert "<#C0TIPS>" in shown
    assert "<#C0GONE>" in shown
    assert "123" not in shown
    assert "on weekdays (Monday to Friday) at 08:30 (Europe/Berlin time)" in shown
    assert "Paused (channel_not_found)" in shown
    assert "Next tip: Tuesday 4 June 2024, 08:30 CEST" in shown
    edits = [e for e in elements(view) if e["action_id"].startswith("tips_edit:")]
    assert sorted(e["value"] for e in edits) == ["C0GONE", "C0TIPS"]


async def test_an_admin_with_no_subscriptions_is_told_how_to_start_them(
    tips_service: TipsService,
) -> None:
    async with SlackHarness(tips=tips_service, slack_admins={ADMIN}) as slack:
        view = await slack.open_home(ADMIN)
    assert "No channel gets daily tips yet" in texts(view)


async def test_without_a_tips_service_nobody_gets_an_admin_part(slack: SlackHarness) -> None:
    view = await slack.open_home(ADMIN)
    assert "Daily tips in this workspace" not in texts(view)
    assert slack.fake.calls_to("users.info") == []


async def test_a_bare_tips_commands_port_is_not_listed_either() -> None:
    async with SlackHarness(tips=RecordingTips(), slack_admins={ADMIN}) as slack:
        view = await slack.open_home(ADMIN)
    assert "Daily tips in this workspace" not in texts(view)


async def test_hundreds_of_subscriptions_stay_within_slacks_100_blocks(
    tips_service: TipsService, tips_store: TipsStore
) -> None:
    for n in range(150):
        await subscribe(tips_store, f"C0MANY{n:03d}")
    async with SlackHarness(tips=tips_service, slack_admins={ADMIN}) as slack:
        view = await slack.open_home(ADMIN)
    assert len(view["blocks"]) == MAX_VIEW_BLOCKS  # the fake would refuse one more
    assert "more channels" in json.dumps(view["blocks"][-1])


async def test_a_home_topic_button_answers_in_the_bots_dm(slack: SlackHarness) -> None:
    body = payloads.action("block_actions_home", value="salary")
    await slack.click(body)
    await slack.fake.wait_until(lambda: bool(slack.posted()))
    [opened] = slack.fake.calls_to("conversations.open")
    assert opened.params["users"] == "U0ASKER"
    [sent] = slack.posted()
    assert sent.channel == "DU0ASKER"
    assert sent.thread_ts is None
    assert slack.runner is not None
    expected = await slack.runner.router.handle(Request("salary"))
    assert sent.payload["blocks"][0]["text"]["text"] == expected.title


async def test_a_home_topic_request_is_a_dm_in_the_clickers_workspace() -> None:
    tips = RecordingTips()  # "tips status" reaches it with the request the adapter built
    async with SlackHarness(tips=tips) as slack:
        await slack.click(payloads.action("block_actions_home", value="tips status"))
        await slack.fake.wait_until(lambda: bool(slack.posted()))
    [request] = tips.requests
    assert (request.workspace, request.channel_kind, request.channel) == (
        "T0TEST",
        "dm",
        "DU0ASKER",
    )


async def test_edit_opens_a_modal_with_the_channels_settings_chosen(
    tips_service: TipsService, tips_store: TipsStore
) -> None:
    await subscribe(tips_store, "C0TIPS", time(8, 45), "America/New_York", Days.WEEKDAYS)
    async with SlackHarness(tips=tips_service, slack_admins={ADMIN}) as slack:
        view = await slack.open_home(ADMIN)
        await slack.click(edit_click(slack, view, "C0TIPS"))
        await slack.fake.wait_until(lambda: bool(slack.fake.modals))
    [modal] = slack.fake.modals
    assert modal["callback_id"] == "tips_schedule"
    assert modal["private_metadata"] == "C0TIPS"
    chosen = {
        b["block_id"]: b["element"]["initial_option"]["value"]
        for b in modal["blocks"]
        if b["type"] == "input"
    }
    assert chosen == {
        "tips_time": "08:45",
        "tips_zone": "America/New_York",
        "tips_days": "weekdays",
    }


@pytest.mark.parametrize("trigger", ["used", "stale"])
async def test_a_used_or_stale_trigger_opens_no_modal_and_is_logged(
    tips_service: TipsService,
    tips_store: TipsStore,
    trigger: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await subscribe(tips_store, "C0TIPS")
    async with SlackHarness(tips=tips_service, slack_admins={ADMIN}) as slack:
        view = await slack.open_home(ADMIN)
        body = edit_click(slack, view, "C0TIPS")
        if trigger == "used":
            await slack.click(body)
            await slack.fake.wait_until(lambda: len(slack.fake.modals) == 1)
        else:
            body["trigger_id"] = slack.fake.new_trigger(age=10)
        await slack.click(body)
        await eventually(lambda: "expired_trigger_id" in caplog.text)
    assert len(slack.fake.modals) == (1 if trigger == "used" else 0)


async def test_a_non_admin_clicking_edit_gets_no_modal_and_a_home_without_admin_part(
    tips_service: TipsService, tips_store: TipsStore
) -> None:
    await subscribe(tips_store, "C0TIPS")
    async with SlackHarness(tips=tips_service, slack_admins={ADMIN}) as slack:
        view = await slack.open_home(ADMIN)
        body = edit_click(slack, view, "C0TIPS")
        body["user"]["id"] = "U0ASKER"  # a stale view, or a forged click
        await slack.click(body)
        await slack.fake.wait_until(lambda: "U0ASKER" in slack.fake.home_views)
    assert slack.fake.modals == []
    assert "Daily tips in this workspace" not in texts(slack.fake.home_views["U0ASKER"])


@pytest.mark.parametrize("socket_mode", [False, True], ids=["http", "socket-mode"])
async def test_saving_the_modal_changes_the_schedule_and_refreshes_home(
    tips_service: TipsService, tips_store: TipsStore, socket_mode: bool
) -> None:
    await subscribe(tips_store, "C0TIPS", paused=True)
    async with SlackHarness(
        tips=tips_service, slack_admins={ADMIN}, socket_mode=socket_mode
    ) as slack:
        await slack.open_home(ADMIN)
        published = len(slack.fake.sent("views.publish"))
        ack = await slack.interact(submission("C0TIPS", "08:30", "Europe/Berlin", "weekdays"))
        await slack.fake.wait_until(lambda: len(slack.fake.sent("views.publish")) > published)
    assert ack == {}  # an empty acknowledgement closes the modal
    saved = await tips_store.get(ChannelKey("slack", "C0TIPS"))
    assert saved is not None
    assert (saved.at, saved.zone, saved.days, saved.paused) == (
        time(8, 30),
        "Europe/Berlin",
        Days.WEEKDAYS,
        False,
    )
    assert saved.updated_by == ADMIN
    assert "at 08:30 (Europe/Berlin time)" in texts(slack.fake.home_views[ADMIN])


@pytest.mark.parametrize(
    ("at", "zone", "days", "block"),
    [
        ("08:30", "Mars/Olympus_Mons", "daily", "tips_zone"),
        ("25:00", "UTC", "daily", "tips_time"),
        ("08:30", "UTC", "fortnightly", "tips_days"),
    ],
)
@pytest.mark.parametrize("socket_mode", [False, True], ids=["http", "socket-mode"])
async def test_a_bad_choice_keeps_the_modal_open_with_an_error_under_it(
    tips_service: TipsService,
    tips_store: TipsStore,
    at: str,
    zone: str,
    days: str,
    block: str,
    socket_mode: bool,
) -> None:
    await subscribe(tips_store, "C0TIPS")
    before = await tips_store.get(ChannelKey("slack", "C0TIPS"))
    async with SlackHarness(
        tips=tips_service, slack_admins={ADMIN}, socket_mode=socket_mode
    ) as slack:
        ack = await slack.interact(submission("C0TIPS", at, zone, days))
    assert ack["response_action"] == "errors"
    assert set(ack["errors"]) == {block}
    assert await tips_store.get(ChannelKey("slack", "C0TIPS")) == before


async def test_a_non_admins_submission_is_refused_and_changes_nothing(
    tips_service: TipsService, tips_store: TipsStore
) -> None:
    await subscribe(tips_store, "C0TIPS")
    before = await tips_store.get(ChannelKey("slack", "C0TIPS"))
    async with SlackHarness(tips=tips_service, slack_admins={ADMIN}) as slack:
        ack = await slack.interact(submission("C0TIPS", "10:00", "UTC", "daily", user="U0ASKER"))
    assert ack["response_action"] == "errors"
    assert "admins" in ack["errors"]["tips_time"]
    assert await tips_store.get(ChannelKey("slack", "C0TIPS")) == before


async def test_with_many_workspaces_an_admin_sees_and_changes_only_their_own_channels(
    tips_service: TipsService, tips_store: TipsStore, sqlite_url: str
) -> None:
    """OAuth mode: the Home tab of workspace ONE lists ONE's channels only, and a submission
    from ONE naming TWO's channel (a forged view) is refused before anything is saved."""
    from tests.adapters.slack.oauth_harness import ONE, TWO, OAuthHarness

    await subscribe(tips_store, "C0ONE")
    await subscribe(tips_store, "C0TWO", paused=True)
    async with OAuthHarness(sqlite_url, tips=tips_service, admins=(ADMIN,)) as slack:
        await slack.install(ONE)
        await slack.install(TWO)
        await slack.mention_in(ONE, "skills", channel="C0ONE")  # the channels' teams are noted
        await slack.mention_in(TWO, "skills", channel="C0TWO")
        before = len(slack.fake.sent("views.publish"))
        await slack.deliver_event(slack.event_body(ONE, "app_home_opened", user=ADMIN))
        await slack.fake.wait_until(lambda: len(slack.fake.sent("views.publish")) > before)
        shown = texts(slack.fake.home_views[ADMIN])
        forged = submission("C0TWO", "08:30", "Europe/Berlin", "weekdays")
        forged["team"] = {"id": ONE.team_id, "domain": "one"}
        forged["user"]["team_id"] = ONE.team_id
        forged["view"]["team_id"] = forged["view"]["app_installed_team_id"] = ONE.team_id
        ack = await slack.interact(forged)
    assert "<#C0ONE>" in shown
    assert "<#C0TWO>" not in shown
    assert ack["response_action"] == "errors"
    assert "isn't in this workspace" in json.dumps(ack["errors"])
    untouched = await tips_store.get(ChannelKey("slack", "C0TWO"))
    assert untouched is not None
    assert untouched.paused
