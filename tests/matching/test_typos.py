"""Typo repair: only words the knowledge base does not know, only when close enough."""

from __future__ import annotations

import pytest

from bot.matching.typos import TypoFixer, plausible_typo


def test_one_edit_is_repaired() -> None:
    fixer = TypoFixer(["salary", "skills"])
    assert fixer.fix("salery") == "salary"
    assert fixer.fix("skils") == "skills"


def test_known_and_short_words_are_left_alone() -> None:
    fixer = TypoFixer(["salary", "pay"])
    assert fixer.fix("salary") == "salary"
    assert fixer.fix("play") == "play"


def test_far_words_are_left_alone() -> None:
    assert TypoFixer(["salary"]).fix("dentist") == "dentist"


def test_ties_break_alphabetically() -> None:
    assert TypoFixer(["castle", "castla"]).fix("castli") == "castla"


def test_swapped_letters_count_as_one_edit() -> None:
    assert TypoFixer(["titles"]).fix("titels") == "titles"


def test_five_letter_words_are_not_repaired_by_changing_a_letter() -> None:
    """'clear' is a word of its own, not a typo of 'clean'; 'skils' still becomes 'skills'."""
    fixer = TypoFixer(["clean", "skills"])
    assert fixer.fix("clear") == "clear"
    assert fixer.fix("skils") == "skills"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("skils", "skills"),  # a dropped letter
        ("sallary", "salary"),  # a doubled letter
        ("salery", "salary"),  # one vowel for another
        ("titels", "titles"),  # two letters swapped
        ("skilks", "skills"),  # a neighbouring key
    ],
)
def test_common_slips_are_plausible_typos(typed: str, meant: str) -> None:
    assert plausible_typo(typed, meant)


@pytest.mark.parametrize(
    ("typed", "meant"), [("matter", "master"), ("leaving", "leading"), ("launch", "lunch")]
)
def test_real_words_one_letter_apart_are_not_typos(typed: str, meant: str) -> None:
    assert not plausible_typo(typed, meant)
    assert TypoFixer([meant]).fix(typed) == typed


def test_an_inflection_of_a_known_word_is_not_repaired_into_another_word() -> None:
    """'analysts' is the plural of the known 'analyst', not a typo of 'analysis'."""
    assert TypoFixer(["analyst", "analysis"], ["analysis"]).fix("analysts") == "analysts"
