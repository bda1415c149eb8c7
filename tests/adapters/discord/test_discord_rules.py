"""The fake's copy of Discord's rules: it must refuse what Discord refuses, or the adapter's
tests would pass on payloads the real API rejects."""

from __future__ import annotations

import copy
from typing import Any

import aiohttp
import pytest

from bot.adapters.discord.commands import command_definition
from bot.knowledge.model import KnowledgeBase
from tests.adapters.discord import discord_rules as rules
from tests.adapters.discord import fake_discord as fake
from tests.adapters.discord.fake_discord import FakeDiscord

BUTTON = {"type": 2, "style": 2, "label": "Skills", "custom_id": "mlcareer:topic:skills"}
EMBED = {"title": "Skills", "description": "Text", "footer": {"text": "Article section"}}


def row(*buttons: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(buttons)}


def button(number: int, **changes: Any) -> dict[str, Any]:
    return {**BUTTON, "custom_id": f"mlcareer:topic:{number}", **changes}


def test_the_shipped_command_definition_is_valid_for_discord(knowledge: KnowledgeBase) -> None:
    assert rules.commands_problems([command_definition(knowledge)]) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda c: c.update(name="MLCareer"), "invalid name"),
        (lambda c: c.update(name="ml career"), "invalid name"),
        (lambda c: c.update(name="m" * 33), "invalid name"),
        (lambda c: c["options"][0].update(name="a.b"), "invalid name"),
        (lambda c: c["options"][0].update(description=""), "description must be 1-100"),
        (lambda c: c["options"][0].update(description="d" * 101), "description must be 1-100"),
        (lambda c: c["options"].extend([c["options"][0]] * 20), "options; at most 25"),
        (lambda c: c["options"].append(c["options"][0]), "option names repeat"),
        (
            lambda c: c["options"].append({"type": 3, "name": "x", "description": "x"}),
            "can't be mixed",
        ),
        (lambda c: c.update(contexts=[0, 7]), "contexts"),
        (lambda c: _pad(c), "characters in all"),
    ],
)
def test_command_rules_catch_what_discord_refuses(
    knowledge: KnowledgeBase, change: Any, problem: str
) -> None:
    command = copy.deepcopy(command_definition(knowledge))
    change(command)
    assert problem in "\n".join(rules.commands_problems([command]))


def test_padding_alone_breaks_only_the_total(knowledge: KnowledgeBase) -> None:
    command = copy.deepcopy(command_definition(knowledge))
    _pad(command)
    (problem,) = rules.commands_problems([command])
    assert "characters in all" in problem


def _pad(command: dict[str, Any]) -> None:
    """Push the command past 4,000 characters with long (but individually valid) texts."""

    def pad(options: list[dict[str, Any]]) -> None:
        for option in options:
            option["description"] = "d" * 100
            for number, choice in enumerate(option.get("choices", [])):
                choice.update(name=chr(ord("a") + number) * 100, value=chr(ord("a") + number) * 100)
            pad(option.get("options", []))

    pad(command["options"])


@pytest.mark.parametrize(
    ("option", "problem"),
    [
        ({"required": True, "after_optional": True}, "required options must come first"),
        ({"choices": [{"name": "a", "value": "a"}], "autocomplete": True}, "exclude each other"),
        ({"choices": [{"name": "a", "value": "a"}] * 26}, "26 choices"),
        ({"choices": [{"name": "n" * 101, "value": "a"}]}, "choice name must be 1-100"),
        ({"choices": [{"name": "a", "value": "v" * 101}]}, "choice value must be 1-100"),
        ({"max_length": 6001}, "max_length must be 1-6000"),
    ],
)
def test_option_rules_catch_what_discord_refuses(option: dict[str, Any], problem: str) -> None:
    after_optional = option.pop("after_optional", False)
    tested = {"type": 3, "name": "q", "description": "q", **option}
    options = [{"type": 3, "name": "first", "description": "f"}] if after_optional else []
    sub = {"type": 1, "name": "ask", "description": "a", "options": [*options, tested]}
    command = {"type": 1, "name": "mlcareer", "description": "m", "options": [sub]}
    assert problem in "\n".join(rules.commands_problems([command]))


