"""``Reply`` -> a Slack message: Block Kit blocks plus a plain-text fallback.

Every piece of text is escaped (``&``, ``<``, ``>``) so that nothing a user typed can become
a mention, a ``<!channel>`` ping or a link when it is echoed back. Slack's limits are kept
here, in one place: at most 50 blocks, 3,000 characters per section, 150 per header, 75 per
button label. A long answer is split into several sections and, past the limits, shortened
with a pointer to the full topic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.core.reply import Reply, ReplyKind, TopicLink

ACTION_TOPIC = "topic"  # action ids are "topic:0", "topic:1", ... (unique within a message)
ACTION_SHARE = "share"
ACTION_VOTE_UP = "vote:up"  # feedback buttons carry the reply's question id as their value
ACTION_VOTE_DOWN = "vote:down"
VOTE_LABELS = {ACTION_VOTE_UP: "\N{THUMBS UP SIGN}", ACTION_VOTE_DOWN: "\N{THUMBS DOWN SIGN}"}

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_HEADER_CHARS = 150
MAX_BUTTON_CHARS = 75
MAX_VALUE_CHARS = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK_CHARS = 3000
MAX_CONTENT_CHARS = 12000  # all section text together: beyond this an answer is a wall
MAX_BUTTONS = 25
BUTTONS_PER_ROW = 5

ELLIPSIS = "\u2026"

Block = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Message:
    """A rendered message: ``text`` is the escaped fallback for notifications."""

    text: str
    blocks: tuple[Block, ...]

    def payload(self, **extra: Any) -> dict[str, Any]:
        """The message as a Web API / response_url payload, plus ``extra`` fields."""
        return {"text": self.text, "blocks": list(self.blocks), **extra}


def escape(text: str) -> str:
    """Escape Slack's three control characters so the text shows as typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fit(text: str, limit: int) -> str:
    """``text`` escaped, and cut at a word boundary (with an ellipsis) to ``limit`` characters."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    head = escaped[: _safe_cut(escaped, limit - 1)]
    cut = head.rsplit(None, 1)[0] if " " in head.strip() else head
    return cut.rstrip() + ELLIPSIS


def chunks(text: str, limit: int) -> list[str]:
    """``text`` escaped and split at whitespace into pieces of at most ``limit`` characters."""
    pieces: list[str] = []
    current = ""
    for word in escape(text).split():  # escaping adds no whitespace, so words stay whole
        while len(word) > limit:  # one enormous "word": split it hard
            if current:
                pieces.append(current)
                current = ""
            cut = _safe_cut(word, limit)
            pieces.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) > limit:
            pieces.append(current)
            current = word
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def render(
    reply: Reply,
    *,
    share_value: str | None = None,
    shared_by: str | None = None,
) -> Message:
    """Render ``reply``; ``share_value`` adds a "Share in channel" button carrying that value,
    ``shared_by`` (a Slack user id) adds a line saying who shared it. A reply that wants
    feedback (``Reply.wants_feedback``) gets 👍/👎 beside Share, or in a row of their own."""
    head: list[Block] = []
    if reply.title.strip():
        head.append(_header(reply.title))
    if shared_by:
        head.append(_context(f"Shared by <@{shared_by}>"))
    notices = [escape(n) for n in reply.notices if n.strip()][:MAX_CONTEXT_ELEMENTS]
    if notices:
        head.append(_context(*(":information_source: " + n for n in notices)))

    content, shortened = _content(reply)

    nav: list[Block] = []
    suggestions, related = _linkable(reply.suggestions), _linkable(reply.related)
    if suggestions:
        if reply.kind is not ReplyKind.DID_YOU_MEAN:  # there the title already asks
            nav.append(_context("Try one of these:"))
        nav.extend(button_rows(suggestions, first_index=0))
    if related:
        nav.append(_context("Related topics:"))
        nav.extend(button_rows(related, first_index=len(suggestions)))

    tail: list[Block] = []
    if reply.source:
        tail.append(_context(":books: " + fit(reply.source, MAX_SECTION_CHARS)))
    votes = _vote_buttons(reply.question_id) if reply.wants_feedback else []
    if share_value is not None:
        tail.append(_share_row(share_value, votes))
    elif votes:
        tail.append({"type": "actions", "elements": votes})

    room = MAX_BLOCKS - len(head) - len(nav) - len(tail)
    if shortened or len(content) > room:
        # The pointer to the full topic takes a block of its own, within the 50.
        content = [*content[: room - 1], _context(_shortened_note(reply))]
    blocks = (*head, *content, *nav, *tail)
    return Message(text=fit(reply.plain_text(), MAX_FALLBACK_CHARS), blocks=blocks)


def _content(reply: Reply) -> tuple[list[Block], bool]:
    """Body paragraphs and bullet lists as sections, within the character budget."""
    texts: list[str] = []
    for paragraph in reply.body.split("\n\n"):
        texts.extend(chunks(paragraph, MAX_SECTION_CHARS))
    for bullets in reply.lists:
        lines = [f"*{fit(bullets.title, MAX_SECTION_CHARS - 2)}*"] if bullets.title else []
        lines.extend("\u2022 " + fit(item, MAX_SECTION_CHARS - 2) for item in bullets.items)
        texts.extend(_pack_lines(lines, MAX_SECTION_CHARS))
    blocks: list[Block] = []
    used = 0
    for text in texts:
        if used + len(text) > MAX_CONTENT_CHARS:
            return blocks, True
        used += len(text)
        blocks.append({"type": "section", "text": _mrkdwn(text)})
    return blocks, False


def _pack_lines(lines: list[str], limit: int) -> list[str]:
    packed: list[str] = []
    current = ""
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit and current:
            packed.append(current)
            current = line
        else:
            current = candidate
    if current:
        packed.append(current)
    return packed


def _shortened_note(reply: Reply) -> str:
    if reply.entry_id and reply.kind in {ReplyKind.ANSWER, ReplyKind.PARTIAL, ReplyKind.CLOSEST}:
        where = f"ask `/mlcareer {escape(reply.entry_id)}` for the whole topic"
    else:
        where = "ask about a narrower topic (`/mlcareer topics` lists them)"
    return f":scissors: Shortened to fit in Slack: {where}."


def _mrkdwn(text: str) -> dict[str, Any]:
    """A mrkdwn text object that Slack shows as written: ``verbatim`` stops Slack turning
    URLs, domains and channel names into links, so text a user typed and the bot echoes back
    never becomes a link (our own ``<@U...>`` markup still works)."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _header(title: str) -> Block:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": fit(title, MAX_HEADER_CHARS), "emoji": True},
    }


