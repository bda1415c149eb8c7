"""The router's handlers: plain async functions of (context) that return a reply."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import replies
from bot.core.reply import Reply, ReplyKind
from bot.core.request import Request
from bot.core.services import Services
from bot.core.smalltalk import SmallTalk
from bot.core.tip_words import tip_topic
from bot.matching.matcher import Band


@dataclass(frozen=True, slots=True)
class Context:
    """What a handler gets: the request, the cleaned text, the words after the command word,
    remarks to pass on to the user, and the services."""

    request: Request
    text: str
    args: str
    notices: tuple[str, ...]
    services: Services


async def show_help(ctx: Context) -> Reply:
    """How to use the bot; ``tips on|off`` is listed only where daily tips run."""
    return replies.help_reply(
        ctx.services.knowledge, ctx.notices, daily_tips=ctx.services.tips is not None
    )


async def show_topics(ctx: Context) -> Reply:
    """Every topic the knowledge base answers, grouped by article section."""
    return replies.topics_reply(ctx.services.knowledge, ctx.notices)


async def show_about(ctx: Context) -> Reply:
    """Where the answers come from, so users can judge them."""
    return replies.about_reply(ctx.services.knowledge, ctx.notices)


async def show_tip(ctx: Context) -> Reply:
    """A random tip; ``tip <topic>`` (or ``tip about <topic>``) narrows it to that topic's
    section."""
    knowledge = ctx.services.knowledge
    tips = knowledge.tips
    notices = ctx.notices
    topic = tip_topic(ctx.args)
    if topic:
        entry = ctx.services.matcher.topic(topic) or ctx.services.matcher.did_you_mean(topic)
        if entry is not None:
            tips = tuple(tip for tip in tips if tip.section == entry.section) or tips
        else:
            notices = (*notices, f"I have no topic called \u201c{topic}\u201d; here is any tip.")
    if not tips:
        return Reply(ReplyKind.NOTICE, "No tips yet", "The knowledge base has no tips.")
    return replies.tip_reply(ctx.services.rng.choice(tips), knowledge, notices, daily=False)


async def manage_tips(ctx: Context) -> Reply:
    """``tips on|off|status|now``: handed to the daily-tips service where one is running."""
    if ctx.services.tips is None:
        return Reply(
            kind=ReplyKind.NOTICE,
            title="Daily tips aren't available here",
            body=(
                "Daily tips are posted in Slack and Discord channels. Here you can ask for "
                "one any time with \u201ctip\u201d."
            ),
            notices=ctx.notices,
        )
    return await ctx.services.tips.handle(ctx.request, ctx.args)


async def show_topic(ctx: Context) -> Reply:
    """A topic named exactly: its entry, with full confidence."""
    entry = ctx.services.matcher.topic(ctx.text.rstrip("?!. "))
    assert entry is not None  # the route only matches known topic names
    return await _logged(ctx, replies.answer(entry, ctx.services.knowledge, ctx.notices, 100.0))


async def suggest_topic(ctx: Context) -> Reply:
    """A near-miss topic name: ask whether the closest topic was meant, rather than guess."""
    entry = ctx.services.matcher.did_you_mean(ctx.text.rstrip("?!. "))
    assert entry is not None  # the route only matches near-miss topic names
    return replies.did_you_mean(entry, ctx.text, ctx.notices)


async def answer_question(ctx: Context) -> Reply:
    """A free-form question: a confident answer, a partial one, the closest topic, a decline
    entry's own text, or the generic decline when nothing scores well enough."""
    return await _logged(ctx, _answer(ctx))


def _answer(ctx: Context) -> Reply:
    knowledge = ctx.services.knowledge
    result = ctx.services.matcher.match(ctx.text)
    best = result.best
    if best is None or best.score < ctx.services.matcher.thresholds.closest:
        return replies.decline(knowledge, ctx.notices, best.score if best else 0.0)
    if result.band is Band.DECLINE:
        return replies.decline_entry(best.entry, knowledge, ctx.notices, best.score)
    if result.band is Band.PARTIAL:
        return replies.partial(best.entry, knowledge, ctx.notices, best.score)
    if result.band is Band.ANSWER:
        return replies.answer(best.entry, knowledge, ctx.notices, best.score)
    return replies.closest(best, result.matches[1:], knowledge, ctx.notices)


async def _logged(ctx: Context, reply: Reply) -> Reply:
    """The reply, recorded in the question log where one runs (the one place questions are
    logged: adapters never log), with its ``question_id`` set."""
    if ctx.services.questions is None:
        return reply
    return await ctx.services.questions.record(ctx.request, ctx.text, reply)


async def forget_me(ctx: Context) -> Reply:
    """``forget me``: delete every question and vote stored about the person asking."""
    if ctx.services.questions is None:
        return Reply(
            kind=ReplyKind.NOTICE,
            title="Nothing stored here",
            body="This bot keeps no question log here, so there is nothing to forget.",
            notices=ctx.notices,
        )
    return await ctx.services.questions.forget(ctx.request)


async def show_report(ctx: Context) -> Reply:
    """``report``: this week's question-log summary, for admins only, privately."""
    if ctx.services.questions is None:
        return Reply(
            kind=ReplyKind.NOTICE,
            title="No report here",
            body="The weekly report is available in Slack and Discord, where questions are "
            "logged; here, run \u201cmlcareer report\u201d.",
            notices=ctx.notices,
        )
    return await ctx.services.questions.report(ctx.request)


async def reply_in_kind(ctx: Context) -> Reply:
    """A greeting, thanks or goodbye gets one back; ``args`` holds the kind the route found."""
    return replies.small_talk_reply(SmallTalk(ctx.args), ctx.services.knowledge, ctx.notices)


async def no_words(ctx: Context) -> Reply:
    """Emoji or punctuation only: ask for a question in words and list the topics."""
    return replies.not_understood(ctx.services.knowledge, ctx.notices)
