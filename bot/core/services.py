"""The dependencies handlers receive, built once at start-up from the settings."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from bot.core.reply import Reply
from bot.core.request import Request
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.feedback.service import Feedback


class TipsCommands(Protocol):
    """The port for ``tips on|off|status|now``; the daily-tips service implements it."""

    async def handle(self, request: Request, args: str) -> Reply:
        """Carry out one ``tips`` subcommand for the request's channel."""
        ...


class QuestionLogCommands(Protocol):
    """The port to the question log; ``bot.questions.service.QuestionService`` implements it.

    ``record`` is called once per answer to a free question or a topic and returns the reply
    with its ``question_id`` set (unchanged when nothing was logged); ``forget`` and
    ``report`` carry out ``forget me`` and ``report`` for the person asking.
    """

    async def record(self, request: Request, text: str, reply: Reply) -> Reply:
        """Log the question and its reply; never raises (a failure is logged, not shown)."""
        ...

    async def forget(self, request: Request) -> Reply:
        """Delete everything stored about the person asking (not channel subscriptions)."""
        ...

    async def report(self, request: Request) -> Reply:
        """This week's summary for an admin; everyone else is told who can see it."""
        ...


@dataclass(slots=True)
class Services:
    """Everything a handler may need. Handlers get this object; nothing is global."""

    knowledge: KnowledgeBase
    matcher: Matcher
    max_input_chars: int = 2000
    rng: random.Random = field(default_factory=random.Random)
    tips: TipsCommands | None = None
    # Votes on answers: None until a votes store and MLCAREER_HASH_KEY are wired in.
    feedback: Feedback | None = None
    questions: QuestionLogCommands | None = None


def build_services(settings: Settings) -> Services:
    """Load and validate the knowledge base, build the matcher, and bundle them."""
    knowledge = load_knowledge(settings.knowledge_dir, settings.extra_knowledge)
    return Services(
        knowledge=knowledge,
        matcher=Matcher(knowledge),
        max_input_chars=settings.max_input_chars,
    )
