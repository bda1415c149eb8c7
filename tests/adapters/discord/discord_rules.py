"""What Discord's API accepts, written from Discord's documentation for the fake to enforce.

This module deliberately shares nothing with ``bot/adapters/discord``: the bot's own limit
checks could be wrong in the same way as the payloads they check, so the fake judges every
body it receives by these rules instead and refuses what Discord would refuse (400, "Invalid
Form Body"). Sources: Discord developer documentation, "Application Commands" (naming,
command and option structure, limits), "Message Components" (action rows, buttons),
"Receiving and Responding" (callback types, autocomplete) and "Channel > Embed Limits".

``mentions_problems`` is the one rule Discord doesn't enforce: the bot's own promise that no
message it sends can ping anyone.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

# Application commands.
COMMANDS_PER_SCOPE = 100
NAME_MAX = 32
DESCRIPTION_MAX = 100
OPTIONS_MAX = 25
CHOICES_MAX = 25
CHOICE_NAME_MAX = 100
CHOICE_STRING_VALUE_MAX = 100
STRING_LENGTH_MAX = 6000
COMMAND_CHARACTERS_MAX = 4000
SUB_COMMAND, SUB_COMMAND_GROUP, STRING = 1, 2, 3
OPTION_TYPES = range(1, 12)
CHAT_INPUT_COMMAND, MESSAGE_COMMAND = 1, 3
CONTEXTS = {0, 1, 2}
INTEGRATION_TYPES = {0, 1}

# Messages and embeds.
CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_NAME_MAX = 256
EMBEDS_TOTAL_MAX = 6000  # title, description, fields, footer and author of all embeds

# Components.
ACTION_ROW, BUTTON = 1, 2
ROWS_MAX = 5
BUTTONS_PER_ROW_MAX = 5
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
BUTTON_STYLES_WITH_ID = {1, 2, 3, 4}
LINK_STYLE = 5

# Interaction callbacks.
CALLBACK_TYPES = {1, 4, 5, 6, 7, 8, 9, 10, 12}
MESSAGE_CALLBACKS = {4, 7}
AUTOCOMPLETE_RESULT = 8


def _valid_name(name: Any) -> bool:
    """Discord's ``^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$``, lowercase where a
    lowercase form exists (Devanagari and Thai marks are left out: the bot uses none)."""
    if not isinstance(name, str) or not 1 <= len(name) <= NAME_MAX or name != name.lower():
        return False
    return all(ch in "-_'" or unicodedata.category(ch)[0] in "LN" for ch in name)


def _length_between(value: Any, low: int, high: int) -> bool:
    return isinstance(value, str) and low <= len(value) <= high


# --- application commands ------------------------------------------------------------------


def commands_problems(
    commands: Any, *, guild: bool = False, installs: frozenset[int] = frozenset({0, 1})
) -> list[str]:
    """Why Discord would refuse a bulk overwrite of ``commands`` (empty when it would not):
    ``guild`` for one server's commands, ``installs`` the installation contexts the
    application offers (its "Installation" settings)."""
    if not isinstance(commands, list):
        return ["body: a bulk overwrite takes a JSON array of commands"]
    problems: list[str] = []
    if len(commands) > COMMANDS_PER_SCOPE:
        problems.append(f"body: more than {COMMANDS_PER_SCOPE} commands")
    names = [(command.get("type", 1), command.get("name")) for command in commands]
    if len(set(names)) != len(names):
        problems.append("body: two commands of one type share a name")
    for command in commands:
        problems.extend(command_problems(command, guild=guild, installs=installs))
    return problems


def command_problems(
    command: Mapping[str, Any], *, guild: bool = False, installs: frozenset[int] = frozenset({0, 1})
) -> list[str]:
    """Why Discord would refuse one chat-input or message command."""
    where = str(command.get("name", "?"))
    kind = command.get("type", CHAT_INPUT_COMMAND)
    problems = _scope_problems(command, where, guild, installs)
    if kind == MESSAGE_COMMAND:
        return problems + _message_command_problems(command, where)
    if kind != CHAT_INPUT_COMMAND:
        return [*problems, f"{where}: only chat-input and message commands are checked here"]
    problems.extend(_named_problems(command, where))
    problems.extend(_options_problems(command.get("options") or [], where, level=0))
    total = _characters(command)
    if total > COMMAND_CHARACTERS_MAX:
        problems.append(f"{where}: {total} characters in all; at most {COMMAND_CHARACTERS_MAX}")
    return problems


def _scope_problems(
    command: Mapping[str, Any], where: str, guild: bool, installs: frozenset[int]
) -> list[str]:
    """``contexts`` and ``integration_types`` are for global commands only; they name known
    values, and only installation contexts the application itself offers."""
    problems = []
    for key in ("contexts", "integration_types"):
        if guild and command.get(key) is not None:
            problems.append(f"{where}: {key} is only for global commands")
    if not set(command.get("contexts") or []) <= CONTEXTS:
        problems.append(f"{where}: contexts must be among {sorted(CONTEXTS)}")
    wanted = set(command.get("integration_types") or [])
    if not wanted <= INTEGRATION_TYPES:
        problems.append(f"{where}: integration_types must be among {sorted(INTEGRATION_TYPES)}")
    elif not wanted <= installs:
        problems.append(f"{where}: the application is not installable as {sorted(wanted)}")
    return problems


def _message_command_problems(command: Mapping[str, Any], where: str) -> list[str]:
    """Message commands: 1-32 characters of any case, spaces allowed; no description (the
    API refuses one, and answers ``""`` when read back) and no options."""
    problems = []
    name = command.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > NAME_MAX:
        problems.append(f"{where}: invalid message command name {name!r}")
    if command.get("description"):
        problems.append(f"{where}: a message command may not have a description")
    if command.get("options"):
        problems.append(f"{where}: a message command takes no options")
    return problems


def _named_problems(item: Mapping[str, Any], where: str) -> list[str]:
    problems = []
    if not _valid_name(item.get("name")):
        problems.append(f"{where}: invalid name {item.get('name')!r}")
    if not _length_between(item.get("description"), 1, DESCRIPTION_MAX):
        problems.append(f"{where}: description must be 1-{DESCRIPTION_MAX} characters")
    return problems


def _options_problems(options: Sequence[Mapping[str, Any]], where: str, level: int) -> list[str]:
    """``level`` 0: the command's own options; 1: a group's or subcommand's; 2: a grouped
    subcommand's."""
    problems: list[str] = []
    if len(options) > OPTIONS_MAX:
        problems.append(f"{where}: {len(options)} options; at most {OPTIONS_MAX}")
    names = [option.get("name") for option in options]
    if len(set(names)) != len(names):
        problems.append(f"{where}: option names repeat")
    kinds = [option.get("type") for option in options]
    nesting = [kind in (SUB_COMMAND, SUB_COMMAND_GROUP) for kind in kinds]
    if any(nesting) and not all(nesting):
        problems.append(f"{where}: subcommands and plain options can't be mixed")
    optional_seen = False
    for option in options:
        inner = f"{where} {option.get('name', '?')}"
        kind = option.get("type")
        problems.extend(_named_problems(option, inner))
        if kind not in OPTION_TYPES:
            problems.append(f"{inner}: unknown option type {kind!r}")
        elif kind == SUB_COMMAND_GROUP:
            if level != 0:
                problems.append(f"{inner}: groups may only sit on the command itself")
            children = option.get("options") or []
            if not children or any(child.get("type") != SUB_COMMAND for child in children):
                problems.append(f"{inner}: a group holds one or more subcommands only")
            problems.extend(_options_problems(children, inner, level + 1))
        elif kind == SUB_COMMAND:
            if level > 1:
                problems.append(f"{inner}: subcommands nest at most inside one group")
            problems.extend(_options_problems(option.get("options") or [], inner, 2))
        else:
            required = bool(option.get("required"))
            if required and optional_seen:
                problems.append(f"{inner}: required options must come first")
            optional_seen = optional_seen or not required
            problems.extend(_value_option_problems(option, inner))
    return problems