def _context(*texts: str) -> Block:
    """A context line; callers pass text that is already escaped (or is our own markup)."""
    elements = [_mrkdwn(text[: _safe_cut(text, MAX_SECTION_CHARS)]) for text in texts]
    return {"type": "context", "elements": elements[:MAX_CONTEXT_ELEMENTS]}


def button_rows(
    links: list[TopicLink], first_index: int = 0, action: str = ACTION_TOPIC
) -> list[Block]:
    """Topic buttons in rows Slack accepts; each ``action:N`` id is unique in its view (N
    counts from ``first_index``), and its value is the topic the click asks for."""
    buttons = [
        {
            "type": "button",
            "action_id": f"{action}:{first_index + number}",
            "text": {
                "type": "plain_text",
                "text": fit(link.label.strip() or link.topic, MAX_BUTTON_CHARS),
                "emoji": True,
            },
            "value": link.topic[:MAX_VALUE_CHARS],
        }
        for number, link in enumerate(links)
    ]
    return [
        {"type": "actions", "elements": buttons[start : start + BUTTONS_PER_ROW]}
        for start in range(0, len(buttons), BUTTONS_PER_ROW)
    ]


def _linkable(links: tuple[TopicLink, ...]) -> list[TopicLink]:
    """The links that can be buttons (Slack refuses an empty button value), at most 25."""
    return [link for link in links if link.topic.strip()][:MAX_BUTTONS]


def _vote_buttons(question_id: str | None) -> list[Block]:
    if not question_id:
        return []
    return [
        {
            "type": "button",
            "action_id": action_id,
            "text": {"type": "plain_text", "text": label, "emoji": True},
            "value": question_id[:MAX_VALUE_CHARS],
        }
        for action_id, label in VOTE_LABELS.items()
    ]


def _share_row(value: str, votes: list[Block]) -> Block:
    button = {
        "type": "button",
        "action_id": ACTION_SHARE,
        "style": "primary",
        "text": {"type": "plain_text", "text": "Share in channel", "emoji": True},
        "value": value[:MAX_VALUE_CHARS],
    }
    return {"type": "actions", "elements": [button, *votes]}


def _safe_cut(escaped: str, limit: int) -> int:
    """The longest cut of escaped text within ``limit`` that leaves no entity in halves."""
    if len(escaped) <= limit:
        return len(escaped)
    amp = escaped.rfind("&", max(0, limit - 4), limit)  # entities are at most 5 long
    if amp > 0 and escaped.find(";", amp, limit) == -1:
        return amp
    return limit
