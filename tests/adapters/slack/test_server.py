"""HTTP mode's front door: request signatures, timestamps, URL verification and /healthz."""

from __future__ import annotations

import asyncio
import json
import logging
import time

import pytest

from tests.adapters.slack import payloads
from tests.adapters.slack.harness import SlackHarness, signed_headers


async def assert_nothing_was_answered(slack: SlackHarness) -> None:
    await slack.settle()
    assert slack.posted() == []
    assert slack.fake.sent("response_url") == []


async def test_a_correctly_signed_request_is_accepted(slack: SlackHarness) -> None:
    answer = await slack.post_form(payloads.command("salary"))
    assert answer.status == 200
    assert answer.json()["blocks"]


@pytest.mark.parametrize(
    "signing",
    [
        {"secret": "f" * 32},  # signed with another app's secret
        {"timestamp": -6 * 60},  # older than five minutes (a replay)
        {"timestamp": 6 * 60},  # from the future
    ],
)
async def test_bad_signature_or_stale_timestamp_gets_401_and_reaches_no_handler(
    slack: SlackHarness, signing: dict[str, object]
) -> None:
    # The timestamps are offsets from now, taken when the test runs: taken at collection, a
    # long suite had the "future" one come within five minutes of now before it ran.
    if "timestamp" in signing:
        signing = {"timestamp": int(time.time()) + int(str(signing["timestamp"]))}
    command = await slack.post_form(payloads.command("salary"), **signing)
    event = await slack.post_json(payloads.load("app_mention"), **signing)
    assert (command.status, event.status) == (401, 401)
    assert "Salary" not in command.body
    await assert_nothing_was_answered(slack)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": "v0=abc"},
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=abc"},
    ],
)
async def test_unsigned_or_garbled_requests_get_401(
    slack: SlackHarness, headers: dict[str, str]
) -> None:
    assert slack._http is not None
    assert slack.runner is not None
    url = f"http://127.0.0.1:{slack.runner.http_port}/slack/events"
    body = json.dumps(payloads.load("app_mention"))
    async with slack._http.post(url, data=body, headers=headers) as response:
        assert response.status == 401
    await assert_nothing_was_answered(slack)


async def test_slacks_unsigned_ssl_check_is_answered_200_and_reaches_no_handler(
    slack: SlackHarness,
) -> None:
    assert slack._http is not None
    assert slack.runner is not None
    url = f"http://127.0.0.1:{slack.runner.http_port}/slack/events"
    form = {"ssl_check": "1", "token": "verification-token-unused"}
    async with slack._http.post(url, data=form) as response:
        assert response.status == 200
    not_a_check = {"ssl_check": "0", "token": "t", "command": "/mlcareer", "text": "salary"}
    async with slack._http.post(url, data=not_a_check) as response:
        assert response.status == 401
    await assert_nothing_was_answered(slack)


async def test_url_verification_challenge_is_answered(slack: SlackHarness) -> None:
    answer = await slack.post_json(
        {"type": "url_verification", "challenge": "abc123", "token": "t"}
    )
    assert answer.status == 200
    assert answer.json() == {"challenge": "abc123"}


async def test_healthz_says_ok(slack: SlackHarness) -> None:
    assert slack._http is not None
    assert slack.runner is not None
    url = f"http://127.0.0.1:{slack.runner.http_port}/healthz"
    async with slack._http.get(url) as response:
        assert response.status == 200
        assert await response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("[]", "application/json"),
        ("{x", "application/json"),
        ("payload=junk", "application/x-www-form-urlencoded"),
    ],
)
async def test_a_signed_body_bolt_cannot_parse_gets_400_and_one_quiet_log_line(
    slack: SlackHarness, body: str, content_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        answers = [await slack.post(body, content_type) for _ in range(3)]
    assert [answer.status for answer in answers] == [400, 400, 400]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert not [r for r in caplog.records if r.exc_info]
    refusals = [r for r in caplog.records if "refused a request" in r.getMessage()]
    assert len(refusals) == 1
    await assert_nothing_was_answered(slack)


async def test_a_body_that_is_not_utf8_gets_400(slack: SlackHarness) -> None:
    assert slack._http is not None
    assert slack.runner is not None
    url = f"http://127.0.0.1:{slack.runner.http_port}/slack/events"
    headers = signed_headers("", "application/json")  # a claimed signature; never checked
    async with slack._http.post(url, data=b"\xff\xfe{", headers=headers) as response:
        assert response.status == 400
    await assert_nothing_was_answered(slack)


async def test_an_oversized_signed_request_is_refused_before_its_body_is_sent(
    slack: SlackHarness,
) -> None:
    assert slack.runner is not None
    reader, writer = await asyncio.open_connection("127.0.0.1", slack.runner.http_port)
    headers = signed_headers("x", "application/json")
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    writer.write(
        (
            "POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"{head}Content-Length: {5 * 1024 * 1024}\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    # Not one byte of the 5 MB body is sent: the answer must come from the headers alone.
    status_line = await asyncio.wait_for(reader.readline(), 5)
    writer.close()
    assert status_line.split()[1] == b"413"


async def test_an_unsigned_large_body_gets_401(slack: SlackHarness) -> None:
    assert slack._http is not None
    assert slack.runner is not None
    url = f"http://127.0.0.1:{slack.runner.http_port}/slack/events"
    async with slack._http.post(url, data=b"x" * (5 * 1024 * 1024)) as response:
        assert response.status == 401
    await assert_nothing_was_answered(slack)