def _value_option_problems(option: Mapping[str, Any], where: str) -> list[str]:
    problems = []
    choices = option.get("choices") or []
    if choices and option.get("autocomplete"):
        problems.append(f"{where}: autocomplete and choices exclude each other")
    if len(choices) > CHOICES_MAX:
        problems.append(f"{where}: {len(choices)} choices; at most {CHOICES_MAX}")
    problems.extend(p for choice in choices for p in choice_problems(choice, where))
    for key, low in (("min_length", 0), ("max_length", 1)):
        if key in option and option.get("type") != STRING:
            problems.append(f"{where}: {key} is for string options")
        value = option.get(key)
        if value is not None and not (isinstance(value, int) and low <= value <= STRING_LENGTH_MAX):
            problems.append(f"{where}: {key} must be {low}-{STRING_LENGTH_MAX}")
    return problems


def choice_problems(choice: Mapping[str, Any], where: str = "choice") -> list[str]:
    """Why Discord would refuse one option choice or autocomplete result."""
    problems = []
    if not _length_between(choice.get("name"), 1, CHOICE_NAME_MAX):
        problems.append(f"{where}: choice name must be 1-{CHOICE_NAME_MAX} characters")
    value = choice.get("value")
    if isinstance(value, str):
        if not _length_between(value, 1, CHOICE_STRING_VALUE_MAX):
            problems.append(f"{where}: choice value must be 1-{CHOICE_STRING_VALUE_MAX} characters")
    elif not isinstance(value, int | float) or isinstance(value, bool):
        problems.append(f"{where}: choice value must be a string or a number")
    return problems


