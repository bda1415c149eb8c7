"""Slack's rules for a modal view, checked as views.open (and a view_submission's "update"
answer) checks them: the fake Slack refuses a view that breaks one (``invalid_arguments``).

Limits from Slack's reference for view objects and input blocks: title, submit and close at
most 24 characters of plain_text; private_metadata 3,000; callback_id 255; at most 100
blocks; an input block needs a plain_text label (2,000) and an element with an action_id; a
modal holding an input needs a submit button; plain_text_input's max_length at most 3,000.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

MAX_TITLE = 24
MAX_METADATA = 3000
MAX_CALLBACK_ID = 255
MAX_VIEW_BLOCKS = 100
MAX_LABEL = 2000
MAX_INPUT_LENGTH = 3000
MAX_SECTION_TEXT = 3000
VIEW_BLOCK_TYPES = {"section", "input", "context", "header", "divider", "actions"}


def view_problems(view: Any) -> list[str]:
    """What Slack would refuse in a modal view."""
    return list(_problems(view))


def _problems(view: Any) -> Iterator[str]:
    if not isinstance(view, Mapping):
        yield "view is not an object"
        return
    if view.get("type") != "modal":
        yield f"view type {view.get('type')!r} is not modal"
    yield from _plain("title", view.get("title"), MAX_TITLE, required=True)
    yield from _plain("submit", view.get("submit"), MAX_TITLE)
    yield from _plain("close", view.get("close"), MAX_TITLE)
    if len(str(view.get("private_metadata") or "")) > MAX_METADATA:
        yield "private_metadata over 3000 characters"
    if len(str(view.get("callback_id") or "")) > MAX_CALLBACK_ID:
        yield "callback_id over 255 characters"
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or not blocks:
        yield "a modal needs blocks"
        return
    if len(blocks) > MAX_VIEW_BLOCKS:
        yield f"{len(blocks)} blocks (at most {MAX_VIEW_BLOCKS})"
    has_input = False
    for number, block in enumerate(blocks):
        if not isinstance(block, Mapping) or block.get("type") not in VIEW_BLOCK_TYPES:
            yield f"block {number}: not a block a modal takes"
            continue
        if block["type"] == "section":
            yield from _text(f"block {number}", block.get("text"), MAX_SECTION_TEXT)
        if block["type"] == "input":
            has_input = True
            yield from _input(f"block {number}", block)
    if has_input and "submit" not in view:
        yield "a modal with an input needs a submit button"


def _input(where: str, block: Mapping[str, Any]) -> Iterator[str]:
    yield from _plain(f"{where} label", block.get("label"), MAX_LABEL, required=True)
    if "hint" in block:
        yield from _plain(f"{where} hint", block.get("hint"), MAX_LABEL)
    element = block.get("element")
    if not isinstance(element, Mapping) or not element.get("type"):
        yield f"{where}: the input has no element"
        return
    if not element.get("action_id"):
        yield f"{where}: the input has no action_id"
    if element.get("type") != "plain_text_input":
        return  # select menus are checked by view_kit
    length = element.get("max_length", MAX_INPUT_LENGTH)
    if not isinstance(length, int) or not 1 <= length <= MAX_INPUT_LENGTH:
        yield f"{where}: max_length {length!r} out of range"


def _plain(where: str, text: Any, limit: int, *, required: bool = False) -> Iterator[str]:
    if text is None:
        if required:
            yield f"{where}: missing"
        return
    if not isinstance(text, Mapping) or text.get("type") != "plain_text":
        yield f"{where}: must be plain_text"
        return
    yield from _text(where, text, limit)


def _text(where: str, text: Any, limit: int) -> Iterator[str]:
    if not isinstance(text, Mapping) or text.get("type") not in {"plain_text", "mrkdwn"}:
        yield f"{where}: not a text object"
        return
    body = text.get("text")
    if not isinstance(body, str) or not body.strip():
        yield f"{where}: empty text"
    elif len(body) > limit:
        yield f"{where}: {len(body)} characters (at most {limit})"
