"""Time-zone names: case-insensitive lookup and suggestions for near misses."""

from __future__ import annotations

import pytest

from bot.tips.zones import canonical_zone, load_zone, suggest_zones, zone_names


def test_zones_exist_on_any_machine() -> None:
    """tzdata provides the zone database even where the OS has none."""
    assert "Europe/Berlin" in zone_names().values()
    assert load_zone("America/New_York") is not None
    assert "localtime" not in zone_names()


@pytest.mark.parametrize(
    ("typed", "name"),
    [("europe/berlin", "Europe/Berlin"), ("UTC", "UTC"), ("america/new york", "America/New_York")],
)
def test_canonical_names_ignore_case(typed: str, name: str) -> None:
    assert canonical_zone(typed) == name


@pytest.mark.parametrize("name", ["Europe", "", "../etc/passwd", "Not/AZone"])
def test_load_zone_refuses_non_zones(name: str) -> None:
    assert load_zone(name) is None


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("Europe/Berln", "Europe/Berlin"),
        ("Amrica/New_York", "America/New_York"),
        ("tokio", "Asia/Tokyo"),
        ("kolkata", "Asia/Kolkata"),
        ("Sao Paulo", "America/Sao_Paulo"),
    ],
)
def test_suggestions_for_near_misses(typed: str, first: str) -> None:
    assert suggest_zones(typed)[0] == first


def test_no_suggestion_for_nonsense() -> None:
    assert suggest_zones("xyzzy") == []
