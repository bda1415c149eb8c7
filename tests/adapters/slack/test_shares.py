"""The share button's value and the store of recently shown replies."""

from __future__ import annotations

from bot.adapters.slack.blocks import MAX_VALUE_CHARS
from bot.adapters.slack.shares import ShareStore, can_share, decode, encode
from bot.core.reply import Reply, ReplyKind
from tests.adapters.slack.harness import FakeClock

ANSWER = Reply(kind=ReplyKind.ANSWER, title="Skills", body="Python.")


def test_a_kept_reply_is_found_again_by_its_button_value() -> None:
    store = ShareStore(FakeClock())
    value = store.keep(ANSWER, "skills")
    assert store.find(value) == (ANSWER, "skills")


def test_a_forgotten_reply_still_gives_back_the_question() -> None:
    clock = FakeClock()
    store = ShareStore(clock, ttl=60)
    value = store.keep(ANSWER, "skills")
    clock.advance(61)
    assert store.find(value) == (None, "skills")


def test_value_fits_slacks_limit_even_for_a_huge_question() -> None:
    value = encode("k" * 16, '\u201cquoted\u201d "word" ' * 500)
    assert len(value) <= MAX_VALUE_CHARS
    key, question = decode(value)
    assert key == "k" * 16
    assert question.startswith("\u201cquoted\u201d")


def test_garbage_values_decode_to_nothing() -> None:
    assert decode("not json") == ("", "")
    assert decode("[1, 2]") == ("", "")
    assert decode('{"k": 5, "q": null}') == ("", "")


def test_only_private_answers_worth_sharing_outside_dms_get_a_share_button() -> None:
    assert can_share(ANSWER, "C0GENERAL")
    assert not can_share(ANSWER, "D0ASKER")
    assert not can_share(Reply(kind=ReplyKind.ANSWER, title="t", public=True), "C1")
    assert not can_share(Reply(kind=ReplyKind.NOTICE, title="Daily tips are on"), "C1")
    assert not can_share(Reply(kind=ReplyKind.ERROR, title="Sorry"), "C1")
