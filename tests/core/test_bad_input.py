"""Bad input through the router: always a friendly reply, never an error or a log of one."""

from __future__ import annotations

import logging

import pytest

from bot.core.reply import ReplyKind
from bot.core.request import Request
from bot.core.router import Router
from bot.core.text import clean

LONG_LINE = ("what skills do I need " * 5000)[:99_999] + "?"


async def test_100k_character_line_is_cut_to_the_limit_and_the_reply_says_so(
    router: Router,
) -> None:
    reply = await router.handle(Request(LONG_LINE))
    assert reply.kind is ReplyKind.ANSWER
    assert reply.section == "skills"
    assert reply.notices == (
        "Your message was 100,000 characters long, so I read only the first 2,000.",
    )


def test_clean_cuts_to_the_limit_after_folding_whitespace() -> None:
    cleaned = clean("  a  b  " + "c" * 60, limit=50)
    assert len(cleaned.text) == 50
    assert cleaned.text.startswith("a b c")
    assert cleaned.notices == ("Your message was 64 characters long, so I read only the first 50.",)
    assert clean("short", limit=50).notices == ()


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("what\x07 skills\x1b do\x00 I need", "what skills do I need"),
        ("\x00skills\x00", "skills"),
        ("skills\r\n\t\x0b\x0c", "skills"),
        ("\ud800skills\udfff", "skills"),  # lone surrogates, as undecodable bytes become
        ("\ue000salary", "salary"),  # private use
        ("<@U123> <@!456>, @mlcareer: salary", "salary"),
        ("<@U123|mlcareer> salary", "salary"),
        ("sal\x00ary", "salary"),  # NUL inside a word is noise, not a space
        ("\x1b[A\x1b[Bskills\x1b[2J", "skills"),  # arrow keys, clear screen
        ("\x1bOA", ""),  # an arrow key in application mode
        ("\x9b1;2Hsalary", "salary"),  # 8-bit CSI
        ("a\x1cb\x85c", "a b c"),  # separator controls still separate words
    ],
)
def test_clean_removes_control_characters_escapes_and_leading_mentions(
    text: str, cleaned: str
) -> None:
    assert clean(text, limit=2000).text == cleaned


@pytest.mark.parametrize(
    ("text", "kind", "section"),
    [
        ("", ReplyKind.HELP, None),
        ("   \t  \n ", ReplyKind.HELP, None),
        ("\x00\x00\x00", ReplyKind.HELP, None),
        ("\x1b\x07\x7f", ReplyKind.HELP, None),
        ("<@U123>", ReplyKind.HELP, None),
        ("<@!123456789>", ReplyKind.HELP, None),
        ("@mlcareer", ReplyKind.HELP, None),
        ("what\x07 skills\x1b do\x00 I need", ReplyKind.ANSWER, "skills"),
        ("\x00salary\x00", ReplyKind.ANSWER, "salary"),
        ("sal\x00ary", ReplyKind.ANSWER, "salary"),
        ("\x1b[A", ReplyKind.HELP, None),
        ("<@U123> salary", ReplyKind.ANSWER, "salary"),
        ("🤖 what skills do I need? 🚀", ReplyKind.ANSWER, "skills"),
        ("какие skills нужны для ML engineer", ReplyKind.ANSWER, "skills"),
        ("salary за ML engineer? 機械学習", ReplyKind.ANSWER, "salary"),
    ],
)
async def test_odd_text_gets_the_reply_its_words_ask_for(
    router: Router, text: str, kind: ReplyKind, section: str | None
) -> None:
    reply = await router.handle(Request(text))
    if kind is ReplyKind.ANSWER:  # answered from that section, in full or not
        assert reply.kind in {ReplyKind.ANSWER, ReplyKind.CLOSEST, ReplyKind.PARTIAL}
    else:
        assert reply.kind is kind
    assert reply.section == section


@pytest.mark.parametrize(
    "text",
    ["🤖🚀🔥", "?!?", "...", "¿¡", "<@U123> ???", "@mlcareer 👋", "—–•", "\u200b\u200d"],
)
async def test_text_without_words_asks_for_a_question_in_words(router: Router, text: str) -> None:
    reply = await router.handle(Request(text))
    assert reply.kind is ReplyKind.DECLINE
    assert reply.title == "I didn't catch a question there"
    assert len(reply.suggestions) == 10


@pytest.mark.parametrize(
    "text",
    [
        "机器学习工程师需要什么技能",
        "Какая зарплата у инженера",
        "مهندس تعلم الآلة",
        "ßkïłłś ñ ÿ",
        "\u202eslliks\u202c",
        "a" * 100_000,
        "x " * 50_000,
        "\x00" * 100_000,
        "🤖" * 100_000,
        "Z̷̛͓a̶l̸g̶o̵ skills",
    ],
)
async def test_any_text_gets_a_reply_and_logs_no_error(
    router: Router, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    with caplog.at_level(logging.WARNING):
        reply = await router.handle(Request(text))
    assert reply.kind is not ReplyKind.ERROR
    assert reply.title
    assert not caplog.records
