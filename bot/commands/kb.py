"""``mlcareer kb check|suggest|diff``: validate the knowledge base, propose additions from the
question log, and show what a change would flip on the logged questions."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.commands.questions import add_since, first_day, read_log, today
from bot.errors import KnowledgeError
from bot.knowledge.loader import load_knowledge
from bot.matching.matcher import Matcher
from bot.questions.diff import diff_text, knowledge_diff
from bot.questions.suggest import propose, suggestions_yaml
from bot.settings import Settings


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of ``kb check``; its name and help line are in ``bot.cli.COMMANDS``."""
    parser.description = "Work with the knowledge base (the YAML files in knowledge/)."
    actions = parser.add_subparsers(dest="kb_command", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="validate the knowledge base",
        description="Validate the knowledge base (format version 2): fields, ids across layers, "
        "sections, related/nearest/answers_with ids, examples and YAML syntax. Prints each "
        "problem as file:line: what to fix, and exits 1 if there are any.",
    )
    check.add_argument(
        "path",
        nargs="?",
        type=Path,
        metavar="PATH",
        help="a knowledge folder or one file in it (default: the configured knowledge folder); "
        "extra folders (--extra-knowledge, MLCAREER_EXTRA_KNOWLEDGE) are checked on top of it",
    )
    check.set_defaults(func=run_check)
    suggest = actions.add_parser(
        "suggest",
        help="propose examples and new entries from the question log",
        description="Write a knowledge file (format 2) of proposals from the question log: "
        "new example questions for existing entries (partial or closest answers that got a "
        "thumbs-up, and weak questions clustered near an entry) and stubs of new entries for "
        "clusters of unanswered questions, each saying how many people asked. Fill in the "
        "stubs, move the file into the knowledge folder and run kb check.",
    )
    add_since(suggest, 30)
    suggest.add_argument(
        "--output",
        type=Path,
        default=Path("suggestions.yaml"),
        metavar="FILE",
        help="where to write the proposals (default: suggestions.yaml)",
    )
    suggest.set_defaults(func=run_suggest)
    diff = actions.add_parser(
        "diff",
        help="show what a knowledge change would flip on the logged questions",
        description="Answer every logged question (with its text still kept) with the current "
        "knowledge and with PATH's, and list each question whose band or entry would change.",
    )
    diff.add_argument("path", type=Path, metavar="PATH", help="the changed knowledge folder")
    add_since(diff, 90)
    diff.set_defaults(func=run_diff)


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    """Validate PATH (or the configured folder): a summary and 0, or every problem and 1."""
    path: Path = args.path or settings.knowledge_dir
    try:
        knowledge = load_knowledge(path, settings.extra_knowledge)
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found in {path}", file=sys.stderr)
        return 1
    counts = (
        f"{len(knowledge.entries)} entries in {len(knowledge.sections)} sections, "
        f"{len(knowledge.tips)} tips"
    )
    if settings.extra_knowledge:
        counts += " (with " + ", ".join(str(extra) for extra in settings.extra_knowledge) + ")"
    if path.is_file():  # the counts are the folder's: say so, rather than credit the file
        print(f"{path}: OK (checked with the rest of {path.parent}: {counts})")
    else:
        print(f"{path}: OK, {counts}")
    return 0


def run_suggest(args: argparse.Namespace, settings: Settings) -> int:
    """Write the proposals file; say how many proposals it holds."""
    knowledge = load_knowledge(settings.knowledge_dir, settings.extra_knowledge)
    since = first_day(args.since, today(), 30)
    snapshot = asyncio.run(read_log(settings, since))
    examples, stubs = propose(snapshot, Matcher(knowledge), knowledge)
    args.output.write_text(suggestions_yaml(examples, stubs, since.isoformat()), encoding="utf-8")
    print(
        f"wrote {args.output}: new examples for {len(examples)} entries, "
        f"{len(stubs)} new entry stubs to fill in"
    )
    return 0


def run_diff(args: argparse.Namespace, settings: Settings) -> int:
    """Print the flips PATH's knowledge would cause; exit status 0 (1 if PATH is invalid)."""
    current = load_knowledge(settings.knowledge_dir, settings.extra_knowledge)
    proposed = load_knowledge(args.path, settings.extra_knowledge)
    snapshot = asyncio.run(read_log(settings, first_day(args.since, today(), 90)))
    compared, flips = asyncio.run(knowledge_diff(snapshot, current, proposed))
    print(diff_text(compared, flips))
    return 0
