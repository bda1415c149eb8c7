"""Opening the question log from the settings, with its hash key."""

from __future__ import annotations

from datetime import timedelta

from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.questions.retention import RetentionPurge
from bot.questions.service import QuestionService
from bot.questions.sql_log import SqlQuestionLog, open_question_log
from bot.settings import Settings
from bot.tips.clock import Clock


async def hash_key(settings: Settings, questions: SqlQuestionLog) -> bytes:
    """MLCAREER_HASH_KEY, or the random key generated once and kept in the database."""
    if settings.hash_key:
        return settings.hash_key.reveal().encode()
    return await questions.hash_key()


async def open_questions(
    settings: Settings, knowledge: KnowledgeBase, matcher: Matcher, clock: Clock
) -> tuple[QuestionService, RetentionPurge, SqlQuestionLog]:
    """The service the router uses, the purge loop, and the log (the caller closes it)."""
    questions = await open_question_log(settings.database_url)
    try:
        key = await hash_key(settings, questions)
    except BaseException:
        await questions.close()
        raise
    service = QuestionService(questions, key, clock, knowledge, matcher, keep=settings.question_log)
    purge = RetentionPurge(questions, clock, timedelta(days=settings.log_retention_days))
    return service, purge, questions
