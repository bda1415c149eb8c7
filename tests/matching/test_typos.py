"""Typo repair: only words the knowledge base does not know, only when close enough."""

from __future__ import annotations

from bot.matching.typos import TypoFixer


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
    assert TypoFixer(["castle", "castly"]).fix("castlx") == "castle"


def test_swapped_letters_count_as_one_edit() -> None:
    assert TypoFixer(["titles"]).fix("titels") == "titles"


def test_five_letter_words_are_not_repaired_by_changing_a_letter() -> None:
    """'clear' is a word of its own, not a typo of 'clean'; 'skils' still becomes 'skills'."""
    fixer = TypoFixer(["clean", "skills"])
    assert fixer.fix("clear") == "clear"
    assert fixer.fix("skils") == "skills"
