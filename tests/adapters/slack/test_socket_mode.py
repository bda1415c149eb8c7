"""The same app driven through a Socket Mode websocket on 127.0.0.1."""

from __future__ import annotations

from tests.adapters.slack import payloads
from tests.adapters.slack.harness import SlackHarness


async def test_socket_mode_connects_with_the_app_token(socket_slack: SlackHarness) -> None:
    [opened] = socket_slack.fake.calls_to("apps.connections.open")
    assert opened.token == "xapp-test-token"


async def test_slash_command_is_answered_in_the_envelope_acknowledgement(
    socket_slack: SlackHarness,
) -> None:
    [sent] = await socket_slack.command_messages("salary")
    assert sent.via == "socket_ack"
    assert sent.payload["response_type"] == "ephemeral"
    assert sent.payload["blocks"][0]["type"] == "header"


async def test_empty_command_shows_help_over_the_socket(socket_slack: SlackHarness) -> None:
    [text] = await socket_slack.command("")
    assert text.startswith("mlcareer: career advice")


async def test_mention_is_answered_in_thread(socket_slack: SlackHarness) -> None:
    [sent] = await socket_slack.event_messages(payloads.load("app_mention"))
    assert (sent.channel, sent.thread_ts) == ("C0GENERAL", "1700000100.000100")


async def test_first_delivery_with_retry_attempt_zero_is_answered_and_a_redelivery_is_not(
    socket_slack: SlackHarness,
) -> None:
    body = payloads.load("message_im")
    await socket_slack.event_messages(body)  # carries retry_attempt 0, like Slack's first try
    await socket_slack.deliver_event(body, retry=1)
    await socket_slack.settle()
    assert len(socket_slack.posted()) == 1


async def test_button_click_arrives_as_an_interactive_envelope(socket_slack: SlackHarness) -> None:
    body = payloads.action(
        "block_actions_topic", value="salary", response_url=socket_slack.fake.response_url("x")
    )
    await socket_slack.click(body)
    await socket_slack.fake.wait_until(lambda: bool(socket_slack.fake.sent("response_url")))
    assert socket_slack.fake.sent("response_url")[0].text.startswith("Salary")
