"""The front door's refusals, on headers and bodies, and the log that stays quiet."""

from __future__ import annotations

import logging
import time

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.adapters.slack import gate

NOW = 1_700_000_000.0
SECRET = "0123456789abcdef0123456789abcdef"


def headers(body: bytes = b"", stamp: int | None = None, **extra: str) -> dict[str, str]:
    """Headers signed as Slack signs them, at ``stamp`` (default: now, as the verifier wants)."""
    stamp = int(time.time()) if stamp is None else stamp
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=str(stamp), body=body)
    return {
        "X-Slack-Request-Timestamp": str(stamp),
        "X-Slack-Signature": signature or "",
        **extra,
    }


@pytest.mark.parametrize(
    ("changes", "length", "status"),
    [
        ({"X-Slack-Request-Timestamp": ""}, 10, 401),
        ({"X-Slack-Request-Timestamp": "yesterday"}, 10, 401),
        ({"X-Slack-Signature": ""}, 10, 401),
        ({"X-Slack-Signature": "sha1=abc"}, 10, 401),
        ({"X-Slack-Request-Timestamp": str(int(NOW) - 301)}, 10, 401),
        ({"X-Slack-Request-Timestamp": str(int(NOW) + 301)}, 10, 401),
        ({}, None, 411),
        ({}, gate.MAX_BODY_BYTES + 1, 413),
    ],
)
def test_requests_refused_from_their_headers_alone(
    changes: dict[str, str], length: int | None, status: int
) -> None:
    refusal = gate.refuse_unread({**headers(stamp=int(NOW)), **changes}, length, NOW)
    assert refusal is not None
    assert refusal.status == status


def test_a_signed_request_of_a_fitting_size_is_read() -> None:
    assert gate.refuse_unread(headers(stamp=int(NOW)), gate.MAX_BODY_BYTES, NOW) is None


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"[]", "application/json"),
        (b"{x", "application/json"),
        (b"payload=junk", "application/x-www-form-urlencoded"),
        (b"payload=%5B1%5D", "application/x-www-form-urlencoded"),
    ],
)
def test_a_correctly_signed_body_bolt_cannot_parse_gets_400(body: bytes, content_type: str) -> None:
    signed = headers(body, **{"Content-Type": content_type})
    refusal = gate.refuse_read(body, signed, SignatureVerifier(SECRET))
    assert refusal == gate.Refusal(400, "a body that is not a Slack payload")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"type": "event_callback"}', "application/json"),
        (b"command=%2Fmlcareer&text=skills", "application/x-www-form-urlencoded"),
        (b"payload=%7B%22type%22%3A%22block_actions%22%7D", "application/x-www-form-urlencoded"),
    ],
)
def test_slack_shaped_bodies_pass(body: bytes, content_type: str) -> None:
    signed = headers(body, **{"Content-Type": content_type})
    assert gate.refuse_read(body, signed, SignatureVerifier(SECRET)) is None


@pytest.mark.parametrize("body", [b"\xff\xfe\x00junk", b"\xff=\xfe", b"payload=\xc3"])
def test_a_body_that_is_not_utf8_gets_400_unparsed(body: bytes) -> None:
    refusal = gate.refuse_read(body, headers(), SignatureVerifier(SECRET))
    assert refusal == gate.Refusal(400, "a body that is not UTF-8")


def test_a_wrong_signature_gets_401_before_the_body_is_parsed() -> None:
    signed = headers(b"other body", **{"Content-Type": "application/json"})
    refusal = gate.refuse_read(b"{x", signed, SignatureVerifier(SECRET))
    assert refusal is not None
    assert refusal.status == 401


def test_ssl_check_is_recognised_and_nothing_else_is() -> None:
    assert gate.is_ssl_check(b"ssl_check=1&token=abc")
    assert not gate.is_ssl_check(b"ssl_check=0&token=abc")
    assert not gate.is_ssl_check(b"\xff\xfe")


def test_refusals_are_logged_at_most_once_a_minute_with_a_count(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [0.0]
    quiet = gate.QuietLog(logging.getLogger("test.gate"), lambda: now[0])
    with caplog.at_level(logging.INFO, logger="test.gate"):
        for second in range(130):
            now[0] = float(second)
            quiet.refused(gate.Refusal(401, "no Slack signature"))
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 3  # at 0 s, 60 s and 120 s
    assert "59 more" in lines[1]
