"""``mlcareer chat`` driven through stdin of the real command line."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

RunCli = Callable[..., subprocess.CompletedProcess[bytes]]


def chat(run_cli: RunCli, stdin: bytes, **env: str) -> str:
    result = run_cli("chat", stdin=stdin, extra_env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert b"Traceback" not in result.stderr
    return result.stdout.decode()


def test_chat_greets_answers_each_line_and_leaves_on_quit(run_cli: RunCli) -> None:
    out = chat(run_cli, b"skills\nhow much do ML engineers earn?\n/quit\nsalary\n")
    assert out.startswith("mlcareer: ask me about becoming an ML engineer.")
    assert out.count("you> ") == 3
    assert "Skills an ML engineer needs" in out
    assert "$114,121" in out
    assert out.rstrip().endswith("Bye!")
    assert out.index("Skills an ML engineer needs") < out.index("$114,121")


@pytest.mark.parametrize("word", ["/quit", "/exit", "/q", "  /QUIT  "])
def test_chat_leaves_on_any_quit_word(run_cli: RunCli, word: str) -> None:
    out = chat(run_cli, f"{word}\nskills\n".encode())
    assert "Skills an ML engineer needs" not in out
    assert out.rstrip().endswith("Bye!")


def test_chat_leaves_cleanly_at_end_of_input(run_cli: RunCli) -> None:
    out = chat(run_cli, b"salary\n")
    assert "$114,121" in out
    assert out.rstrip().endswith("Bye!")


def test_chat_with_no_input_at_all_says_bye(run_cli: RunCli) -> None:
    out = chat(run_cli, b"")
    assert out.rstrip().endswith("Bye!")


def test_chat_survives_bad_input_and_keeps_answering(run_cli: RunCli) -> None:
    lines = [
        b"",
        b"   \t ",
        b"\x00\x00\x00",
        b"\x1b[2J\x07",
        "🤖🚀".encode(),
        "какие skills нужны 機械学習".encode(),
        b"<@U123>",
        b"@mlcareer",
        b"?!?",
        b"x" * 100_000,
        b"salary",
    ]
    out = chat(run_cli, b"\n".join(lines) + b"\n/quit\n")
    assert out.count("you> ") == len(lines) + 1
    assert "I didn't catch a question there" in out
    assert "so I read only the first 2,000" in out
    assert "Sorry, something went wrong" not in out
    assert "$114,121" in out


def test_chat_survives_invalid_utf8_even_with_a_strict_stdin_codec(run_cli: RunCli) -> None:
    out = chat(run_cli, b"\xff\xfe\xc3\x28\nsalary\n", PYTHONIOENCODING="utf-8")
    assert out.count("you> ") == 3
    assert "$114,121" in out


def test_rating_an_answer_keeps_the_question_and_the_vote_in_the_data_folder(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """Asking stores nothing; the first /bad opens the database in the data folder, logs the
    rated question (text kept, user only as a hash) and keeps the vote with its note."""
    data = tmp_path / "xdg"
    out = chat(run_cli, b"skills\n/bad wanted a list of courses\n/quit\n", XDG_DATA_HOME=str(data))
    assert "your note is saved with your vote" in out
    database = data / "mlcareer" / "mlcareer.db"
    assert database.is_file()
    with sqlite3.connect(database) as conn:
        questions = conn.execute("SELECT text, band, entry_id, user_hash FROM questions").fetchall()
        votes = conn.execute("SELECT vote, comment FROM votes").fetchall()
    assert [(text, band, entry) for text, band, entry, _ in questions] == [
        ("skills", "answer", "skills")
    ]
    assert questions[0][3]
    assert "console" not in questions[0][3]
    assert votes == [(-1, "wanted a list of courses")]
