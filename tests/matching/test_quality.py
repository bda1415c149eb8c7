"""Matcher quality on the labelled question sets (metrics as in tests/data/README.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.matching.evaluation import Report, evaluate
from bot.matching.matcher import Matcher

DATA = Path(__file__).resolve().parent.parent / "data"


def _report(matcher: Matcher, name: str) -> Report:
    questions: list[dict[str, Any]] = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return evaluate(matcher, questions)


def _misses(report: Report) -> list[str]:
    return [f"{o.id}: {o.text} -> {o.section}" for o in report.outcomes if not o.correct]


def test_written_questions_meet_accuracy_and_decline_targets(matcher: Matcher) -> None:
    """Written set: accuracy >= 0.90, decline precision and recall >= 0.85 each."""
    report = _report(matcher, "dev_questions.yaml")
    assert report.accuracy >= 0.90, _misses(report)
    assert report.decline_precision >= 0.85, _misses(report)
    assert report.decline_recall >= 0.85, _misses(report)


def test_real_questions_meet_accuracy_and_decline_f1_targets(matcher: Matcher) -> None:
    """Real set: accuracy >= 0.80 and decline F1 >= 0.80."""
    report = _report(matcher, "dev_real_questions.yaml")
    assert report.accuracy >= 0.80, _misses(report)
    assert report.decline_f1 >= 0.80, _misses(report)


def test_own_holdout_questions_stay_above_their_floor(matcher: Matcher) -> None:
    """Own holdout set (see tests/data/README.md): accuracy and decline F1 stay >= 0.80."""
    report = _report(matcher, "holdout_questions.yaml")
    assert report.accuracy >= 0.80, _misses(report)
    assert report.decline_f1 >= 0.80, _misses(report)
