"""``mlcareer kb check [PATH]``: validate the knowledge base and report every problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.errors import KnowledgeError
from bot.knowledge.loader import load_knowledge
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
