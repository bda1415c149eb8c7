"""The router: an ordered table of (test, handler) rows; the first row whose test accepts the
text handles it. A failing handler is logged with its traceback and the user gets an apology;
the router never raises.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core import handlers
from bot.core.handlers import Context
from bot.core.metrics import NO_METRICS, RequestMetrics
from bot.core.reply import Reply, ReplyKind
from bot.core.request import Request
from bot.core.services import Services
from bot.core.smalltalk import small_talk
from bot.core.text import CleanText, clean
from bot.core.tip_words import tip_request, tip_topic

log = logging.getLogger(__name__)

# A test gets the cleaned text and returns the handler's arguments, or None to pass.
RouteTest = Callable[[str, Services], str | None]
Handler = Callable[[Context], Awaitable[Reply]]


@dataclass(frozen=True, slots=True)
class Route:
    """One row of the routing table."""

    name: str
    test: RouteTest
    handler: Handler


def exactly(*words: str) -> RouteTest:
    """Accept text that is exactly one of ``words`` (ignoring case and end punctuation)."""
    accepted = frozenset(words)

    def test(text: str, services: Services) -> str | None:
        return "" if text.lower().rstrip("?!. ") in accepted else None

    return test


def empty(text: str, services: Services) -> str | None:
    """Nothing at all after cleaning (a bare mention, whitespace): help is the useful reply."""
    return "" if not text else None


def wordless(text: str, services: Services) -> str | None:
    """Text without a letter or digit (emoji, punctuation): nothing the matcher could read."""
    return "" if not CleanText(text).has_words else None


def topic_name(text: str, services: Services) -> str | None:
    """Exactly a topic's id or alias ("skills", "titles"), ignoring end punctuation."""
    return "" if services.matcher.topic(text.rstrip("?!. ")) is not None else None


def near_topic_name(text: str, services: Services) -> str | None:
    """A single word close to, but not exactly, a topic name ("skils"): offer the topic."""
    word = text.rstrip("?!. ")
    if " " in word or services.matcher.did_you_mean(word) is None:
        return None
    return ""


def greeting_or_thanks(text: str, services: Services) -> str | None:
    """Only small talk ("hi", "thanks!", "bye"): the handler gets its kind."""
    kind = small_talk(text)
    return kind.value if kind is not None else None


def asks_for_a_tip(text: str, services: Services) -> str | None:
    """A tip asked for in words ("give me a tip", "any tips on salary?"); a topic after it must
    be one the bot knows, or the text is left to the matcher as a question."""
    words = tip_request(text)
    if words is None:
        return None
    topic = tip_topic(words)
    matcher = services.matcher
    if topic and matcher.topic(topic) is None and matcher.did_you_mean(topic) is None:
        return None
    return words


# The words that may follow "tips" (the daily-tips service maps each to its action). Anything
# else after "tips" ("tips for breaking into ML?") is a question, not a command.
TIPS_WORDS = frozenset(
    {"help", "on", "start", "enable", "off", "stop", "disable", "status", "info", "now", "next"}
)


def tips_command(text: str, services: Services) -> str | None:
    """``tips``, ``tips on 09:00 ...``, ``tips stauts`` (a near miss the service corrects)."""
    first, _, rest = text.partition(" ")
    if first.lower().rstrip("?!.:") not in {"tips", "subscription", "subscribe"}:
        return None
    rest = rest.strip()
    word = rest.partition(" ")[0].lower().rstrip("?!.:")
    if not word or word in TIPS_WORDS:
        return rest
    close = process.extractOne(word, sorted(TIPS_WORDS), scorer=fuzz.ratio, score_cutoff=75)
    return rest if close is not None else None


_QUESTION_START = re.compile(
    r"^(what|which|how|why|when|where|who|should|do|does|is|are|can|could|would|will)\b"
)


def tip_command(text: str, services: Services) -> str | None:
    """``tip``, ``tip <topic>`` or ``tip about <topic> please``; a question that merely starts
    with "tip" ("tip: what skills matter most?") is left to the later rows."""
    first, _, rest = text.partition(" ")
    if first.lower().rstrip("?!.:") != "tip":
        return None
    rest = rest.strip()
    topic = tip_topic(rest)
    matcher = services.matcher
    if not topic or matcher.topic(topic) is not None or matcher.did_you_mean(topic) is not None:
        return rest
    if rest.endswith("?") or _QUESTION_START.match(topic):
        return None
    return rest


def anything(text: str, services: Services) -> str | None:
    """The last row: whatever is left is a free question for the matcher."""
    return text


ROUTES: tuple[Route, ...] = (
    Route("help", empty, handlers.show_help),
    Route("no-words", wordless, handlers.no_words),
    Route(
        "help",
        exactly(
            "help",
            "help me",
            "help me please",
            "please help",
            "commands",
            "usage",
            "?",
            "what can you do",
            "how does this work",
            "how do i use this",
        ),
        handlers.show_help,
    ),
    Route(
        "topics",
        exactly("topics", "topic", "list", "menu", "sections", "index"),
        handlers.show_topics,
    ),
    Route("about", exactly("about", "source", "sources", "credits"), handlers.show_about),
    Route(
        "forget-me",
        exactly("forget", "forget me", "forget me please", "please forget me", "delete my data"),
        handlers.forget_me,
    ),
    Route("report", exactly("report", "weekly report"), handlers.show_report),
    Route("tip", tip_command, handlers.show_tip),
    Route("tips", tips_command, handlers.manage_tips),
    Route("small-talk", greeting_or_thanks, handlers.reply_in_kind),
    Route("tip-in-words", asks_for_a_tip, handlers.show_tip),
    Route("topic", topic_name, handlers.show_topic),
    Route("did-you-mean", near_topic_name, handlers.suggest_topic),
    Route("question", anything, handlers.answer_question),
)


class Router:
    """Turns a request into a reply through the routing table.

    Every adapter's requests pass through ``handle``, so this is where each one is counted,
    by platform and reply kind, with the time it took (``metrics``; ``timer`` is injected).
    """

    def __init__(
        self,
        services: Services,
        routes: tuple[Route, ...] = ROUTES,
        *,
        metrics: RequestMetrics = NO_METRICS,
        timer: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.services = services
        self.routes = routes
        self.metrics = metrics
        self.timer = timer

    async def handle(self, request: Request) -> Reply:
        """Route one request; always returns a reply, never raises."""
        started = self.timer()
        reply = await self._route(request)
        self.metrics.answered(request.platform, reply.kind.value, self.timer() - started)
        return reply

    async def _route(self, request: Request) -> Reply:
        name = "clean"
        try:
            cleaned = clean(request.text, self.services.max_input_chars)
            for route in self.routes:
                name = route.name
                # A route's test runs inside the guard too: a test that raises must not
                # escape to the adapter any more than a handler that raises.
                args = route.test(cleaned.text, self.services)
                if args is None:
                    continue
                context = Context(request, cleaned.text, args, cleaned.notices, self.services)
                return await route.handler(context)
        except Exception:
            log.exception("route %r failed on platform %s", name, request.platform)
            return failure_reply()
        return failure_reply()  # unreachable with ROUTES: the last route accepts anything


def failure_reply() -> Reply:
    """The polite reply a user gets when something broke on our side."""
    return Reply(
        kind=ReplyKind.ERROR,
        title="Sorry, something went wrong",
        body="I couldn't answer that just now. Please try again in a moment.",
    )
