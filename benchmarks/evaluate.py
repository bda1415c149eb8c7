"""Print the matcher's quality on every labelled question set in tests/data/.

Per set (dev, dev-real, holdout, corpus-train, corpus-heldout; see tests/data/README.md and
tests/data/corpus/README.md): accuracy, decline precision/recall/F1, comb = (acc + F1) / 2,
and the share of band-``answer`` replies (full, confident answers) that are wrong; then, for
each kind of question that must be declined, how many were. The corpus-heldout figures are
the ones to quote: those questions never feed the knowledge's examples.

``--kfold`` measures on the whole corpus instead: its three page folds (the held-out part and
the train part halved by page, ``fold_of``), each scored by a matcher whose knowledge has lost every
example taken from that fold's pages, so no question is ever scored with itself (or a
question from its own page) among the examples. Three times the questions of the held-out
part alone, so a change's effect is less noise.

Usage: python benchmarks/evaluate.py [--misses [SET ...]] [--sweep] [--write-golden]
       [--knowledge DIR] [--extra-knowledge DIR ...] [--thresholds CLOSEST,CONFIDENT[,LEAD]]
       [--kfold]
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import itertools
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.matching.evaluation import Outcome, Report, evaluate, golden, labelled_sets, report_of
from bot.matching.matcher import Matcher, Thresholds
from bot.settings import DEFAULT_KNOWLEDGE_DIR

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
GOLDEN = DATA / "golden_outcomes.yaml"
SWEEP_CLOSEST = (5.0, 10.0, 15.0, 20.0)
SWEEP_CONFIDENT = (30.0, 40.0, 50.0, 60.0)
SWEEP_LEAD = (0.0, 5.0, 10.0)


def thresholds(text: str) -> Thresholds:
    """CLOSEST,CONFIDENT[,CLEAR_LEAD]."""
    values = [float(part) for part in text.split(",")]
    lead = values[2] if len(values) > 2 else Thresholds().clear_lead
    return Thresholds(confident=values[1], closest=values[0], clear_lead=lead)


def line(name: str, report: Report) -> str:
    answered = sum(o.band.value == "answer" for o in report.outcomes)
    return (
        f"{name:15} n={len(report.outcomes):4} acc={report.accuracy:.3f} "
        f"decline P={report.decline_precision:.3f} R={report.decline_recall:.3f} "
        f"F1={report.decline_f1:.3f} comb={report.combined:.3f} "
        f"wrong-answers={report.wrong_answers:.3f} (of {answered})"
    )


def kinds(report: Report) -> str:
    """Declined / must decline, per kind of question (for sets that name kinds)."""
    total: Counter[str] = Counter()
    declined: Counter[str] = Counter()
    for o in report.outcomes:
        if o.answerable == "no" and o.kind:
            total[o.kind] += 1
            declined[o.kind] += o.section is None
    return "  ".join(f"{kind} {declined[kind]}/{total[kind]}" for kind in sorted(total))


def sweep(knowledge: KnowledgeBase, sets: dict[str, list[dict[str, Any]]]) -> None:
    """acc/F1/wrong-answers per set for each (closest, confident, clear lead)."""
    print("closest confident lead  " + "  ".join(f"{n:>20}" for n in sets))
    for closest, confident, lead in itertools.product(SWEEP_CLOSEST, SWEEP_CONFIDENT, SWEEP_LEAD):
        matcher = Matcher(knowledge, Thresholds(confident, closest, lead))
        cells = []
        for questions in sets.values():
            r = evaluate(matcher, questions)
            cells.append(f"{r.accuracy:.3f}/{r.decline_f1:.3f}/{r.wrong_answers:.3f}")
        print(
            f"{closest:7.1f} {confident:9.1f} {lead:4.1f}  " + "  ".join(f"{c:>20}" for c in cells)
        )


def fold_of(question: dict[str, Any]) -> int:
    """The question's fold: 0 for the corpus's held-out part; its train part halves into 1
    and 2 by the SHA-1 of the page address, so a page's questions stay in one fold."""
    if question.get("split") == "heldout":
        return 0
    address = str(question["source"]).split("#", 1)[0]
    return 1 + int(hashlib.sha1(address.encode("utf-8")).hexdigest(), 16) % 2


