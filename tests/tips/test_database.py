"""DATABASE_URL parsing and opening the database: created on first use, WAL, migrated."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import SettingsError, StorageError
from bot.tips.database import open_database, sqlite_target
from bot.tips.migrations import LATEST_VERSION


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("sqlite:///mlcareer.db", "mlcareer.db"),
        ("sqlite:///data/tips.db", "data/tips.db"),
        ("sqlite:////var/lib/mlcareer/tips.db", "/var/lib/mlcareer/tips.db"),
        ("sqlite:///:memory:", ":memory:"),
        ("  sqlite:///mlcareer.db\n", "mlcareer.db"),
    ],
)
def test_sqlite_urls(url: str, target: str) -> None:
    """Relative, absolute (four slashes) and in-memory SQLite URLs name the right target."""
    assert sqlite_target(url) == target


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://mlcareer:hunter2secret@db.example/mlcareer",
        "mysql://root:hunter2secret@localhost/tips",
        "mlcareer.db",
        "sqlite://mlcareer.db",
        "sqlite:///",
        "",
    ],
)
def test_other_urls_are_a_settings_error_naming_database_url(url: str) -> None:
    """Anything but sqlite:/// is refused with a message naming DATABASE_URL, never the password."""
    with pytest.raises(SettingsError, match="DATABASE_URL") as caught:
        sqlite_target(url)
    assert "hunter2secret" not in str(caught.value)


def test_file_is_created_on_first_use_in_wal_mode_at_the_latest_schema(tmp_path: Path) -> None:
    """Opening a new path creates the file, switches it to WAL and migrates it."""
    path = tmp_path / "fresh.db"
    conn = open_database(f"sqlite:///{path}")
    try:
        assert path.is_file()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    finally:
        conn.close()


def test_in_memory_database_is_migrated() -> None:
    """sqlite:///:memory: works (a private database, handy for a quick try)."""
    conn = open_database("sqlite:///:memory:")
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert {"subscriptions", "posts", "decks"} <= tables
    finally:
        conn.close()


def test_missing_folder_is_a_friendly_storage_error(tmp_path: Path) -> None:
    """A path in a folder that doesn't exist says which folder, instead of a sqlite3 trace."""
    with pytest.raises(StorageError, match="doesn't exist"):
        open_database(f"sqlite:///{tmp_path / 'nowhere' / 'tips.db'}")


def test_a_file_that_is_not_a_database_is_a_storage_error(tmp_path: Path) -> None:
    """Pointing DATABASE_URL at some other file fails cleanly and leaves the file alone."""
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StorageError, match="tips database"):
        open_database(f"sqlite:///{path}")
    assert path.read_text().startswith("these are my notes")


def test_reopening_keeps_the_schema_and_data(tmp_path: Path) -> None:
    """A second start-up runs no migration again and keeps what was stored."""
    url = f"sqlite:///{tmp_path / 'tips.db'}"
    conn = open_database(url)
    conn.execute(
        "INSERT INTO decks (platform, channel, tip_order, position, cycle, version) "
        "VALUES ('slack', 'C1', '[]', 0, 0, 1)"
    )
    conn.close()
    again = open_database(url)
    try:
        assert again.execute("SELECT COUNT(*) FROM decks").fetchone()[0] == 1
        assert again.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    finally:
        again.close()


def test_sqlite_errors_never_escape_as_sqlite3_errors(tmp_path: Path) -> None:
    """A directory where the file should be is reported as a StorageError."""
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    with pytest.raises(StorageError, match="tips database"):
        open_database(f"sqlite:///{folder}")


def test_a_locked_database_is_waited_for_five_seconds_by_default(tmp_path: Path) -> None:
    """SQLite's busy timeout is set, so a write waits for another process's lock a while
    instead of failing at once with "database is locked"."""
    conn = open_database(f"sqlite:///{tmp_path / 'tips.db'}")
    quick = open_database(f"sqlite:///{tmp_path / 'tips.db'}", busy_timeout=0.25)
    try:
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert quick.execute("PRAGMA busy_timeout").fetchone()[0] == 250
    finally:
        conn.close()
        quick.close()
