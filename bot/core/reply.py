"""The platform-neutral reply the router returns and every adapter renders.

A reply holds plain text only (no Markdown, no mentions, no markup): each adapter escapes and
formats it for its platform, so user text echoed back can never become markup by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ReplyKind(StrEnum):
    """What sort of reply this is; adapters may style kinds differently."""

    ANSWER = "answer"  # a confident answer to a topic or question
    PARTIAL = "partial"  # what the knowledge doesn't say, then the nearest answer it has
    CLOSEST = "closest"  # the closest topic, flagged as such, with next-best topics
    DECLINE = "decline"  # the knowledge base does not cover it; lists what it does cover
    DID_YOU_MEAN = "did_you_mean"  # a near-miss topic name
    HELP = "help"
    TOPICS = "topics"
    TIP = "tip"
    ABOUT = "about"
    SMALL_TALK = "small_talk"  # a reply to hello, thanks or goodbye
    NOTICE = "notice"  # a short status message (subscriptions and the like)
    ERROR = "error"  # the bot failed; the text is a polite apology


# The kinds of reply a person can rate: what the knowledge answered, fully or in part.
_RATED_KINDS = frozenset({ReplyKind.ANSWER, ReplyKind.PARTIAL})
# Replies worth sharing with the channel; notices, errors, declines and "did you mean" are
# only for the asker.
_SHAREABLE_KINDS = frozenset(
    {
        ReplyKind.ANSWER,
        ReplyKind.PARTIAL,
        ReplyKind.CLOSEST,
        ReplyKind.TIP,
        ReplyKind.TOPICS,
        ReplyKind.ABOUT,
        ReplyKind.HELP,
    }
)


@dataclass(frozen=True, slots=True)
class TopicLink:
    """A topic to ask next: ``topic`` goes back to the router, ``label`` is what users see."""

    topic: str
    label: str


@dataclass(frozen=True, slots=True)
class BulletList:
    """A titled list of short items; rendered as bullets (Slack) or an embed field (Discord)."""

    title: str | None
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reply:
    """One answer, ready for any adapter to render.

    ``related`` are follow-up topics (rendered as buttons); ``suggestions`` are did-you-mean or
    next-best topics; ``notices`` are remarks about the request itself (for example that it was
    shortened). ``entry_id``/``section``/``score`` say what the matcher chose, for batch output
    (``section_name`` is the section as users see it).
    ``public`` is a hint that the reply is meant for the whole channel rather than the asker.
    ``question_id`` names the question-log row this reply answers (None when nothing was
    logged); feedback buttons carry it back (see ``wants_feedback``).
    """

    kind: ReplyKind
    title: str
    body: str = ""
    lists: tuple[BulletList, ...] = ()
    related: tuple[TopicLink, ...] = ()
    suggestions: tuple[TopicLink, ...] = ()
    source: str | None = None
    notices: tuple[str, ...] = ()
    entry_id: str | None = None
    section: str | None = None
    section_name: str | None = None
    score: float | None = None
    public: bool = False
    question_id: str | None = None

    @property
    def wants_feedback(self) -> bool:
        """Whether adapters show 👍/👎 on this reply: answers and partial answers that were
        logged (votes are kept against the question log, so nothing else can be rated)."""
        return self.question_id is not None and self.kind in _RATED_KINDS

    @property
    def shareable(self) -> bool:
        """Whether adapters offer "Share in channel" on this reply: a private reply worth
        the channel's time (the one rule for every platform; each adapter adds only what its
        platform forbids, such as sharing out of a Slack DM)."""
        return self.kind in _SHAREABLE_KINDS and not self.public

    def plain_text(self) -> str:
        """The whole reply as plain text: a fallback for notifications and for batch output."""
        parts: list[str] = [self.title] if self.title else []
        parts.extend(self.notices)
        if self.body:
            parts.append(self.body)
        for bullets in self.lists:
            lines = [bullets.title] if bullets.title else []
            lines.extend(f"- {item}" for item in bullets.items)
            parts.append("\n".join(lines))
        if self.suggestions:
            parts.append("Try: " + ", ".join(link.label for link in self.suggestions))
        if self.related:
            parts.append("Related: " + ", ".join(link.label for link in self.related))
        if self.source:
            parts.append(f"Source: {self.source}")
        return "\n\n".join(parts)
