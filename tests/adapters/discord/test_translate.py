"""The translators on golden payloads: Discord JSON in, router text and request facts out."""

from __future__ import annotations

import pytest

from bot.adapters.discord.translate import (
    button_topic,
    command_text,
    focused_value,
    grants_admin,
    strip_mentions,
)
from tests.adapters.discord import fake_discord as fake
from tests.adapters.discord.events import fixture


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("command_skills", "skills"),
        ("command_ask", "do I need a degree?"),
        ("command_tip_topic", "tip salary"),
        ("command_dm_help", "help"),
        # Options arrive in any order; the router gets time, timezone, days.
        ("command_tips_on", "tips on 09:00 Europe/Berlin weekdays"),
    ],
)
def test_command_text_is_the_routers_text_form(name: str, text: str) -> None:
    assert command_text(fixture(name)["data"]) == text


def test_tips_subcommands_without_options() -> None:
    for action in ("off", "status", "now"):
        data = {
            "name": "mlcareer",
            "options": [
                {"name": "tips", "type": 2, "options": [{"name": action, "type": 1, "options": []}]}
            ],
        }
        assert command_text(data) == f"tips {action}"


def test_an_option_value_with_spaces_stays_one_word() -> None:
    data = fixture("command_tips_on")["data"]
    data["options"][0]["options"][0]["options"][1]["value"] = " 9 : 30 "
    assert command_text(data) == "tips on 9:30 Europe/Berlin weekdays"


def test_tip_without_topic_and_unknown_shapes() -> None:
    assert command_text({"name": "mlcareer", "options": [{"name": "tip", "type": 1}]}) == "tip"
    assert command_text({"name": "mlcareer"}) == ""  # the router answers empty text with help


def test_focused_value_is_what_the_user_has_typed() -> None:
    assert focused_value(fixture("autocomplete_ask")["data"]) == "salry"
    assert focused_value(fixture("command_skills")["data"]) == ""


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("message_mention", "what skills do I need?"),
        ("message_mention_nickname", "hey , how much do ML engineers earn?"),
    ],
)
def test_strip_mentions_removes_both_mention_forms(name: str, text: str) -> None:
    assert strip_mentions(fixture(name)["content"], int(fake.BOT_ID)) == text


def test_strip_mentions_removes_the_bots_role_but_not_other_people() -> None:
    content = fixture("message_role_mention")["content"] + f" cc <@{fake.USER_ID}>"
    stripped = strip_mentions(content, int(fake.BOT_ID), [int(fake.BOT_ROLE_ID)])
    assert stripped == f"do I need a degree? cc <@{fake.USER_ID}>"


def test_manage_channels_or_administrator_makes_an_admin() -> None:
    assert grants_admin(int(fixture("command_tips_on")["member"]["permissions"]))
    assert not grants_admin(int(fixture("command_skills")["member"]["permissions"]))
    assert grants_admin(1 << 3)


def test_button_topic_reads_the_custom_id() -> None:
    assert button_topic(fixture("button_topic")["data"]["custom_id"]) == (
        "skills/programming-languages"
    )
    assert button_topic("mlcareer:share") is None
    assert button_topic("mlcareer:topic:") is None
