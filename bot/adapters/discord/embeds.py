"""Reply -> Discord embed and buttons, kept within Discord's size limits.

``render`` is a pure function that returns the embed as the JSON dict Discord receives, so it
can be compared with golden files; ``outgoing`` turns that into discord.py objects at the last
moment. Reply text is plain, so every piece of it is escaped: Markdown characters show as typed
and ``@everyone`` or ``<@id>`` can never become a mention, even before ``allowed_mentions``
(which every message also sets to none) is applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import discord

from bot.core.reply import Reply, ReplyKind, TopicLink

# Discord's documented limits for messages, embeds and buttons.
CONTENT_LIMIT = 2000  # message text (the share line)
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELD_COUNT_LIMIT = 25
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
BUTTON_LABEL_LIMIT = 80
CUSTOM_ID_LIMIT = 100
BUTTON_LIMIT = 25  # five rows of five

# A description keeps at least this much room before trailing fields are dropped for it.
MIN_DESCRIPTION = 600

TOPIC_PREFIX = "mlcareer:topic:"
SHARE_ID = "mlcareer:share"
SHARE_LABEL = "Share in channel"
# Feedback buttons: "mlcareer:vote:up:<question id>" and "mlcareer:vote:down:<question id>",
# in the last of the five rows, so they never mix with topic buttons.
VOTE_PREFIX = "mlcareer:vote:"
VOTES = {"up": "\N{THUMBS UP SIGN}", "down": "\N{THUMBS DOWN SIGN}"}
VOTE_ROW = 4
ROW_WIDTH = 5
ELLIPSIS = "\u2026"
BULLET = "\u2022"

COLOURS: dict[ReplyKind, int] = {
    ReplyKind.ANSWER: 0x5865F2,
    ReplyKind.PARTIAL: 0xFEE75C,
    ReplyKind.CLOSEST: 0xFEE75C,
    ReplyKind.DECLINE: 0x99AAB5,
    ReplyKind.DID_YOU_MEAN: 0xFEE75C,
    ReplyKind.HELP: 0x5865F2,
    ReplyKind.TOPICS: 0x5865F2,
    ReplyKind.TIP: 0x57F287,
    ReplyKind.ABOUT: 0x5865F2,
    ReplyKind.NOTICE: 0x99AAB5,
    ReplyKind.ERROR: 0xED4245,
}


class ButtonStyle(StrEnum):
    """The Discord button styles the bot uses (names as in ``discord.ButtonStyle``)."""

    PRIMARY = "primary"  # suggestions: the topic the bot thinks was meant
    SECONDARY = "secondary"  # related topics
    SUCCESS = "success"  # share in channel


@dataclass(frozen=True, slots=True)
class Button:
    """One button: what it shows and the custom id that comes back when it is clicked."""

    label: str
    custom_id: str
    style: ButtonStyle
    row: int | None = None  # None: the next free place; feedback buttons take VOTE_ROW


@dataclass(frozen=True, slots=True)
class Rendered:
    """A reply ready for Discord: one embed as JSON and its buttons."""

    embed: dict[str, Any]
    buttons: tuple[Button, ...] = ()


# Every character Discord's Markdown gives a meaning to, plus ``<`` (mentions, emoji,
# timestamps) and ``:`` (a backslash before it keeps ``https://`` from becoming a link).
_ACTIVE = re.compile(r"[\\*_~`|>#\-\[\]()<:]")


def escape(text: str) -> str:
    """Plain text made inert for Discord: no Markdown, no mentions, no links.

    One linear pass that backslash-escapes every active character (Discord shows the
    character and hides the backslash). ``discord.utils.escape_markdown`` leaves all but the
    first masked link of a line live, leaves bare URLs linked, and takes up to 175 ms on
    crafted brackets; this takes time in proportion to the text.
    """
    return _ACTIVE.sub(lambda found: "\\" + found.group(), discord.utils.escape_mentions(text))


def shorten(text: str, limit: int, pointer: str = "") -> str:
    """``text`` cut to ``limit`` characters at a word boundary, ending with an ellipsis and
    ``pointer`` (a line saying where the rest is) when anything was cut."""
    if len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    tail = ELLIPSIS + (f"\n\n{pointer}" if pointer else "")
    room = max(0, limit - len(tail))
    cut = text[:room]
    space = cut.rfind(" ", int(room * 0.8))
    if space > 0:
        cut = cut[:space]
    cut = cut.rstrip()
    # An odd run of trailing backslashes would escape the ellipsis: drop the dangling one.
    while cut.endswith("\\") and (len(cut) - len(cut.rstrip("\\"))) % 2:
        cut = cut[:-1]
    return (cut + tail)[:limit]


def shortened_pointer(reply: Reply) -> str:
    """Where the full text of a shortened reply can be read."""
    if reply.entry_id:
        name = reply.section_name
        where = f" (section: {escape(name)})" if name else ""
        return (
            f"Shortened to fit Discord. The full topic is \u201c{escape(reply.entry_id)}\u201d"
            f"{where}: `/mlcareer ask question:{reply.entry_id}` shows it on its own."
        )
    return "Shortened to fit Discord."


def topic_custom_id(topic: str) -> str | None:
    """The custom id of a button that asks for ``topic``, or None if Discord can't carry it."""
    custom_id = TOPIC_PREFIX + topic
    return custom_id if len(custom_id) <= CUSTOM_ID_LIMIT else None


