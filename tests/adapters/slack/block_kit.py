"""Slack's Block Kit rules, checked the way Slack checks a message before it accepts one.

Each block goes through slack_sdk's own Block Kit models, which know the per-field limits
(150 characters in a header, 3,000 in a section, 75 on a button and 2,000 in its value, 10
context elements, 25 actions) and drop fields they do not know. The rules those models leave
out are checked here: at most 50 blocks, a fallback text, no empty text, plain_text where
Slack wants it, and each action_id used once. The fake Slack refuses messages that break them
(``invalid_blocks``), as Slack does, so every test that posts a message checks its blocks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

MAX_BLOCKS = 50
MAX_TEXT = 3000
MAX_ACTION_ID = 255
OUR_BLOCK_TYPES = {"header", "section", "context", "actions"}
RESPONSE_TYPES = {"ephemeral", "in_channel"}


def problems(message: Mapping[str, Any]) -> list[str]:
    """What Slack would refuse in ``message`` (a chat.postMessage or response payload)."""
    found: list[str] = []
    text = message.get("text")
    if not isinstance(text, str) or not text.strip():
        found.append("no fallback text")
    if "response_type" in message and message["response_type"] not in RESPONSE_TYPES:
        found.append(f"unknown response_type {message['response_type']!r}")
    blocks = message.get("blocks", [])
    if not isinstance(blocks, list):
        return [*found, "blocks is not a list"]
    if len(blocks) > MAX_BLOCKS:
        found.append(f"{len(blocks)} blocks (at most {MAX_BLOCKS})")
    for number, block in enumerate(blocks):
        found.extend(f"block {number}: {p}" for p in _block_problems(block))
    action_ids = [e.get("action_id") for b in blocks for e in _elements(b, "actions")]
    repeated = {a for a in action_ids if action_ids.count(a) > 1}
    if repeated:
        found.append(f"action_id used twice: {sorted(map(str, repeated))}")
    return found


def _block_problems(block: Any) -> Iterator[str]:
    if not isinstance(block, dict) or block.get("type") not in OUR_BLOCK_TYPES:
        yield f"not a block this bot should send: {block!r:.80}"
        return
    try:
        parsed = Block.parse(block)
        rebuilt = parsed.to_dict() if parsed is not None else None
    except SlackObjectFormationError as exc:
        yield str(exc)
        return
    if rebuilt != block:
        yield "has fields Slack does not know"
    if block["type"] == "header":
        yield from _text_problems(block.get("text"), plain_only=True)
    if block["type"] == "section":
        yield from _text_problems(block.get("text"))
    if block["type"] == "context" and not block.get("elements"):
        yield "an empty context"
    for element in _elements(block, "context"):
        yield from _text_problems(element)
    if block["type"] == "actions" and not block.get("elements"):
        yield "an empty actions block"
    for button in _elements(block, "actions"):
        yield from _text_problems(button.get("text"), plain_only=True)
        action_id = button.get("action_id")
        if not isinstance(action_id, str) or not 0 < len(action_id) <= MAX_ACTION_ID:
            yield f"bad action_id {action_id!r}"
        if "value" in button and not button["value"]:
            yield "an empty button value"


def _text_problems(text: Any, *, plain_only: bool = False) -> Iterator[str]:
    if not isinstance(text, dict) or text.get("type") not in {"plain_text", "mrkdwn"}:
        yield f"not a text object: {text!r:.80}"
        return
    if plain_only and text["type"] != "plain_text":
        yield "mrkdwn where Slack only takes plain_text"
    if "emoji" in text and text["type"] != "plain_text":
        yield "emoji on mrkdwn text"
    body = text.get("text")
    if not isinstance(body, str) or not body.strip():
        yield "empty text"
    elif len(body) > MAX_TEXT:
        yield f"text of {len(body)} characters"


def _elements(block: Any, kind: str) -> list[dict[str, Any]]:
    if not isinstance(block, dict) or block.get("type") != kind:
        return []
    return [e for e in block.get("elements") or [] if isinstance(e, dict)]
