"""``kb diff``: what a knowledge change would flip on the questions people really asked.

Each distinct logged question (with its text still kept) is answered by the current and by
the proposed knowledge through the router, as users would get it; every question whose band
or entry changes is listed, grouped by the change and weighted by how often it was asked.
Nothing is deployed or written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.core.request import Request
from bot.core.router import Router
from bot.core.services import Services
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.questions.models import LogSnapshot
from bot.questions.render import cut

Outcome = tuple[str, str | None]  # (band, entry id)


@dataclass(frozen=True, slots=True)
class Flip:
    """One kind of change, with the questions it affects."""

    before: Outcome
    after: Outcome
    asked: int
    questions: tuple[str, ...]


def _router(knowledge: KnowledgeBase) -> Router:
    return Router(Services(knowledge=knowledge, matcher=Matcher(knowledge)))


async def _outcome(router: Router, text: str) -> Outcome:
    reply = await router.handle(Request(text=text))
    return reply.kind.value, reply.entry_id


async def knowledge_diff(
    snapshot: LogSnapshot, current: KnowledgeBase, proposed: KnowledgeBase
) -> tuple[int, list[Flip]]:
    """How many distinct questions were compared, and the flips, most asked first."""
    asked = Counter(r.question.text for r in snapshot.questions if r.question.text)
    before_router, after_router = _router(current), _router(proposed)
    groups: dict[tuple[Outcome, Outcome], Counter[str]] = {}
    for text, times in asked.items():
        before = await _outcome(before_router, text)
        after = await _outcome(after_router, text)
        if before != after:
            groups.setdefault((before, after), Counter())[text] += times
    flips = [
        Flip(b, a, sum(texts.values()), tuple(t for t, _ in texts.most_common()))
        for (b, a), texts in groups.items()
    ]
    return len(asked), sorted(flips, key=lambda f: (-f.asked, f.before, f.after))


def _name(outcome: Outcome) -> str:
    band, entry = outcome
    return f"{band} {entry}" if entry else band


def diff_text(compared: int, flips: list[Flip], examples: int = 5) -> str:
    """The flips as text: one block per change, its weight, and a few of its questions."""
    flipped = sum(len(f.questions) for f in flips)
    lines = [f"{flipped} of {compared} distinct logged questions would change."]
    for f in flips:
        lines.append(f"{_name(f.before)} -> {_name(f.after)}: {f.asked} asks")
        lines += [f"  - {cut(q)}" for q in f.questions[:examples]]
        if len(f.questions) > examples:
            lines.append(f"  ... and {len(f.questions) - examples} more")
    return "\n".join(lines)