def test_a_valid_message_passes() -> None:
    body = {"embeds": [EMBED], "components": [row(BUTTON)], "allowed_mentions": {"parse": []}}
    assert rules.message_problems(body) == []
    assert rules.mentions_problems(body) == []


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"content": "x" * 2001}, "content: at most 2000"),
        ({}, "empty message"),
        ({"embeds": [EMBED] * 11}, "embeds: at most 10"),
        ({"embeds": [{"title": "t" * 257}]}, "title: 1-256"),
        ({"embeds": [{"description": "d" * 4097}]}, "description: 1-4096"),
        ({"embeds": [{"title": "t", "fields": [{"name": "n", "value": "v"}] * 26}]}, "fields: at"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, "value: 1-1024"),
        ({"embeds": [{"fields": [{"name": "", "value": "v"}]}]}, "name: 1-256"),
        ({"embeds": [{"footer": {"text": "f" * 2049}}]}, "footer.text: 1-2048"),
        ({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}, "6001 char"),
        ({"embeds": [{"color": 1}]}, "an embed needs some text"),
        ({"components": [row(*(button(n) for n in range(6)))]}, "holds 1-5 buttons"),
        ({"components": [row(button(n)) for n in range(6)]}, "at most 5 action rows"),
        ({"components": [row(button(1, custom_id="c" * 101))]}, "custom_id must be 1-100"),
        ({"components": [row(button(1, label="l" * 81))]}, "label must be 1-80"),
        ({"components": [row(BUTTON, BUTTON)]}, "custom ids must be unique"),
        ({"components": [BUTTON]}, "must be action rows"),
    ],
)
def test_message_rules_catch_what_discord_refuses(body: dict[str, Any], problem: str) -> None:
    assert problem in "\n".join(rules.message_problems(body))


@pytest.mark.parametrize(
    "allowed",
    [
        None,
        {},
        {"parse": ["everyone"]},
        {"parse": [], "users": ["1"]},
        {"parse": [], "roles": ["2"]},
        {"parse": [], "replied_user": True},
    ],
)
def test_anything_but_allowed_mentions_none_is_a_problem(allowed: dict[str, Any] | None) -> None:
    body: dict[str, Any] = {"content": "hi"}
    if allowed is not None:
        body["allowed_mentions"] = allowed
    assert rules.mentions_problems(body)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"type": 3}, "unknown interaction callback type"),
        ({"type": 4, "data": {}}, "empty message"),
        ({"type": 8, "data": {"choices": [{"name": "a", "value": "a"}] * 26}}, "at most 25"),
        ({"type": 8, "data": {"choices": [{"name": "", "value": "a"}]}}, "choice name"),
        ({"type": 8, "data": {}}, "needs a list of choices"),
    ],
)
def test_callback_rules_catch_what_discord_refuses(body: dict[str, Any], problem: str) -> None:
    assert problem in "\n".join(rules.callback_problems(body))


async def test_the_fake_refuses_and_reports_what_discord_would_refuse() -> None:
    """Invalid bodies get Discord's 400, a second acknowledgement 40060, a follow-up before
    any acknowledgement 404; each lands in ``problems`` so the harness fails the test."""
    server = FakeDiscord()
    await server.start()
    auth = {"Authorization": f"Bot {fake.TOKEN}"}
    callback = f"{server.api_url}/interactions/1/tok/callback"
    reply = {"type": 4, "data": {"embeds": [EMBED], "allowed_mentions": {"parse": []}}}
    try:
        async with aiohttp.ClientSession() as http:
            posted = await http.post(
                f"{server.api_url}/channels/{fake.CHANNEL_ID}/messages",
                json={"content": "x" * 2001, "allowed_mentions": {"parse": []}},
                headers=auth,
            )
            early = await http.post(f"{server.api_url}/webhooks/1/tok", json={"content": "a"})
            first = await http.post(callback, json=reply)
            second = await http.post(callback, json=reply)
            assert (posted.status, early.status, first.status, second.status) == (
                400,
                404,
                200,
                400,
            )
            assert (await posted.json())["code"] == 50035
            assert (await second.json())["code"] == 40060
    finally:
        await server.close()
    with pytest.raises(AssertionError, match="content: at most 2000"):
        server.assert_no_problems()


MESSAGE_COMMAND = {"type": 3, "name": "Ask mlcareer about this message"}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda c: c.update(description="Ask about it"), "may not have a description"),
        (lambda c: c.update(name="A" * 33), "invalid message command name"),
        (lambda c: c.update(name=" "), "invalid message command name"),
        (lambda c: c.update(options=[{"type": 3, "name": "q", "description": "q"}]), "no options"),
    ],
)
def test_message_command_rules_catch_what_discord_refuses(change: Any, problem: str) -> None:
    command = dict(MESSAGE_COMMAND)
    assert rules.commands_problems([command]) == []  # capitals and spaces are fine here
    change(command)
    assert problem in "\n".join(rules.commands_problems([command]))


@pytest.mark.parametrize("key", ["contexts", "integration_types"])
def test_server_commands_may_not_carry_global_only_fields(
    knowledge: KnowledgeBase, key: str
) -> None:
    command = {**command_definition(knowledge), key: [0]}
    assert rules.commands_problems([command]) == []
    assert "only for global commands" in "\n".join(rules.commands_problems([command], guild=True))


def test_user_installs_need_the_application_to_offer_them(knowledge: KnowledgeBase) -> None:
    command = {**command_definition(knowledge), "integration_types": [0, 1]}
    assert rules.commands_problems([command], installs=frozenset({0, 1})) == []
    problems = rules.commands_problems([command], installs=frozenset({0}))
    assert "not installable as [0, 1]" in "\n".join(problems)
