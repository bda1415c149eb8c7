"""What a voter reads after a vote or a note: short, polite, and never their note echoed back."""

from __future__ import annotations

from bot.core.reply import Reply, ReplyKind
from bot.feedback.comments import COMMENT_LIMIT
from bot.feedback.ports import UP, VoteOutcome

THUMBS = {UP: "\N{THUMBS UP SIGN}", -1: "\N{THUMBS DOWN SIGN}"}
TITLE = "Feedback"


def _notice(text: str) -> Reply:
    return Reply(kind=ReplyKind.NOTICE, title=TITLE, body=text)


def voted(outcome: VoteOutcome, vote: int) -> Reply:
    """The answer to a vote that reached the store."""
    thumb = THUMBS[vote]
    if outcome is VoteOutcome.UNKNOWN:
        return unknown_question()
    if outcome is VoteOutcome.SAME:
        return _notice(f"Your {thumb} on this answer was already counted; it still counts once.")
    if outcome is VoteOutcome.CHANGED:
        return _notice(f"Vote changed to {thumb}. Thanks for telling us.")
    if vote == UP:
        return _notice(f"Thanks for the {thumb}! Only you can see this.")
    return _notice(f"Thanks for the {thumb}. It shows us where the answers fall short.")


def form_unavailable(reply: Reply) -> Reply:
    """``reply`` to a counted 👎 whose note form could not be shown (an expired trigger)."""
    return Reply(
        kind=reply.kind,
        title=reply.title,
        body=f"{reply.body} (The note form couldn't open in time; the vote stands.)",
    )


def commented(outcome: VoteOutcome, *, cut: bool) -> Reply:
    """The answer to a note that reached the store."""
    if outcome is VoteOutcome.UNKNOWN:
        return unknown_question()
    if outcome is VoteOutcome.SAME:
        return _notice("That note was already saved; nothing changed.")
    shortened = f" It was cut to {COMMENT_LIMIT} characters." if cut else ""
    return _notice(f"Thanks, your note is saved with your vote.{shortened}")


def no_comment() -> Reply:
    """A note form sent empty: the vote stands, nothing else to do."""
    return _notice("Thanks, your vote is counted (no note added).")


def unknown_question() -> Reply:
    """A vote for an answer the question log doesn't hold (never logged, or already purged)."""
    return _notice(
        "That answer is no longer in the question log (answers are kept only for a while), "
        "so nothing was counted. Ask again to rate a fresh answer."
    )


def not_ours() -> Reply:
    """A button value the bot never made (malformed or forged)."""
    return _notice("That button isn't one this bot made, so nothing was counted.")


def not_saved() -> Reply:
    """The database failed: nothing was stored, and the voter may simply try again."""
    return Reply(
        kind=ReplyKind.ERROR,
        title="Sorry, something went wrong",
        body="Your feedback couldn't be saved just now. Please try again in a moment.",
    )


def switched_off() -> Reply:
    """Votes arrived but this bot keeps no feedback (no store or no key configured)."""
    return _notice("Feedback isn't switched on for this bot, so nothing was counted.")


def nothing_to_rate() -> Reply:
    """The terminal's ``/good`` or ``/bad`` with no rateable answer just above."""
    return _notice(
        "Nothing to rate yet: /good and /bad rate the answer just above, once you've asked "
        "a question."
    )
