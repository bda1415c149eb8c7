"""The terminal's question log, opened only when someone rates an answer.

``mlcareer chat`` stores nothing while people only ask (it needs no database). The first
``/good`` or ``/bad`` opens the question log and the votes in the settings' database (creating
the data folder, as ``mlcareer run`` does), logs the question being rated and switches the
router's feedback on, so the vote is kept like a Slack or Discord one.
"""

from __future__ import annotations

from pathlib import Path

from bot.commands.state import prepare_state
from bot.core.reply import Reply
from bot.core.request import Request
from bot.core.router import Router
from bot.feedback.service import Feedback
from bot.feedback.sql_store import SqlVoteStore
from bot.feedback.stores import open_vote_store
from bot.questions.service import QuestionService
from bot.questions.setup import hash_key, open_questions
from bot.questions.sql_log import SqlQuestionLog
from bot.settings import Settings
from bot.tips.clock import SystemClock


class ChatLog:
    """``keep`` logs a rated question once; ``close`` releases what was opened."""

    def __init__(self, settings: Settings, router: Router, env_file: Path | None = None) -> None:
        self._settings = settings
        self._router = router
        self._env_file = env_file
        self._service: QuestionService | None = None
        self._log: SqlQuestionLog | None = None
        self._votes: SqlVoteStore | None = None
        # Replies already logged, by identity (each kept alive beside its logged copy).
        self._logged: dict[int, tuple[Reply, Reply]] = {}

    async def keep(self, asked: Request, reply: Reply) -> Reply:
        """``reply`` (the answer to ``asked``) with the ``question_id`` it is logged under."""
        seen = self._logged.get(id(reply))
        if seen is not None and seen[0] is reply:
            return seen[1]
        service = await self._open()
        logged = await service.record(asked, asked.text, reply)
        self._logged[id(reply)] = (reply, logged)
        return logged

    async def _open(self) -> QuestionService:
        if self._service is not None:
            return self._service
        services = self._router.services
        prepare_state(self._settings, self._env_file)
        service, _purge, questions = await open_questions(
            self._settings, services.knowledge, services.matcher, SystemClock()
        )
        self._log = questions
        self._votes = await open_vote_store(self._settings.database_url)
        services.feedback = Feedback(self._votes, await hash_key(self._settings, questions))
        self._service = service
        return service

    async def close(self) -> None:
        """Close the question log and the votes, when a rating opened them."""
        if self._votes is not None:
            await self._votes.close()
        if self._log is not None:
            await self._log.close()
