"""Render a reply as readable terminal text."""

from __future__ import annotations

import textwrap

from bot.core.reply import Reply, ReplyKind

WIDTH = 88


def render(reply: Reply, width: int = WIDTH) -> str:
    """The reply as wrapped plain text: title, notices, body, bullets, links and source."""
    out: list[str] = []
    if reply.title:
        out.append(reply.title)
        out.append("=" * min(len(reply.title), width))
    for notice in reply.notices:
        out.extend(textwrap.wrap(f"(note) {notice}", width))
    if reply.notices:
        out.append("")
    for paragraph in reply.body.split("\n\n"):
        text = " ".join(paragraph.split())
        if text:
            out.extend(textwrap.wrap(text, width))
            out.append("")
    for bullets in reply.lists:
        if bullets.title:
            out.append(f"{bullets.title}:")
        for item in bullets.items:
            out.extend(textwrap.wrap(item, width, initial_indent="  - ", subsequent_indent="    "))
        out.append("")
    if reply.suggestions:
        label = "Did you mean" if reply.kind is ReplyKind.DID_YOU_MEAN else "Try"
        names = ", ".join(link.topic for link in reply.suggestions)
        out.extend(_wrap_names(f"{label}: {names}", width))
    if reply.related:
        names = ", ".join(link.topic for link in reply.related)
        out.extend(_wrap_names(f"Related: {names}", width))
    if reply.source:
        out.extend(textwrap.wrap(f"Source: {reply.source}", width, subsequent_indent="  "))
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _wrap_names(text: str, width: int) -> list[str]:
    # Topic ids are typed back as they are shown, so a line must never break inside one
    # ("skills/algorithms-" / "and-models").
    return textwrap.wrap(text, width, subsequent_indent="  ", break_on_hyphens=False)
