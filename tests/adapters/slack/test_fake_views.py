"""The fake Slack's views.publish and views.open refuse what Slack refuses, so the Home tab
and modal tests would fail on a view Slack would not show."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from tests.adapters.slack.fake_slack import BOT_TOKEN, FakeSlack


@pytest.fixture
def client(fake: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url)


def section(text: str = "hi", **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(action_id: str) -> dict[str, Any]:
    text = {"type": "plain_text", "text": "Go"}
    return {
        "type": "actions",
        "elements": [{"type": "button", "action_id": action_id, "text": text}],
    }


def modal(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Daily tips"},
        "blocks": list(blocks),
    }


async def error_of(call: Any) -> str:
    with pytest.raises(SlackApiError) as raised:
        await call
    return str(raised.value.response["error"])


async def test_a_good_home_view_is_published_for_that_user(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    view = {"type": "home", "blocks": [section(), {"type": "divider"}, button("a")]}
    await client.views_publish(user_id="U1", view=view)
    assert fake.home_views == {"U1": view}
    assert fake.rejected == []


@pytest.mark.parametrize(
    "view",
    [
        {"type": "home", "blocks": [section()] * 101},
        {"type": "home", "title": {"type": "plain_text", "text": "Home"}, "blocks": [section()]},
        {"type": "home", "submit": {"type": "plain_text", "text": "Save"}, "blocks": [section()]},
        {"type": "home", "blocks": [section(block_id="b" * 256)]},
        {"type": "home", "blocks": [button("a" * 256)]},
        {"type": "home", "blocks": [button("same"), button("same")]},
        {"type": "home", "blocks": [{"type": "image", "image_url": "x", "alt_text": "y"}]},
        modal(section()),  # views.publish takes Home views only
    ],
    ids=[
        "101 blocks",
        "title",
        "submit",
        "long block_id",
        "long action_id",
        "repeated",
        "unknown block",
        "modal",
    ],
)
async def test_views_publish_refuses_what_slack_refuses(
    fake: FakeSlack, client: AsyncWebClient, view: dict[str, Any]
) -> None:
    assert await error_of(client.views_publish(user_id="U1", view=view)) == "invalid_arguments"
    assert fake.home_views == {}
    fake.rejected.clear()


async def test_views_open_takes_a_fresh_trigger_once(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    trigger = fake.new_trigger()
    await client.views_open(trigger_id=trigger, view=modal(section()))
    assert len(fake.modals) == 1
    again = client.views_open(trigger_id=trigger, view=modal(section()))
    assert await error_of(again) == "expired_trigger_id"
    stale = client.views_open(trigger_id=fake.new_trigger(age=4), view=modal(section()))
    assert await error_of(stale) == "expired_trigger_id"
    unknown = client.views_open(trigger_id="1.2.3", view=modal(section()))
    assert await error_of(unknown) == "invalid_trigger_id"
    assert len(fake.modals) == 1


@pytest.mark.parametrize(
    "view",
    [
        {"type": "modal", "blocks": [section()]},  # no title
        {**modal(section()), "title": {"type": "plain_text", "text": "t" * 25}},
        modal(
            {
                "type": "input",
                "block_id": "x",
                "label": {"type": "plain_text", "text": "X"},
                "element": {"type": "plain_text_input", "action_id": "x"},
            }
        ),  # input, no submit
        modal(*[section()] * 101),
        {**modal(section()), "private_metadata": "m" * 3001},
    ],
    ids=["no title", "long title", "no submit", "101 blocks", "long metadata"],
)
async def test_views_open_refuses_a_bad_modal(
    fake: FakeSlack, client: AsyncWebClient, view: dict[str, Any]
) -> None:
    opened = client.views_open(trigger_id=fake.new_trigger(), view=view)
    assert await error_of(opened) == "invalid_arguments"
    assert fake.modals == []
    fake.rejected.clear()


async def test_an_initial_option_must_be_one_of_the_options(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    option = {"text": {"type": "plain_text", "text": "09:00"}, "value": "09:00"}
    other = {"text": {"type": "plain_text", "text": "10:00"}, "value": "10:00"}
    select = {
        "type": "static_select",
        "action_id": "t",
        "options": [option],
        "initial_option": other,
    }
    view = {**modal(), "submit": {"type": "plain_text", "text": "Save"}}
    view["blocks"] = [
        {
            "type": "input",
            "block_id": "t",
            "label": {"type": "plain_text", "text": "T"},
            "element": select,
        }
    ]
    opened = client.views_open(trigger_id=fake.new_trigger(), view=view)
    assert await error_of(opened) == "invalid_arguments"
    fake.rejected.clear()
