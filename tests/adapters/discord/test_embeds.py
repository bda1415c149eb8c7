"""Reply -> embed and buttons: the golden rendering, escaping, and Discord's size limits."""

from __future__ import annotations

import json

import pytest

from bot.adapters.discord import embeds
from bot.adapters.discord.embeds import SHARE_ID, TOPIC_PREFIX, render, shorten
from bot.core.reply import BulletList, Reply, ReplyKind, TopicLink
from tests.adapters.discord.events import FIXTURES

ANSWER = Reply(
    kind=ReplyKind.ANSWER,
    title="Skills an ML engineer needs",
    body="Three subjects matter: computer science,\nmathematics and statistics.\n\nAlso *code*.",
    lists=(BulletList(None, ("Python and Java", "TensorFlow and PyTorch")),),
    related=(TopicLink("skills/programming-languages", "Programming languages"),),
    suggestions=(TopicLink("salary", "Salary"),),
    source="Article section: Skills (the skills list)",
    notices=("I read only the first 2,000 characters.",),
    entry_id="skills",
    section="skills",
)


def embed_limits_hold(embed: dict[str, object]) -> None:
    fields = embed.get("fields", [])
    assert isinstance(fields, list)
    assert len(str(embed.get("title", ""))) <= embeds.TITLE_LIMIT
    assert len(str(embed.get("description", ""))) <= embeds.DESCRIPTION_LIMIT
    assert len(fields) <= embeds.FIELD_COUNT_LIMIT
    for field in fields:
        assert 0 < len(field["value"]) <= embeds.FIELD_VALUE_LIMIT
        assert 0 < len(field["name"]) <= embeds.FIELD_NAME_LIMIT
    footer = embed.get("footer", {})
    assert isinstance(footer, dict)
    total = (
        len(str(embed.get("title", "")))
        + len(str(embed.get("description", "")))
        + sum(len(f["name"]) + len(f["value"]) for f in fields)
        + len(footer.get("text", ""))
    )
    assert total <= embeds.EMBED_TOTAL_LIMIT


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


def test_hard_wrapped_knowledge_text_is_reflowed() -> None:
    description = render(ANSWER, shareable=False).embed["description"]
    assert "computer science, mathematics" in description
