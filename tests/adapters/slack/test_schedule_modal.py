"""The daily-tips modal's menus and how a submission is read back (plain functions)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from bot.adapters.slack.schedule_modal import (
    MAX_OPTIONS,
    Choice,
    read_choice,
    schedule_modal,
)
from bot.tips.models import ChannelKey, Days, Subscription
from bot.tips.parsing import parse_on
from bot.tips.zones import zone_names
from tests.adapters.slack import payloads
from tests.adapters.slack.view_kit import view_problems

NOW = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)


def subscription(at: time = time(9, 0), zone: str = "UTC") -> Subscription:
    return Subscription(ChannelKey("slack", "C0TIPS"), at, zone, Days.DAILY, NOW, NOW)


def inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}


def test_every_zone_is_offered_in_groups_slack_accepts() -> None:
    view = schedule_modal(subscription(zone="Asia/Kolkata"))
    assert view_problems(view) == []
    zone = inputs(view)["tips_zone"]
    groups = zone["option_groups"]
    assert len(groups) <= MAX_OPTIONS
    assert all(len(group["options"]) <= MAX_OPTIONS for group in groups)
    offered = [option["value"] for group in groups for option in group["options"]]
    assert sorted(offered) == sorted(zone_names().values())
    assert zone["initial_option"]["value"] == "Asia/Kolkata"


def test_a_time_off_the_half_hour_is_offered_too() -> None:
    times = inputs(schedule_modal(subscription(at=time(8, 45))))["tips_time"]
    values = [option["value"] for option in times["options"]]
    assert values[:3] == ["00:00", "00:30", "01:00"]
    assert "08:45" in values
    assert times["initial_option"]["value"] == "08:45"


def test_a_submission_is_read_as_the_tips_on_command_would_read_it() -> None:
    view = payloads.load("view_submission_tips")["view"]
    choice = read_choice(view)
    assert choice == Choice("C0TIPS", time(8, 30), "Europe/Berlin", Days.WEEKDAYS)
    assert isinstance(choice, Choice)
    parsed = parse_on(choice.tips_args.removeprefix("on "))
    assert (parsed.at, parsed.zone, parsed.days) == (choice.at, choice.zone, choice.days)


def test_a_submission_without_its_channel_asks_to_open_the_form_again() -> None:
    view = payloads.load("view_submission_tips")["view"]
    view["private_metadata"] = "<!channel>"
    errors = read_choice(view)
    assert isinstance(errors, dict)
    assert "open it again" in errors["tips_time"]


def test_nothing_chosen_is_an_error_under_each_menu() -> None:
    view = payloads.load("view_submission_tips")["view"]
    view["state"] = {"values": {}}
    errors = read_choice(view)
    assert isinstance(errors, dict)
    assert set(errors) == {"tips_time", "tips_zone", "tips_days"}
