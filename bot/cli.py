"""The ``mlcareer`` command line: builds the settings once and runs one subcommand.

Subcommands are registered explicitly, one module each. The terminal paths (``chat``, ``ask``,
``kb``) never import Slack or Discord code; platform commands import their adapters lazily.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot import __version__
from bot.commands import ask, chat, discord, kb, run, slack, tips
from bot.errors import KnowledgeError, MlcareerError, SettingsError
from bot.settings import Settings

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: global options and every subcommand, registered explicitly."""
    parser = argparse.ArgumentParser(
        prog="mlcareer",
        description="A career-advice bot about machine learning engineering, for the terminal, "
        "Slack and Discord. Its answers come from one article, retold in its own words.",
        epilog="Settings come from the environment and .env; see .env.example. "
        "Run 'mlcareer COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"mlcareer {__version__}")
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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chat.register(commands)
    ask.register(commands)
    kb.register(commands)
    run.register(commands)
    slack.register(commands)
    discord.register(commands)
    tips.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mlcareer`` console script; returns the exit status."""
    parser = build_parser()
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
