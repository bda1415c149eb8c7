"""The chat loop in process: lines in, rendered replies out, on one event loop."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable

import pytest

from bot.console.repl import GREETING, chat
from bot.core.router import Router


def lines(*texts: str, then: BaseException | None = None) -> Callable[[str], str]:
    """A ``read_line`` that returns ``texts`` in order, then raises ``then`` (EOF by default)."""
    pending = list(texts)

    def read_line(prompt: str) -> str:
        if pending:
            return pending.pop(0)
        raise then or EOFError

    return read_line


def run_chat(router: Router, read_line: Callable[[str], str]) -> str:
    out = io.StringIO()
    with asyncio.Runner() as runner:
        assert chat(router, runner, read_line=read_line, out=out) == 0
    return out.getvalue()


def test_chat_prints_greeting_then_each_rendered_reply(router: Router) -> None:
    out = run_chat(router, lines("skills", "/quit", "salary"))
    assert out.startswith(GREETING)
    assert "Skills an ML engineer needs\n===" in out
    assert "$114,121" not in out
    assert out.endswith("Bye!\n")


def test_chat_ends_quietly_on_ctrl_c(router: Router) -> None:
    out = run_chat(router, lines("salary", then=KeyboardInterrupt()))
    assert "$114,121" in out
    assert out.endswith("\nBye!\n")


def test_chat_ends_on_end_of_input(router: Router) -> None:
    assert run_chat(router, lines()).endswith("\nBye!\n")


def test_empty_lines_and_arrow_keys_just_prompt_again(router: Router) -> None:
    prompts: list[str] = []
    read = lines("", "   ", "\t\x1b[A", "salary")

    def read_line(prompt: str) -> str:
        prompts.append(prompt)
        return read(prompt)

    out = run_chat(router, read_line)
    assert len(prompts) == 5
    assert "mlcareer: career advice" not in out  # no help screen for an accidental Enter
    assert out.count("=====") == 1  # the one reply: salary


@pytest.mark.parametrize("word", ["quit", "exit", "bye", "Bye!", "goodbye"])
def test_chat_also_leaves_on_plain_quit_words(router: Router, word: str) -> None:
    out = run_chat(router, lines(word, "salary"))
    assert "$114,121" not in out
    assert out.endswith("Bye!\n")
