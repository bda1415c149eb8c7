"""The ``/mlcareer`` application command and the "Ask mlcareer" message command.

``command_definition`` returns the JSON Discord receives for ``/mlcareer``, generated from the
knowledge base: one subcommand per knowledge section (``/mlcareer skills``), ``ask`` with
autocomplete, ``tip``, ``topics``, ``about``, ``help`` and the ``tips`` group for daily tips.
``message_command`` is the message context-menu command that asks about a message's text.
``command_definitions`` is both, as one scope (a server, or global) receives them: only global
commands carry ``contexts`` and ``integration_types`` (Discord's rule), which let a user
install the app to themselves and use it in any server, DM or group DM. ``limit_problems``
checks a command against Discord's limits, and ``same_commands`` compares the definitions with
what the API already has, so start-up only writes commands when they changed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.knowledge.model import KnowledgeBase

COMMAND_NAME = "mlcareer"

# Application command option types.
SUB_COMMAND = 1
SUB_COMMAND_GROUP = 2
STRING = 3
CHAT_INPUT = 1
MESSAGE = 3  # a message context-menu command

# Where the command may be used (interaction context types) and how the app is installed.
CONTEXT_GUILD = 0
CONTEXT_BOT_DM = 1
CONTEXT_PRIVATE_CHANNEL = 2  # group DMs and DMs between people (user installs only)
GUILD_INSTALL = 0
USER_INSTALL = 1

# The message command's name, as shown in the message menu's Apps section (at most 32
# characters; message commands may use capitals and spaces).
ASK_MESSAGE = "Ask mlcareer about this message"

# Discord's limits on application commands.
NAME_LIMIT = 32
NAME_PATTERN = re.compile(r"^[-_\w]{1,32}$")
DESCRIPTION_LIMIT = 100
OPTION_LIMIT = 25
CHOICE_LIMIT = 25
CHOICE_NAME_LIMIT = 100
CHOICE_VALUE_LIMIT = 100
COMMAND_TOTAL_LIMIT = 4000  # names, descriptions and choice names/values of the whole command

# The words each plain subcommand sends to the router (the router's text form).
FIXED_SUBCOMMANDS: tuple[tuple[str, str], ...] = (
    ("topics", "Everything I can answer, by section"),
    ("about", "Where my answers come from"),
    ("help", "How to use mlcareer"),
    ("report", "This week's question report (Manage Server; only you see it)"),
    ("forget", "Delete every question and vote of yours that I stored"),
)
ASK = "ask"
QUESTION = "question"
TIP = "tip"
TIP_TOPIC = "topic"
TIPS = "tips"
# ``/mlcareer tips on`` options, in the order the router expects them.
TIPS_ON_OPTIONS = ("time", "timezone", "days")
DAYS_CHOICES = ("daily", "weekdays")
QUESTION_MAX_LENGTH = 1000


def command_definition(knowledge: KnowledgeBase) -> dict[str, Any]:
    """The ``/mlcareer`` chat-input command as Discord's bulk-overwrite endpoint expects it."""
    options: list[dict[str, Any]] = []
    for section in knowledge.sections:
        entry = knowledge.by_id.get(section.id)
        if entry is None or not section.subcommand:
            continue
        options.append(subcommand(section.id, fit_description(f"{section.name}: {entry.title}")))
    options.append(
        subcommand(
            ASK,
            "Ask any question about ML engineering careers",
            [
                {
                    "type": STRING,
                    "name": QUESTION,
                    "description": "Your question in your own words; pick a topic or keep typing",
                    "required": True,
                    "autocomplete": True,
                    "max_length": QUESTION_MAX_LENGTH,
                }
            ],
        )
    )
    section_choices = [
        {"name": section.name, "value": section.id}
        for section in knowledge.listed_sections
        if section.id in knowledge.by_id
    ]
    options.append(
        subcommand(
            TIP,
            "A random tip from the article",
            [
                {
                    "type": STRING,
                    "name": TIP_TOPIC,
                    "description": "Only tips from this part of the article",
                    "required": False,
                    "choices": section_choices[:CHOICE_LIMIT],
                }
            ],
        )
    )
    options.extend(subcommand(name, description) for name, description in FIXED_SUBCOMMANDS)
    options.append(tips_group())
    return {
        "type": CHAT_INPUT,
        "name": COMMAND_NAME,
        "description": "Career advice on becoming and growing as a machine learning engineer",
        "options": options,
    }


