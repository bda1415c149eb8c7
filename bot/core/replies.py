"""Build platform-neutral replies from knowledge entries and match results."""

from __future__ import annotations

from bot.core.reply import BulletList, Reply, ReplyKind, TopicLink
from bot.core.smalltalk import SmallTalk
from bot.knowledge.model import Entry, EntryKind, KnowledgeBase, Tip
from bot.matching.matcher import Match

# The seed article, described rather than quoted: its full title would be a run of its own words.
ARTICLE = (
    "an article on the machine learning engineer's role "
    "(responsibilities, skills, career path and salary)"
)

EXAMPLES = (
    "skills",
    "salary",
    "do I need a degree?",
    "which industries hire ML engineers?",
)


def link(entry: Entry) -> TopicLink:
    """A button or suggestion that asks for ``entry``."""
    return TopicLink(topic=entry.id, label=entry.title)


def source_line(entry: Entry, knowledge: KnowledgeBase) -> str:
    """Where an answer comes from: its section and the part of the source it retells."""
    return f"Section: {knowledge.section_name(entry.section)} ({entry.source})"


def _links(ids: tuple[str, ...], knowledge: KnowledgeBase) -> tuple[TopicLink, ...]:
    return tuple(link(knowledge.by_id[ref]) for ref in ids if ref in knowledge.by_id)


def answer(
    entry: Entry,
    knowledge: KnowledgeBase,
    notices: tuple[str, ...] = (),
    score: float | None = None,
) -> Reply:
    """A confident answer with the entry's points, related topics and source."""
    related = _links(entry.related, knowledge)
    return Reply(
        kind=ReplyKind.ANSWER,
        title=entry.title,
        body=entry.answer.strip(),
        lists=(BulletList(None, entry.points),) if entry.points else (),
        related=related,
        source=source_line(entry, knowledge),
        notices=notices,
        entry_id=entry.id,
        section=entry.section,
        section_name=knowledge.section_name(entry.section),
        score=score,
    )


def partial(
    entry: Entry,
    knowledge: KnowledgeBase,
    notices: tuple[str, ...] = (),
    score: float | None = None,
) -> Reply:
    """A partial answer: what the knowledge does not say (the entry's ``gap``) plainly first,
    then the answer of the entry it ``answers_with``."""
    target = knowledge.by_id[entry.answers_with]
    base = answer(target, knowledge, notices, score)
    related = _links(entry.related, knowledge) or base.related
    return Reply(
        kind=ReplyKind.PARTIAL,
        title=entry.title,
        body=f"{entry.gap}\n\nWhat I can tell you:\n\n{base.body}",
        lists=base.lists,
        related=related,
        source=f"Section: {knowledge.section_name(entry.section)} ({entry.source})",
        notices=notices,
        entry_id=entry.id,
        section=entry.section,
        section_name=knowledge.section_name(entry.section),
        score=score,
    )


def decline_entry(
    entry: Entry,
    knowledge: KnowledgeBase,
    notices: tuple[str, ...] = (),
    score: float | None = None,
) -> Reply:
    """A decline entry's own text (why not, the nearest topic, ask the channel), with its
    ``nearest`` topics as buttons."""
    return Reply(
        kind=ReplyKind.DECLINE,
        title=entry.title,
        body=entry.answer.strip(),
        suggestions=_links(entry.nearest, knowledge),
        notices=notices,
        entry_id=entry.id,
        score=score,
    )


def closest(
    best: Match, others: tuple[Match, ...], knowledge: KnowledgeBase, notices: tuple[str, ...]
) -> Reply:
    """The closest topic, flagged as such, with the next-best topics to try instead."""
    base = answer(best.entry, knowledge, notices, best.score)
    seen = {best.entry.id}
    suggestions: list[TopicLink] = []
    for match in others:
        if (
            match.entry.kind is EntryKind.ANSWER
            and match.entry.id not in seen
            and len(suggestions) < 3
        ):
            seen.add(match.entry.id)
            suggestions.append(link(match.entry))
    intro = (
        "I'm not sure I have an exact answer to that. This is the closest topic in my "
        "knowledge base:"
    )
    return Reply(
        kind=ReplyKind.CLOSEST,
        title=f"Closest topic: {best.entry.title}",
        body=f"{intro}\n\n{base.body}",
        lists=base.lists,
        related=base.related,
        suggestions=tuple(suggestions),
        source=base.source,
        notices=notices,
        entry_id=best.entry.id,
        section=best.entry.section,
        section_name=base.section_name,
        score=best.score,
    )


def decline(knowledge: KnowledgeBase, notices: tuple[str, ...], score: float | None) -> Reply:
    """A polite "I don't know that one" that lists what the bot does know."""
    return Reply(
        kind=ReplyKind.DECLINE,
        title="I don't know that one",
        body=(
            "That's outside what I can answer. I only know what one article says about "
            "machine learning engineering careers, so I'd rather not guess. "
            "Here is what I can tell you about:"
        ),
        suggestions=section_links(knowledge),
        notices=notices,
        score=score,
    )


def did_you_mean(entry: Entry, typed: str, notices: tuple[str, ...]) -> Reply:
    """A near-miss topic name: offer the topic it most likely meant."""
    return Reply(
        kind=ReplyKind.DID_YOU_MEAN,
        title=f"Did you mean \u201c{entry.id}\u201d?",
        body=f"I don't have a topic called \u201c{typed}\u201d. The closest one is {entry.title}.",
        suggestions=(link(entry),),
        notices=notices,
        entry_id=entry.id,
        section=entry.section,
    )


