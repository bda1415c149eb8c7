"""Recognising small talk: only messages made wholly of greeting, thanks or goodbye words."""

from __future__ import annotations

import pytest

from bot.core.smalltalk import SmallTalk, small_talk


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Hi!", SmallTalk.GREETING),
        ("hey there, bot", SmallTalk.GREETING),
        ("Thanks a lot!!", SmallTalk.THANKS),
        ("thank you, that was helpful", SmallTalk.THANKS),
        ("hi, thanks", SmallTalk.THANKS),
        ("ok bye", SmallTalk.FAREWELL),
        ("see you later", SmallTalk.FAREWELL),
    ],
)
def test_small_talk_is_recognised_and_goodbye_outranks_thanks_outranks_hello(
    text: str, kind: SmallTalk
) -> None:
    assert small_talk(text) is kind


@pytest.mark.parametrize(
    "text",
    ["", "!!!", "hi what skills do I need", "thanks, what about salary", "there", "привет"],
)
def test_anything_with_other_words_or_no_kind_word_is_not_small_talk(text: str) -> None:
    assert small_talk(text) is None
