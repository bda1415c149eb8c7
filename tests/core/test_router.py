"""The router: every route of the table, on the shipped knowledge base and the real matcher."""

from __future__ import annotations

import logging
import random
from dataclasses import replace

import pytest

from bot.core import handlers
from bot.core.handlers import Context
from bot.core.reply import Reply, ReplyKind
from bot.core.request import Request
from bot.core.router import Route, Router, anything
from bot.core.services import Services
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import EntryKind, KnowledgeBase
from bot.matching.matcher import Matcher, Thresholds
from bot.settings import DEFAULT_KNOWLEDGE_DIR
from tests.shipped import SECTION_IDS

# Every topic name the shipped knowledge answers to (ids and aliases), for parametrising.
# "about" is the about command's own word, answered before topic names are looked up.
TOPIC_NAMES = sorted(set(load_knowledge(DEFAULT_KNOWLEDGE_DIR).by_alias) - {"about"})


async def ask(router: Router, text: str, **request: object) -> Reply:
    return await router.handle(Request(text=text, **request))  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
async def test_empty_text_gets_help(router: Router, text: str) -> None:
    reply = await ask(router, text)
    assert reply.kind is ReplyKind.HELP


@pytest.mark.parametrize("text", ["help", "HELP", "help?", "help me please", "commands", "usage"])
async def test_help_words_get_help_listing_the_commands(router: Router, text: str) -> None:
    reply = await ask(router, text)
    assert reply.kind is ReplyKind.HELP
    commands = reply.lists[0].items
    for word in ("topics", "tip", "about", "help"):
        assert any(item.startswith(word) for item in commands), word


async def test_help_offers_daily_tips_only_where_they_run(services: Services) -> None:
    """Without a tips service (the terminal) 'tips on' would be refused, so help leaves it out."""
    without = await ask(Router(services), "help")
    with_tips = await ask(Router(replace(services, tips=RecordingTips())), "help")
    assert not any(item.startswith("tips on") for item in without.lists[0].items)
    assert "tips on|off|status|now: daily tips in this channel" in with_tips.lists[0].items


@pytest.mark.parametrize("text", ["topics", "Topics?", "list", "menu", "sections"])
async def test_topics_lists_every_entry_grouped_by_section(
    router: Router, knowledge: KnowledgeBase, text: str
) -> None:
    reply = await ask(router, text)
    assert reply.kind is ReplyKind.TOPICS
    listed = [item.split(":")[0] for bullets in reply.lists for item in bullets.items]
    listed_sections = {section.id for section in knowledge.listed_sections}
    answers = [e.id for e in knowledge.answers if e.section in listed_sections]
    assert sorted(listed) == sorted(answers)
    assert [link.topic for link in reply.suggestions] == list(SECTION_IDS)


@pytest.mark.parametrize("text", ["about", "sources", "credits"])
async def test_about_says_where_the_knowledge_comes_from(
    router: Router, knowledge: KnowledgeBase, text: str
) -> None:
    reply = await ask(router, text)
    assert reply.kind is ReplyKind.ABOUT
    assert "one source: an article on the machine learning engineer's role" in reply.body
    assert f"{len(knowledge.answers)} topics and {len(knowledge.tips)} tips" in reply.body


async def test_tip_gives_a_tip_from_the_deck(router: Router, knowledge: KnowledgeBase) -> None:
    reply = await ask(router, "tip")
    assert reply.kind is ReplyKind.TIP
    tip = next(t for t in knowledge.tips if t.id == reply.entry_id)
    assert reply.body == tip.text
    assert reply.section == tip.section
    assert [link.topic for link in reply.related] == [tip.section]


async def test_tip_asked_for_names_no_slash_command(router: Router) -> None:
    """A tip in a conversation is no daily post: no "/mlcareer ..." (wrong in the terminal)."""
    reply = await ask(router, "tip salary")
    assert reply.title == "A tip"
    assert reply.source == "Section: Salary"


async def test_tip_is_chosen_by_the_injected_rng(services: Services) -> None:
    first = await ask(Router(replace(services, rng=random.Random(5))), "tip")
    again = await ask(Router(replace(services, rng=random.Random(5))), "tip")
    assert first == again
    seen = {(await ask(Router(services), "tip")).entry_id for _ in range(40)}
    assert len(seen) > 5


