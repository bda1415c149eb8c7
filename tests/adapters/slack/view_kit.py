"""Slack's rules for views (a Home tab or a modal), checked the way views.publish and
views.open check them before they accept one; the fake Slack answers ``invalid_arguments``
when a view breaks any.

Each block goes through slack_sdk's own Block Kit models (per-field limits: 75 characters on
an option and 150 in its value, 100 options or option groups per menu, ...), as the message
checks in ``block_kit`` do. The view-level rules are here: at most 100 blocks, a Home view
has no title, submit or close, a modal has a title (and a submit button when it has inputs),
each of those at most 24 characters, block and action ids at most 255 characters and used
once, private_metadata at most 3,000 characters, and a select's initial option among its
options.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

MAX_VIEW_BLOCKS = 100
MAX_ID = 255
MAX_VIEW_TITLE = 24
MAX_METADATA = 3000
VIEW_BLOCK_TYPES = {"header", "section", "context", "actions", "divider", "input"}
MODAL_ONLY = ("title", "submit", "close")


def view_problems(view: Any) -> list[str]:
    """What Slack would refuse in ``view``; empty when it would take it."""
    if not isinstance(view, Mapping) or view.get("type") not in {"home", "modal"}:
        return [f"not a view: {view!r:.80}"]
    found: list[str] = []
    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        return ["blocks is not a list"]
    if len(blocks) > MAX_VIEW_BLOCKS:
        found.append(f"{len(blocks)} blocks (at most {MAX_VIEW_BLOCKS})")
    if view["type"] == "home":
        found.extend(f"a Home view cannot have a {key}" for key in MODAL_ONLY if key in view)
    else:
        if "title" not in view:
            found.append("a modal needs a title")
        has_inputs = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
        if has_inputs and "submit" not in view:
            found.append("a modal with inputs needs a submit button")
        for key in MODAL_ONLY:
            if key in view:
                found.extend(f"{key}: {p}" for p in _title_problems(view[key]))
    if len(str(view.get("private_metadata") or "")) > MAX_METADATA:
        found.append("private_metadata over 3000 characters")
    for number, block in enumerate(blocks):
        found.extend(f"block {number}: {p}" for p in _block_problems(block))
    found.extend(_id_problems(blocks))
    return found


def _title_problems(text: Any) -> Iterator[str]:
    if not isinstance(text, dict) or text.get("type") != "plain_text":
        yield "not a plain_text object"
    elif not 0 < len(str(text.get("text") or "").strip()) <= MAX_VIEW_TITLE:
        yield f"{text.get('text')!r} is not 1 to {MAX_VIEW_TITLE} characters"


def _block_problems(block: Any) -> Iterator[str]:
    if not isinstance(block, dict) or block.get("type") not in VIEW_BLOCK_TYPES:
        yield f"not a block for a view: {block!r:.80}"
        return
    try:
        parsed = Block.parse(block)
        rebuilt = parsed.to_dict() if parsed is not None else None
    except SlackObjectFormationError as exc:
        yield str(exc)
        return
    if rebuilt != block:
        yield "has fields Slack does not know"
    for element in _elements(block):
        yield from _select_problems(element)


def _select_problems(element: Mapping[str, Any]) -> Iterator[str]:
    if element.get("type") != "static_select":
        return
    options = list(element.get("options") or [])
    groups = list(element.get("option_groups") or [])
    if bool(options) == bool(groups):
        yield "a static_select needs options or option_groups (one of them)"
    options.extend(o for g in groups for o in g.get("options") or [])
    initial = element.get("initial_option")
    if initial is not None and initial not in options:
        yield f"initial_option {initial!r:.60} is not one of the options"


def _id_problems(blocks: list[Any]) -> Iterator[str]:
    block_ids = [b["block_id"] for b in blocks if isinstance(b, dict) and "block_id" in b]
    action_ids = [
        e["action_id"]
        for b in blocks
        if isinstance(b, dict)
        for e in _elements(b)
        if "action_id" in e
    ]
    for kind, ids in (("block_id", block_ids), ("action_id", action_ids)):
        for value in ids:
            if not isinstance(value, str) or not 0 < len(value) <= MAX_ID:
                yield f"{kind} {str(value)[:40]!r}... is not 1 to {MAX_ID} characters"
        repeated = sorted({str(v) for v in ids if ids.count(v) > 1})
        if repeated:
            yield f"{kind} used twice: {repeated}"


def _elements(block: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The interactive elements of a block: an actions row's, an accessory, an input's."""
    found: list[Any] = []
    if block.get("type") == "actions":
        found.extend(block.get("elements") or [])
    for key in ("accessory", "element"):
        if key in block:
            found.append(block[key])
    return [e for e in found if isinstance(e, Mapping)]
