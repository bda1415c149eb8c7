"""Matcher quality floors on the labelled sets (metrics as in tests/data/README.md).

The golden file (test_golden.py) pins every outcome; these floors sit a little below today's
figures so that a deliberate golden rewrite cannot quietly lower a whole set's quality.
Today (python benchmarks/evaluate.py): dev 0.933/0.933, dev-real 0.848/0.839, holdout
0.791/0.867, corpus-heldout 0.786/0.762 (accuracy / decline F1).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.matching.evaluation import Report, evaluate, labelled_sets
from bot.matching.matcher import Matcher

DATA = Path(__file__).resolve().parent.parent / "data"
SETS = labelled_sets(DATA)

# set: (accuracy, decline F1, most wrong full answers)
FLOORS = {
    "dev": (0.90, 0.90, 0.05),
    "dev-real": (0.82, 0.80, 0.05),
    "holdout": (0.78, 0.82, 0.05),
    "corpus-heldout": (0.76, 0.73, 0.20),
}


def _misses(report: Report) -> list[str]:
    return [f"{o.id}: {o.text} -> {o.section}" for o in report.outcomes if not o.correct]


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_quality_stays_above_its_floor(matcher: Matcher, name: str) -> None:
    accuracy, decline_f1, wrong = FLOORS[name]
    report = evaluate(matcher, SETS[name])
    assert report.accuracy >= accuracy, _misses(report)
    assert report.decline_f1 >= decline_f1, _misses(report)
    assert report.wrong_answers <= wrong, _misses(report)
