"""Print the matcher's quality on the labelled question sets in tests/data/.

Usage: python benchmarks/evaluate.py [--misses]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from bot.knowledge.loader import load_knowledge
from bot.matching.evaluation import evaluate
from bot.matching.matcher import Matcher
from bot.settings import DEFAULT_KNOWLEDGE_DIR

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
SETS = ("dev_questions.yaml", "dev_real_questions.yaml", "holdout_questions.yaml")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list every wrong outcome")
    args = parser.parse_args()
    matcher = Matcher(load_knowledge(DEFAULT_KNOWLEDGE_DIR))
    for name in SETS:
        questions = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
        report = evaluate(matcher, questions)
        print(
            f"{name:26} acc={report.accuracy:.3f} decline P={report.decline_precision:.3f} "
            f"R={report.decline_recall:.3f} F1={report.decline_f1:.3f} comb={report.combined:.3f} "
            f"wrong-answers={report.wrong_answers:.3f}"
        )
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
