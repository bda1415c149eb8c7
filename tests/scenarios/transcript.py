"""Chat transcripts (``*.chat``) that every adapter's scenario test replays.

Format: ``you: TEXT`` is what the user says; each following ``bot: TEXT`` line is a piece of
text the bot's reply must contain. ``#`` starts a comment line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass
class Turn:
    """One user message and the fragments the reply must contain."""

    said: str
    expect: list[str] = field(default_factory=list)


def load(path: Path) -> list[Turn]:
    turns: list[Turn] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        speaker, _, text = line.partition(": ")
        if speaker == "you":
            turns.append(Turn(text))
        elif speaker == "bot" and turns:
            turns[-1].expect.append(text)
        else:
            raise ValueError(f"{path}:{number}: expected 'you: ...' or 'bot: ...'")
    return turns


def transcripts() -> list[Path]:
    return sorted(HERE.glob("*.chat"))
