"""Opening a SQLite tips database named by DATABASE_URL: WAL mode, migrated at start-up."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.errors import SettingsError, StorageError
from bot.tips.migrations import migrate

SQLITE_PREFIX = "sqlite:///"
MEMORY = ":memory:"
# How long a write waits for another process's write lock. Our write transactions last well
# under a millisecond, so this is only reached when something else holds the file.
BUSY_TIMEOUT_SECONDS = 5.0


def sqlite_target(url: str) -> str:
    """The file path (or ``:memory:``) in a ``sqlite:///`` URL; raise ``SettingsError`` otherwise.

    ``sqlite:///mlcareer.db`` is relative to the working folder, ``sqlite:////var/lib/x.db``
    is absolute and ``sqlite:///:memory:`` is a private in-memory database. The error names
    only the URL's scheme, never the rest, which may hold a password.
    """
    text = url.strip()
    if not text.startswith(SQLITE_PREFIX):
        scheme = text.partition(":")[0] if ":" in text else ""
        found = f"a {scheme!r} URL" if scheme else "no URL scheme"
        raise SettingsError(
            f"DATABASE_URL must be a SQLite URL such as sqlite:///mlcareer.db or "
            f"sqlite:////absolute/path/mlcareer.db; it has {found}."
        )
    path = text[len(SQLITE_PREFIX) :]
    if not path:
        raise SettingsError(
            "DATABASE_URL names no file: use sqlite:///mlcareer.db (relative) or "
            "sqlite:////absolute/path/mlcareer.db."
        )
    return path


def open_database(url: str, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> sqlite3.Connection:
    """Open (creating on first use) and migrate the database; ``StorageError`` when that fails.

    ``busy_timeout`` is how many seconds a statement waits for another connection's write lock
    before failing with "database is locked" (SQLite's busy timeout).
    """
    target = sqlite_target(url)
    if target != MEMORY:
        folder = Path(target).expanduser().parent
        if not folder.is_dir():
            raise StorageError(
                f"DATABASE_URL points to {target}, but the folder {folder} doesn't exist; "
                "create it or choose another path"
            )
        target = str(Path(target).expanduser())
    try:
        # Autocommit mode: we open every multi-statement transaction ourselves.
        conn = sqlite3.connect(target, timeout=busy_timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise StorageError(f"cannot open the tips database {target}: {exc}") from exc
    try:
        # WAL lets readers (tips status, tips list) run while a scheduler writes. Keep the
        # default synchronous=FULL: a committed claim must survive a power cut, or a tip
        # could go out twice.
        conn.execute("PRAGMA journal_mode=WAL")
        migrate(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise StorageError(f"cannot prepare the tips database {target}: {exc}") from exc
    except BaseException:
        conn.close()
        raise
    return conn
