"""Every labelled question's outcome (band and best entry) is pinned in
tests/data/golden_outcomes.yaml, so a change that flips one shows here and in review.

After a deliberate change, rewrite the file with ``python benchmarks/evaluate.py
--write-golden`` and say in the commit what got better and what got worse.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.matching.evaluation import evaluate, flips, labelled_sets
from bot.matching.matcher import Matcher

DATA = Path(__file__).resolve().parent.parent / "data"
SETS = labelled_sets(DATA)


@pytest.fixture(scope="module")
def pinned() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = yaml.safe_load(
        (DATA / "golden_outcomes.yaml").read_text(encoding="utf-8")
    )
    return data


def test_every_labelled_set_is_pinned(pinned: dict[str, dict[str, Any]]) -> None:
    assert set(pinned) == set(SETS)
    for name, questions in SETS.items():
        assert {str(q["id"]) for q in questions} == set(pinned[name]), name


@pytest.mark.parametrize("name", sorted(SETS))
def test_no_outcome_flipped(matcher: Matcher, pinned: dict[str, dict[str, Any]], name: str) -> None:
    changed = flips(pinned[name], evaluate(matcher, SETS[name]))
    assert not changed, f"{len(changed)} outcomes flipped in {name}:\n" + "\n".join(changed)


def test_the_check_sees_a_flip(matcher: Matcher, pinned: dict[str, dict[str, Any]]) -> None:
    """The comparison itself works: a pinned entry changed by hand is reported."""
    report = evaluate(matcher, SETS["dev"])
    first = report.outcomes[0]
    altered = {**pinned["dev"], first.id: {"band": "decline", "entry": "nowhere"}}
    assert [line.split(":")[0] for line in flips(altered, report)] == [first.id]