@pytest.mark.parametrize(("topic", "section"), [("salary", "salary"), ("titles", "job-titles")])
async def test_tip_with_a_topic_stays_in_that_section(
    router: Router, topic: str, section: str
) -> None:
    for _ in range(20):
        reply = await ask(router, f"tip {topic}")
        assert reply.kind is ReplyKind.TIP
        assert reply.section == section
        assert not reply.notices


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("tip about salary", "salary"),
        ("tip on job titles please", "job-titles"),
        ("can you give me a tip about salery?", "salary"),
        ("any tips on skills", "skills"),
    ],
)
async def test_tip_asked_for_in_words_stays_in_the_topic_named(
    router: Router, text: str, section: str
) -> None:
    for _ in range(10):
        reply = await ask(router, text)
        assert reply.kind is ReplyKind.TIP
        assert reply.section == section
        assert not reply.notices


@pytest.mark.parametrize("text", ["give me a tip", "any tips?", "another tip please", "a tip"])
async def test_tip_asked_for_in_words_gets_a_tip(router: Router, text: str) -> None:
    reply = await ask(router, text)
    assert reply.kind is ReplyKind.TIP
    assert not reply.notices


async def test_a_question_that_mentions_tips_goes_to_the_matcher(router: Router) -> None:
    """Only known topics follow a tip request; anything else is a question (here declined)."""
    reply = await ask(router, "any tips for my kaggle titanic notebook? accuracy stuck at 0.77")
    assert reply.kind is ReplyKind.DECLINE


async def test_tip_with_a_misspelt_topic_uses_the_topic_it_meant(router: Router) -> None:
    reply = await ask(router, "tip salery")
    assert reply.kind is ReplyKind.TIP
    assert reply.section == "salary"


async def test_tip_with_an_unknown_topic_says_so_and_gives_any_tip(router: Router) -> None:
    reply = await ask(router, "tip quantum knitting")
    assert reply.kind is ReplyKind.TIP
    assert reply.notices == (
        "I have no topic called \u201cquantum knitting\u201d; here is any tip.",
    )


async def test_tip_with_an_empty_deck_says_there_are_none(services: Services) -> None:
    knowledge = replace(services.knowledge, tips=())
    reply = await ask(Router(replace(services, knowledge=knowledge)), "tip")
    assert reply.kind is ReplyKind.NOTICE
    assert reply.title == "No tips yet"


@pytest.mark.parametrize("text", ["tips", "tips on", "tips status", "subscribe"])
async def test_tips_commands_in_the_terminal_explain_they_need_a_channel(
    router: Router, text: str
) -> None:
    reply = await ask(router, text)
    assert reply.kind is ReplyKind.NOTICE
    assert reply.title == "Daily tips aren't available here"


class RecordingTips:
    """A test implementation of the TipsCommands port that records what it was asked."""

    def __init__(self) -> None:
        self.calls: list[tuple[Request, str]] = []

    async def handle(self, request: Request, args: str) -> Reply:
        self.calls.append((request, args))
        return Reply(ReplyKind.NOTICE, f"tips {args}", public=args == "now")


async def test_tips_commands_go_to_the_tips_service_with_their_arguments(
    services: Services,
) -> None:
    tips = RecordingTips()
    router = Router(replace(services, tips=tips))
    reply = await ask(router, "tips  now", channel="C1", platform="slack", is_admin=True)
    assert reply.title == "tips now"
    assert reply.public
    request, args = tips.calls[0]
    assert args == "now"
    assert (request.channel, request.platform, request.is_admin) == ("C1", "slack", True)


@pytest.mark.parametrize("name", TOPIC_NAMES)
async def test_every_topic_name_and_alias_answers_with_its_entry(
    router: Router, knowledge: KnowledgeBase, name: str
) -> None:
    reply = await ask(router, name)
    entry = knowledge.by_alias[name]
    assert reply.kind is ReplyKind.ANSWER, name
    assert reply.entry_id == entry.id
    assert reply.section == entry.section
    assert reply.score == 100.0
    assert reply.body == entry.answer.strip()


@pytest.mark.parametrize("text", ["Skills", "SALARY?", "titles.", "  path  ", "Career-Path!"])
async def test_topic_names_ignore_case_space_and_end_punctuation(
    router: Router, knowledge: KnowledgeBase, text: str
) -> None:
    reply = await ask(router, text)
    assert reply.kind is ReplyKind.ANSWER
    assert reply.entry_id == knowledge.by_alias[text.strip().rstrip("?!.").lower()].id


