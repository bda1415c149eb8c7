"""Score the matcher on a labelled question set (the format of ``tests/data/*.yaml``).

Metrics, as the project is judged: ``acc`` over answerable questions ("yes" and "partial":
the top answer's section is in ``expect``; a decline counts as wrong), decline precision and
recall over the bot's declines and the "no" questions, their F1, and ``comb`` = (acc + F1) / 2.
``wrong_answers`` is the share of band-``answer`` replies (full, confident answers) that are
wrong: the cost of a confident mistake.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.matching.matcher import Band, Matcher


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the matcher did with one labelled question."""

    id: str
    text: str
    expect: tuple[str, ...]
    answerable: str
    section: str | None
    score: float
    band: Band = Band.DECLINE
    entry: str | None = None
    kind: str = ""  # for a question that must be declined, what kind of question it is

    @property
    def correct(self) -> bool:
        if self.answerable == "no":
            return self.section is None
        return self.section in self.expect


@dataclass(frozen=True, slots=True)
class Report:
    """Aggregate metrics over a question set, with every outcome for inspection."""

    accuracy: float
    decline_precision: float
    decline_recall: float
    outcomes: tuple[Outcome, ...] = field(repr=False)

    @property
    def decline_f1(self) -> float:
        p, r = self.decline_precision, self.decline_recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    @property
    def combined(self) -> float:
        return (self.accuracy + self.decline_f1) / 2

    @property
    def wrong_answers(self) -> float:
        """The share of band-``answer`` outcomes that are wrong (0 when there are none)."""
        answered = [o for o in self.outcomes if o.band is Band.ANSWER]
        return sum(not o.correct for o in answered) / len(answered) if answered else 0.0


def evaluate(matcher: Matcher, questions: Iterable[Mapping[str, Any]]) -> Report:
    """Run every question through ``matcher`` and compute the metrics."""
    outcomes = []
    for item in questions:
        result = matcher.match(str(item["text"]))
        best = result.best
        outcomes.append(
            Outcome(
                id=str(item["id"]),
                text=str(item["text"]),
                expect=tuple(item.get("expect") or ()),
                answerable=str(item["answerable"]),
                section=result.section,
                score=best.score if best else 0.0,
                band=result.band,
                entry=best.entry.id if best else None,
                kind=str(item.get("kind") or ""),
            )
        )
    return report_of(outcomes)


def report_of(outcomes: Iterable[Outcome]) -> Report:
    """The metrics of outcomes already computed (one matcher's, or several matchers' together
    as ``evaluate.py --kfold`` adds up its folds)."""
    outcomes = tuple(outcomes)
    answerable = [o for o in outcomes if o.answerable != "no"]
    must_decline = [o for o in outcomes if o.answerable == "no"]
    declined = [o for o in outcomes if o.section is None]
    accuracy = sum(o.correct for o in answerable) / len(answerable) if answerable else 1.0
    true_declines = sum(1 for o in declined if o.answerable == "no")
    precision = true_declines / len(declined) if declined else 1.0
    recall = true_declines / len(must_decline) if must_decline else 1.0
    return Report(accuracy, precision, recall, outcomes)


# The labelled sets, by the name evaluate.py and the golden file use: the shared dev sets, the
# project's own written holdout, and the corpus of real questions split into its train part
# (may feed knowledge examples) and its held-out part (never does).
SET_FILES = {
    "dev": "dev_questions.yaml",
    "dev-real": "dev_real_questions.yaml",
    "holdout": "holdout_questions.yaml",
    "corpus-train": "corpus/real_questions.yaml",
    "corpus-heldout": "corpus/real_questions.yaml",
}


def labelled_sets(data: Path) -> dict[str, list[dict[str, Any]]]:
    """Every labelled set in ``data`` (tests/data) that exists, by name, in a fixed order."""
    sets: dict[str, list[dict[str, Any]]] = {}
    for name, file in SET_FILES.items():
        path = data / file
        if not path.is_file():
            continue
        items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if name.startswith("corpus-"):
            split = name.removeprefix("corpus-")
            items = [item for item in items if item.get("split") == split]
        sets[name] = items
    return sets


def golden(report: Report) -> dict[str, dict[str, Any]]:
    """What the golden file pins for each question of a set: band and entry."""
    return {o.id: {"band": o.band.value, "entry": o.entry} for o in report.outcomes}


def flips(expected: Mapping[str, Any], report: Report) -> list[str]:
    """Every question whose band or entry differs from the golden file, one line each."""
    now = golden(report)
    lines = []
    for outcome in report.outcomes:
        was = expected.get(outcome.id)
        if was != now[outcome.id]:
            change = f"{was} -> {now[outcome.id]} ({outcome.score:.1f})"
            lines.append(f"{outcome.id}: {change} {outcome.text[:70]}")
    lines.extend(f"{qid}: no longer in the set" for qid in expected if qid not in now)
    return lines
