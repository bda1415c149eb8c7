"""The ``mlcareer chat`` loop: read a line, route it, print the rendered reply.

Input is read synchronously on the main thread (so Ctrl-C and end of input behave as in any
terminal program) and every request runs on the one event loop of ``runner``.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import TextIO

from bot.console.feedback import Keep, feedback_command, rate
from bot.console.render import render
from bot.core.reply import Reply
from bot.core.request import Request
from bot.core.router import Router
from bot.core.text import is_blank

# Besides the documented /quit, what people type to leave any terminal program.
QUIT_WORDS = frozenset({"/quit", "/exit", "/q", "quit", "exit", "bye", "goodbye"})
GREETING = (
    "mlcareer: ask me about becoming an ML engineer.\n"
    "Try 'skills', 'salary' or 'do I need a degree?'. Type 'help' for more, /quit to leave.\n"
    "After an answer, /good or /bad [what you were looking for] rates it."
)


def chat(
    router: Router,
    runner: asyncio.Runner,
    read_line: Callable[[str], str] = input,
    out: TextIO = sys.stdout,
    user: str = "console",
    keep: Keep | None = None,
) -> int:
    """Run the conversation until /quit, end of input or Ctrl-C; returns the exit status.
    ``keep`` logs a rated answer that nothing logged (``bot.console.keeper``).

    ``/good`` and ``/bad`` rate the last answer; they are not questions, so the answer they
    rate stays the last one (rating twice counts once)."""
    print(GREETING, file=out, flush=True)
    last: Reply | None = None
    asked: Request | None = None
    while True:
        try:
            line = read_line("\nyou> ")
        except (EOFError, KeyboardInterrupt):
            print("\nBye!", file=out)
            return 0
        if is_blank(line):
            continue  # Enter on an empty prompt (or after an arrow key) asks again, as in a shell
        if line.strip().lower().rstrip("!.") in QUIT_WORDS:
            print("Bye!", file=out)
            return 0
        request = Request(text=line, user=user, channel="console")
        rating = feedback_command(line)
        if rating is not None:
            reply = runner.run(rate(router, last, request, *rating, asked=asked, keep=keep))
        else:
            reply = last = runner.run(router.handle(request))
            asked = request
        print("\n" + render(reply), file=out, flush=True)
