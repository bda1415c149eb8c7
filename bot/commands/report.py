"""``mlcareer report``: the question log's report as text, Markdown or one HTML file."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.commands.questions import add_since, first_day, read_log, today
from bot.errors import SettingsError
from bot.knowledge.loader import load_knowledge
from bot.matching.matcher import Matcher
from bot.questions.render import FORMATS, render
from bot.questions.report import build_report
from bot.settings import Settings


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of ``report``; its name and help line are in ``bot.cli.COMMANDS``."""
    parser.description = (
        "Report on the logged questions: questions per day and platform, the band mix over "
        "time, the entries with the most thumbs-down and the lowest thumbs-up share, and the "
        "top clusters of unanswered or weakly answered questions with their closest entry."
    )
    add_since(parser)
    parser.add_argument("--format", choices=FORMATS, default="text", help="default: text")
    parser.add_argument(
        "--output", type=Path, metavar="FILE", help="write here instead of standard output"
    )
    parser.set_defaults(func=run_report)


def run_report(args: argparse.Namespace, settings: Settings) -> int:
    """Print (or write) the report; exit status 0."""
    knowledge = load_knowledge(settings.knowledge_dir, settings.extra_knowledge)
    until = today()
    since = first_day(args.since, until)
    if since > until:
        raise SettingsError(f"--since {since} is in the future")
    snapshot = asyncio.run(read_log(settings, since))
    report = build_report(snapshot, Matcher(knowledge), knowledge, since, until)
    text = render(report, args.format)
    if args.output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote the {args.format} report to {args.output}", file=sys.stderr)
    return 0
