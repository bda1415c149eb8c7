"""``mlcareer chat``: a conversation with the bot in the terminal (no tokens, no network)."""

from __future__ import annotations

import argparse
import asyncio

from bot.console.keeper import ChatLog
from bot.console.repl import chat
from bot.console.streams import tolerate_bad_text
from bot.core.router import Router
from bot.core.services import build_services
from bot.settings import Settings


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of ``chat``; its name and help line are in ``bot.cli.COMMANDS``."""
    parser.description = (
        "Talk to the bot in this terminal. Type a topic or a question; "
        "/quit (or Ctrl-D) leaves. Needs no token and no network."
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Load the knowledge base and talk until the user leaves; exit status 0."""
    router = Router(build_services(settings))
    tolerate_bad_text()
    # Nothing is stored until someone rates an answer (/good, /bad): then the question log
    # and the votes open in the database, as in ``mlcareer run``.
    log = ChatLog(settings, router, getattr(args, "env_file", None))
    with asyncio.Runner() as runner:
        try:
            return chat(router, runner, keep=log.keep)
        finally:
            runner.run(log.close())
