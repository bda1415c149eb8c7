"""The report as plain text, Markdown or one self-contained HTML page with inline SVG charts.

Everything a user typed is cut to ``EXAMPLE_CHARS`` and escaped for the format (Markdown's
table and emphasis characters, HTML's markup), so a hostile question can't break the page,
run script or ping anyone. The HTML loads nothing from the network and runs no JavaScript.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

from bot.questions.report import EntryVotes, Report

FORMATS = ("text", "markdown", "html")
EXAMPLE_CHARS = 160
BAND_ORDER = ("answer", "partial", "closest", "decline")
BAND_COLOURS = {
    "answer": "#2e7d32",
    "partial": "#9e9d24",
    "closest": "#ef6c00",
    "decline": "#c62828",
}
PLATFORM_COLOURS = ("#1565c0", "#6a1b9a", "#00838f", "#5d4037", "#546e7a")


def cut(text: str, limit: int = EXAMPLE_CHARS) -> str:
    """One line of at most ``limit`` characters (an ellipsis marks a cut)."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "\u2026"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "0%"


def render(report: Report, fmt: str) -> str:
    """The report in ``fmt`` (one of ``FORMATS``)."""
    if fmt == "html":
        return render_html(report)
    if fmt == "markdown":
        return render_markdown(report)
    return render_text(report)


def _band_line(report: Report) -> str:
    parts = [
        f"{band} {report.bands.get(band, 0)} ({_percent(report.bands.get(band, 0), report.total)})"
        for band in BAND_ORDER
    ]
    return ", ".join(parts)


def _votes_line(v: EntryVotes) -> str:
    return f"{v.entry_id} ({v.title}): {v.down} \U0001f44e, {v.up} \U0001f44d, {v.questions} asked"


def render_text(report: Report, *, short: bool = False) -> str:
    """Plain text (also the chat summary, with ``short``: fewer rows, no per-day table)."""
    lines = [
        f"Questions {report.since} to {report.until}: {report.total}",
        f"Bands: {_band_line(report)}",
    ]
    if not short:
        lines += ["", "Per day" + "".join(f" | {p}" for p in report.platforms) + " | bands"]
        for (day, platforms), (_, bands) in zip(report.per_day, report.bands_per_day, strict=True):
            counts = "".join(f" | {platforms.get(p, 0)}" for p in report.platforms)
            mix = " ".join(f"{b[0]}{bands.get(b, 0)}" for b in BAND_ORDER)
            lines.append(f"{day}{counts} | {mix}")
    limit = 3 if short else len(report.most_down)
    lines += ["", "Most \U0001f44e:"]
    lines += [f"  {_votes_line(v)}" for v in report.most_down[:limit]] or ["  (no votes yet)"]
    lines += ["", "Lowest \U0001f44d share:"]
    lines += [
        f"  {v.entry_id} ({v.title}): {_percent(v.up, v.up + v.down)} of {v.up + v.down} votes"
        for v in report.lowest_up_share[:limit]
    ] or ["  (not enough votes yet)"]
    lines += ["", "Top unanswered or weakly answered questions:"]
    clusters = report.clusters[: 5 if short else len(report.clusters)]
    for n, c in enumerate(clusters, start=1):
        closest = f"{c.closest_entry} ({c.closest_score:g})" if c.closest_entry else "none"
        lines.append(
            f"  {n}. {c.size} questions from {c.people} people "
            f"({c.unanswered} unanswered); closest entry: {closest}"
        )
        lines += [f"     - {cut(example)}" for example in c.examples]
    if not clusters:
        lines.append("  (none)")
    return "\n".join(lines)


def md(text: str) -> str:
    """Text safe in a Markdown table cell: no markup, no HTML, no mention."""
    escaped = html.escape(cut(text), quote=False)
    for char in "\\`*_[]|#@~":
        escaped = escaped.replace(char, "\\" + char)
    return escaped


