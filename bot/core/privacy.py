"""Who asked, kept only as a keyed hash: the question log and the votes never store user ids.

A keyed hash (HMAC-SHA256) rather than a plain one, because Slack and Discord user ids are
few and guessable: without the key nobody can hash every id to find a person's rows, and
with it ``/mlcareer forget me`` finds them all.
"""

from __future__ import annotations

import hashlib
import hmac

from bot.core.request import Request


def user_hash(key: bytes, platform: str, user: str) -> str:
    """The person's stable pseudonym: hex HMAC-SHA256 of platform and user id.

    No workspace in it: Slack and Discord user ids are unique across their platform, so one
    person is one pseudonym in every server, workspace and DM, and ``forget me`` asked
    anywhere finds all of their rows."""
    message = "\x1f".join((platform, user)).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def person_of(key: bytes, request: Request) -> str:
    """The pseudonym of whoever made ``request``: the one name the question log and the
    votes know a person by."""
    return user_hash(key, request.platform, request.user)