def message_command() -> dict[str, Any]:
    """The message menu's "Ask mlcareer about this message" (Discord refuses a description on
    message commands)."""
    return {"type": MESSAGE, "name": ASK_MESSAGE}


def command_definitions(
    knowledge: KnowledgeBase, *, global_scope: bool, user_install: bool
) -> list[dict[str, Any]]:
    """Every command of the app, as one bulk overwrite of a scope sends them.

    Global commands say where they work: installed to a server (used there and in the bot's
    DM) and, when the application offers it (``user_install``: "User Install" ticked in the
    developer portal, which Discord requires before a command may ask for it), installed to a
    user, usable in any server, DM or group DM. Server commands may not carry these fields.
    """
    commands = [command_definition(knowledge), message_command()]
    if not global_scope:
        return commands
    installs = [GUILD_INSTALL, USER_INSTALL] if user_install else [GUILD_INSTALL]
    contexts = [CONTEXT_GUILD, CONTEXT_BOT_DM]
    if user_install:
        contexts.append(CONTEXT_PRIVATE_CHANNEL)
    scoped = {"contexts": contexts, "integration_types": installs}
    return [{**command, **scoped} for command in commands]


def tips_group() -> dict[str, Any]:
    """``/mlcareer tips on|off|status|now``: daily tips in the current channel."""
    on_options = [
        {
            "type": STRING,
            "name": "time",
            "description": "Time of day to post, 24-hour HH:MM such as 09:00",
            "required": False,
            "max_length": 5,
        },
        {
            "type": STRING,
            "name": "timezone",
            "description": "IANA time zone such as Europe/Berlin",
            "required": False,
            "max_length": 64,
        },
        {
            "type": STRING,
            "name": "days",
            "description": "Every day, or Monday to Friday only",
            "required": False,
            "choices": [{"name": day, "value": day} for day in DAYS_CHOICES],
        },
    ]
    return {
        "type": SUB_COMMAND_GROUP,
        "name": TIPS,
        "description": "Daily tips in this channel (turning them on or off needs Manage Channels)",
        "options": [
            subcommand("on", "Post a tip in this channel every day", on_options),
            subcommand("off", "Stop the daily tips in this channel"),
            subcommand("status", "Show this channel's daily-tip schedule"),
            subcommand("now", "Post a tip in this channel right now"),
        ],
    }


def subcommand(
    name: str, description: str, options: Sequence[dict[str, Any]] = ()
) -> dict[str, Any]:
    """One subcommand option."""
    return {
        "type": SUB_COMMAND,
        "name": name,
        "description": fit_description(description),
        "options": list(options),
    }


def fit_description(text: str) -> str:
    """A description cut to Discord's 100 characters."""
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + "\u2026"


# --- limits --------------------------------------------------------------------------------


def limit_problems(command: Mapping[str, Any]) -> list[str]:
    """Every way ``command`` breaks Discord's rules for its kind of command (empty when valid)."""
    if command.get("type", CHAT_INPUT) == MESSAGE:
        return _message_command_problems(command)
    problems: list[str] = []
    _check_named(command, command.get("name", "?"), problems)
    _check_options(command.get("options", []), command.get("name", "?"), 0, problems)
    total = _characters(command)
    if total > COMMAND_TOTAL_LIMIT:
        problems.append(f"command has {total} characters; Discord allows {COMMAND_TOTAL_LIMIT}")
    return problems


def _message_command_problems(command: Mapping[str, Any]) -> list[str]:
    """Message commands: a 1-32 character name (any case, spaces allowed), no description and
    no options."""
    problems = []
    name = command.get("name", "")
    if not isinstance(name, str) or not name.strip() or len(name) > NAME_LIMIT:
        problems.append(f"message command name {name!r} must be 1-{NAME_LIMIT} characters")
    if command.get("description"):
        problems.append(f"{name}: a message command may not have a description")
    if command.get("options"):
        problems.append(f"{name}: a message command takes no options")
    return problems


def _check_named(item: Mapping[str, Any], path: str, problems: list[str]) -> None:
    name = item.get("name", "")
    if not isinstance(name, str) or not NAME_PATTERN.match(name) or name != name.lower():
        problems.append(f"{path}: name {name!r} must be 1-32 lowercase letters, digits, - or _")
    description = item.get("description", "")
    if not isinstance(description, str) or not 1 <= len(description) <= DESCRIPTION_LIMIT:
        problems.append(f"{path}: description must be 1-{DESCRIPTION_LIMIT} characters")


