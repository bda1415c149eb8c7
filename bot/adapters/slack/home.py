"""The App Home tab: a short welcome, the topics as buttons and, for admins, the workspace's
daily-tip subscriptions with an edit button each.

Slack refuses a Home view over 100 blocks; the subscriptions past that are counted in a line of
their own rather than dropped in silence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.adapters.slack.blocks import (
    MAX_BUTTONS,
    MAX_VALUE_CHARS,
    button_rows,
    escape,
)
from bot.adapters.slack.views import View
from bot.core.reply import TopicLink
from bot.tips.models import Subscription
from bot.tips.replies import local_time, schedule_text
from bot.tips.zones import load_zone

ACTION_HOME_TOPIC = "home_topic"  # action ids "home_topic:0", "home_topic:1", ...
ACTION_TIPS_EDIT = "tips_edit"  # action ids "tips_edit:0", ...; the value is the channel id

MAX_VIEW_BLOCKS = 100

# A Slack conversation id: anything else is not shown as a channel link (no markup injection).
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")

Block = dict[str, Any]


def home_view(
    topics: Sequence[TopicLink],
    subscriptions: Sequence[Subscription] | None,
) -> View:
    """The Home view; ``subscriptions`` is None for someone who is not an admin (they see no
    admin part at all) and a list, maybe empty, for an admin."""
    blocks: list[Block] = [
        _header("Welcome to mlcareer"),
        _section(
            "I answer questions about becoming and growing as a machine learning engineer: "
            "the job, the skills, degrees, titles, salary and outlook. Write to me in the "
            "*Messages* tab, type `/mlcareer` in any channel, or use *Ask mlcareer* in a "
            "message's menu to ask about that message."
        ),
    ]
    buttons = [link for link in topics if link.topic.strip()][:MAX_BUTTONS]
    if buttons:
        blocks.append(_context("Pick a topic and I'll answer it in our direct messages:"))
        blocks.extend(button_rows(buttons, action=ACTION_HOME_TOPIC))
    if subscriptions is not None:
        blocks.extend(_admin_part(subscriptions, MAX_VIEW_BLOCKS - len(blocks)))
    return {"type": "home", "blocks": blocks}


def _admin_part(subscriptions: Sequence[Subscription], room: int) -> list[Block]:
    head = [
        {"type": "divider"},
        _header("Daily tips in this workspace"),
        _context("Only admins see this part. Changes here apply to the whole channel."),
    ]
    if not subscriptions:
        return [
            *head,
            _section(
                "No channel gets daily tips yet. Type `/mlcareer tips on` in a channel to "
                "start them there; then you can change them here."
            ),
        ]
    room -= len(head)
    shown = list(subscriptions) if len(subscriptions) <= room else list(subscriptions)[: room - 1]
    rows = [_subscription_row(number, s) for number, s in enumerate(shown)]
    hidden = len(subscriptions) - len(shown)
    if hidden:
        rows.append(
            _context(
                f"And {hidden} more channels; `/mlcareer tips status` in a channel shows its "
                "settings."
            )
        )
    return [*head, *rows]


def _subscription_row(number: int, subscription: Subscription) -> Block:
    where = channel_link(subscription.key.channel)
    lines = [f"*{where}*: {escape(schedule_text(subscription))}"]
    zone = load_zone(subscription.zone)
    if subscription.paused:
        why = f" ({escape(subscription.pause_reason)})" if subscription.pause_reason else ""
        lines.append(f":double_vertical_bar: Paused{why}: saving its settings turns it back on.")
    elif zone is not None:
        lines.append(f"Next tip: {escape(local_time(subscription.next_fire, zone))}")
    return {
        "type": "section",
        "block_id": f"tips_row:{number}",
        "text": {"type": "mrkdwn", "text": "\n".join(lines)},
        "accessory": {
            "type": "button",
            "action_id": f"{ACTION_TIPS_EDIT}:{number}",
            "text": {"type": "plain_text", "text": "Edit", "emoji": True},
            "value": subscription.key.channel[:MAX_VALUE_CHARS],
        },
    }


def channel_link(channel: str) -> str:
    """``<#C123>`` for a channel id (Slack shows its name), the escaped text otherwise."""
    return f"<#{channel}>" if _CHANNEL_ID.match(channel) else escape(channel)


def _header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