def not_understood(knowledge: KnowledgeBase, notices: tuple[str, ...]) -> Reply:
    """For text with no words in it at all (only emoji, symbols or punctuation)."""
    return Reply(
        kind=ReplyKind.DECLINE,
        title="I didn't catch a question there",
        body="Ask me something in words, for example \u201cwhat skills do I need?\u201d, "
        "or pick a topic:",
        suggestions=section_links(knowledge),
        notices=notices,
    )


def section_links(knowledge: KnowledgeBase) -> tuple[TopicLink, ...]:
    """One link per listed section, in section order."""
    return tuple(
        link(knowledge.section_entry(section.id))
        for section in knowledge.listed_sections
        if section.id in knowledge.by_id
    )


def help_reply(
    knowledge: KnowledgeBase, notices: tuple[str, ...] = (), daily_tips: bool = True
) -> Reply:
    """How to use the bot, the same on every platform (adapters add their own prefix).

    ``daily_tips`` is False where ``tips on`` cannot work (the terminal): the command is left
    out rather than offered and then refused.
    """
    commands = (
        "<topic>: an answer on that topic, e.g. skills, salary, titles, path",
        "<question>: any question in your own words",
        "topics: everything I can answer",
        "tip: a random tip (tip <topic> for one on a topic)",
        *(("tips on|off|status|now: daily tips in this channel",) if daily_tips else ()),
        "about: where my knowledge comes from",
        "help: this message",
    )
    return Reply(
        kind=ReplyKind.HELP,
        title="mlcareer: career advice on machine learning engineering",
        body=(
            "Ask me about becoming and growing as an ML engineer: what the job involves, the "
            "skills it takes, degrees, job titles, senior roles, salary and outlook. Name a "
            "topic or ask a question in your own words."
        ),
        lists=(
            BulletList("Commands", commands),
            BulletList("Topics", tuple(s.name for s in knowledge.listed_sections)),
            BulletList("Try", EXAMPLES),
        ),
        notices=notices,
    )


def topics_reply(knowledge: KnowledgeBase, notices: tuple[str, ...] = ()) -> Reply:
    """Every topic, grouped by listed section, in section order."""
    lists = []
    for section in knowledge.listed_sections:
        entries = knowledge.entries_in(section.id)
        if entries:
            lists.append(BulletList(section.name, tuple(f"{e.id}: {e.title}" for e in entries)))
    return Reply(
        kind=ReplyKind.TOPICS,
        title="Topics I can answer",
        body="Send any topic name below, or just ask a question.",
        lists=tuple(lists),
        suggestions=section_links(knowledge),
        notices=notices,
    )


def about_reply(knowledge: KnowledgeBase, notices: tuple[str, ...] = ()) -> Reply:
    """Where the knowledge comes from, and what that means for the answers."""
    return Reply(
        kind=ReplyKind.ABOUT,
        title="Where my answers come from",
        body=(
            f"Everything I say comes from one source: {ARTICLE}. Its facts "
            "and figures are retold in my own words and each answer names the section it comes "
            "from. I don't browse the web, and when the article doesn't cover something I say "
            f"so rather than guess. I know {len(knowledge.answers)} topics and "
            f"{len(knowledge.tips)} tips."
        ),
        lists=(BulletList("Sections", tuple(s.name for s in knowledge.listed_sections)),),
        notices=notices,
    )


def tip_reply(
    tip: Tip, knowledge: KnowledgeBase, notices: tuple[str, ...] = (), daily: bool = True
) -> Reply:
    """One tip, its section, and how to ask for more on it.

    A daily tip (posted in a channel, outside any conversation) says which command shows its
    section; one asked for with ``tip`` is an answer in a conversation, where the related topic
    is enough and a slash command would be wrong (there is none in the terminal).
    """
    more = knowledge.by_id.get(tip.section)
    source = f"Section: {knowledge.section_name(tip.section)}"
    return Reply(
        kind=ReplyKind.TIP,
        title="Tip of the day" if daily else "A tip",
        body=tip.text,
        related=(link(more),) if more else (),
        source=f"{source}. More: /mlcareer {tip.section}" if daily else source,
        notices=notices,
        section=tip.section,
        entry_id=tip.id,
    )


def small_talk_reply(
    kind: SmallTalk, knowledge: KnowledgeBase, notices: tuple[str, ...] = ()
) -> Reply:
    """A hello, a you're-welcome or a goodbye, each pointing back to what the bot can answer."""
    if kind is SmallTalk.GREETING:
        return Reply(
            kind=ReplyKind.SMALL_TALK,
            title="Hello!",
            body=(
                "I answer questions about becoming and working as a machine learning engineer. "
                "Ask me something, for example \u201cwhat skills do I need?\u201d, or pick a "
                "topic:"
            ),
            suggestions=section_links(knowledge),
            notices=notices,
        )
    if kind is SmallTalk.THANKS:
        return Reply(
            kind=ReplyKind.SMALL_TALK,
            title="Glad to help",
            body="Ask me anything else about ML engineering careers, or send \u201ctopics\u201d "
            "to see everything I know.",
            notices=notices,
        )
    return Reply(
        kind=ReplyKind.SMALL_TALK,
        title="Goodbye!",
        body="Good luck on your way into ML engineering. I'm here whenever you have another "
        "question.",
        notices=notices,
    )