def render_markdown(report: Report) -> str:
    """GitHub-flavoured Markdown with tables."""
    out = [
        f"# Question log {report.since} to {report.until}",
        "",
        f"**{report.total}** questions. Bands: {_band_line(report)}.",
        "",
        "## Questions per day",
        "",
        "| day | " + " | ".join([*report.platforms, *BAND_ORDER]) + " |",
        "|---" * (1 + len(report.platforms) + len(BAND_ORDER)) + "|",
    ]
    for (day, platforms), (_, bands) in zip(report.per_day, report.bands_per_day, strict=True):
        cells = [str(platforms.get(p, 0)) for p in report.platforms]
        cells += [str(bands.get(b, 0)) for b in BAND_ORDER]
        out.append(f"| {day} | " + " | ".join(cells) + " |")
    out += [
        "",
        "## Entries with the most \U0001f44e",
        "",
        "| entry | \U0001f44e | \U0001f44d | asked |",
    ]
    out.append("|---|---|---|---|")
    out += [f"| {md(v.entry_id)} | {v.down} | {v.up} | {v.questions} |" for v in report.most_down]
    out += [
        "",
        "## Lowest \U0001f44d share",
        "",
        "| entry | \U0001f44d share | votes |",
        "|---|---|---|",
    ]
    out += [
        f"| {md(v.entry_id)} | {_percent(v.up, v.up + v.down)} | {v.up + v.down} |"
        for v in report.lowest_up_share
    ]
    out += ["", "## Top unanswered or weakly answered questions", ""]
    out += ["| # | questions | people | examples | closest entry |", "|---|---|---|---|---|"]
    for n, c in enumerate(report.clusters, start=1):
        examples = "<br>".join(md(e) for e in c.examples)
        closest = f"{md(c.closest_entry)} ({c.closest_score:g})" if c.closest_entry else "none"
        out.append(f"| {n} | {c.size} | {c.people} | {examples} | {closest} |")
    return "\n".join(out) + "\n"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def stacked_bars(
    title: str,
    days: Sequence[tuple[date, dict[str, int]]],
    series: Sequence[str],
    colours: dict[str, str],
) -> str:
    """An inline SVG bar chart, one stacked bar per day, one colour per series, with a legend."""
    width, height, left, bottom, top = 720, 260, 48, 40, 30
    most = max((sum(counts.values()) for _, counts in days), default=0) or 1
    step = (width - left - 10) / max(len(days), 1)
    bar = max(step * 0.7, 1.0)
    parts = [
        f'<svg class="chart" role="img" aria-label="{_esc(title)}" '
        'xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{_esc(title)}</title>",
        f'<text x="{left}" y="18" font-size="14" font-weight="bold">{_esc(title)}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" '
        'stroke="#555"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="10" text-anchor="end">{most}</text>',
    ]
    plot = height - bottom - top
    for n, (day, counts) in enumerate(days):
        x = left + n * step + (step - bar) / 2
        y = float(height - bottom)
        for name in series:
            value = counts.get(name, 0)
            if not value:
                continue
            h = plot * value / most
            y -= h
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colours[name]}"><title>{day} {_esc(name)}: {value}</title></rect>'
            )
        if len(days) <= 16 or n % max(len(days) // 8, 1) == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 14}" font-size="9" '
                f'text-anchor="middle">{day.strftime("%m-%d")}</text>'
            )
    for n, name in enumerate(series):
        x = left + n * 110
        parts.append(
            f'<rect x="{x}" y="{height - 16}" width="10" height="10" fill="{colours[name]}"/>'
            f'<text x="{x + 14}" y="{height - 7}" font-size="11">{_esc(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:60em;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
    "text-align:left;vertical-align:top}th{background:#f3f3f3}.chart{display:block;margin:1em 0}"
)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th>{_esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(report: Report) -> str:
    """One self-contained page: inline CSS, inline SVG charts, no script, no network."""
    colours = {
        p: PLATFORM_COLOURS[n % len(PLATFORM_COLOURS)] for n, p in enumerate(report.platforms)
    }
    charts = stacked_bars(
        "Questions per day, by platform", report.per_day, report.platforms, colours
    )
    charts += stacked_bars("Band mix per day", report.bands_per_day, BAND_ORDER, BAND_COLOURS)
    down = _table(
        ["entry", "title", "\U0001f44e", "\U0001f44d", "asked"],
        [
            [_esc(v.entry_id), _esc(v.title), str(v.down), str(v.up), str(v.questions)]
            for v in report.most_down
        ],
    )
    share = _table(
        ["entry", "title", "\U0001f44d share", "votes"],
        [
            [_esc(v.entry_id), _esc(v.title), _percent(v.up, v.up + v.down), str(v.up + v.down)]
            for v in report.lowest_up_share
        ],
    )
    clusters = _table(
        ["#", "questions", "people", "unanswered", "examples", "closest entry"],
        [
            [
                str(n),
                str(c.size),
                str(c.people),
                str(c.unanswered),
                "<br>".join(_esc(cut(e)) for e in c.examples),
                f"{_esc(c.closest_entry)} ({c.closest_score:g})" if c.closest_entry else "none",
            ]
            for n, c in enumerate(report.clusters, start=1)
        ],
    )
    title = f"mlcareer question log {report.since} to {report.until}"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        f"<title>{_esc(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{_esc(title)}</h1><p><strong>{report.total}</strong> questions. "
        f"Bands: {_esc(_band_line(report))}.</p>{charts}"
        f"<h2>Entries with the most \U0001f44e (thumbs down)</h2>{down}"
        f"<h2>Lowest \U0001f44d (thumbs up) share</h2>{share}"
        f"<h2>Top unanswered or weakly answered questions</h2>{clusters}"
        "</body></html>\n"
    )
