"""Reply -> embed and buttons: the golden rendering, escaping, and Discord's size limits."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from bot.adapters.discord import embeds
from bot.adapters.discord.embeds import SHARE_ID, TOPIC_PREFIX, render, shorten
from bot.core.reply import BulletList, Reply, ReplyKind, TopicLink
from tests.adapters.discord import discord_rules as rules
from tests.adapters.discord.events import FIXTURES

ANSWER = Reply(
    kind=ReplyKind.ANSWER,
    title="Skills an ML engineer needs",
    body="Three subjects matter: computer science, mathematics and statistics.\n\nAlso *code*.",
    lists=(BulletList(None, ("Python and Java", "TensorFlow and PyTorch")),),
    related=(TopicLink("skills/programming-languages", "Programming languages"),),
    suggestions=(TopicLink("salary", "Salary"),),
    source="Section: Skills (the skills list)",
    notices=("I read only the first 2,000 characters.",),
    entry_id="skills",
    section="skills",
)


def embed_limits_hold(embed: dict[str, Any]) -> None:
    """Discord would accept a message holding ``embed`` (judged by the fake's own rules)."""
    assert rules.message_problems({"embeds": [embed]}) == []


def test_an_answer_renders_as_the_golden_embed() -> None:
    golden = json.loads((FIXTURES / "embed_answer.json").read_text(encoding="utf-8"))
    rendered = render(ANSWER, shareable=True)
    assert rendered.embed == golden["embed"]
    assert [[b.label, b.custom_id, b.style.value] for b in rendered.buttons] == golden["buttons"]


def test_a_public_reply_has_no_share_button() -> None:
    assert SHARE_ID not in [b.custom_id for b in render(ANSWER, shareable=False).buttons]


def test_user_text_cannot_mention_or_format() -> None:
    hostile = Reply(
        kind=ReplyKind.DID_YOU_MEAN,
        title="Did you mean @everyone?",
        body="You typed @here <@123456789012345678> <@&123456789012345678> **bold** `code`",
    )
    embed = render(hostile, shareable=False).embed
    text = embed["title"] + embed["description"]
    for raw in ("@everyone", "@here", "<@123456789012345678>", "<@&123456789012345678>"):
        assert raw not in text
    assert "**bold**" not in text
    assert "`code`" not in text


def test_a_very_long_answer_is_shortened_with_a_pointer_to_the_full_topic() -> None:
    huge = Reply(
        kind=ReplyKind.ANSWER,
        title="T" * 300,
        body="word " * 3000,
        lists=tuple(BulletList(f"List {i}", ("item " * 300,) * 4) for i in range(12)),
        related=tuple(TopicLink(f"topic-{i}", "label " * 30) for i in range(40)),
        source="S" * 3000,
        entry_id="skills/programming-languages",
        section="skills",
    )
    rendered = render(huge, shareable=True)
    embed_limits_hold(rendered.embed)
    assert "/mlcareer ask question:skills/programming-languages" in rendered.embed["description"]
    assert len(rendered.buttons) <= embeds.BUTTON_LIMIT
    assert rendered.buttons[-1].custom_id == SHARE_ID
    assert all(len(b.label) <= embeds.BUTTON_LABEL_LIMIT for b in rendered.buttons)


def test_a_long_list_continues_in_further_fields_without_dropping_items() -> None:
    items = tuple(f"point number {i} " + "x" * 80 for i in range(30))
    reply = Reply(ReplyKind.ANSWER, "Many points", lists=(BulletList("Points", items),))
    embed = render(reply, shareable=False).embed
    embed_limits_hold(embed)
    values = "\n".join(field["value"] for field in embed["fields"])
    assert all(item in values for item in items)
    assert embed["fields"][1]["name"] == "Points (continued)"


def test_buttons_skip_topics_too_long_for_a_custom_id() -> None:
    reply = Reply(ReplyKind.ANSWER, "x", related=(TopicLink("t" * 100, "Too long"),))
    assert render(reply, shareable=False).buttons == ()
    ok = render(ANSWER, shareable=False).buttons
    assert all(b.custom_id.startswith(TOPIC_PREFIX) for b in ok)
    assert all(len(b.custom_id) <= embeds.CUSTOM_ID_LIMIT for b in ok)


@pytest.mark.parametrize("limit", [1, 5, 50])
def test_shorten_never_exceeds_the_limit_nor_leaves_a_dangling_escape(limit: int) -> None:
    text = "a\\" * 100
    cut = shorten(text, limit, "more")
    assert len(cut) <= limit
    head = cut.split("\u2026")[0]
    assert (len(head) - len(head.rstrip("\\"))) % 2 == 0


def test_line_breaks_in_a_reply_are_kept() -> None:
    """The tips status puts schedule, next tip and deck on lines of their own, as on Slack
    and in the terminal."""
    status = Reply(ReplyKind.NOTICE, "Daily tips", "Every day at 09:00.\nNext tip: today.")
    assert render(status, shareable=False).embed["description"] == (
        "Every day at 09\\:00.\nNext tip\\: today."
    )


def test_a_short_description_costs_no_field() -> None:
    """Fields only give way to the room a description really needs."""
    items = tuple(f"item {number:02d} " + "x" * 90 for number in range(56))
    reply = Reply(ReplyKind.TOPICS, "Topics", "Short intro.", lists=(BulletList("All", items),))
    embed = render(reply, shareable=False).embed
    embed_limits_hold(embed)
    values = "\n".join(field["value"] for field in embed["fields"])
    assert all(item in values for item in items)
    assert embed["description"] == "Short intro."


def test_when_fields_must_go_the_description_says_so() -> None:
    items = tuple(f"item {number:03d} " + "x" * 90 for number in range(70))
    reply = Reply(
        ReplyKind.ANSWER,
        "Skills",
        "word " * 200,
        lists=(BulletList("All", items),),
        entry_id="skills",
        section="skills",
    )
    embed = render(reply, shareable=False).embed
    embed_limits_hold(embed)
    assert embed["description"].endswith("shows it on its own.")
    assert len(embed["description"]) >= embeds.MIN_DESCRIPTION


@pytest.mark.parametrize("title", ["", "   "])
def test_a_reply_with_nothing_to_show_still_renders_a_valid_embed(title: str) -> None:
    embed = render(Reply(ReplyKind.NOTICE, title), shareable=False).embed
    embed_limits_hold(embed)
    assert "title" not in embed


def test_a_blank_list_title_gets_the_default_field_name() -> None:
    reply = Reply(ReplyKind.ANSWER, "x", lists=(BulletList("  ", ("one",)),))
    (field,) = render(reply, shareable=False).embed["fields"]
    assert field["name"] == "Key points"


@pytest.mark.parametrize(
    "typed",
    [
        "[one](https://evil.example) and [two](https://evil.example/2)",
        "see https://evil.example/login now",
        "[[[[[[[[[[x](](](](](](https://evil.example)",
    ],
)
def test_echoed_text_never_becomes_a_link(typed: str) -> None:
    """Discord links a masked ``[text](url)`` and any bare ``scheme://``; in escaped text no
    bracket, parenthesis or colon is left unescaped, so neither can form."""
    embed = render(
        Reply(ReplyKind.DID_YOU_MEAN, f"Did you mean {typed}?", body=typed), shareable=False
    ).embed
    for text in (embed["title"], embed["description"]):
        assert re.search(r"(?<!\\)://", text) is None
        assert re.search(r"(?<!\\)[\[\]()]", text) is None


def test_escaping_keeps_every_character_a_person_typed() -> None:
    typed = r"a*b_c~d`e|f>g#h-i[j]k(l)m<n:o\p"
    escaped = embeds.escape(typed)
    assert re.sub(r"\\(.)", r"\1", escaped) == typed
