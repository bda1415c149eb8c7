"""A simulated week (2,100 questions from templates, more than half unanswered) through the
real router and question log: the report's top clusters, the ``kb suggest`` file, and
``kb check`` accepting that file once it is filled in, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from bot.core.reply import Reply
from bot.core.request import Request
from bot.core.router import Router
from bot.core.services import Services
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.questions.render import render_text
from bot.questions.report import build_report
from bot.questions.service import QuestionService
from bot.questions.sql_log import SqlQuestionLog
from bot.questions.suggest import propose, suggestions_yaml
from bot.settings import DEFAULT_KNOWLEDGE_DIR
from bot.tips.testing import FakeClock
from tests.questions.week import week

START = datetime(2026, 11, 23, tzinfo=UTC)
KEY = b"w" * 32


async def log_the_week(qlog: SqlQuestionLog, knowledge: KnowledgeBase, matcher: Matcher) -> None:
    """Every question through the router with the log attached. The router is deterministic,
    so each distinct wording is routed once and its reply reused for the repeats (the week
    has about 700); every question is still recorded, by the same service call."""
    clock = FakeClock(START)
    service = QuestionService(qlog, KEY, clock, knowledge, matcher)
    services = Services(knowledge=knowledge, matcher=matcher)
    services.questions = service
    router = Router(services)
    replies: dict[str, Reply] = {}
    for when, platform, workspace, user, text in week(START):
        clock.set(when)
        request = Request(text, user, "C1", platform, workspace=workspace, channel_kind="channel")
        if text in replies:
            reply = await service.record(request, text, replies[text])
        else:
            reply = replies[text] = await router.handle(request)
        assert reply.question_id is not None


async def test_a_week_of_questions_reports_its_top_clusters_and_suggests_entries(
    qlog: SqlQuestionLog, knowledge: KnowledgeBase, matcher: Matcher, tmp_path: Path
) -> None:
    await log_the_week(qlog, knowledge, matcher)
    snapshot = await qlog.read(START)
    assert len(snapshot.questions) == 2100
    end = (START + timedelta(days=6)).date()
    report = build_report(snapshot, matcher, knowledge, START.date(), end)
    assert report.total == 2100
    assert report.bands["decline"] > 1000  # many unanswered
    assert [sum(platforms.values()) for _, platforms in report.per_day] == [300] * 7

    top = report.clusters[:3]
    themes = ["meetup", "cover letter", "visa"]
    assert [next(t for t in themes if t in c.examples[0]) for c in top] == themes
    assert [c.closest_entry for c in top] == [
        "decline/chit-chat",
        "decline/job-applications",
        "decline/visas",
    ]
    for cluster, theme in zip(top, themes, strict=True):
        assert len(cluster.examples) == 3
        assert all(theme in example for example in cluster.examples)
        assert cluster.size == cluster.unanswered > 150
        assert 100 < cluster.people < cluster.size
    # The one-off tail questions (three random words) never make a top cluster.
    themed = [c for c in report.clusters if c.size > 50]
    assert len(themed) >= 5
    assert list(report.clusters[: len(themed)]) == themed
    assert all(c.size <= 10 for c in report.clusters[len(themed) :])
    text = render_text(report)
    assert "1. 2" in text  # the biggest cluster's line, sized in the hundreds

    examples, stubs = propose(snapshot, matcher, knowledge)
    written = suggestions_yaml(examples, stubs, START.date().isoformat())
    data = yaml.safe_load(written)
    stub_themes = [
        next((t for t in themes if t in s["examples"][0]), None) for s in data["entries"]
    ]
    assert stub_themes[:3] == themes
    assert all(s["answer"] == "" and len(s["examples"]) >= 1 for s in data["entries"])
    assert "# asked 2" in written  # the meetup stub says how many asked (two hundred and some)
    # Filled in and moved into the knowledge folder, kb check (the loader) accepts it.
    folder = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, folder)
    filled = (
        written.replace('title: ""', 'title: "A new topic"')
        .replace('answer: ""', 'answer: "Our own answer."')
        .replace('source: ""', 'source: "the community"')
    )
    lines = []
    for line in filled.splitlines():
        if line.strip().startswith("# write "):  # a stub with too few wordings: add them
            missing = int(line.split()[2])
            lines += [f'      - "another way to ask it, number {n}"' for n in range(missing)]
        else:
            lines.append(line)
    (folder / "suggested.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    extended = load_knowledge(folder)
    assert {s["id"] for s in data["entries"]} <= set(extended.by_id)