def _check_options(
    options: Sequence[Mapping[str, Any]], path: str, depth: int, problems: list[str]
) -> None:
    if len(options) > OPTION_LIMIT:
        problems.append(f"{path}: {len(options)} options; Discord allows {OPTION_LIMIT}")
    names = [option.get("name") for option in options]
    if len(set(names)) != len(names):
        problems.append(f"{path}: option names repeat")
    kinds = {option.get("type") for option in options}
    if {SUB_COMMAND, SUB_COMMAND_GROUP} & kinds and kinds - {SUB_COMMAND, SUB_COMMAND_GROUP}:
        problems.append(f"{path}: subcommands can't sit beside plain options")
    seen_optional = False
    for option in options:
        where = f"{path} {option.get('name', '?')}"
        _check_named(option, where, problems)
        kind = option.get("type")
        if kind == SUB_COMMAND_GROUP:
            if depth != 0:
                problems.append(f"{where}: a subcommand group may only sit at the top level")
            inner = option.get("options", [])
            if any(child.get("type") != SUB_COMMAND for child in inner):
                problems.append(f"{where}: a subcommand group may only hold subcommands")
            _check_options(inner, where, depth + 1, problems)
        elif kind == SUB_COMMAND:
            _check_options(option.get("options", []), where, depth + 1, problems)
        else:
            required = bool(option.get("required", False))
            if required and seen_optional:
                problems.append(f"{where}: a required option must come before optional ones")
            seen_optional = seen_optional or not required
            choices = option.get("choices", [])
            if choices and option.get("autocomplete"):
                problems.append(f"{where}: an option can't have both choices and autocomplete")
            if len(choices) > CHOICE_LIMIT:
                problems.append(f"{where}: {len(choices)} choices; Discord allows {CHOICE_LIMIT}")
            for choice in choices:
                problems.extend(choice_problems(choice, where))


def choice_problems(choice: Mapping[str, Any], where: str = "choice") -> list[str]:
    """What is wrong with one option or autocomplete choice."""
    problems = []
    name = choice.get("name", "")
    if not isinstance(name, str) or not 1 <= len(name) <= CHOICE_NAME_LIMIT:
        problems.append(f"{where}: choice name must be 1-{CHOICE_NAME_LIMIT} characters")
    value = choice.get("value")
    if isinstance(value, str) and not 1 <= len(value) <= CHOICE_VALUE_LIMIT:
        problems.append(f"{where}: choice value must be 1-{CHOICE_VALUE_LIMIT} characters")
    return problems


def _characters(item: Mapping[str, Any]) -> int:
    total = len(item.get("name", "")) + len(item.get("description", ""))
    for choice in item.get("choices", []):
        total += len(str(choice.get("name", ""))) + len(str(choice.get("value", "")))
    for option in item.get("options", []):
        total += _characters(option)
    return total


# --- comparing with what Discord has -------------------------------------------------------


def same_commands(
    existing: Sequence[Mapping[str, Any]], wanted: Sequence[Mapping[str, Any]]
) -> bool:
    """True when the API's commands already match ``wanted`` in everything the bot sets.

    The API adds ids, versions and defaults (``required: false`` and the like) to what it was
    sent, so both sides are reduced to the same canonical form before comparing.
    """
    have = sorted((canonical(command) for command in existing), key=repr)
    want = sorted((canonical(command) for command in wanted), key=repr)
    return have == want


def canonical(command: Mapping[str, Any]) -> dict[str, Any]:
    """A command reduced to the fields the bot defines, with Discord's defaults filled in."""
    return {
        "type": command.get("type", CHAT_INPUT),
        "name": command.get("name"),
        "description": command.get("description", ""),
        "contexts": sorted(command.get("contexts") or []),
        "integration_types": sorted(command.get("integration_types") or [GUILD_INSTALL]),
        "options": [_canonical_option(option) for option in command.get("options") or []],
    }


def _canonical_option(option: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "type": option.get("type"),
        "name": option.get("name"),
        "description": option.get("description", ""),
        "required": bool(option.get("required", False)),
        "autocomplete": bool(option.get("autocomplete", False)),
        "min_length": option.get("min_length"),
        "max_length": option.get("max_length"),
        "choices": [(c.get("name"), c.get("value")) for c in option.get("choices") or []],
        "options": [_canonical_option(child) for child in option.get("options") or []],
    }
