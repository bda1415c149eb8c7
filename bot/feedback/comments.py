"""A voter's note, made safe to store: plain text, no control characters, at most 500 long.

The note is stored as typed otherwise (markup and mentions included, as plain text): it is
never echoed back to a channel, and anything shown from it is escaped by the adapters.
"""

from __future__ import annotations

import unicodedata

COMMENT_LIMIT = 500
# Line breaks and tabs are kept; every other control character (NUL, which PostgreSQL
# refuses in text, escape sequences) and lone surrogates (which no database can encode) go.
_KEPT_CONTROLS = frozenset("\n\t")


def clean_comment(text: str) -> str:
    """``text`` without unsafe characters, stripped, and cut to ``COMMENT_LIMIT`` characters."""
    return _safe(text)[:COMMENT_LIMIT].rstrip()


def was_cut(text: str) -> bool:
    """Whether ``clean_comment`` shortened ``text`` (the voter is told so)."""
    return len(text) > _LOOKED_AT or len(_safe(text)) > COMMENT_LIMIT


# However long a note arrives, only its start is looked at: what is kept fits in it.
_LOOKED_AT = 4 * COMMENT_LIMIT


def _safe(text: str) -> str:
    kept = "".join(
        char
        for char in text[:_LOOKED_AT]
        if char in _KEPT_CONTROLS or unicodedata.category(char) not in {"Cc", "Cs"}
    )
    return kept.strip()
