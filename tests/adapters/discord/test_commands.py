"""The /mlcareer definition: generated from the knowledge base, within Discord's limits."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import pytest

from bot.adapters.discord.commands import (
    ASK_MESSAGE,
    command_definition,
    command_definitions,
    limit_problems,
    message_command,
    same_commands,
)
from bot.knowledge.model import KnowledgeBase
from tests.adapters.discord import discord_rules as rules
from tests.shipped import SECTION_IDS


def names(options: list[dict[str, Any]]) -> list[str]:
    return [option["name"] for option in options]


def test_one_subcommand_per_section_plus_the_fixed_ones(knowledge: KnowledgeBase) -> None:
    definition = command_definition(knowledge)
    assert definition["name"] == "mlcareer"
    assert names(definition["options"]) == [
        *SECTION_IDS,
        "ask",
        "tip",
        "topics",
        "about",
        "help",
        "report",
        "forget",
        "tips",
    ]
    tips = definition["options"][-1]
    assert tips["type"] == 2
    assert names(tips["options"]) == ["on", "off", "status", "now"]
    assert names(tips["options"][0]["options"]) == ["time", "timezone", "days"]
    ask = next(o for o in definition["options"] if o["name"] == "ask")
    assert ask["options"][0]["autocomplete"] is True


def test_the_shipped_definition_is_within_discords_limits(knowledge: KnowledgeBase) -> None:
    assert limit_problems(command_definition(knowledge)) == []


def test_limit_problems_catches_each_kind_of_violation(knowledge: KnowledgeBase) -> None:
    definition = command_definition(knowledge)
    broken = copy.deepcopy(definition)
    broken["options"].extend(
        {"type": 1, "name": f"extra-{i}", "description": "x", "options": []} for i in range(12)
    )
    broken["options"][0]["name"] = "Skills"
    broken["options"][1]["description"] = "d" * 101
    broken["options"][2]["options"] = [
        {"type": 3, "name": "a", "description": "a", "required": False},
        {"type": 3, "name": "b", "description": "b", "required": True},
    ]
    broken["options"][3]["options"] = [
        {
            "type": 3,
            "name": "c",
            "description": "c",
            "choices": [{"name": "n" * 101, "value": "v"}] * 26,
        }
    ]
    problems = "\n".join(limit_problems(broken))
    assert "options; Discord allows 25" in problems
    assert "'Skills'" in problems
    assert "description must be 1-100" in problems
    assert "required option must come before" in problems
    assert "26 choices" in problems
    assert "choice name must be 1-100" in problems
    assert "characters; Discord allows 4000" in problems


def stored(definition: dict[str, Any]) -> dict[str, Any]:
    """What the API returns: ids, a version and defaults added to what was sent."""
    copied = copy.deepcopy(definition)
    copied.update(id="1", application_id="2", version="3", default_member_permissions=None)

    def add_defaults(options: list[dict[str, Any]]) -> None:
        for option in options:
            if option["type"] in (1, 2):
                add_defaults(option.setdefault("options", []))
            else:
                option.setdefault("required", False)
            option["name_localizations"] = None

    add_defaults(copied["options"])
    return copied


def test_same_commands_ignores_what_the_api_adds(knowledge: KnowledgeBase) -> None:
    definition = command_definition(knowledge)
    assert same_commands([stored(definition)], [definition])


def test_same_commands_sees_a_changed_or_extra_command(knowledge: KnowledgeBase) -> None:
    definition = command_definition(knowledge)
    changed = stored(definition)
    changed["options"][0]["description"] = "Something else"
    assert not same_commands([changed], [definition])
    assert not same_commands([], [definition])
    stale = {"name": "old", "description": "gone", "type": 1}
    assert not same_commands([stored(definition), stale], [definition])


def test_section_subcommands_follow_the_knowledge_base(knowledge: KnowledgeBase) -> None:
    """A section the knowledge base lacks gets no subcommand; a section's description comes
    from its entry's title."""
    entries = tuple(
        replace(entry, title="What an ML engineer must know") if entry.id == "skills" else entry
        for entry in knowledge.entries
        if entry.id != "salary"
    )
    trimmed = KnowledgeBase(
        entries=entries,
        tips=knowledge.tips,
        vocabulary=knowledge.vocabulary,
        sections=knowledge.sections,
    )
    definition = command_definition(trimmed)
    subcommands = {option["name"]: option for option in definition["options"]}
    assert "salary" not in subcommands
    assert subcommands["skills"]["description"] == "Skills: What an ML engineer must know"
    tip_topics = [choice["value"] for choice in subcommands["tip"]["options"][0]["choices"]]
    assert "salary" not in tip_topics
    assert limit_problems(definition) == []


def test_a_very_long_entry_title_still_gives_a_valid_description(knowledge: KnowledgeBase) -> None:
    entries = tuple(
        replace(entry, title="word " * 40) if entry.id == "skills" else entry
        for entry in knowledge.entries
    )
    long_titles = KnowledgeBase(
        entries=entries,
        tips=knowledge.tips,
        vocabulary=knowledge.vocabulary,
        sections=knowledge.sections,
    )
    definition = command_definition(long_titles)
    skills = next(option for option in definition["options"] if option["name"] == "skills")
    assert len(skills["description"]) == 100
    assert rules.commands_problems([definition]) == []


@pytest.mark.parametrize("user_install", [True, False])
def test_global_and_server_definitions(knowledge: KnowledgeBase, user_install: bool) -> None:
    """Both commands in each scope; only global ones say where they work."""
    server = command_definitions(knowledge, global_scope=False, user_install=user_install)
    assert server == [command_definition(knowledge), message_command()]
    everywhere = command_definitions(knowledge, global_scope=True, user_install=user_install)
    assert [c["name"] for c in everywhere] == ["mlcareer", ASK_MESSAGE]
    for command in everywhere:
        assert command["integration_types"] == ([0, 1] if user_install else [0])
        assert command["contexts"] == ([0, 1, 2] if user_install else [0, 1])
        assert limit_problems(command) == []
    installs = frozenset({0, 1} if user_install else {0})
    assert rules.commands_problems(everywhere, installs=installs) == []
    assert rules.commands_problems(server, guild=True) == []


def test_the_message_command_is_within_discords_limits() -> None:
    assert len(ASK_MESSAGE) <= 32
    assert limit_problems(message_command()) == []
    problems = limit_problems({**message_command(), "name": "x" * 33, "description": "d"})
    assert len(problems) == 2


def test_same_commands_reads_a_message_command_back(knowledge: KnowledgeBase) -> None:
    """Discord answers ``description: ""`` for a message command it was sent without one."""
    wanted = command_definitions(knowledge, global_scope=True, user_install=True)
    read_back = [stored(wanted[0]), {**wanted[1], "id": "9", "description": ""}]
    assert same_commands(read_back, wanted)
    assert not same_commands([stored(wanted[0])], wanted)
