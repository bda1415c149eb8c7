"""Where the state lives: read-only commands create nothing; run and send-due say where it is."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.commands.state import database_file, database_location

RunCli = Callable[..., subprocess.CompletedProcess[bytes]]


@pytest.mark.parametrize(
    ("argv", "stdin"),
    [
        (["ask", "what skills do I need"], b""),
        (["ask", "--json", "-"], b"salary\n"),
        (["chat"], b"tip\n/quit\n"),
        (["kb", "check"], b""),
        (["tips", "list"], b""),
        (["slack", "manifest"], b""),
    ],
)
def test_read_only_commands_create_no_database_and_no_folder(
    run_cli: RunCli, tmp_path: Path, argv: list[str], stdin: bytes
) -> None:
    home, data = tmp_path / "home", tmp_path / "xdg"
    home.mkdir()
    before = sorted(tmp_path.rglob("*"))
    result = run_cli(*argv, stdin=stdin, extra_env={"HOME": str(home), "XDG_DATA_HOME": str(data)})
    assert result.returncode == 0, result.stderr
    assert sorted(tmp_path.rglob("*")) == before
    assert not data.exists()


def test_run_logs_the_database_and_env_file_it_uses(run_cli: RunCli, tmp_path: Path) -> None:
    """Paths only: the .env's values and the token never appear."""
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-secret-value\n", encoding="utf-8")
    database = tmp_path / "state" / "tips.db"
    env = {"DATABASE_URL": f"sqlite:///{database}", "XDG_DATA_HOME": str(tmp_path / "xdg")}
    result = run_cli("run", "slack", extra_env=env)  # no app token, no signing secret: stops
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert f"database: {database} (DATABASE_URL)" in err
    assert f"settings: the environment and {tmp_path / '.env'}" in err
    assert "xoxb-secret-value" not in err
    assert not (tmp_path / "xdg").exists()  # DATABASE_URL elsewhere: no data folder made


def test_database_location_never_shows_a_password(tmp_path: Path) -> None:
    assert database_location("postgresql://bot:s3cr3t@db.internal:5432/mlcareer") == (
        "postgresql://db.internal:5432/mlcareer"
    )
    assert database_location("sqlite:///:memory:") == "in memory (lost on exit)"
    assert database_location(f"sqlite:///{tmp_path}/x.db") == f"{tmp_path}/x.db"


def test_database_file_is_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert database_file("sqlite:///mlcareer.db") == tmp_path / "mlcareer.db"
    assert database_file("sqlite:///:memory:") is None
    assert database_file("postgresql://db/x") is None
