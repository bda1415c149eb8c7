"""The HTML report opens in a real browser: headless Chromium renders it, and the charts
(inline SVG bars) are in the page it built. Hostile question text stays text.

Skipped, saying why, where Chromium is not installed; ``.ci/run`` installs it and sets
MLCAREER_REQUIRE_CHROMIUM=1, so there a missing browser fails instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.questions.models import DayCount, LoggedQuestion, LogSnapshot, ReadQuestion
from bot.questions.render import render_html
from bot.questions.report import build_report
from tests.questions.conftest import NOW

REQUIRE_ENV = "MLCAREER_REQUIRE_CHROMIUM"
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> @here <!channel>"


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    message = "headless Chromium is not installed (apt-get install chromium)"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{message}, and {REQUIRE_ENV}=1 requires it")
    pytest.skip(message)


def snapshot() -> LogSnapshot:
    rows = []
    for n in range(40):
        text = HOSTILE if n % 4 == 0 else f"when is the next meetup {n % 3}"
        question = LoggedQuestion(
            id=f"q{n}",
            asked_at=NOW - timedelta(hours=n * 3),
            platform="slack" if n % 2 else "discord",
            workspace="T1",
            channel_kind="channel",
            user_hash=f"u{n}",
            text=text,
            band="decline",
            entry_id=None,
            section=None,
            score=2.0,
        )
        rows.append(ReadQuestion(question, up=0, down=0))
    counts = tuple(
        DayCount(NOW.date() - timedelta(days=d), platform, band, 5 + d)
        for d in range(7)
        for platform in ("slack", "discord")
        for band in ("answer", "decline")
    )
    return LogSnapshot(tuple(rows), counts)


def test_chromium_renders_the_html_report_with_its_charts(
    tmp_path: Path, knowledge: KnowledgeBase, matcher: Matcher
) -> None:
    browser = chromium()
    since: date = NOW.date() - timedelta(days=6)
    report = build_report(snapshot(), matcher, knowledge, since, NOW.date())
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    result = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    dom = result.stdout
    assert result.returncode == 0, result.stderr[-2000:]
    # The DOM Chromium built: two charts, each with its bars, and the clusters table.
    assert dom.count('<svg class="chart"') == 2
    assert dom.count('<rect class="bar"') == 7 * 2 + 7 * 2
    assert "Top unanswered or weakly answered questions" in dom
    # The hostile question is shown as text, never as markup.
    assert "<script>" not in dom
    assert "<img" not in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom


def test_the_html_report_needs_nothing_from_the_network(
    knowledge: KnowledgeBase, matcher: Matcher
) -> None:
    since = NOW.date() - timedelta(days=6)
    html = render_html(build_report(snapshot(), matcher, knowledge, since, NOW.date()))
    assert "<script" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
