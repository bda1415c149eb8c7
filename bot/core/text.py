"""Cleaning user text before routing: control characters, mentions, whitespace, length."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A leading mention of the bot, as each platform writes it: Slack <@U123> or <@U123|name>,
# Discord <@123> or <@!123>, and plain "@mlcareer" typed in the terminal.
_LEADING_MENTIONS = re.compile(
    r"^(?:\s*(?:<@!?[A-Za-z0-9]+(?:\|[^>]*)?>|@mlcareer\b)[\s,:]*)+", re.IGNORECASE
)
_SPACES = re.compile(r"\s+")
# Terminal escape sequences (an arrow key pressed at the chat prompt arrives as ESC [ A):
# CSI and SS3 sequences, 8-bit CSI, and the other two-character escapes.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|O.|[@-Z\\-_])|\x9b[0-?]*[ -/]*[@-~]", re.DOTALL)


@dataclass(frozen=True, slots=True)
class CleanText:
    """The text the router works on, and remarks to show the user about what was changed."""

    text: str
    notices: tuple[str, ...] = ()

    @property
    def has_words(self) -> bool:
        """True when the text holds at least one letter or digit (not only emoji or punctuation)."""
        return any(ch.isalnum() for ch in self.text)


def clean(raw: str, limit: int) -> CleanText:
    """Strip control characters, terminal escapes and leading mentions, fold whitespace, and cut
    to ``limit`` characters (the notice says so)."""
    notices: list[str] = []
    text = "".join(_printable(ch) for ch in _ESCAPES.sub("", raw))
    text = _LEADING_MENTIONS.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    if len(text) > limit:
        notices.append(
            f"Your message was {len(text):,} characters long, so I read only the first {limit:,}."
        )
        text = text[:limit].rstrip()
    return CleanText(text, tuple(notices))


def is_blank(raw: str) -> bool:
    """True when nothing is left once cleaned: whitespace, control characters, terminal escapes
    (an arrow key pressed at the prompt) or a bare mention."""
    return not clean(raw, len(raw) + 1).text


def _printable(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Cc":
        # Tabs, newlines and the like separate words; NUL, BEL, DEL and the rest are noise
        # inside a word ("sal\0ary" is "salary").
        return " " if ch.isspace() else ""
    if category in {"Cs", "Co", "Cn"}:  # lone surrogates, private use, unassigned
        return ""
    return ch
