"""Terminal rendering of each kind of reply."""

from __future__ import annotations

from bot.console.render import WIDTH, render
from bot.core import replies
from bot.core.reply import BulletList, Reply, ReplyKind, TopicLink
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher


def assert_fits(text: str, width: int = WIDTH) -> None:
    too_long = [line for line in text.splitlines() if len(line) > width]
    assert not too_long


def test_answer_shows_title_body_points_related_and_source(knowledge: KnowledgeBase) -> None:
    entry = knowledge.by_id["skills"]
    text = render(replies.answer(entry, knowledge, score=90.0))
    lines = text.splitlines()
    assert lines[0] == entry.title
    assert lines[1] == "=" * len(entry.title)
    assert " ".join(text.split()).startswith(f"{entry.title} {'=' * len(entry.title)} ")
    flat = " ".join(text.split())  # long points wrap to the terminal's width
    for point in entry.points:
        assert f" - {point}" in flat
    related_start = text.index("\nRelated: ") + 1
    related, source = text[related_start:].split("\nSource: ")
    assert related.replace("\n  ", " ") == f"Related: {', '.join(entry.related)}"
    assert " ".join(source.split()) == f"Section: Skills ({entry.source})"
    assert_fits(text)


def test_topic_ids_are_never_broken_across_lines() -> None:
    names = ("career-path", "skills/algorithms-and-models", "skills/cloud-and-big-data", "x-y")
    links = tuple(TopicLink(name, name) for name in names)
    for width in range(30, 101):
        text = render(Reply(ReplyKind.ANSWER, "T", related=links, suggestions=links), width)
        words = {word.rstrip(",") for word in text.split()}
        assert set(names) <= words, width


def test_render_wraps_long_text_and_keeps_paragraphs() -> None:
    reply = Reply(
        ReplyKind.ANSWER,
        "Title",
        body=("word " * 60).strip() + "\n\nSecond paragraph.",
        lists=(BulletList("Points", ("item " * 40,)),),
    )
    text = render(reply, width=40)
    assert_fits(text, 40)
    assert "\n\nSecond paragraph.\n" in text
    assert "Points:\n  - item item" in text
    assert "\n    item" in text  # continuation lines of a bullet are indented under it


def test_closest_reply_flags_itself_and_lists_next_best_topics(
    knowledge: KnowledgeBase, matcher: Matcher
) -> None:
    result = matcher.match("what skills and degree do I need")
    best, *others = result.matches
    text = render(replies.closest(best, tuple(others), knowledge, ()))
    assert text.startswith(f"Closest topic: {best.entry.title}\n")
    assert "This is the closest topic in my knowledge base:" in " ".join(text.split())
    assert "\nTry: " in text
    assert_fits(text)


def test_decline_lists_every_section_to_try(knowledge: KnowledgeBase) -> None:
    text = render(replies.decline(knowledge, (), 0.0))
    assert text.startswith("I don't know that one\n")
    flat = " ".join(text.split())
    assert "Try: overview, responsibilities, skills, career-path, industries," in flat
    assert flat.endswith("salary, outlook")
    assert "Source:" not in text


def test_did_you_mean_names_the_topic(knowledge: KnowledgeBase) -> None:
    text = render(replies.did_you_mean(knowledge.by_id["salary"], "salery", ()))
    assert text.startswith("Did you mean \u201csalary\u201d?\n")
    assert "I don't have a topic called \u201csalery\u201d." in text
    assert text.endswith("Did you mean: salary")


def test_help_lists_commands_sections_and_examples(knowledge: KnowledgeBase) -> None:
    text = render(replies.help_reply(knowledge))
    assert "Commands:\n  - <topic>: " in text
    assert "Topics:\n  - Overview\n" in text
    assert "Try:\n  - skills\n" in text
    assert_fits(text)


def test_topics_groups_entries_under_section_names(knowledge: KnowledgeBase) -> None:
    text = render(replies.topics_reply(knowledge))
    assert "Skills:\n  - skills: " in text
    assert "  - skills/programming-languages: " in text
    assert text.index("Overview:") < text.index("Outlook:")
    assert_fits(text)


def test_daily_tip_shows_the_tip_and_where_to_read_more(knowledge: KnowledgeBase) -> None:
    tip = knowledge.tips[0]
    text = render(replies.tip_reply(tip, knowledge))
    assert text.startswith("Tip of the day\n==============\n")
    assert " ".join(tip.text.split())[:50] in " ".join(text.split())
    assert f"Related: {tip.section}" in text
    assert f"More: /mlcareer {tip.section}" in text


def test_about_names_the_article(knowledge: KnowledgeBase) -> None:
    text = render(replies.about_reply(knowledge))
    assert text.startswith("Where my answers come from\n")
    assert "Sections:\n  - Overview\n" in text


def test_notice_and_error_replies_render_title_and_body() -> None:
    notice = render(Reply(ReplyKind.NOTICE, "Daily tips are on", "Tips arrive at 9:00."))
    assert notice == "Daily tips are on\n=================\nTips arrive at 9:00."
    error = render(Reply(ReplyKind.ERROR, "Sorry, something went wrong", "Please try again."))
    assert error == "Sorry, something went wrong\n" + "=" * 27 + "\nPlease try again."


def test_notices_come_first_marked_as_notes() -> None:
    reply = Reply(
        ReplyKind.ANSWER,
        "Salary",
        body="About the average.",
        notices=("Your message was 9,000 characters long, so I read only the first 2,000.",),
        related=(TopicLink("outlook", "Outlook"),),
    )
    assert render(reply).splitlines()[2:5] == [
        "(note) Your message was 9,000 characters long, so I read only the first 2,000.",
        "",
        "About the average.",
    ]


def test_render_never_ends_with_blank_lines() -> None:
    text = render(Reply(ReplyKind.HELP, "Help", body="Body\n\n", lists=(BulletList(None, ()),)))
    assert text == "Help\n====\nBody"
