"""Reading a request for a tip in everyday words: "give me a tip", "any tips on salary?".

``tip <topic>`` is the command; people also wrap it in words ("another tip please", "tip about
salary"). These helpers find the topic part, so the router can tell such a request from a
question that merely mentions tips ("any tips for my Kaggle notebook?" is not one).
"""

from __future__ import annotations


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_TIP = _word_set("tip tips")
_ASKING = _word_set(
    "please can could would you i me give get want need have share send show tell "
    "a an another one some any random quick more new"
)
_ABOUT = _word_set("about on for in regarding re with")
_POLITE = _word_set("please pls plz thanks")


def tip_topic(args: str) -> str:
    """The topic in the words after "tip": "about salary please" -> "salary"; "" for none."""
    words = args.lower().rstrip("?!. ").replace(",", " ").split()
    while words and words[-1] in _POLITE:
        words.pop()
    while words and words[0] in _POLITE:
        words.pop(0)
    if words[:3] == ["of", "the", "day"]:
        words = words[3:]
    if words and words[0] in _ABOUT:
        words = words[1:]
    return " ".join(words)


def tip_request(text: str) -> str | None:
    """For "give me a tip [about <topic>]": the words after "tip" (see ``tip_topic``).

    None unless every word before "tip" or "tips" is a word of asking, so that a question
    which only mentions tips still goes to the matcher.
    """
    words = text.lower().rstrip("?!. ").replace(",", " ").split()
    for index, word in enumerate(words):
        if word in _TIP:
            before = words[:index]
            if before and all(w in _ASKING for w in before):
                return " ".join(words[index + 1 :])
            return None
    return None
