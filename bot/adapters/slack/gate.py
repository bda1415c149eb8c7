"""HTTP mode's front door: what can be refused before bolt sees a request, and how.

Anyone can POST to a public ``/slack/events``. Whatever can be refused from the headers alone
is refused before the body is read (no signature, a stale timestamp, a body larger than any
payload Slack sends), so junk costs neither memory nor a traceback; a body is read only when
the request claims a signature, and bolt sees it only once the signature is right and the body
is the shape bolt parses. Refusals are logged, but at most one line a minute, so a flood of
junk cannot flood the log either.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

# Slack signs requests with a timestamp and refuses replays older than five minutes.
MAX_AGE_SECONDS = 5 * 60
# aiohttp's own default body limit; Slack's largest payloads (a 50-block message in a
# block_actions payload) are a fraction of it.
MAX_BODY_BYTES = 1024 * 1024
# How often a refusal may be logged at most.
LOG_EVERY_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Refusal:
    """An HTTP status to answer with and the reason to log."""

    status: int
    reason: str


def refuse_unread(
    headers: Mapping[str, str], content_length: int | None, now: float
) -> Refusal | None:
    """The refusal a request earns from its headers alone, or None to read its body."""
    stamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not stamp.isdigit() or not signature.startswith("v0="):
        return Refusal(401, "no Slack signature")
    if abs(now - int(stamp)) > MAX_AGE_SECONDS:
        return Refusal(401, "a stale or future timestamp")
    if content_length is None:
        return Refusal(411, "no Content-Length")
    if content_length > MAX_BODY_BYTES:
        return Refusal(413, f"a body over {MAX_BODY_BYTES} bytes")
    return None


def refuse_read(
    body: bytes, headers: Mapping[str, str], verifier: SignatureVerifier | None
) -> Refusal | None:
    """The refusal a read body earns: a wrong signature, or a shape bolt cannot parse.

    Slack's payloads are UTF-8, and the SDK's verifier cannot even check a body that is not,
    so such a body is refused before the signature is.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return Refusal(400, "a body that is not UTF-8")
    if verifier is not None and not verifier.is_valid(
        text, headers.get("X-Slack-Request-Timestamp"), headers.get("X-Slack-Signature")
    ):
        return Refusal(401, "a wrong signature")
    if not parses(text, headers.get("Content-Type", "")):
        return Refusal(400, "a body that is not a Slack payload")
    return None


def parses(text: str, content_type: str) -> bool:
    """True when bolt can parse ``text``: a JSON object, or a form whose ``payload`` (if
    any) is a JSON object."""
    try:
        if content_type.startswith("application/json"):
            return isinstance(json.loads(text), dict)
        form = parse_qs(text)
        payload = form.get("payload")
        return payload is None or isinstance(json.loads(payload[0]), dict)
    except ValueError:
        return False


def is_ssl_check(body: bytes) -> bool:
    """True for Slack's unsigned certificate check (``ssl_check=1&token=...``), which bolt
    answers 200 too; refusing it makes the app look broken in Slack's settings."""
    return parse_qs(body.decode("utf-8", "replace")).get("ssl_check") == ["1"]


@dataclass
class QuietLog:
    """Logs refusals at most once per ``every`` seconds, with how many it kept quiet."""

    log: logging.Logger
    clock: Callable[[], float]
    every: float = LOG_EVERY_SECONDS
    _last: float | None = field(default=None, init=False)
    _quiet: int = field(default=0, init=False)

    def refused(self, refusal: Refusal) -> None:
        """Note one refusal; log it if the last line is old enough."""
        now = self.clock()
        if self._last is not None and now - self._last < self.every:
            self._quiet += 1
            return
        also = f" (and {self._quiet} more since the last line)" if self._quiet else ""
        self.log.info(
            "refused a request to /slack/events with %d: %s%s", refusal.status, refusal.reason, also
        )
        self._last, self._quiet = now, 0
