"""``mlcareer ask``: one answer, or JSON lines for a batch read from stdin, through the real CLI."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.shipped import SECTION_IDS

RunCli = Callable[..., subprocess.CompletedProcess[bytes]]

REQUIRED_KEYS = {"question", "section", "entry", "score", "answer"}


def json_lines(result: subprocess.CompletedProcess[bytes]) -> list[dict[str, Any]]:
    assert b"Traceback" not in result.stderr, result.stderr.decode()
    assert result.returncode == 0, result.stderr.decode()
    return [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]


def test_ask_prints_a_readable_answer_and_exits_0(run_cli: RunCli) -> None:
    result = run_cli("ask", "what skills do I need")
    out = result.stdout.decode()
    assert result.returncode == 0
    assert out.startswith("Skills an ML engineer needs\n====")
    assert "Source: Section: Skills" in out
    assert result.stderr == b""


def test_ask_joins_unquoted_words_into_one_question(run_cli: RunCli) -> None:
    quoted = run_cli("ask", "do I need a degree")
    unquoted = run_cli("ask", "do", "I", "need", "a", "degree")
    assert quoted.stdout == unquoted.stdout
    assert b"Degrees" in quoted.stdout


def test_ask_json_prints_one_object_with_the_documented_keys(run_cli: RunCli) -> None:
    [record] = json_lines(run_cli("ask", "--json", "how much do ML engineers earn"))
    assert set(record) >= REQUIRED_KEYS
    assert record["question"] == "how much do ML engineers earn"
    assert record["section"] == "salary"
    assert record["entry"].startswith("salary")
    assert 0 <= record["score"] <= 100
    assert "$114,121" in record["answer"]


def test_ask_json_batch_answers_each_stdin_line_in_order(run_cli: RunCli) -> None:
    questions = [
        "what skills do I need",
        "skills",
        "how do I fix my car's brakes",
        "which industries hire ML engineers?",
        "",
        "salery",
        "do I need a degree",
    ]
    stdin = ("\n".join(questions) + "\n").encode()
    records = json_lines(run_cli("ask", "--json", "-", stdin=stdin))
    assert [r["question"] for r in records] == questions
    assert [r["line"] for r in records] == list(range(1, len(questions) + 1))
    for record in records:
        assert set(record) >= REQUIRED_KEYS
        assert record["section"] is None or record["section"] in SECTION_IDS
        assert record["score"] is None or 0 <= record["score"] <= 100
        assert record["answer"]
    assert [r["section"] for r in records[:4]] == ["skills", "skills", None, "industries"]
    declined = records[2]
    assert declined["band"] == "decline"
    assert declined["entry"] is None or declined["entry"].startswith("decline/")
    assert declined["answer"]
    assert records[4]["band"] == "help"
    assert records[5]["band"] == "did_you_mean"


def test_ask_batch_accepts_crlf_and_a_last_line_without_newline(run_cli: RunCli) -> None:
    records = json_lines(run_cli("ask", "--json", "-", stdin=b"skills\r\nsalary"))
    assert [(r["question"], r["section"]) for r in records] == [
        ("skills", "skills"),
        ("salary", "salary"),
    ]


def test_ask_batch_with_empty_stdin_prints_nothing(run_cli: RunCli) -> None:
    result = run_cli("ask", "--json", "-", stdin=b"")
    assert result.returncode == 0
    assert result.stdout == b""


def test_ask_batch_without_json_prints_readable_answers(run_cli: RunCli) -> None:
    result = run_cli("ask", "-", stdin=b"skills\nsalary\n")
    out = result.stdout.decode()
    assert result.returncode == 0
    assert out.index("Skills an ML engineer needs") < out.index("Salary\n======")


def test_ask_batch_keeps_going_past_invalid_utf8_and_reports_the_line(run_cli: RunCli) -> None:
    stdin = b"skills\nsal\xff\xfeary \xc3\x28 pay\nsalary\n"
    result = run_cli("ask", "--json", "-", stdin=stdin)
    records = json_lines(result)
    assert len(records) == 3
    assert [records[0]["section"], records[2]["section"]] == ["skills", "salary"]
    assert records[1]["line"] == 2
    assert records[1]["warning"] == "line 2 is not valid UTF-8; undecodable bytes were replaced"
    assert "\ufffd" in records[1]["question"]
    assert "warning" not in records[0]
    assert "warning" not in records[2]
    assert result.stderr.decode() == (
        "mlcareer: line 2 is not valid UTF-8; undecodable bytes were replaced\n"
    )


BAD_LINES = [
    ("empty", b"", "help"),
    ("whitespace", b"   \t  ", "help"),
    ("control", b"what\x07 skills\x1b do I need", "answer"),
    ("nul", b"\x00\x00salary\x00", "answer"),
    ("only-nul", b"\x00\x00\x00", "help"),
    ("emoji", "🤖🚀🔥".encode(), "decline"),
    ("mixed-scripts", "какие skills нужны 機械学習".encode(), "answer"),
    ("mention", b"<@U123>", "help"),
    ("at-mention", b"@mlcareer", "help"),
    ("punctuation", b"?!?...", "decline"),
    # Cut at 2,000 characters mid-word ("... do I nee"): the fragment is a word no example
    # uses, so the answer may come as the closest topic rather than a confident one.
    ("long", b"what skills do I need " * 4546, "answer|closest"),
]


def test_ask_batch_handles_every_kind_of_bad_line_without_a_traceback(run_cli: RunCli) -> None:
    stdin = b"\n".join(line for _, line, _ in BAD_LINES) + b"\n"
    records = json_lines(run_cli("ask", "--json", "-", stdin=stdin))
    assert len(records) == len(BAD_LINES)
    for record, (name, _, band) in zip(records, BAD_LINES, strict=True):
        assert record["band"] in band.split("|"), name
    long = records[-1]
    assert "so I read only the first 2,000" in long["answer"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("   ", "mlcareer: career advice"),
        ("what\x07 skills\x1b do I need", "Skills an ML engineer needs"),
        ("🤖🚀", "I didn't catch a question there"),
        ("<@U123>", "mlcareer: career advice"),
        ("@mlcareer", "mlcareer: career advice"),
        ("?!?", "I didn't catch a question there"),
        ("機械学習 salary ¿cuánto?", "Salary"),
        ("x" * 100_000, "read only the first 2,000"),
    ],
)
def test_ask_with_bad_input_as_argument_replies_without_a_traceback(
    run_cli: RunCli, question: str, expected: str
) -> None:
    result = run_cli("ask", question)
    assert result.returncode == 0
    assert expected in result.stdout.decode()
    assert b"Traceback" not in result.stderr


def test_ask_prints_to_an_ascii_only_terminal_without_crashing(run_cli: RunCli) -> None:
    result = run_cli("ask", "skils", extra_env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0
    assert b"Did you mean ?skills?" in result.stdout
    assert b"Traceback" not in result.stderr


def test_ask_batch_from_a_terminal_says_it_is_waiting_for_lines(tmp_path: Path) -> None:
    """Typed at a terminal, 'ask -' would otherwise sit silent; piped input gets no such line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLCAREER_", "PYTHONIO"))}
    main_end, child_end = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        stdin=child_end,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=env,
    ) as process:
        os.close(child_end)
        os.write(main_end, b"salary\n\x04")
        out, err = process.communicate(timeout=60)
    os.close(main_end)
    assert process.returncode == 0
    assert err.decode() == "mlcareer: reading questions, one per line; end with Ctrl-D\n"
    assert json.loads(out)["section"] == "salary"


def test_ask_batch_from_a_pipe_prints_no_prompt(run_cli: RunCli) -> None:
    assert run_cli("ask", "-", stdin=b"salary\n").stderr == b""
