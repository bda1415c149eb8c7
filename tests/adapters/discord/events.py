"""Gateway event payloads for tests, built from the golden payloads in tests/fixtures/discord.

Each fixture is one real-shaped ``d`` object of an INTERACTION_CREATE or MESSAGE_CREATE event.
The builders copy one and give it fresh ids, a fresh interaction token and the test's content,
so every pushed event is distinct while its shape stays exactly the golden one.
"""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

from tests.adapters.discord import fake_discord as fake

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "discord"
_ids = itertools.count(600000000000000001)


def fixture(name: str) -> dict[str, Any]:
    """A golden payload, parsed (a fresh copy each time)."""
    loaded: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return loaded


def fresh_id() -> str:
    return str(next(_ids))


def interaction(name: str, **changes: Any) -> dict[str, Any]:
    """The fixture ``name`` with a new id and token, and ``changes`` applied on top."""
    payload = fixture(name)
    payload["id"] = fresh_id()
    payload["token"] = f"fake-interaction-token-{payload['id']}"
    payload.update(changes)
    return payload


def command(
    subcommand: str,
    options: dict[str, str] | None = None,
    *,
    group: str | None = None,
    moderator: bool = False,
    dm: bool = False,
) -> dict[str, Any]:
    """INTERACTION_CREATE for ``/mlcareer [group] subcommand option:value ...``."""
    base = "command_dm_help" if dm else "command_tips_on" if moderator else "command_skills"
    payload = interaction(base)
    sub = {
        "name": subcommand,
        "type": 1,
        "options": [{"name": k, "type": 3, "value": v} for k, v in (options or {}).items()],
    }
    top = {"name": group, "type": 2, "options": [sub]} if group else sub
    payload["data"]["options"] = [top]
    return payload


def autocomplete(typed: str) -> dict[str, Any]:
    """INTERACTION_CREATE (type 4) while the user types ``typed`` into ``ask question``."""
    payload = interaction("autocomplete_ask")
    payload["data"]["options"][0]["options"][0]["value"] = typed
    return payload


def click(custom_id: str, message: dict[str, Any], *, dm: bool = False) -> dict[str, Any]:
    """INTERACTION_CREATE (type 3) for a click on a button of ``message``."""
    payload = interaction("button_topic")
    payload["data"]["custom_id"] = custom_id
    payload["message"] = copy.deepcopy(message)
    if message.get("flags", 0) & 64:
        payload["message"]["flags"] = 64
    if dm:
        dm_base = fixture("command_dm_help")
        for key in ("guild_id", "member", "guild"):
            payload.pop(key, None)
        payload["user"] = dm_base["user"]
        payload["channel_id"] = dm_base["channel_id"]
        payload["channel"] = dm_base["channel"]
        payload["context"] = 1
    return payload


def message(
    content: str,
    *,
    fixture_name: str = "message_mention",
    author: str = fake.USER_ID,
    mention_bot: bool = True,
) -> dict[str, Any]:
    """MESSAGE_CREATE ``d``: the fixture with new ids and ``content``; in a server the
    ``mentions`` list names the bot when ``mention_bot`` (as Discord fills it in)."""
    payload = fixture(fixture_name)
    payload["id"] = fresh_id()
    payload["content"] = content
    payload["author"] = fake.USERS[author]
    if "guild_id" in payload:
        payload["member"] = {k: v for k, v in fake.member(author).items() if k != "user"}
        payload["mentions"] = (
            [{**fake.BOT_USER, "member": fake.member(fake.BOT_ID)}] if (mention_bot) else []
        )
    return payload