async def test_answer_carries_points_related_topics_and_source(
    router: Router, knowledge: KnowledgeBase
) -> None:
    reply = await ask(router, "skills")
    entry = knowledge.by_id["skills"]
    assert reply.lists[0].items == entry.points
    assert [link.topic for link in reply.related] == list(entry.related)
    assert reply.source == f"Section: Skills ({entry.source})"


@pytest.mark.parametrize(("typed", "meant"), [("skils", "skills"), ("salery", "salary")])
async def test_near_miss_topic_gets_did_you_mean(router: Router, typed: str, meant: str) -> None:
    reply = await ask(router, typed)
    assert reply.kind is ReplyKind.DID_YOU_MEAN
    assert reply.entry_id == meant
    assert [link.topic for link in reply.suggestions] == [meant]
    assert f"\u201c{typed}\u201d" in reply.body


async def test_free_question_is_answered_from_the_matching_entry(router: Router) -> None:
    reply = await ask(router, "What skills do I need to become an ML engineer?")
    assert reply.kind is ReplyKind.ANSWER
    assert reply.section == "skills"
    assert reply.score is not None
    assert reply.score >= Thresholds().confident


async def test_middle_band_answers_with_the_closest_topic_and_says_so(
    services: Services,
) -> None:
    """With every score in the middle band, the reply is flagged as the closest topic and
    offers the next-best topics, never the best one again."""
    matcher = Matcher(services.knowledge, Thresholds(confident=101.0, closest=0.0))
    router = Router(replace(services, matcher=matcher))
    question = "what skills and degree do I need"
    reply = await ask(router, question)
    ranked = matcher.match(question).matches
    assert reply.kind is ReplyKind.CLOSEST
    assert reply.entry_id == ranked[0].entry.id
    assert reply.title == f"Closest topic: {ranked[0].entry.title}"
    assert "closest topic" in reply.body
    suggested = [link.topic for link in reply.suggestions]
    assert 1 <= len(suggested) <= 3
    assert ranked[0].entry.id not in suggested
    # Only answer entries are offered as topics to try (a partial or a decline is no topic).
    answers = [m.entry.id for m in ranked[1:] if m.entry.kind is EntryKind.ANSWER]
    assert suggested == answers[: len(suggested)]


@pytest.mark.parametrize(
    "text", ["how do I fix my car's brakes", "what is the weather in paris tomorrow"]
)
async def test_question_outside_the_article_is_declined_politely(router: Router, text: str) -> None:
    reply = await ask(router, text)
    assert reply.kind is ReplyKind.DECLINE
    assert reply.section is None
    if reply.entry_id is None:  # nothing scored: the generic decline with every section
        assert reply.title == "I don't know that one"
        assert [link.topic for link in reply.suggestions] == list(SECTION_IDS)
    else:  # a decline entry: its own text
        assert reply.entry_id.startswith("decline/")


async def test_the_same_question_always_gets_the_same_reply(router: Router) -> None:
    question = "which industries hire machine learning engineers?"
    replies = [await ask(router, question) for _ in range(3)]
    assert replies[0] == replies[1] == replies[2]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("hi", "Hello!"),
        ("Hello there!", "Hello!"),
        ("hey bot", "Hello!"),
        ("good morning", "Hello!"),
        ("<@U123> hi", "Hello!"),
        ("thanks!", "Glad to help"),
        ("thank you so much", "Glad to help"),
        ("thanks bot you\u2019re awesome", "Glad to help"),
        ("ok", "Glad to help"),
        ("bye", "Goodbye!"),
        ("thanks, bye", "Goodbye!"),
    ],
)
async def test_greetings_thanks_and_goodbyes_get_a_reply_in_kind(
    router: Router, text: str, title: str
) -> None:
    reply = await ask(router, text)
    assert reply.kind is ReplyKind.SMALL_TALK
    assert reply.title == title
    assert reply.section is None


async def test_a_greeting_lists_the_topics(router: Router) -> None:
    reply = await ask(router, "hello")
    assert [link.topic for link in reply.suggestions] == list(SECTION_IDS)


