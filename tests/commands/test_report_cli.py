"""``mlcareer report``, ``kb suggest`` and ``kb diff`` on a logged database, SQLite and
PostgreSQL: every format, the suggest file, the flips a knowledge change would cause."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.core.request import Request
from bot.core.router import Router
from bot.core.services import Services
from bot.knowledge.loader import load_knowledge
from bot.matching.matcher import Matcher
from bot.questions.service import QuestionService
from bot.questions.sql_log import open_question_log
from bot.settings import DEFAULT_KNOWLEDGE_DIR
from bot.tips.testing import FakeClock
from tests.questions.votes import vote

ASKED = (
    ["when is the next meetup"] * 4
    + ["when is the next community meetup"] * 3
    + ["what skills do I need?"] * 2
    + ["how do I get a work visa for germany", "how do I get a visa to work in canada"] * 2
)


async def log_some(url: str) -> None:
    """Questions asked an hour ago (the CLI reads up to today), and votes on one."""
    knowledge = load_knowledge(DEFAULT_KNOWLEDGE_DIR)
    matcher = Matcher(knowledge)
    log = await open_question_log(url)
    try:
        clock = FakeClock(datetime.now(UTC) - timedelta(hours=1))
        service = QuestionService(log, b"c" * 32, clock, knowledge, matcher)
        services = Services(knowledge=knowledge, matcher=matcher)
        services.questions = service
        router = Router(services)
        replies = [
            await router.handle(Request(text, f"U{n}", platform="slack", workspace="T1"))
            for n, text in enumerate(ASKED)
        ]
        skills = next(r for r in replies if r.entry_id and r.kind.value == "answer")
        assert skills.question_id is not None
        for voter in ("a", "b", "c"):
            await vote(log, skills.question_id, voter, -1, "<!channel> " + "x" * 5000)
    finally:
        await log.close()


@pytest.fixture
def logged(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    for name in ("MLCAREER_KNOWLEDGE_DIR", "MLCAREER_EXTRA_KNOWLEDGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)
    asyncio.run(log_some(db_url))
    return db_url


def run(*args: str) -> int:
    return main(["--env-file", "/dev/null", *args])


def test_report_in_text_markdown_and_html(
    logged: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("report") == 0
    text = capsys.readouterr().out
    assert f": {len(ASKED)}" in text.splitlines()[0]
    assert "Most \U0001f44e:" in text
    assert "skills" in text.split("Most \U0001f44e:")[1].splitlines()[1]
    top = text.split("Top unanswered or weakly answered questions:")[1]
    assert "1. 7 questions from 7 people" in top
    assert "- when is the next meetup" in top

    assert run("report", "--format", "markdown") == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("# Question log")
    assert "| 1 | 7 | 7 |" in markdown

    page = tmp_path / "report.html"
    assert run("report", "--format", "html", "--output", str(page)) == 0
    assert "wrote the html report" in capsys.readouterr().err
    assert page.read_text(encoding="utf-8").count("<svg") == 2
    # A hostile vote comment is never shown (the report reads votes as counts).
    assert "<!channel>" not in text + markdown + page.read_text(encoding="utf-8")


def test_report_since_and_bad_dates(logged: str, capsys: pytest.CaptureFixture[str]) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    with pytest.raises(SystemExit) as exited:
        run("report", "--since", "last tuesday")
    assert exited.value.code == 2
    assert "is not a date" in capsys.readouterr().err
    assert run("report", "--since", tomorrow) == 2
    assert "in the future" in capsys.readouterr().err


def test_kb_suggest_writes_a_file_kb_check_accepts_once_filled_in(
    logged: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "suggested.yaml"
    assert run("kb", "suggest", "--output", str(out)) == 0
    assert "new entry stubs" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    (stub, *_) = data["entries"]
    assert "meetup" in stub["examples"][0]
    assert "# asked 7 times by 7 people" in text
    folder = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, folder)
    (folder / "suggested.yaml").write_text(text, encoding="utf-8")
    assert run("kb", "check", str(folder)) == 1  # empty answers are not accepted yet
    assert "empty" in capsys.readouterr().err
    filled = (
        text.replace('title: ""', 'title: "Meetups"')
        .replace('answer: ""', 'answer: "See the pinned message."')
        .replace('source: ""', 'source: "the community"')
    )
    lines = []
    for line in filled.splitlines():
        if line.strip().startswith("# write "):  # too few wordings yet: write the rest
            lines += ['      - "is there a meetup soon"'] * int(line.split()[2])
        else:
            lines.append(line)
    (folder / "suggested.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run("kb", "check", str(folder)) == 0, capsys.readouterr().err


def test_kb_diff_shows_what_a_change_would_flip(
    logged: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, folder)
    (folder / "zz-meetups.yaml").write_text(
        "version: 2\nentries:\n  - id: overview/meetups\n    section: overview\n"
        "    title: Meetups\n    answer: See the pinned message.\n    source: the community\n"
        "    examples: [when is the next meetup, when is the next community meetup,"
        " is there a meetup this week]\n",
        encoding="utf-8",
    )
    assert run("kb", "diff", str(folder)) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 of 5 distinct logged questions would change.")
    assert "-> answer overview/meetups: 7 asks" in out
    assert run("kb", "diff", str(DEFAULT_KNOWLEDGE_DIR)) == 0
    assert capsys.readouterr().out.startswith("0 of 5 distinct")
