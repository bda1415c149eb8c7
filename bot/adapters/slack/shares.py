"""The "Share in channel" button: remembers an ephemeral answer so sharing posts the same one.

An ephemeral message cannot be read back from Slack, and some replies are random (a tip), so
the reply is kept here for a while under a random key carried in the button's value. The
value also carries the question, to answer it again if the reply was forgotten (a restart).
"""

from __future__ import annotations

import json
import secrets
import time

from bot.adapters.slack.blocks import MAX_VALUE_CHARS
from bot.adapters.slack.cache import Clock, TTLCache
from bot.core.reply import Reply

REMEMBER_SECONDS = 60 * 60.0
REMEMBER_ENTRIES = 5000


def can_share(reply: Reply, channel: str) -> bool:
    """Share buttons go on replies the core calls shareable, outside direct messages (a DM
    has no one to share with)."""
    return reply.shareable and not channel.startswith("D")


class ShareStore:
    """Recently shown replies, by the key their share button carries."""

    def __init__(
        self,
        clock: Clock = time.monotonic,
        ttl: float = REMEMBER_SECONDS,
        max_entries: int = REMEMBER_ENTRIES,
    ) -> None:
        self._replies: TTLCache[str, Reply] = TTLCache(ttl, max_entries, clock)

    def keep(self, reply: Reply, question: str) -> str:
        """Remember ``reply``; return the button value that finds it again."""
        key = secrets.token_hex(8)
        self._replies.put(key, reply)
        return encode(key, question)

    def find(self, value: str) -> tuple[Reply | None, str]:
        """The remembered reply (None if forgotten) and the question it answered."""
        key, question = decode(value)
        return (self._replies.get(key) if key else None), question


def encode(key: str, question: str) -> str:
    """A button value holding ``key`` and as much of ``question`` as fits."""
    text = question
    while True:
        value = json.dumps({"k": key, "q": text}, ensure_ascii=False, separators=(",", ":"))
        if len(value) <= MAX_VALUE_CHARS:
            return value
        text = text[: len(text) - (len(value) - MAX_VALUE_CHARS) - 1]


def decode(value: str) -> tuple[str, str]:
    """(key, question) from a button value; empty strings for anything malformed."""
    try:
        data = json.loads(value)
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    key, question = data.get("k"), data.get("q")
    return (key if isinstance(key, str) else ""), (question if isinstance(question, str) else "")
