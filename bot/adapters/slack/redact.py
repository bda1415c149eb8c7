"""Keep Slack tokens out of the log even where an SDK logs a response body.

At DEBUG level slack_sdk logs every response it receives, and oauth.v2.access answers with
the new workspace's bot token in its body; bolt's OAuth flow may log what it was given. This
filter, on the loggers handed to them, masks anything shaped like a Slack token before the
record is written anywhere.
"""

from __future__ import annotations

import logging
import re

# Slack's token shapes: xoxb- (bot), xoxp- (user), xoxe- (refresh), xoxa-/xoxr-, xapp- (app).
_TOKEN = re.compile(r"\b(xox[a-z]|xapp)-[A-Za-z0-9-]+")


class RedactTokens(logging.Filter):
    """Rewrites a record whose message holds a token, with each token masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _TOKEN.search(message):
            record.msg = _TOKEN.sub(lambda match: f"{match.group(1)}-(redacted)", message)
            record.args = None
        return True


REDACT_TOKENS = RedactTokens()


def redact(logger: logging.Logger) -> logging.Logger:
    """``logger`` with the filter on (adding it twice is a no-op)."""
    logger.addFilter(REDACT_TOKENS)
    return logger
