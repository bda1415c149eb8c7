"""The matcher over the shipped knowledge base: ranking, bands, declines, topic names."""

from __future__ import annotations

import pytest

from bot.matching.matcher import Band, Matcher


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("what skills do I need?", "skills"),
        ("how much do ML engineers make", "salary"),
        ("do I need a degree?", "education"),
        ("which industries hire ML engineers", "industries"),
        ("what job titles should I look for", "job-titles"),
        ("what comes after senior ML engineer", "senior-roles"),
        ("is ML engineering in demand", "outlook"),
        ("what does an ML engineer do all day", "responsibilities"),
        ("how do I become an ML engineer", "career-path"),
        ("what is machine learning", "overview"),
    ],
)
def test_plain_questions_get_the_right_section(
    matcher: Matcher, question: str, section: str
) -> None:
    """Answered from the right section: in full, as the closest topic when another entry is
    close behind, or as a partial answer ("do all day" asks for a typical day)."""
    result = matcher.match(question)
    assert result.band is not Band.DECLINE
    assert result.section == section


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("what skills do I need?", "skills"),
        ("how much do ML engineers make", "salary"),
        ("what degree do I need", "education"),
        ("what are the responsibilities of an ml engineer", "responsibilities"),
        ("how do I become an ML engineer", "career-path"),
        ("what is machine learning", "overview"),
    ],
)
def test_plain_questions_get_a_confident_answer(
    matcher: Matcher, question: str, entry: str
) -> None:
    result = matcher.match(question)
    assert result.band is Band.ANSWER
    assert result.best is not None
    assert result.best.entry.id == entry


@pytest.mark.parametrize(
    "question",
    [
        "whats a good pizza place near the office",
        "how do I fix CUDA error device-side assert triggered",
        "how much do dentists make",
        "who won the world cup in 2022",
        "how do I center a div in css",
    ],
)
def test_questions_outside_the_article_are_declined(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).band is Band.DECLINE


def test_scores_are_ranked_and_within_0_to_100(matcher: Matcher) -> None:
    matches = matcher.match("do I need python and a degree to earn a good salary").matches
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)
    assert len({m.entry.id for m in matches}) == len(matches)


def test_same_question_gives_the_same_ranking(matcher: Matcher) -> None:
    first = matcher.match("is data engineering a related job?")
    again = matcher.match("is data engineering a related job?")
    assert [(m.entry.id, m.score) for m in first.matches] == [
        (m.entry.id, m.score) for m in again.matches
    ]


def test_ties_prefer_the_section_entry_then_article_order(matcher: Matcher) -> None:
    ranked = matcher.match("skills").matches
    assert ranked[0].entry.id == "skills"
    tied = [m for m in ranked if m.score == ranked[0].score]
    assert tied[0].entry.is_section_entry


def test_typos_and_case_do_not_change_the_answer(matcher: Matcher) -> None:
    clean = matcher.match("what skills do I need for machine learning").best
    messy = matcher.match("WUT SKILS do i need 4 machine lerning??").best
    assert clean is not None
    assert messy is not None
    assert messy.entry.id == clean.entry.id


def test_empty_or_stop_word_question_declines_without_matches(matcher: Matcher) -> None:
    result = matcher.match("the of and")
    assert result.band is Band.DECLINE
    assert result.matches == ()


@pytest.mark.parametrize(("typed", "topic"), [("skils", "skills"), ("salery", "salary")])
def test_near_miss_topic_names_get_did_you_mean(matcher: Matcher, typed: str, topic: str) -> None:
    entry = matcher.did_you_mean(typed)
    assert entry is not None
    assert entry.id == topic


def test_unrelated_words_get_no_did_you_mean(matcher: Matcher) -> None:
    assert matcher.did_you_mean("banana") is None


def test_topic_accepts_ids_and_aliases(matcher: Matcher) -> None:
    pay = matcher.topic("Pay")
    sub = matcher.topic("skills/programming-languages")
    assert pay is not None
    assert pay.id == "salary"
    assert sub is not None
    assert sub.id == "skills/programming-languages"
    assert matcher.topic("nonsense") is None


def test_suggest_returns_at_most_the_limit_and_relevant_topics_first(matcher: Matcher) -> None:
    suggestions = matcher.suggest("sal", limit=25)
    assert suggestions[0].id == "salary"
    assert len(matcher.suggest("", limit=5)) == 5
