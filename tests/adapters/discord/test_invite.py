"""The invite link and ``mlcareer discord invite``."""

from __future__ import annotations

import sys
from urllib.parse import parse_qs, urlparse

import pytest

from bot.adapters.discord.config import application_id_from_token
from bot.adapters.discord.invite import (
    PERMISSIONS,
    invite_url,
    permissions_value,
    user_install_url,
)
from bot.cli import main
from tests.adapters.discord import fake_discord as fake

ADMINISTRATOR = 1 << 3


def test_the_link_asks_for_both_scopes_and_only_the_listed_permissions() -> None:
    url = urlparse(invite_url(123456789012345678))
    query = parse_qs(url.query)
    assert url.netloc == "discord.com"
    assert query["client_id"] == ["123456789012345678"]
    assert query["scope"] == ["bot applications.commands"]
    value = int(query["permissions"][0])
    assert value == permissions_value() == sum(p.bit for p in PERMISSIONS)
    assert not value & ADMINISTRATOR
    assert all(p.why for p in PERMISSIONS)


def test_a_guild_id_preselects_the_server() -> None:
    query = parse_qs(urlparse(invite_url(123456789012345678, 987654321098765432)).query)
    assert query["guild_id"] == ["987654321098765432"]


def test_the_user_install_link_adds_only_the_commands_to_an_account() -> None:
    query = parse_qs(urlparse(user_install_url(123456789012345678)).query)
    assert query == {
        "client_id": ["123456789012345678"],
        "integration_type": ["1"],
        "scope": ["applications.commands"],
    }


def test_the_application_id_can_come_from_the_token() -> None:
    assert application_id_from_token(fake.TOKEN) == int(fake.BOT_ID)
    assert application_id_from_token("!!!.x.y") is None


def run_cli(args: list[str], monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> int:
    for name in ("DISCORD_TOKEN", "DISCORD_APPLICATION_ID"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return main(["--env-file", "/dev/null", *args])


def test_cli_prints_the_link_and_what_each_permission_is_for(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run_cli(["discord", "invite"], monkeypatch, {"DISCORD_TOKEN": fake.TOKEN})
    out, err = capsys.readouterr()
    assert status == 0
    assert out.strip() == invite_url(int(fake.BOT_ID))
    assert all(p.name in err for p in PERMISSIONS)
    assert user_install_url(int(fake.BOT_ID)) in err
    assert fake.TOKEN not in out + err


def test_cli_without_any_id_says_what_to_set(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run_cli(["discord", "invite"], monkeypatch, {})
    assert status == 2
    assert "DISCORD_APPLICATION_ID" in capsys.readouterr().err


def test_the_terminal_commands_do_not_import_discord() -> None:
    """``chat``, ``ask`` and ``kb`` stay light: building the CLI must not load discord.py."""
    import subprocess

    code = "import sys, bot.cli; bot.cli.build_parser(); print('discord' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