def _characters(item: Mapping[str, Any]) -> int:
    """Characters counted against the 4,000 limit: names, descriptions and choice values."""
    total = len(str(item.get("name", ""))) + len(str(item.get("description", "")))
    for choice in item.get("choices") or []:
        total += len(str(choice.get("name", ""))) + len(str(choice.get("value", "")))
    return total + sum(_characters(option) for option in item.get("options") or [])


# --- messages ------------------------------------------------------------------------------


def message_problems(body: Mapping[str, Any], *, new: bool = True) -> list[str]:
    """Why Discord would refuse a message body (create, follow-up, callback data or edit).

    ``new`` messages must carry something to show; an edit may change a single field.
    """
    problems: list[str] = []
    content = body.get("content")
    if content is not None and not _length_between(content, 0, CONTENT_MAX):
        problems.append(f"content: at most {CONTENT_MAX} characters")
    embeds = body.get("embeds") or []
    components = body.get("components") or []
    if new and not (content or embeds or components or body.get("attachments")):
        problems.append("message: cannot send an empty message")
    if len(embeds) > EMBEDS_MAX:
        problems.append(f"embeds: at most {EMBEDS_MAX}")
    for number, embed in enumerate(embeds):
        problems.extend(embed_problems(embed, f"embeds[{number}]"))
    total = sum(_embed_characters(embed) for embed in embeds)
    if total > EMBEDS_TOTAL_MAX:
        problems.append(f"embeds: {total} characters in all; at most {EMBEDS_TOTAL_MAX}")
    problems.extend(components_problems(components))
    return problems


