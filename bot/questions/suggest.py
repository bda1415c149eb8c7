"""``kb suggest``: proposals for the knowledge base, written as a knowledge file (format v2).

Two kinds of proposal: new example questions for existing entries (questions answered
``partial`` or ``closest`` that got a 👍, and weak clusters that mostly got a closest
answer, for that entry), and stubs of new entries for clusters that mostly matched nothing,
with their example questions and an empty title, answer and source to fill in. Every
proposal says in a comment how many people asked. Once filled in (and stripped of what you
don't want), the file goes into the knowledge folder as it is and ``kb check`` accepts it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.matching.normalize import Normalizer, fold
from bot.questions.clusters import Cluster
from bot.questions.models import LogSnapshot
from bot.questions.render import cut
from bot.questions.report import weak_clusters

MIN_EXAMPLES = 3  # what the loader asks of every entry
STUB_EXAMPLES = 6
MAX_STUBS = 20
MAX_PER_ENTRY = 10
SLUG_WORDS = 5
# A cluster is proposed only when at least this many different people asked it.
MIN_PEOPLE = 3


@dataclass(slots=True)
class ExampleProposal:
    """Questions to add to one existing entry, and how many people asked them."""

    entry_id: str
    questions: list[str] = field(default_factory=list)
    asked: int = 0
    people: set[str] = field(default_factory=set)
    why: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class StubProposal:
    """A new entry to write, from a cluster of unanswered questions."""

    id: str
    section: str
    examples: tuple[str, ...]
    asked: int
    people: int
    closest: str | None
    closest_score: float


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's), cut to one line."""
    return json.dumps(cut(text, 200), ensure_ascii=False)


def _slug(text: str, taken: set[str], section: str) -> str:
    letters = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in fold(text))
    words = [w for w in letters.split() if len(w) > 2 and not Normalizer.is_stop_word(w)]
    base = "-".join(words[:SLUG_WORDS]) or "question"
    candidate, n = f"{section}/suggested-{base}", 2
    while candidate in taken:
        candidate, n = f"{section}/suggested-{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _known(knowledge: KnowledgeBase, entry_id: str, question: str) -> bool:
    entry = knowledge.by_id.get(entry_id)
    return entry is not None and fold(question).strip() in {fold(e).strip() for e in entry.examples}


def propose(
    snapshot: LogSnapshot, matcher: Matcher, knowledge: KnowledgeBase
) -> tuple[list[ExampleProposal], list[StubProposal]]:
    """The example and stub proposals of a log snapshot, biggest first."""
    examples: dict[str, ExampleProposal] = {}

    def add(entry_id: str, text: str, user: str | None, why: str) -> None:
        if entry_id not in knowledge.by_id or _known(knowledge, entry_id, text):
            return
        proposal = examples.setdefault(entry_id, ExampleProposal(entry_id))
        proposal.asked += 1
        proposal.why.add(why)
        if user:
            proposal.people.add(user)
        if text not in proposal.questions and len(proposal.questions) < MAX_PER_ENTRY:
            proposal.questions.append(text)

    for row in snapshot.questions:
        q = row.question
        if q.band in ("partial", "closest") and row.up > 0 and q.text and q.entry_id:
            add(q.entry_id, q.text, q.user_hash, "got a \U0001f44d")
    stubs: list[StubProposal] = []
    taken = set(knowledge.by_id)
    first_section = next((s.id for s in knowledge.sections if s.listed), "overview")
    for found in weak_clusters(snapshot, matcher):
        _propose_from_cluster(found, matcher, knowledge, add, stubs, taken, first_section)
    ranked = sorted(examples.values(), key=lambda p: (-p.asked, p.entry_id))
    return [p for p in ranked if p.questions], stubs[:MAX_STUBS]


def _propose_from_cluster(
    found: Cluster,
    matcher: Matcher,
    knowledge: KnowledgeBase,
    add: Callable[[str, str, str | None, str], None],
    stubs: list[StubProposal],
    taken: set[str],
    first_section: str,
) -> None:
    wordings = found.examples(STUB_EXAMPLES)
    if not wordings or found.people < MIN_PEOPLE:
        return
    result = matcher.match(wordings[0])
    best = result.best
    unanswered = found.band_mix().get("decline", 0)
    if unanswered * 2 <= found.size and best is not None:
        # Mostly a closest answer: the asks belong with that entry, as its examples.
        for member in found.members:
            add(best.entry.id, member.text, member.user_hash, "near this entry")
        return
    if len(stubs) >= MAX_STUBS:
        return
    # A decline entry has no section: the guess is the best-matching entry that has one.
    section = next((m.entry.section for m in result.matches if m.entry.section), first_section)
    stubs.append(
        StubProposal(
            id=_slug(wordings[0], taken, section),
            section=section,
            examples=tuple(wordings),
            asked=found.size,
            people=found.people,
            closest=best.entry.id if best is not None else None,
            closest_score=round(best.score, 1) if best is not None else 0.0,
        )
    )


def suggestions_yaml(examples: list[ExampleProposal], stubs: list[StubProposal], since: str) -> str:
    """The proposals as one knowledge file; comments say who asked and what to fill in."""
    lines = [
        f"# mlcareer kb suggest: proposals from the question log since {since}.",
        "# Keep what helps, delete the rest, fill in every empty title, answer and source (in",
        "# your own words), then move this file into the knowledge folder and run kb check.",
        "version: 2",
    ]
    if examples:
        lines += ["", "# New example questions for existing entries.", "examples:"]
        for p in examples:
            people = len(p.people) or p.asked
            reasons = " and ".join(sorted(p.why))
            lines.append(f"  # asked {p.asked} times by {people} people ({reasons})")
            lines.append(f"  {p.entry_id}:")
            lines += [f"    - {_quoted(q)}" for q in p.questions]
    if stubs:
        lines += ["", "# New entries for questions the knowledge does not answer.", "entries:"]
        for s in stubs:
            closest = f"{s.closest} (score {s.closest_score:g})" if s.closest else "none"
            lines += [
                f"  # asked {s.asked} times by {s.people} people; closest entry now: {closest}",
                f"  - id: {s.id}",
                f"    section: {s.section}      # a guess from the closest entry; change it if "
                "another fits",
                '    title: ""',
                '    answer: ""',
                '    source: ""',
                "    examples:",
            ]
            lines += [f"      - {_quoted(q)}" for q in s.examples]
            if len(s.examples) < MIN_EXAMPLES:
                missing = MIN_EXAMPLES - len(s.examples)
                lines.append(f"      # write {missing} more, the way people ask (at least 3)")
    if not examples and not stubs:
        lines += ["", "# Nothing to propose: no weak or up-voted questions in this period."]
    return "\n".join(lines) + "\n"


def group_by_entry(examples: list[ExampleProposal]) -> dict[str, list[str]]:
    """The example proposals as entry id -> questions (for tests and callers)."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for p in examples:
        grouped[p.entry_id].extend(p.questions)
    return dict(grouped)
