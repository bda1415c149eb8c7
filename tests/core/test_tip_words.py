"""Requests for a tip in everyday words: which texts ask for one, and the topic they name."""

from __future__ import annotations

import pytest

from bot.core.tip_words import tip_request, tip_topic


@pytest.mark.parametrize(
    ("args", "topic"),
    [
        ("", ""),
        ("salary", "salary"),
        ("about salary", "salary"),
        ("on job titles please", "job titles"),
        ("please, for skills?", "skills"),
        ("of the day", ""),
    ],
)
def test_tip_topic_drops_prepositions_and_politeness(args: str, topic: str) -> None:
    assert tip_topic(args) == topic


@pytest.mark.parametrize(
    ("text", "after"),
    [
        ("give me a tip", ""),
        ("Any tips?", ""),
        ("another tip please", "please"),
        ("can you share a tip about salary", "about salary"),
    ],
)
def test_asking_words_before_tip_make_a_tip_request(text: str, after: str) -> None:
    assert tip_request(text) == after


@pytest.mark.parametrize(
    "text", ["tip", "what are good tips for interviews", "my tip jar", "salary", ""]
)
def test_other_text_is_not_a_tip_request(text: str) -> None:
    """A bare "tip" is the command's (its own route); other words before "tip" make a question."""
    assert tip_request(text) is None
