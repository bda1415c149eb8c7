"""The "what were you looking for?" modal after a 👎: opened with views.open, answered in place.

The modal carries the question id in ``private_metadata`` (the feedback service checks it
again on submission, as it does a button value); its one input is an optional plain-text
field capped at the core's note limit. The answer to a submission replaces the modal with a
short plain-text note (plain_text is never parsed for mentions or links).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.sender import NETWORK_ERRORS, platform_error
from bot.core.reply import Reply
from bot.feedback.comments import COMMENT_LIMIT
from bot.feedback.service import MAX_QUESTION_ID

CALLBACK_ID = "vote_comment"
BLOCK_ID = "comment"
ACTION_ID = "text"
MAX_TITLE_CHARS = 24  # Slack's limit for a modal's title, submit and close labels
MAX_PLAIN_CHARS = 3000

View = dict[str, Any]


def _plain(text: str, limit: int = MAX_PLAIN_CHARS) -> dict[str, Any]:
    return {"type": "plain_text", "text": text[:limit], "emoji": True}


def comment_view(question_id: str) -> View:
    """The note form for a 👎 on ``question_id``."""
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": question_id[:MAX_QUESTION_ID],
        "title": _plain("Thanks for the 👎", MAX_TITLE_CHARS),
        "submit": _plain("Send", MAX_TITLE_CHARS),
        "close": _plain("Skip", MAX_TITLE_CHARS),
        "blocks": [
            {
                "type": "input",
                "block_id": BLOCK_ID,
                "optional": True,
                "label": _plain("What were you looking for?"),
                "hint": _plain("Optional. Kept with your vote, never posted anywhere."),
                "element": {
                    "type": "plain_text_input",
                    "action_id": ACTION_ID,
                    "multiline": True,
                    "max_length": COMMENT_LIMIT,
                },
            }
        ],
    }


def result_view(reply: Reply) -> View:
    """What replaces the form once it is sent: the core's reply, as plain text."""
    return {
        "type": "modal",
        "title": _plain(reply.title or "Feedback", MAX_TITLE_CHARS),
        "close": _plain("Close", MAX_TITLE_CHARS),
        "blocks": [{"type": "section", "text": _plain(reply.body or reply.plain_text())}],
    }


def submitted(view: Mapping[str, Any]) -> tuple[str, str]:
    """The question id and the note (empty when left blank) of a submitted form."""
    values = (view.get("state") or {}).get("values") or {}
    field = (values.get(BLOCK_ID) or {}).get(ACTION_ID) or {}
    text = field.get("value") if isinstance(field, Mapping) else None
    return str(view.get("private_metadata") or ""), text if isinstance(text, str) else ""


async def open_comment_form(client: AsyncWebClient, trigger_id: str, question_id: str) -> None:
    """Open the note form; ``PlatformError`` when Slack refuses (an expired trigger_id)."""
    try:
        await client.views_open(trigger_id=trigger_id, view=comment_view(question_id))
    except (SlackClientError, *NETWORK_ERRORS) as exc:
        raise platform_error(exc, "views.open") from exc
