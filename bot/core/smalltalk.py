"""Greetings, thanks and goodbyes, recognised so that "hi" gets a hello rather than a decline.

A message counts as small talk only when every word in it is one of the words below and at least
one says which kind it is; "hi, what skills do I need?" still goes to the matcher.
"""

from __future__ import annotations

import re
from enum import StrEnum


class SmallTalk(StrEnum):
    """The kinds of small talk the bot answers in kind."""

    GREETING = "greeting"
    THANKS = "thanks"
    FAREWELL = "farewell"


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_GREETING = _word_set(
    "hi hii hiya hello helo hallo hey heya howdy yo greetings morning afternoon evening"
)
_THANKS = _word_set(
    "thanks thank thanx thx ty tnx cheers appreciated appreciate great awesome perfect "
    "helpful cool nice ok okay kk"
)
_FAREWELL = _word_set("bye byebye goodbye cya see later farewell night goodnight")
# Words that may come with small talk without making it a question.
_FILLER = _word_set(
    "there you ya u you're youre are all everyone folks guys team bot mlcareer so very much "
    "a lot again for the your that this it was is good got and many mate friend buddy "
    "now help"
)
_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")


def small_talk(text: str) -> SmallTalk | None:
    """The kind of small talk ``text`` is, or None when it holds anything else.

    A goodbye outranks thanks, and thanks a greeting: "thanks, bye" is a goodbye.
    """
    words = set(_WORDS.findall(text.lower().replace("\u2019", "'")))
    if not words or not words <= _GREETING | _THANKS | _FAREWELL | _FILLER:
        return None
    if words & _FAREWELL:
        return SmallTalk.FAREWELL
    if words & _THANKS:
        return SmallTalk.THANKS
    if words & _GREETING:
        return SmallTalk.GREETING
    return None
