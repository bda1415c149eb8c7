"""The report's formats keep hostile question text inert: cut, escaped, never a ping."""

from __future__ import annotations

from datetime import date

from bot.questions.render import EXAMPLE_CHARS, cut, render_html, render_markdown, render_text
from bot.questions.report import ClusterSummary, Report

HOSTILE = "| **bold** <script>x</script> @here <!channel> [link](https://x.example) " + "y" * 5000


def report() -> Report:
    cluster = ClusterSummary(9, 4, (HOSTILE, "plain one"), None, None, 0.0, 9)
    return Report(
        since=date(2026, 11, 24),
        until=date(2026, 11, 30),
        total=9,
        per_day=((date(2026, 11, 24), {"slack": 9}),),
        bands_per_day=((date(2026, 11, 24), {"decline": 9}),),
        bands={"decline": 9},
        platforms=("slack",),
        most_down=(),
        lowest_up_share=(),
        clusters=(cluster,),
    )


def test_long_text_is_cut_to_one_short_line() -> None:
    short = cut("a\nb  " + "c" * 500)
    assert len(short) == EXAMPLE_CHARS
    assert "\n" not in short
    assert short.endswith("\u2026")


def test_markdown_escapes_tables_emphasis_links_html_and_mentions() -> None:
    markdown = render_markdown(report())
    line = next(row for row in markdown.splitlines() if row.startswith("| 1 |"))
    assert line.count(" | ") == 4  # the question's own | can't add a column
    assert "**bold**" not in line
    assert "\\*\\*bold\\*\\*" in line
    assert "<script>" not in markdown
    assert "&lt;script&gt;" in line
    assert "\\@here" in line  # shown as text; an escaped @ mentions nobody
    assert " @here" not in markdown
    assert "[link]" not in markdown
    assert "y" * (EXAMPLE_CHARS + 1) not in markdown


def test_html_and_text_cut_too() -> None:
    html = render_html(report())
    assert "<script>" not in html
    assert "y" * (EXAMPLE_CHARS + 1) not in html
    assert "y" * (EXAMPLE_CHARS + 1) not in render_text(report())