def render(reply: Reply, *, shareable: bool) -> Rendered:
    """The embed and buttons for ``reply``; ``shareable`` adds the "Share in channel" button
    (for ephemeral answers)."""
    pointer = shortened_pointer(reply)
    title = shorten(escape(reply.title.strip()), TITLE_LIMIT)
    footer = shorten(reply.source.strip(), FOOTER_LIMIT) if reply.source else ""
    fields = list_fields(reply, pointer)
    if len(fields) > FIELD_COUNT_LIMIT:
        fields = [*fields[: FIELD_COUNT_LIMIT - 1], {"name": "More", "value": pointer}]
    fixed = len(title) + len(footer)
    description = description_text(reply)

    def wanted(dropped: bool) -> int:
        """Room the description keeps before trailing fields go: what it needs (with the
        pointer once a field is dropped), but no more than ``MIN_DESCRIPTION``."""
        needed = len(description) + (len(pointer) + 2 if dropped else 0)
        return min(needed, MIN_DESCRIPTION)

    dropped = False
    while fields and fixed + _fields_length(fields) + wanted(dropped) > EMBED_TOTAL_LIMIT:
        fields.pop()
        dropped = True
    room = min(DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT - fixed - _fields_length(fields))
    if dropped:
        description = shorten(description, room - len(pointer) - 2)
        description = f"{description}\n\n{pointer}" if description else pointer
    description = shorten(description, room, pointer)
    if not (title or description or fields):
        description = "(no answer)"  # Discord refuses an embed with nothing to show

    embed: dict[str, Any] = {"color": COLOURS.get(reply.kind, 0x5865F2)}
    if title:
        embed["title"] = title
    if description:
        embed["description"] = description
    if fields:
        embed["fields"] = fields
    if footer:
        embed["footer"] = {"text": footer}
    return Rendered(embed=embed, buttons=buttons_for(reply, shareable=shareable))


def description_text(reply: Reply) -> str:
    """Notices (in italics) then the body, escaped.

    Line breaks are kept as the core wrote them (a tips status puts the schedule, the next tip
    and the deck on lines of their own); knowledge text has no hard wraps left, the loader
    joins them.
    """
    parts = [f"*{escape(notice)}*" for notice in reply.notices if notice.strip()]
    if reply.body.strip():
        parts.append(escape(reply.body.strip()))
    return "\n\n".join(parts)


def list_fields(reply: Reply, pointer: str) -> list[dict[str, Any]]:
    """One field per bullet list; a list longer than a field continues in the next one."""
    fields: list[dict[str, Any]] = []
    for bullets in reply.lists:
        title = (bullets.title or "").strip()
        name = shorten(escape(title), FIELD_NAME_LIMIT - 12) if title else "Key points"
        lines = [
            shorten(f"{BULLET} {escape(item)}", FIELD_VALUE_LIMIT, pointer)
            for item in bullets.items
            if item.strip()
        ]
        chunks: list[list[str]] = []
        size = 0
        for line in lines:
            if chunks and size + 1 + len(line) <= FIELD_VALUE_LIMIT:
                chunks[-1].append(line)
                size += 1 + len(line)
            else:
                chunks.append([line])
                size = len(line)
        for number, chunk in enumerate(chunks):
            label = name if number == 0 else f"{name} (continued)"
            fields.append({"name": label, "value": "\n".join(chunk), "inline": False})
    return fields


def _fields_length(fields: list[dict[str, Any]]) -> int:
    return sum(len(field["name"]) + len(field["value"]) for field in fields)


def vote_custom_id(direction: str, question_id: str) -> str | None:
    """The custom id of a 👍 (``up``) or 👎 (``down``) button, or None if it can't fit."""
    custom_id = f"{VOTE_PREFIX}{direction}:{question_id}"
    return custom_id if len(custom_id) <= CUSTOM_ID_LIMIT else None


def vote_buttons(reply: Reply) -> tuple[Button, ...]:
    """👍 and 👎 in a row of their own, for a reply that wants feedback."""
    if not reply.wants_feedback or reply.question_id is None:
        return ()
    found = []
    for direction, label in VOTES.items():
        custom_id = vote_custom_id(direction, reply.question_id)
        if custom_id is None:
            return ()
        found.append(Button(label, custom_id, ButtonStyle.SECONDARY, row=VOTE_ROW))
    return tuple(found)


def buttons_for(reply: Reply, *, shareable: bool) -> tuple[Button, ...]:
    """Suggestions first (primary), then related topics, then "Share in channel"; 👍/👎 in
    the last row when the reply wants feedback (the others then keep to four rows)."""
    votes = vote_buttons(reply)
    room = BUTTON_LIMIT - (ROW_WIDTH if votes else 0) - (1 if shareable else 0)
    seen: set[str] = set()
    buttons: list[Button] = []
    links: list[tuple[TopicLink, ButtonStyle]] = [
        *((link, ButtonStyle.PRIMARY) for link in reply.suggestions),
        *((link, ButtonStyle.SECONDARY) for link in reply.related),
    ]
    for link, style in links:
        custom_id = topic_custom_id(link.topic)
        if custom_id is None or custom_id in seen or len(buttons) >= room:
            continue
        seen.add(custom_id)
        label = shorten(link.label.strip() or link.topic, BUTTON_LABEL_LIMIT)
        buttons.append(Button(label, custom_id, style))
    if shareable:
        buttons.append(Button(SHARE_LABEL, SHARE_ID, ButtonStyle.SUCCESS))
    return (*buttons, *votes)
