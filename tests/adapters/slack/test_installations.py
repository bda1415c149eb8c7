"""The installation stores' contract, on SQLite and PostgreSQL (``db_url``): installations
keyed per workspace and per organisation, one-time expiring states, channels' teams; and
slack_sdk's installation and state store interfaces on top of them, tokens encrypted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.oauth.installation_store.models.installation import Installation

from bot.adapters.slack.installations import (
    InstalledBot,
    SqlInstallations,
    TeamKey,
    open_database,
)
from bot.adapters.slack.oauth_stores import InstallationStore, StateStore
from bot.adapters.slack.token_box import TokenBox, new_key
from bot.errors import SettingsError, StorageError
from bot.settings import Secret
from bot.tips.testing import FakeClock

NOW = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)
TEAM = TeamKey("", "T1")
GRID_TEAM = TeamKey("E1", "T2")
ORG = TeamKey("E1", "")
TOKEN = "xoxb-1-plain-token"


async def store_at(url: str) -> SqlInstallations:
    return SqlInstallations(await open_database(url))


def bot(team: TeamKey = TEAM, **changes: object) -> InstalledBot:
    values: dict[str, object] = {
        "team": team,
        "bot_user_id": "UB1",
        "bot_id": "BB1",
        "sealed_token": "sealed-1",
        "scopes": "chat:write,commands",
        "team_name": "One",
        "installed_at": NOW,
    }
    values.update(changes)
    return InstalledBot(**values)  # type: ignore[arg-type]


async def test_installations_round_trip_replace_and_delete(db_url: str) -> None:
    store = await store_at(db_url)
    try:
        assert await store.find_bot(TEAM) is None
        assert await store.any_bot() is None
        await store.save_bot(bot())
        await store.save_bot(bot(ORG, bot_user_id="UORG"))
        assert await store.find_bot(TEAM) == bot()
        found = await store.find_bot(ORG)
        assert found is not None
        assert found.is_enterprise_install
        assert found.bot_user_id == "UORG"
        assert await store.find_bot(GRID_TEAM) is None  # a workspace of the org is not the org
        await store.save_bot(bot(sealed_token="sealed-2"))  # a reinstall replaces
        again = await store.find_bot(TEAM)
        assert again is not None
        assert again.sealed_token == "sealed-2"
        assert await store.delete_bot(TEAM) is True
        assert await store.delete_bot(TEAM) is False
        assert await store.find_bot(TEAM) is None
        assert await store.find_bot(ORG) is not None
    finally:
        await store.close()


async def test_a_state_is_accepted_once_and_never_after_it_expires(db_url: str) -> None:
    store = await store_at(db_url)
    try:
        await store.issue("s1", NOW + timedelta(minutes=10))
        await store.issue("s2", NOW + timedelta(minutes=10))
        assert await store.consume("s1", NOW) is True
        assert await store.consume("s1", NOW) is False  # replayed
        assert await store.consume("unknown", NOW) is False
        assert await store.consume("s2", NOW + timedelta(minutes=11)) is False  # expired
    finally:
        await store.close()


async def test_channels_are_remembered_per_team_and_per_organisation(db_url: str) -> None:
    store = await store_at(db_url)
    try:
        await store.remember(TEAM, "C1", NOW)
        await store.remember(TEAM, "C1", NOW + timedelta(seconds=1))  # once only
        await store.remember(GRID_TEAM, "C2", NOW)
        await store.remember(TeamKey("E1", "T3"), "C3", NOW)
        await store.remember(GRID_TEAM, "CSHARED", NOW)
        await store.remember(TEAM, "CSHARED", NOW + timedelta(seconds=5))
        assert await store.channels(TEAM) == ["C1", "CSHARED"]
        assert await store.channels(GRID_TEAM) == ["C2", "CSHARED"]
        assert await store.channels(ORG) == ["C2", "C3", "CSHARED"]
        assert await store.teams_of("CSHARED") == [TEAM, GRID_TEAM]  # latest first
        assert await store.teams_of("nowhere") == []
    finally:
        await store.close()


def box() -> TokenBox:
    return TokenBox(Secret(new_key()))


async def test_the_sdk_store_saves_tokens_encrypted_and_finds_them_per_team(db_url: str) -> None:
    store = await store_at(db_url)
    sdk = InstallationStore(store, box(), FakeClock(NOW))
    try:
        await sdk.async_save(
            Installation(
                app_id="A1",
                team_id="T1",
                team_name="One",
                bot_token=TOKEN,
                bot_id="BB1",
                bot_user_id="UB1",
                bot_scopes="chat:write,commands",
                user_id="UINSTALLER",
                installed_at=NOW.timestamp(),
            )
        )
        stored = await store.find_bot(TEAM)
        assert stored is not None
        assert TOKEN not in stored.sealed_token
        assert stored.sealed_token
        found = await sdk.async_find_bot(enterprise_id=None, team_id="T1")
        assert found is not None
        assert found.bot_token == TOKEN
        assert found.bot_user_id == "UB1"
        assert found.bot_scopes == ["chat:write", "commands"]
        installation = await sdk.async_find_installation(enterprise_id=None, team_id="T1")
        assert installation is not None
        assert installation.bot_token == TOKEN
        assert await sdk.async_find_bot(enterprise_id=None, team_id="T9") is None
        await sdk.async_delete_installation(enterprise_id=None, team_id="T1")
        assert await store.find_bot(TEAM) is None
    finally:
        await store.close()


async def test_the_sdk_store_keys_an_org_wide_install_by_its_organisation(db_url: str) -> None:
    store = await store_at(db_url)
    sdk = InstallationStore(store, box(), FakeClock(NOW))
    try:
        await sdk.async_save(
            Installation(
                enterprise_id="E1",
                team_id=None,
                bot_token=TOKEN,
                bot_id="BB1",
                bot_user_id="UB1",
                user_id="UINSTALLER",
                is_enterprise_install=True,
            )
        )
        # Requests from any workspace of the organisation find the org's bot.
        found = await sdk.async_find_bot(
            enterprise_id="E1", team_id="T7", is_enterprise_install=True
        )
        assert found is not None
        assert found.bot_token == TOKEN
        assert found.is_enterprise_install
        assert await sdk.async_find_bot(enterprise_id="E1", team_id="T7") is None
    finally:
        await store.close()


async def test_states_from_the_sdk_store_are_random_one_time_and_expire(db_url: str) -> None:
    store = await store_at(db_url)
    clock = FakeClock(NOW)
    states = StateStore(store, clock, expiration_seconds=60)
    try:
        first, second, third = [await states.async_issue() for _ in range(3)]
        assert len({first, second, third}) == 3
        assert len(first) >= 32
        assert await states.async_consume(first) is True
        assert await states.async_consume(first) is False
        clock.set(NOW + timedelta(seconds=30))
        assert await states.async_consume(second) is True
        clock.set(NOW + timedelta(seconds=61))
        assert await states.async_consume(third) is False
    finally:
        await store.close()


def test_a_token_sealed_under_one_key_is_refused_clearly_under_another() -> None:
    sealed = box().seal(TOKEN)
    with pytest.raises(StorageError) as caught:
        box().open(sealed)
    assert "MLCAREER_TOKEN_KEY" in str(caught.value)
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize("key", [None, "", "not-a-key", "x" * 44])
def test_a_missing_or_malformed_key_is_a_settings_error(key: str | None) -> None:
    with pytest.raises(SettingsError, match="MLCAREER_TOKEN_KEY"):
        TokenBox(Secret(key) if key is not None else None)
