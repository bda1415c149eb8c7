"""Normalisation: the same meaning typed differently gives the same terms."""

from __future__ import annotations

import pytest

from bot.matching.normalize import Normalizer, fold, raw_tokens, stem


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("SKILLS", ["skills"]),
        ("Salário", ["salario"]),
        ("what's", ["what", "is"]),
        # An auxiliary do becomes "does" (a stop word); the main verb stays "do".
        ("don't", ["does", "not"]),
        ("what does an ML engineer do", ["what", "does", "an", "ml", "engineer", "do"]),
        ("what do you do all day", ["what", "does", "you", "do", "all", "day"]),
        ("I'm", ["i", "am"]),
        ("wut r u", ["what", "are", "you"]),
        ("skills?!...", ["skills"]),
        ("$114,121", ["money"]),
        ("114k", ["money"]),
    ],
)
def test_raw_tokens_fold_case_accents_contractions_and_chat_speak(
    typed: str, expected: list[str]
) -> None:
    assert raw_tokens(typed) == expected


def test_curly_apostrophes_are_straightened() -> None:
    assert fold("what\u2019s") == "what is"


@pytest.mark.parametrize(
    ("word", "expected"),
    [("skills", "skill"), ("salaries", "salary"), ("engineers", "engineer"), ("earning", "earn")],
)
def test_stem_strips_plural_and_verb_endings(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_terms_drop_stop_words_but_keep_intent_words() -> None:
    assert Normalizer().terms("do we need to know this") == ("need",)


def test_question_words_and_who_is_asked_are_kept() -> None:
    """They tell a definition ("what is pytorch") from a need ("do I need pytorch") and a
    question to the bot ("how old are you") from one about the asker ("am I too old")."""
    assert Normalizer().terms("what is pytorch") == ("what", "pytorch")
    assert Normalizer().terms("how old are you") == ("how", "old", "you")


def test_multi_word_synonyms_fold_into_one_term() -> None:
    normalizer = Normalizer({"mle": ["machine learning engineer", "ml engineer"]})
    assert normalizer.terms("Machine Learning Engineers") == ("mle",)
    assert normalizer.terms("an ML engineer") == ("mle",)


def test_empty_synonym_drops_filler_phrases() -> None:
    normalizer = Normalizer({"": ["in the real world"]})
    assert normalizer.terms("salary in the real world") == ("salary",)
