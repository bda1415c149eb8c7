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
    """Strip control characters and leading mentions, fold whitespace, cut to ``limit`` chars."""
    notices: list[str] = []
    text = "".join(_printable(ch) for ch in raw)
    text = _LEADING_MENTIONS.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    if len(text) > limit:
        notices.append(
            f"Your message was {len(text):,} characters long, so I read only the first {limit:,}."
        )
        text = text[:limit].rstrip()
    return CleanText(text, tuple(notices))


def _printable(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Cc":  # NUL, escapes, tabs, newlines: all become plain spaces
        return " "
    if category in {"Cs", "Co", "Cn"}:  # lone surrogates, private use, unassigned
        return ""
    return ch
