"""Golden Slack payloads from tests/fixtures/slack, with the fields a test cares about changed."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "slack"


@cache
def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def load(name: str) -> dict[str, Any]:
    """A fresh copy of fixture ``name`` (without .json)."""
    return copy.deepcopy(_load(name))


def command(text: str, **fields: str) -> dict[str, Any]:
    """A /mlcareer slash command payload (form fields)."""
    form = load("slash_command")
    form["text"] = text
    form.update(fields)
    return form


def event(name: str, event_id: str | None = None, **fields: Any) -> dict[str, Any]:
    """An event_callback body from fixture ``name`` with event fields replaced."""
    body = load(name)
    body["event"].update(fields)
    if event_id is not None:
        body["event_id"] = event_id
    return body


def action(name: str, *, value: str | None = None, **fields: Any) -> dict[str, Any]:
    """A block_actions payload from fixture ``name``; ``value`` replaces the button value."""
    body = load(name)
    if value is not None:
        body["actions"][0]["value"] = value
    body.update(fields)
    return body
