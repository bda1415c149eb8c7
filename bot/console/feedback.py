"""``/good`` and ``/bad [what you were looking for]`` in ``mlcareer chat``: rate the answer
just above, through the same feedback service as the Slack and Discord buttons."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core.reply import Reply, ReplyKind
from bot.core.request import Request
from bot.core.router import Router
from bot.feedback import replies
from bot.feedback.ports import DOWN, UP

COMMANDS = {"/good": UP, "/bad": DOWN}

# Logs an answer that was not logged yet (the terminal's lazy log); returns it with its id.
Keep = Callable[[Request, Reply], Awaitable[Reply]]


def feedback_command(line: str) -> tuple[int, str] | None:
    """The vote and the note of a ``/good`` or ``/bad`` line; None for any other line."""
    word, _, rest = line.strip().partition(" ")
    vote = COMMANDS.get(word.lower())
    return None if vote is None else (vote, rest.strip())


async def rate(
    router: Router,
    last: Reply | None,
    request: Request,
    vote: int,
    note: str,
    *,
    asked: Request | None = None,
    keep: Keep | None = None,
) -> Reply:
    """Count ``vote`` on ``last`` (the answer above, to ``asked``) and keep ``note`` with a
    ``/bad``. ``keep`` logs ``last`` first when nothing logged it (``mlcareer chat``)."""
    rateable = last is not None and last.kind in (ReplyKind.ANSWER, ReplyKind.PARTIAL)
    if rateable and last is not None and last.question_id is None and keep and asked:
        last = await keep(asked, last)
    feedback = router.services.feedback
    if feedback is None:
        return replies.switched_off()
    if last is None or not last.wants_feedback or last.question_id is None:
        return replies.nothing_to_rate()
    verdict = await feedback.vote(request, last.question_id, vote)
    if vote == DOWN and note and verdict.counted:
        return await feedback.comment(request, last.question_id, note)
    return verdict.reply
