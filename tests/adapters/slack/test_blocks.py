"""Reply -> Block Kit: the golden rendering, escaping, and Slack's limits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from bot.adapters.slack import blocks
from bot.adapters.slack.blocks import Message, chunks, escape, fit, render
from bot.core.reply import BulletList, Reply, ReplyKind, TopicLink
from bot.core.request import Request
from bot.core.router import Router
from bot.knowledge.model import KnowledgeBase
from tests.adapters.slack import payloads
from tests.adapters.slack.block_kit import problems
from tests.shipped import SECTION_IDS

GOLDEN = Reply(
    kind=ReplyKind.ANSWER,
    title="Skills & tools",
    body="Know <Python> & SQL.\nWrapped line.\n\nSecond paragraph.",
    lists=(BulletList("Core", ("Python", "SQL & NoSQL")), BulletList(None, ("Git",))),
    related=(TopicLink("salary", "Salary"), TopicLink("skills/communication", "Communication")),
    source="Section: Skills (list of six)",
    notices=("Your message was 3,000 characters long, so I read only the first 2,000.",),
    entry_id="skills",
    section="skills",
)


def texts(message: Message) -> Iterator[str]:
    """Every text Slack will parse or show: the fallback and each text object in the blocks."""
    yield message.text

    def walk(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            if node.get("type") in {"plain_text", "mrkdwn"} and isinstance(node.get("text"), str):
                yield node["text"]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    yield from walk(list(message.blocks))


def test_answer_renders_as_the_golden_block_kit_message() -> None:
    message = render(GOLDEN, share_value='{"k":"abc","q":"skills"}')
    assert {"text": message.text, "blocks": list(message.blocks)} == payloads.load("blocks_answer")


def test_payload_adds_fields_for_the_web_api() -> None:
    payload = render(GOLDEN).payload(response_type="ephemeral")
    assert payload["response_type"] == "ephemeral"
    assert payload["blocks"][0]["type"] == "header"
    assert json.dumps(payload)  # plain JSON, ready to send


@pytest.mark.parametrize(
    "hostile",
    ["<!channel>", "<!here>", "<!everyone>", "<@U123>", "<!subteam^S1|@team>", "<https://x.io|y>"],
)
def test_user_text_echoed_back_can_never_become_markup(hostile: str) -> None:
    reply = Reply(
        kind=ReplyKind.DID_YOU_MEAN,
        title=f"Did you mean {hostile}?",
        body=f"I have no topic called {hostile}.",
        lists=(BulletList(hostile, (hostile,)),),
        suggestions=(TopicLink("skills", hostile),),
        notices=(hostile,),
        source=hostile,
    )
    for text in texts(render(reply, share_value=hostile)):
        assert not {"<", ">"} & set(text), text
    assert escape(hostile) in render(reply).text


def test_shared_by_names_the_sharer_with_a_real_mention() -> None:
    message = render(GOLDEN, shared_by="U0ASKER")
    assert message.blocks[1] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "Shared by <@U0ASKER>", "verbatim": True}],
    }


def test_every_mrkdwn_text_is_verbatim_so_typed_urls_are_not_linked() -> None:
    """Slack turns URLs, bare domains and #channel names in mrkdwn into links unless the text
    object says ``verbatim``; a reply echoing "see evil.example/login" must not link it."""
    typed = "see https://evil.example/login or evil.example and #general"
    reply = Reply(
        kind=ReplyKind.DID_YOU_MEAN,
        title=f"Did you mean {typed}?",
        body=f"I have no topic called {typed}.",
        lists=(BulletList(typed, (typed,)),),
        notices=(typed,),
        source=typed,
    )

    def mrkdwn(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                yield node
            for value in node.values():
                yield from mrkdwn(value)
        elif isinstance(node, list):
            for item in node:
                yield from mrkdwn(item)

    objects = list(mrkdwn(list(render(reply, shared_by="U1").blocks)))
    assert objects
    assert all(text.get("verbatim") is True for text in objects)


def test_a_very_long_answer_stays_within_slacks_limits_and_points_to_the_topic() -> None:
    paragraph = "Machine learning engineers build and ship models. " * 200  # ~10k chars
    reply = Reply(
        kind=ReplyKind.ANSWER,
        title="A title far longer than any header may be " * 10,
        body="\n\n".join([paragraph] * 5),
        lists=tuple(BulletList(f"List {n}", ("item & more " * 30,) * 40) for n in range(20)),
        related=tuple(TopicLink(f"topic-{n}", f"Topic {n} " * 20) for n in range(40)),
        suggestions=tuple(TopicLink(f"s-{n}", f"S {n}") for n in range(3)),
        source="Section: Skills",
        entry_id="skills",
    )
    message = render(reply, share_value="v")
    assert len(message.blocks) <= blocks.MAX_BLOCKS
    assert len(message.text) <= blocks.MAX_FALLBACK_CHARS
    header = message.blocks[0]["text"]["text"]
    assert len(header) <= blocks.MAX_HEADER_CHARS
    assert header.endswith(blocks.ELLIPSIS)
    sections = [b["text"]["text"] for b in message.blocks if b["type"] == "section"]
    assert all(len(text) <= blocks.MAX_SECTION_CHARS for text in sections)
    assert sum(map(len, sections)) <= blocks.MAX_CONTENT_CHARS
    buttons = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert all(len(b["text"]["text"]) <= blocks.MAX_BUTTON_CHARS for b in buttons)
    assert len({b["action_id"] for b in buttons}) == len(buttons)
    assert all(len(b["elements"]) <= 25 for b in message.blocks if b["type"] == "actions")
    notes = [e["text"] for b in message.blocks if b["type"] == "context" for e in b["elements"]]
    assert any("Shortened to fit in Slack" in n and "/mlcareer skills" in n for n in notes)
    assert message.blocks[-1]["elements"][0]["action_id"] == "share"  # the share button stays


def test_a_short_answer_is_not_marked_shortened() -> None:
    message = render(GOLDEN)
    assert "Shortened" not in json.dumps(list(message.blocks))


def test_fit_never_cuts_an_entity_in_half() -> None:
    for limit in range(1, 30):
        cut = fit("a&b<c>d " * 10, limit)
        assert len(cut) <= limit
        body = cut.removesuffix(blocks.ELLIPSIS)
        assert body.count("&") == body.count(";")


def test_chunks_split_long_text_at_spaces_and_split_one_huge_word_hard() -> None:
    pieces = chunks("word " * 1000, 100)
    assert all(len(p) <= 100 for p in pieces)
    assert " ".join(pieces).split() == ["word"] * 1000
    huge = chunks("&" * 250, 100)
    assert all(len(p) <= 100 for p in huge)
    assert "".join(huge) == "&amp;" * 250


def valid(message: Message) -> list[str]:
    return problems(message.payload())


async def test_every_reply_the_router_gives_is_block_kit_slack_accepts(
    router: Router, knowledge: KnowledgeBase
) -> None:
    """Every topic, every section and every other kind of reply, with and without the share
    button and the "shared by" line, passes Slack's Block Kit rules."""
    questions = [entry.id for entry in knowledge.entries] + list(SECTION_IDS)
    questions += ["", "help", "topics", "about", "tip", "tip salary", "skils", "x" * 5000]
    questions += ["what is the capital of France?", "<!channel> & <@U1> &lt;"]
    for text in questions:
        reply = await router.handle(Request(text))
        for message in (render(reply), render(reply, share_value="v", shared_by="U0ASKER")):
            assert valid(message) == [], (text, valid(message))