def without_examples(knowledge: KnowledgeBase, texts: set[str]) -> KnowledgeBase:
    """The knowledge with every example whose words equal one of ``texts`` removed."""
    entries = tuple(
        dataclasses.replace(
            e, examples=tuple(x for x in e.examples if " ".join(x.split()) not in texts)
        )
        for e in knowledge.entries
    )
    return KnowledgeBase(entries, knowledge.tips, knowledge.vocabulary, knowledge.sections)


def kfold(knowledge: KnowledgeBase, thresholds: Thresholds, misses: bool) -> None:
    """Score every corpus question with its own page fold's examples taken out."""
    corpus: list[dict[str, Any]] = yaml.safe_load(
        (DATA / "corpus" / "real_questions.yaml").read_text(encoding="utf-8")
    )
    outcomes: list[Outcome] = []
    for fold in range(3):
        questions = [q for q in corpus if fold_of(q) == fold]
        texts = {" ".join(str(q["text"]).split()) for q in questions}
        matcher = Matcher(without_examples(knowledge, texts), thresholds)
        report = evaluate(matcher, questions)
        print(line(f"fold {fold}", report))
        outcomes.extend(report.outcomes)
    every = report_of(outcomes)
    print(line("all folds", every))
    print(f"{'':15} declined by kind: {kinds(every)}")
    if misses:
        print_misses(every)


def print_misses(report: Report) -> None:
    """One line per wrong outcome."""
    for o in report.outcomes:
        if not o.correct:
            got = o.section or "DECLINE"
            want = ",".join(o.expect) or "DECLINE"
            print(
                f"   {o.id:8} got={got:16} want={want:28} {o.band.value:8} "
                f"{o.score:5.1f} {o.entry} | {o.text[:70]}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", nargs="*", metavar="SET", help="list wrong outcomes (of SETs)")
    parser.add_argument("--knowledge", type=Path, default=DEFAULT_KNOWLEDGE_DIR)
    parser.add_argument("--extra-knowledge", type=Path, action="append", default=[])
    parser.add_argument("--thresholds", type=thresholds, default=Thresholds(), metavar="C,A[,L]")
    parser.add_argument("--sweep", action="store_true", help="acc/F1/wrong over a grid")
    parser.add_argument("--kfold", action="store_true", help="the corpus in three page folds")
    parser.add_argument(
        "--write-golden", action="store_true", help=f"rewrite {GOLDEN.relative_to(DATA.parent)}"
    )
    args = parser.parse_args()
    knowledge = load_knowledge(args.knowledge, tuple(args.extra_knowledge))
    sets = labelled_sets(DATA)
    if args.sweep:
        sweep(knowledge, sets)
        return
    if args.kfold:
        kfold(knowledge, args.thresholds, args.misses is not None)
        return
    matcher = Matcher(knowledge, args.thresholds)
    pinned: dict[str, dict[str, dict[str, Any]]] = {}
    for name, questions in sets.items():
        report = evaluate(matcher, questions)
        pinned[name] = golden(report)
        print(line(name, report))
        if any(o.kind for o in report.outcomes):
            print(f"{'':15} declined by kind: {kinds(report)}")
        if args.misses is not None and (not args.misses or name in args.misses):
            print_misses(report)
    if args.write_golden:
        header = (
            "# What the matcher does with every labelled question (band and best entry), by set.\n"
            "# tests/matching/test_golden.py fails on any change; a change that flips outcomes\n"
            "# rewrites this file with `python benchmarks/evaluate.py --write-golden` in a commit\n"
            "# that says what got better and what got worse.\n"
        )
        body = yaml.safe_dump(
            pinned, sort_keys=True, allow_unicode=True, width=100, default_flow_style=None
        )
        GOLDEN.write_text(header + body, encoding="utf-8")
        print(f"wrote {GOLDEN}")


if __name__ == "__main__":
    main()