@pytest.mark.parametrize(
    ("text", "section"),
    [("hi, what skills do I need?", "skills"), ("thanks, and how much do they earn?", "salary")],
)
async def test_a_question_after_a_greeting_is_still_answered(
    router: Router, text: str, section: str
) -> None:
    reply = await ask(router, text)
    assert reply.kind is ReplyKind.ANSWER
    assert reply.section == section


async def test_leading_mention_is_ignored(router: Router) -> None:
    reply = await ask(router, "<@U123ABC> salary")
    assert reply.kind is ReplyKind.ANSWER
    assert reply.entry_id == "salary"


# --- failures ----------------------------------------------------------------------------------


async def broken_handler(ctx: Context) -> Reply:
    raise RuntimeError("handler exploded")


def broken_test(text: str, services: Services) -> str | None:
    raise ValueError("route test exploded")


@pytest.mark.parametrize(
    "routes",
    [
        (Route("broken", anything, broken_handler),),
        (Route("broken", broken_test, handlers.show_help),),
    ],
    ids=["handler-raises", "route-test-raises"],
)
async def test_failing_route_gives_a_polite_error_and_logs_the_traceback(
    services: Services, caplog: pytest.LogCaptureFixture, routes: tuple[Route, ...]
) -> None:
    router = Router(services, routes=routes)
    with caplog.at_level(logging.ERROR, logger="bot.core.router"):
        reply = await ask(router, "what skills do I need", platform="discord")
    assert reply.kind is ReplyKind.ERROR
    assert reply.title == "Sorry, something went wrong"
    assert "try again" in reply.body
    [record] = caplog.records
    assert record.levelno == logging.ERROR
    assert "'broken'" in record.getMessage()
    assert "discord" in record.getMessage()
    assert record.exc_info is not None
    assert "exploded" in caplog.text
    assert "Traceback" in caplog.text


async def test_router_keeps_working_after_a_handler_failed(services: Services) -> None:
    calls: list[str] = []

    async def flaky(ctx: Context) -> Reply:
        calls.append(ctx.text)
        if len(calls) == 1:
            raise RuntimeError("first call fails")
        return await handlers.show_help(ctx)

    router = Router(services, routes=(Route("flaky", anything, flaky),))
    assert (await ask(router, "one")).kind is ReplyKind.ERROR
    assert (await ask(router, "two")).kind is ReplyKind.HELP


@pytest.mark.parametrize(
    "text",
    [
        "who wrote the article?",
        "where does your info come from",
        "what are your sources?",
        "which article do you use",
    ],
)
async def test_questions_about_the_source_are_answered_from_the_about_entry(
    router: Router, text: str
) -> None:
    """No regex in the router: the knowledge's about entry and its examples answer them."""
    reply = await ask(router, text)
    assert reply.kind in {ReplyKind.ANSWER, ReplyKind.CLOSEST}
    assert reply.entry_id == "about"
    assert "no author" in reply.body.lower() or "names no author" in reply.body.lower()


async def test_a_career_question_mentioning_where_is_not_about_the_bot(router: Router) -> None:
    reply = await ask(router, "where do ML engineers work?")
    assert reply.kind is not ReplyKind.ABOUT


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("help me choose between data science and ML engineering", "job-titles"),
        ("tips for breaking into ML?", "career-path"),
        ("Tips for getting a machine learning job", None),  # the job hunt: declined
        ("tip: what skills matter most?", "skills"),
    ],
)
async def test_questions_that_start_with_a_command_word_are_answered_as_questions(
    router: Router, text: str, section: str | None
) -> None:
    """Only a command is a command: "help me choose..." or "tips for..." is a question."""
    reply = await ask(router, text)
    if section is None:  # matched as a question, and declined as the job hunt it asks about
        assert reply.kind is ReplyKind.DECLINE
        assert reply.entry_id == "decline/job-applications"
        return
    assert reply.kind in {ReplyKind.ANSWER, ReplyKind.PARTIAL, ReplyKind.CLOSEST}
    assert reply.section == section


@pytest.mark.parametrize("text", ["tips", "tips on 09:00", "tips stauts", "tips off", "tips now"])
async def test_tips_commands_still_reach_the_tips_service(router: Router, text: str) -> None:
    reply = await ask(router, text)
    assert reply.title == "Daily tips aren't available here"


def test_router_and_tips_service_know_the_same_tips_words() -> None:
    from bot.core.router import TIPS_WORDS
    from bot.tips.commands import ACTIONS

    assert set(ACTIONS) - {""} == TIPS_WORDS