@pytest.mark.parametrize("length", [60, 120, 244, 245, 299, 300, 1000, 2999, 3000])
@pytest.mark.parametrize("extras", [False, True])
def test_an_answer_cut_at_any_point_still_fits_in_50_blocks(length: int, extras: bool) -> None:
    """However many paragraphs an answer has, the pointer to the whole topic fits too."""
    paragraph = ("abc " * 1000)[:length].strip()
    links = tuple(TopicLink(f"t{n}", f"Topic {n}") for n in range(30)) if extras else ()
    reply = Reply(
        kind=ReplyKind.ANSWER,
        title="Title",
        body="\n\n".join([paragraph] * 120),
        related=links,
        suggestions=links,
        notices=("n",) * 12 if extras else (),
        source="Section: Skills" if extras else None,
        entry_id="skills",
    )
    message = render(reply, share_value="v" if extras else None, shared_by="U1" if extras else None)
    assert valid(message) == []
    assert "Shortened to fit in Slack" in json.dumps(list(message.blocks))


def test_empty_labels_titles_and_notices_never_become_empty_text_objects() -> None:
    reply = Reply(
        kind=ReplyKind.ANSWER,
        title="   ",
        body="Body.",
        notices=("", " "),
        related=(TopicLink("salary", " "), TopicLink("", "No topic")),
    )
    message = render(reply)
    assert valid(message) == []
    [button] = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert (button["text"]["text"], button["value"]) == ("salary", "salary")


@pytest.mark.parametrize(
    ("broken", "complaint"),
    [
        ({"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}, "150"),
        ({"type": "header", "text": {"type": "mrkdwn", "text": "x"}}, "plain_text"),
        ({"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}, "3000"),
        ({"type": "section", "text": {"type": "mrkdwn", "text": " "}}, "empty text"),
        ({"type": "context", "elements": [{"type": "mrkdwn", "text": "x"}] * 11}, "10"),
        ({"type": "actions", "elements": [{"type": "button", "text": "x"}]}, "text object"),
        ({"type": "image", "image_url": "https://x.io/a.png", "alt_text": "a"}, "not a block"),
        ({"type": "section", "text": {"type": "mrkdwn", "text": "x"}, "colour": 1}, "fields"),
    ],
)
def test_the_block_kit_checker_catches_what_slack_refuses(
    broken: dict[str, Any], complaint: str
) -> None:
    """The checker the fake Slack relies on can fail (a check that cannot fail proves nothing)."""
    found = problems({"text": "fallback", "blocks": [broken]})
    assert any(complaint in p for p in found), found


def test_the_block_kit_checker_catches_message_level_mistakes() -> None:
    button = {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "b"}}
    too_long = {**button, "value": "v" * 2001}
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x"}}
    assert any(
        "2000" in p
        for p in problems({"text": "t", "blocks": [{"type": "actions", "elements": [too_long]}]})
    )
    assert any(
        "twice" in p
        for p in problems(
            {
                "text": "t",
                "blocks": [
                    {"type": "actions", "elements": [button]},
                    {"type": "actions", "elements": [button]},
                ],
            }
        )
    )
    assert any("51 blocks" in p for p in problems({"text": "t", "blocks": [section] * 51}))
    assert "no fallback text" in problems({"blocks": [section]})
