"""The question-log report as data: questions per day and platform, the band mix, the entries
people disliked, and the clusters of unanswered or weakly answered questions.

``build_report`` is pure (a snapshot in, a ``Report`` out); ``render`` turns it into text,
Markdown or HTML. Unanswered means declined (by a decline entry, or because nothing matched);
weak means a ``closest`` answer. Partial answers count as answered: they say what the
knowledge lacks and answer the rest.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.questions.clusters import Asked, Cluster, cluster
from bot.questions.models import LogSnapshot, ReadQuestion

# An entry needs this many votes before its 👍 share is ranked (one 👎 is not a verdict).
MIN_VOTES = 3
TOP = 10


@dataclass(frozen=True, slots=True)
class EntryVotes:
    """The votes on one entry's answers."""

    entry_id: str
    title: str
    questions: int
    up: int
    down: int

    @property
    def up_share(self) -> float:
        total = self.up + self.down
        return self.up / total if total else 0.0


@dataclass(frozen=True, slots=True)
class ClusterSummary:
    """One cluster of the same ask, as the report shows it."""

    size: int
    people: int
    examples: tuple[str, ...]
    closest_entry: str | None
    closest_title: str | None
    closest_score: float
    unanswered: int  # of ``size``, how many were declined (the rest got a closest answer)


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a report shows, for ``since`` to ``until`` (UTC days, inclusive)."""

    since: date
    until: date
    total: int
    per_day: tuple[tuple[date, dict[str, int]], ...]  # day -> platform -> questions
    bands_per_day: tuple[tuple[date, dict[str, int]], ...]  # day -> band -> questions
    bands: dict[str, int]
    platforms: tuple[str, ...]
    most_down: tuple[EntryVotes, ...]
    lowest_up_share: tuple[EntryVotes, ...]
    clusters: tuple[ClusterSummary, ...]


def is_weak(row: ReadQuestion) -> bool:
    """Unanswered (declined) or weakly answered (the closest topic), with its text kept."""
    q = row.question
    return q.text is not None and q.band in ("closest", "decline")


def weak_clusters(snapshot: LogSnapshot, matcher: Matcher) -> list[Cluster]:
    """The clusters of unanswered and weakly answered questions, biggest first."""
    asked = (
        Asked(r.question.text or "", r.question.user_hash, r.question.band, r.question.entry_id)
        for r in snapshot.questions
        if is_weak(r)
    )
    return cluster(asked, matcher.terms)


def summarise(found: Cluster, matcher: Matcher, knowledge: KnowledgeBase) -> ClusterSummary:
    """A cluster with its closest entry (the matcher's best for its most asked wording)."""
    examples = tuple(found.examples(3))
    best = matcher.match(examples[0]).best if examples else None
    entry = best.entry if best is not None else None
    return ClusterSummary(
        size=found.size,
        people=found.people,
        examples=examples,
        closest_entry=entry.id if entry else None,
        closest_title=(entry.title or entry.id) if entry else None,
        closest_score=round(best.score, 1) if best is not None else 0.0,
        unanswered=found.band_mix().get("decline", 0),
    )


def _entry_votes(snapshot: LogSnapshot, knowledge: KnowledgeBase) -> list[EntryVotes]:
    asked: Counter[str] = Counter()
    up: Counter[str] = Counter()
    down: Counter[str] = Counter()
    for row in snapshot.questions:
        entry = row.question.entry_id
        if entry is None:
            continue
        asked[entry] += 1
        up[entry] += row.up
        down[entry] += row.down

    def title(entry_id: str) -> str:
        entry = knowledge.by_id.get(entry_id)
        return (entry.title or entry_id) if entry else entry_id

    return [
        EntryVotes(entry_id, title(entry_id), asked[entry_id], up[entry_id], down[entry_id])
        for entry_id in sorted(asked)
    ]


def build_report(
    snapshot: LogSnapshot,
    matcher: Matcher,
    knowledge: KnowledgeBase,
    since: date,
    until: date,
    *,
    top: int = TOP,
) -> Report:
    """The report of ``snapshot`` (read since ``since``) up to ``until``."""
    per_day: dict[date, Counter[str]] = defaultdict(Counter)
    bands_per_day: dict[date, Counter[str]] = defaultdict(Counter)
    bands: Counter[str] = Counter()
    for count in snapshot.counts:
        if since <= count.day <= until:
            per_day[count.day][count.platform] += count.n
            bands_per_day[count.day][count.band] += count.n
            bands[count.band] += count.n
    days = [since.fromordinal(n) for n in range(since.toordinal(), until.toordinal() + 1)]
    platforms = tuple(sorted({p for counts in per_day.values() for p in counts}))
    votes = _entry_votes(snapshot, knowledge)
    most_down = sorted((v for v in votes if v.down), key=lambda v: (-v.down, v.entry_id))
    rated = [v for v in votes if v.up + v.down >= MIN_VOTES]
    lowest = sorted(rated, key=lambda v: (v.up_share, -v.down, v.entry_id))
    clusters = weak_clusters(snapshot, matcher)[:top]
    return Report(
        since=since,
        until=until,
        total=sum(bands.values()),
        per_day=tuple((day, dict(per_day.get(day, {}))) for day in days),
        bands_per_day=tuple((day, dict(bands_per_day.get(day, {}))) for day in days),
        bands=dict(bands),
        platforms=platforms,
        most_down=tuple(most_down[:top]),
        lowest_up_share=tuple(lowest[:top]),
        clusters=tuple(summarise(c, matcher, knowledge) for c in clusters),
    )
