"""Reading ``tips on`` arguments as people type them, and kind messages when we can't."""

from __future__ import annotations

from datetime import time

import pytest

from bot.tips.models import Days
from bot.tips.parsing import OnArgs, TipsInputError, parse_on, parse_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:00", time(9, 0)),
        ("09:00", time(9, 0)),
        ("9", time(9, 0)),
        ("21:30", time(21, 30)),
        ("9.30", time(9, 30)),
        ("9h30", time(9, 30)),
        ("9am", time(9, 0)),
        ("9AM", time(9, 0)),
        ("9:30pm", time(21, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("12:15a.m.", time(0, 15)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
    ],
)
def test_times(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "9:60", "13pm", "0am", "9:5", "9:000", "nine", "24:00"])
def test_bad_times_explain_the_format(text: str) -> None:
    with pytest.raises(TipsInputError, match="24-hour clock") as caught:
        parse_time(text)
    assert text in caught.value.message


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("", OnArgs()),
        ("9:00", OnArgs(time(9, 0))),
        ("9am europe/berlin", OnArgs(time(9, 0), "Europe/Berlin")),
        ("EUROPE/BERLIN 21:30 weekdays", OnArgs(time(21, 30), "Europe/Berlin", Days.WEEKDAYS)),
        ("weekdays", OnArgs(days=Days.WEEKDAYS)),
        ("Daily 7:45 UTC", OnArgs(time(7, 45), "UTC", Days.DAILY)),
        ("9 pm America/New York", OnArgs(time(21, 0), "America/New_York")),
        ("asia/kolkata", OnArgs(zone="Asia/Kolkata")),
        ("8:00 weekday weekdays", OnArgs(time(8, 0), days=Days.WEEKDAYS)),
    ],
)
def test_on_arguments_in_any_order_and_case(args: str, expected: OnArgs) -> None:
    assert parse_on(args) == expected


def test_a_misspelt_zone_gets_a_did_you_mean_with_the_fixed_command() -> None:
    with pytest.raises(TipsInputError) as caught:
        parse_on("9:00 Europe/Berln weekdays")
    assert "Did you mean Europe/Berlin" in caught.value.message
    assert caught.value.fixes[0] == "on 9:00 Europe/Berlin weekdays"


def test_a_city_alone_suggests_its_zone() -> None:
    with pytest.raises(TipsInputError, match="Did you mean Europe/Paris"):
        parse_on("8am paris")


def test_an_unknown_zone_without_a_near_name_shows_examples() -> None:
    with pytest.raises(TipsInputError, match="IANA") as caught:
        parse_on("9:00 Narnia/Cair_Paravel")
    assert caught.value.fixes == ()


def test_fixed_offsets_are_refused_with_the_reason() -> None:
    with pytest.raises(TipsInputError, match="daylight saving"):
        parse_on("9:00 UTC+2")


def test_a_misspelt_day_word_gets_a_did_you_mean() -> None:
    with pytest.raises(TipsInputError, match="weekdays") as caught:
        parse_on("9:00 weekdayz")
    assert caught.value.fixes == ("on 9:00 weekdays",)


@pytest.mark.parametrize(
    ("args", "words"),
    [("9:00 10:00", "two times"), ("daily weekdays", "not both"), ("9:00 25:00", "two times")],
)
def test_contradictions_are_explained(args: str, words: str) -> None:
    with pytest.raises(TipsInputError, match=words):
        parse_on(args)