def embed_problems(embed: Mapping[str, Any], where: str = "embed") -> list[str]:
    """Why Discord would refuse one embed."""
    problems = []
    limits = (("title", EMBED_TITLE_MAX), ("description", EMBED_DESCRIPTION_MAX))
    for key, limit in limits:
        if key in embed and not _length_between(embed[key], 1, limit):
            problems.append(f"{where}.{key}: 1-{limit} characters")
    fields = embed.get("fields") or []
    if len(fields) > EMBED_FIELDS_MAX:
        problems.append(f"{where}.fields: at most {EMBED_FIELDS_MAX}")
    for number, field in enumerate(fields):
        if not _length_between(field.get("name"), 1, FIELD_NAME_MAX):
            problems.append(f"{where}.fields[{number}].name: 1-{FIELD_NAME_MAX} characters")
        if not _length_between(field.get("value"), 1, FIELD_VALUE_MAX):
            problems.append(f"{where}.fields[{number}].value: 1-{FIELD_VALUE_MAX} characters")
    footer = embed.get("footer")
    if footer is not None and not _length_between(footer.get("text"), 1, FOOTER_MAX):
        problems.append(f"{where}.footer.text: 1-{FOOTER_MAX} characters")
    author = embed.get("author")
    if author is not None and not _length_between(author.get("name"), 1, AUTHOR_NAME_MAX):
        problems.append(f"{where}.author.name: 1-{AUTHOR_NAME_MAX} characters")
    if not any(embed.get(key) for key in ("title", "description", "fields", "footer", "author")):
        problems.append(f"{where}: an embed needs some text")
    return problems


def _embed_characters(embed: Mapping[str, Any]) -> int:
    fields = embed.get("fields") or []
    return (
        len(embed.get("title") or "")
        + len(embed.get("description") or "")
        + sum(len(field.get("name") or "") + len(field.get("value") or "") for field in fields)
        + len((embed.get("footer") or {}).get("text") or "")
        + len((embed.get("author") or {}).get("name") or "")
    )


