"""``mlcareer ask``: one answer, or a batch of questions as JSON lines."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Iterator
from typing import BinaryIO, TextIO

from bot.console.render import render
from bot.console.streams import tolerate_bad_text
from bot.core.reply import Reply, ReplyKind
from bot.core.request import Request
from bot.core.router import Router
from bot.core.services import build_services
from bot.settings import Settings


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of ``ask``; its name and help line are in ``bot.cli.COMMANDS``."""
    parser.description = (
        "Answer QUESTION and exit (status 0). With QUESTION '-', read questions "
        "from standard input, one per line, and answer each in order. With --json, write one "
        "JSON object per line with the keys question, section (null when the bot declines), "
        "entry, score, band (answer: a full, confident answer; partial: what the knowledge "
        "doesn't say, then the nearest answer; closest; decline; or the command's kind such as "
        "help), partial (true for a partial answer), title and answer (plain text); batch "
        "records add line, and warning when a line was not valid UTF-8."
    )
    parser.epilog = (
        "Examples: mlcareer ask what skills do I need; "
        "mlcareer ask --json - < questions.txt > answers.jsonl"
    )
    parser.add_argument(
        "question", nargs="+", metavar="QUESTION", help="the question, or '-' to read stdin"
    )
    parser.add_argument("--json", action="store_true", help="write JSON lines")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Answer the question, or every line of stdin for '-'; exit status 0 whatever was asked."""
    router = Router(build_services(settings))
    tolerate_bad_text()
    words: list[str] = args.question
    with asyncio.Runner() as runner:
        if words == ["-"]:
            if sys.stdin.isatty():
                print(
                    "mlcareer: reading questions, one per line; end with Ctrl-D",
                    file=sys.stderr,
                )
            for number, text, warning in read_lines(sys.stdin.buffer):
                reply = runner.run(router.handle(Request(text=text)))
                emit(reply, text, args.json, sys.stdout, line=number, warning=warning)
        else:
            text = " ".join(words)
            reply = runner.run(router.handle(Request(text=text)))
            emit(reply, text, args.json, sys.stdout)
    return 0


def read_lines(stream: BinaryIO) -> Iterator[tuple[int, str, str | None]]:
    """(line number, text, warning) for each line; bad UTF-8 is replaced and reported."""
    for number, raw in enumerate(stream, start=1):
        data = raw.rstrip(b"\r\n")
        try:
            yield number, data.decode("utf-8"), None
        except UnicodeDecodeError:
            warning = f"line {number} is not valid UTF-8; undecodable bytes were replaced"
            print(f"mlcareer: {warning}", file=sys.stderr)
            yield number, data.decode("utf-8", errors="replace"), warning


def as_json(reply: Reply, question: str) -> dict[str, object]:
    """The batch-mode record for one answer."""
    return {
        "question": question,
        "section": reply.section,
        "entry": reply.entry_id,
        "score": reply.score,
        "band": reply.kind.value,
        "partial": reply.kind is ReplyKind.PARTIAL,
        "title": reply.title,
        "answer": reply.plain_text(),
    }


def emit(
    reply: Reply,
    question: str,
    use_json: bool,
    out: TextIO,
    line: int | None = None,
    warning: str | None = None,
) -> None:
    """Write one answer: a JSON record, or the rendered reply (batches separate each by a
    blank line). ``line`` and ``warning`` go into batch records. Flushed, so a pipe reader
    sees each answer as soon as it is ready."""
    if use_json:
        record = as_json(reply, question)
        if line is not None:
            record["line"] = line
        if warning:
            record["warning"] = warning
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        out.write(render(reply) + "\n")
        if line is not None:
            out.write("\n")
    out.flush()
