"""The "what were you looking for?" modal after a 👎 on Discord, and reading its submission.

The modal is the answer to the 👎 click itself (interaction response type 9): Discord lets an
interaction be answered once, and a modal only in answer to a click or a command. Its custom
id carries the question id, which the feedback service checks again when the modal comes back.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import discord

from bot.feedback.comments import COMMENT_LIMIT

NOTE_PREFIX = "mlcareer:note:"
NOTE_INPUT = "comment"
TITLE = "Thanks for the \N{THUMBS DOWN SIGN}"
LABEL = "What were you looking for?"  # at most 45 characters, like the title


def note_modal(question_id: str) -> discord.ui.Modal:
    """The note form for a 👎 on ``question_id``; stopped at once, so discord.py keeps no
    state for it (its submission is answered from the custom id, even after a restart)."""
    modal = discord.ui.Modal(title=TITLE, custom_id=f"{NOTE_PREFIX}{question_id}")
    modal.add_item(
        discord.ui.TextInput(
            label=LABEL,
            custom_id=NOTE_INPUT,
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=COMMENT_LIMIT,
            placeholder="Optional. Kept with your vote, never posted anywhere.",
        )
    )
    modal.stop()
    return modal


def submitted(data: Mapping[str, Any]) -> tuple[str | None, str]:
    """The question id (None when the modal is not ours) and the note of a modal submission."""
    custom_id = str(data.get("custom_id") or "")
    question_id = custom_id[len(NOTE_PREFIX) :] if custom_id.startswith(NOTE_PREFIX) else None
    note = next(
        (
            str(c.get("value") or "")
            for c in _inputs(data.get("components") or [])
            if c.get("custom_id") == NOTE_INPUT
        ),
        "",
    )
    return question_id, note


def _inputs(components: Sequence[Any]) -> Iterator[Mapping[str, Any]]:
    """Every text input of a submission, in action rows (type 1) or labels (type 18)."""
    for component in components:
        if not isinstance(component, Mapping):
            continue
        if component.get("type") == 4:
            yield component
        yield from _inputs(component.get("components") or [])
        inner = component.get("component")
        if isinstance(inner, Mapping):
            yield from _inputs([inner])
