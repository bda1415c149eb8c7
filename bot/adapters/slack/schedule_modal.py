"""The modal an admin opens from the Home tab to change one channel's daily tips: time, time
zone and days as select menus, and reading what they chose back out of the submission.

The choices are checked with the tips service's own readers (``parse_time``,
``canonical_zone``, ``Days``) so the modal accepts exactly what ``tips on`` accepts; a bad
choice comes back as a message under its menu (Slack's ``response_action: errors``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from itertools import groupby
from typing import Any

from bot.adapters.slack.home import channel_link
from bot.adapters.slack.views import View
from bot.tips.models import Days, Subscription
from bot.tips.parsing import TipsInputError, parse_time
from bot.tips.zones import canonical_zone, zone_names

CALLBACK_ID = "tips_schedule"
BLOCK_TIME, BLOCK_ZONE, BLOCK_DAYS = "tips_time", "tips_zone", "tips_days"
ACTION_TIME, ACTION_ZONE, ACTION_DAYS = "time", "zone", "days"

STEP_MINUTES = 30  # the times offered: every half hour, plus the channel's own if it differs
MAX_OPTIONS = 100  # Slack: per select menu, and per option group
MAX_OPTION_CHARS = 75

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")


@dataclass(frozen=True, slots=True)
class Choice:
    """What an admin chose in the modal, checked: ``tips_args`` is the same as typed."""

    channel: str
    at: time
    zone: str
    days: Days

    @property
    def tips_args(self) -> str:
        return f"on {self.at:%H:%M} {self.zone} {self.days.value}"


def schedule_modal(subscription: Subscription) -> View:
    """The modal for ``subscription``'s channel, with its current settings chosen."""
    channel = subscription.key.channel
    intro = f"Daily tips in {channel_link(channel)}: when should they come?"
    blocks: list[dict[str, Any]] = [{"type": "section", "text": _mrkdwn(intro)}]
    if subscription.paused:
        blocks.append(
            {
                "type": "context",
                "elements": [_mrkdwn("They are paused now; saving turns them back on.")],
            }
        )
    times = _select(ACTION_TIME, _time_options(subscription.at), _hhmm(subscription.at))
    days = _select(ACTION_DAYS, _day_options(), subscription.days.value)
    blocks.append(_input(BLOCK_TIME, "Time", times))
    blocks.append(_input(BLOCK_ZONE, "Time zone", _zone_select(subscription.zone)))
    blocks.append(_input(BLOCK_DAYS, "Days", days))
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": channel,
        "title": _plain("Daily tips"),
        "submit": _plain("Save"),
        "close": _plain("Cancel"),
        "blocks": blocks,
    }


def read_choice(view: Mapping[str, Any]) -> Choice | dict[str, str]:
    """The checked choice in a submitted modal, or the errors to show, keyed by block id."""
    values = (view.get("state") or {}).get("values") or {}
    errors: dict[str, str] = {}
    at: time | None = None
    try:
        at = parse_time(_selected(values, BLOCK_TIME, ACTION_TIME))
    except TipsInputError as error:
        errors[BLOCK_TIME] = error.message
    zone = canonical_zone(_selected(values, BLOCK_ZONE, ACTION_ZONE))
    if zone is None:
        errors[BLOCK_ZONE] = "Choose a time zone from the list."
    days = next((d for d in Days if d.value == _selected(values, BLOCK_DAYS, ACTION_DAYS)), None)
    if days is None:
        errors[BLOCK_DAYS] = "Choose every day or weekdays."
    channel = str(view.get("private_metadata") or "")
    if not _CHANNEL_ID.match(channel):
        errors[BLOCK_TIME] = "This form lost its channel; please open it again from the Home tab."
    if errors or at is None or zone is None or days is None:
        return errors
    return Choice(channel, at, zone, days)


def _selected(values: Mapping[str, Any], block: str, action: str) -> str:
    state = (values.get(block) or {}).get(action) or {}
    option = state.get("selected_option") or {}
    return str(option.get("value") or "")


def _hhmm(at: time) -> str:
    return f"{at:%H:%M}"


def _time_options(current: time) -> list[dict[str, Any]]:
    times = {time(minutes // 60, minutes % 60) for minutes in range(0, 24 * 60, STEP_MINUTES)}
    times.add(time(current.hour, current.minute))
    return [_option(_hhmm(at), _hhmm(at)) for at in sorted(times)]


def _day_options() -> list[dict[str, Any]]:
    return [_option(days.label[:1].upper() + days.label[1:], days.value) for days in Days]


def _zone_select(current: str) -> dict[str, Any]:
    """Every IANA zone, grouped by area (America, Europe, ...), groups of at most 100."""
    names = sorted(zone_names().values(), key=lambda name: (_area(name), name))
    groups: list[dict[str, Any]] = []
    for area, members in groupby(names, key=_area):
        zones = list(members)
        parts = [zones[i : i + MAX_OPTIONS] for i in range(0, len(zones), MAX_OPTIONS)]
        for number, part in enumerate(parts, start=1):
            label = area if len(parts) == 1 else f"{area} ({number} of {len(parts)})"
            groups.append(
                {"label": _plain(label), "options": [_option(name, name) for name in part]}
            )
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": ACTION_ZONE,
        "placeholder": _plain("Type to search, e.g. Berlin"),
        "option_groups": groups,
    }
    chosen = canonical_zone(current)
    if chosen is not None:
        element["initial_option"] = _option(chosen, chosen)
    return element


def _area(name: str) -> str:
    return name.split("/", 1)[0] if "/" in name else "Other"


def _select(action_id: str, options: list[dict[str, Any]], initial: str) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": _plain("Choose"),
        "options": options,
    }
    chosen = [option for option in options if option["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return element


def _input(block_id: str, label: str, element: dict[str, Any]) -> dict[str, Any]:
    return {"type": "input", "block_id": block_id, "label": _plain(label), "element": element}


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": _plain(text[:MAX_OPTION_CHARS]), "value": value}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}
