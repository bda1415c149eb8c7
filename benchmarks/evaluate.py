"""Print the matcher's quality on the labelled question sets in tests/data/.

Per set: accuracy, decline precision/recall/F1, comb = (acc + F1) / 2, and the share of
band-``answer`` replies (full, confident answers) that are wrong.

Usage: python benchmarks/evaluate.py [--misses] [--knowledge DIR] [--extra-knowledge DIR ...]
       [--thresholds CLOSEST,CONFIDENT[,DECLINE_MARGIN]] [--sweep]
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.matching.evaluation import Report, evaluate
from bot.matching.matcher import Matcher, Thresholds
from bot.settings import DEFAULT_KNOWLEDGE_DIR

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
SETS = ("dev_questions.yaml", "dev_real_questions.yaml", "holdout_questions.yaml")
SWEEP_CLOSEST = (5.0, 10.0, 15.0, 20.0, 25.0, 30.0)
SWEEP_CONFIDENT = (30.0, 40.0, 50.0, 60.0)
SWEEP_MARGIN = (0.0, 5.0, 10.0)


def thresholds(text: str) -> Thresholds:
    """CLOSEST,CONFIDENT[,DECLINE_MARGIN]."""
    values = [float(part) for part in text.split(",")]
    margin = values[2] if len(values) > 2 else Thresholds().decline_margin
    return Thresholds(confident=values[1], closest=values[0], decline_margin=margin)


def line(name: str, report: Report) -> str:
    return (
        f"{name:26} acc={report.accuracy:.3f} decline P={report.decline_precision:.3f} "
        f"R={report.decline_recall:.3f} F1={report.decline_f1:.3f} comb={report.combined:.3f} "
        f"wrong-answers={report.wrong_answers:.3f}"
    )


def sweep(knowledge: KnowledgeBase, sets: dict[str, list[dict[str, Any]]]) -> None:
    """acc/F1/wrong-answers per set for each (closest, confident, decline margin)."""
    print("closest confident margin  " + "  ".join(f"{n.split('.')[0]:>22}" for n in sets))
    grid = itertools.product(SWEEP_CLOSEST, SWEEP_CONFIDENT, SWEEP_MARGIN)
    for closest, confident, margin in grid:
        matcher = Matcher(knowledge, Thresholds(confident, closest, margin))
        cells = []
        for questions in sets.values():
            r = evaluate(matcher, questions)
            cells.append(f"{r.accuracy:.3f}/{r.decline_f1:.3f}/{r.wrong_answers:.3f}")
        row = f"{closest:7.1f} {confident:9.1f} {margin:6.1f}  "
        print(row + "  ".join(f"{c:>22}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list every wrong outcome")
    parser.add_argument("--knowledge", type=Path, default=DEFAULT_KNOWLEDGE_DIR)
    parser.add_argument("--extra-knowledge", type=Path, action="append", default=[])
    parser.add_argument("--thresholds", type=thresholds, default=Thresholds(), metavar="C,A[,M]")
    parser.add_argument("--sweep", action="store_true", help="acc/F1/wrong over a grid")
    args = parser.parse_args()
    knowledge = load_knowledge(args.knowledge, tuple(args.extra_knowledge))
    sets = {name: yaml.safe_load((DATA / name).read_text(encoding="utf-8")) for name in SETS}
    if args.sweep:
        sweep(knowledge, sets)
        return
    matcher = Matcher(knowledge, args.thresholds)
    for name, questions in sets.items():
        report = evaluate(matcher, questions)
        print(line(name, report))
        if args.misses:
            for o in report.outcomes:
                if not o.correct:
                    got = o.section or "DECLINE"
                    want = ",".join(o.expect) or "DECLINE"
                    print(
                        f"   {o.id} got={got:16} want={want:30} {o.band.value:8} {o.score:5.1f} "
                        f"{o.entry} {o.text[:60]}"
                    )


if __name__ == "__main__":
    main()
