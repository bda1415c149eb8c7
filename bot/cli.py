"""The ``mlcareer`` command line: builds the settings once and runs one subcommand.

Subcommands are listed explicitly in ``COMMANDS``, one module each, and only the module of
the command being run is imported: ``mlcareer ask`` never pays for the tips, asyncio server
or platform code of ``run``. The terminal paths (``chat``, ``ask``, ``kb``) never import
Slack or Discord code; platform commands import their adapters lazily.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot import __version__
from bot.errors import KnowledgeError, MlcareerError, SettingsError
from bot.settings import Settings

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

# Every subcommand: its name, the module whose ``configure(parser)`` sets up its options, and
# its line in ``mlcareer --help`` (kept here so listing the commands imports none of them).
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("chat", "bot.commands.chat", "talk to the bot in this terminal"),
    ("ask", "bot.commands.ask", "answer one question, or many as JSON lines"),
    ("kb", "bot.commands.kb", "work with the knowledge base"),
    ("run", "bot.commands.run", "serve the bot on Slack and/or Discord"),
    ("slack", "bot.commands.slack", "Slack helpers (the app manifest, a token key)"),
    ("discord", "bot.commands.discord", "Discord helpers (invite link)"),
    ("tips", "bot.commands.tips", "daily tips: list subscriptions, post the tips that are due"),
    ("report", "bot.commands.report", "report on the logged questions (text, Markdown, HTML)"),
)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line: global options and every subcommand. With ``only``, just that
    subcommand's module is imported and its options set up; the others are listed by name."""
    parser = argparse.ArgumentParser(
        prog="mlcareer",
        description="A career-advice bot about machine learning engineering, for the terminal, "
        "Slack and Discord. Its answers come from one article, retold in its own words.",
        epilog="Settings come from the environment and .env; see .env.example. "
        "Run 'mlcareer COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"mlcareer {__version__}")
    _add_global_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module, help_line in COMMANDS:
        command = commands.add_parser(name, help=help_line)
        if only is None or only == name:
            importlib.import_module(module).configure(command)
    return parser


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    """The options that come before the command name."""
    parser.add_argument(
        "--knowledge",
        type=Path,
        metavar="PATH",
        help="knowledge folder (default: MLCAREER_KNOWLEDGE_DIR or the bundled knowledge/)",
    )
    parser.add_argument(
        "--extra-knowledge",
        type=Path,
        action="append",
        metavar="PATH",
        help="an extra knowledge folder layered on the shipped one (repeatable; default: "
        "MLCAREER_EXTRA_KNOWLEDGE)",
    )
    parser.add_argument(
        "--env-file",
        type=Path,
        metavar="PATH",
        help="read settings from this file as well as the environment "
        "(default: .env in the current folder, if there is one)",
    )
    parser.add_argument(
        "--log-level",
        type=str.upper,
        choices=LOG_LEVELS,
        metavar="LEVEL",
        help="DEBUG, INFO, WARNING, ERROR or CRITICAL (default: MLCAREER_LOG_LEVEL or INFO)",
    )


def command_named(argv: Sequence[str] | None) -> str | None:
    """The subcommand ``argv`` names (after any global options), or None (``--help``,
    ``--version``, nothing): parsed by the global options themselves, so an option's value
    is never taken for the command."""
    early = argparse.ArgumentParser(add_help=False)
    _add_global_options(early)
    early.add_argument("command", nargs="?")
    try:
        known, _ = early.parse_known_args(argv)
    except SystemExit:  # a bad global option: the full parser reports it
        return None
    command: str | None = known.command
    return command


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mlcareer`` console script; returns the exit status."""
    parser = build_parser(only=command_named(argv))
    args = parser.parse_args(argv)
    try:
        overrides: dict[str, Any] = {}
        if args.knowledge is not None:
            overrides["knowledge_dir"] = args.knowledge
        if args.extra_knowledge:
            overrides["extra_knowledge"] = tuple(args.extra_knowledge)
        if args.log_level:
            overrides["log_level"] = args.log_level
        env_file: Path | None = args.env_file
        if env_file is not None and not (env_file.is_file() or env_file == Path(os.devnull)):
            raise SettingsError(f"--env-file {env_file}: no such file")
        settings = Settings.load(dotenv=env_file or Path(".env"), **overrides)
        logging.basicConfig(
            level=settings.log_level.upper(),
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
            stream=sys.stderr,
        )
        status: int = args.func(args, settings)
        return status
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("mlcareer: the knowledge base is invalid; fix the problems above", file=sys.stderr)
        return 1
    except MlcareerError as exc:
        print(f"mlcareer: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