def components_problems(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Why Discord would refuse a message's action rows of buttons."""
    problems = []
    if len(rows) > ROWS_MAX:
        problems.append(f"components: at most {ROWS_MAX} action rows")
    custom_ids: list[str] = []
    for number, row in enumerate(rows):
        where = f"components[{number}]"
        buttons = row.get("components") or []
        if row.get("type") != ACTION_ROW:
            problems.append(f"{where}: top-level components must be action rows")
        if not 1 <= len(buttons) <= BUTTONS_PER_ROW_MAX:
            problems.append(f"{where}: an action row holds 1-{BUTTONS_PER_ROW_MAX} buttons")
        for button in buttons:
            problems.extend(_button_problems(button, where))
            if "custom_id" in button:
                custom_ids.append(button["custom_id"])
    if len(set(custom_ids)) != len(custom_ids):
        problems.append("components: custom ids must be unique within a message")
    return problems


def _button_problems(button: Mapping[str, Any], where: str) -> list[str]:
    problems = []
    style = button.get("style")
    if button.get("type") != BUTTON:
        problems.append(f"{where}: only buttons are checked here")
    if style in BUTTON_STYLES_WITH_ID:
        if not _length_between(button.get("custom_id"), 1, CUSTOM_ID_MAX):
            problems.append(f"{where}: custom_id must be 1-{CUSTOM_ID_MAX} characters")
    elif style != LINK_STYLE:
        problems.append(f"{where}: unknown button style {style!r}")
    label = button.get("label")
    if label is None and not button.get("emoji"):
        problems.append(f"{where}: a button needs a label or an emoji")
    if label is not None and not _length_between(label, 1, BUTTON_LABEL_MAX):
        problems.append(f"{where}: label must be 1-{BUTTON_LABEL_MAX} characters")
    return problems


# --- interaction callbacks -----------------------------------------------------------------


def callback_problems(body: Mapping[str, Any]) -> list[str]:
    """Why Discord would refuse an interaction callback."""
    kind = body.get("type")
    data = body.get("data") or {}
    if kind not in CALLBACK_TYPES:
        return [f"type: unknown interaction callback type {kind!r}"]
    if kind in MESSAGE_CALLBACKS:
        return message_problems(data, new=kind == 4)
    if kind == MODAL:
        return modal_problems(data)
    if kind == AUTOCOMPLETE_RESULT:
        choices = data.get("choices")
        if not isinstance(choices, list):
            return ["data.choices: an autocomplete result needs a list of choices"]
        problems = [f"data.choices: at most {CHOICES_MAX}"] if len(choices) > CHOICES_MAX else []
        return problems + [p for c in choices for p in choice_problems(c, "data.choices")]
    return []


MODAL = 9
MODAL_TITLE_MAX = 45
TEXT_INPUT = 4
TEXT_INPUT_LABEL_MAX = 45
TEXT_INPUT_VALUE_MAX = 4000
TEXT_INPUT_PLACEHOLDER_MAX = 100
MODAL_ROWS_MAX = 5
# Interactions a modal cannot answer: autocomplete (4) and a modal's own submission (5).
NO_MODAL_FOR = {4, 5}


def modal_problems(data: Mapping[str, Any]) -> list[str]:
    """Why Discord would refuse a modal (interaction callback type 9)."""
    problems = []
    if not _length_between(data.get("custom_id"), 1, CUSTOM_ID_MAX):
        problems.append(f"data.custom_id: must be 1-{CUSTOM_ID_MAX} characters")
    if not _length_between(data.get("title"), 1, MODAL_TITLE_MAX):
        problems.append(f"data.title: must be 1-{MODAL_TITLE_MAX} characters")
    rows = data.get("components") or []
    if not 1 <= len(rows) <= MODAL_ROWS_MAX:
        problems.append(f"data.components: a modal holds 1-{MODAL_ROWS_MAX} rows")
    for number, row in enumerate(rows):
        where = f"data.components[{number}]"
        inputs = row.get("components") or []
        if row.get("type") != ACTION_ROW or len(inputs) != 1:
            problems.append(f"{where}: an action row holding one text input")
            continue
        problems.extend(_text_input_problems(inputs[0], where))
    return problems


def _text_input_problems(item: Mapping[str, Any], where: str) -> list[str]:
    problems = []
    if item.get("type") != TEXT_INPUT:
        problems.append(f"{where}: only text inputs are checked here")
    if item.get("style") not in (1, 2):
        problems.append(f"{where}: style must be 1 (short) or 2 (paragraph)")
    if not _length_between(item.get("custom_id"), 1, CUSTOM_ID_MAX):
        problems.append(f"{where}: custom_id must be 1-{CUSTOM_ID_MAX} characters")
    if not _length_between(item.get("label"), 1, TEXT_INPUT_LABEL_MAX):
        problems.append(f"{where}: label must be 1-{TEXT_INPUT_LABEL_MAX} characters")
    low, high = item.get("min_length", 0), item.get("max_length", TEXT_INPUT_VALUE_MAX)
    if not (0 <= low <= TEXT_INPUT_VALUE_MAX and 1 <= high <= TEXT_INPUT_VALUE_MAX and low <= high):
        problems.append(f"{where}: min_length/max_length out of range")
    if len(item.get("placeholder") or "") > TEXT_INPUT_PLACEHOLDER_MAX:
        problems.append(f"{where}: placeholder over {TEXT_INPUT_PLACEHOLDER_MAX} characters")
    return problems


def modal_context_problems(body: Mapping[str, Any], interaction_type: int) -> list[str]:
    """A modal sent where Discord takes none: in answer to autocomplete or to a modal."""
    if body.get("type") == MODAL and interaction_type in NO_MODAL_FOR:
        return ["type: a modal cannot answer this interaction"]
    return []


def sent_message(method: str, kind: str, body: Any) -> Mapping[str, Any] | None:
    """The message text a recorded call sends or edits (which could mention someone), if any."""
    if not isinstance(body, Mapping):
        return None
    if kind == "callback":
        return body.get("data") or {} if body.get("type") in MESSAGE_CALLBACKS else None
    return body if kind in {"message", "followup", "edit"} and method in {"POST", "PATCH"} else None


def mentions_problems(body: Mapping[str, Any]) -> list[str]:
    """Why a message body could ping someone: anything but allowed mentions set to none."""
    allowed = body.get("allowed_mentions")
    if not isinstance(allowed, Mapping):
        return ["allowed_mentions: missing, so Discord would parse every mention"]
    if (
        allowed.get("parse") != []
        or allowed.get("users")
        or allowed.get("roles")
        or allowed.get("replied_user")
    ):
        return [f"allowed_mentions: {dict(allowed)!r} is not none"]
    return []
