"""Opening the tips store that DATABASE_URL names: SQLite (the default) or PostgreSQL."""

from __future__ import annotations

from bot.errors import SettingsError
from bot.tips.database import SQLITE_PREFIX
from bot.tips.ports import TipsStore

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def backend(url: str) -> str:
    """``"sqlite"`` or ``"postgres"`` for a DATABASE_URL; ``SettingsError`` for anything else.

    The error names only the URL's scheme, never the rest, which may hold a password.
    """
    text = url.strip()
    if text.startswith(SQLITE_PREFIX):
        return "sqlite"
    if text.startswith(POSTGRES_SCHEMES):
        return "postgres"
    scheme = text.partition(":")[0] if ":" in text else ""
    found = f"a {scheme!r} URL" if scheme else "no URL scheme"
    raise SettingsError(
        "DATABASE_URL must be a SQLite URL such as sqlite:///mlcareer.db (sqlite:////abs/path.db "
        "for an absolute path) or a PostgreSQL URL such as postgresql://user:password@host/db; "
        f"it has {found}."
    )


async def open_store(url: str) -> TipsStore:
    """Open (and migrate) the store at ``url``; ``StorageError`` when that fails.

    PostgreSQL's driver is imported only when asked for, so SQLite users never load it.
    """
    if backend(url) == "postgres":
        from bot.tips.postgres_store import PostgresStore

        return await PostgresStore.open(url.strip())
    from bot.tips.sqlite_store import SqliteStore

    return await SqliteStore.open(url)
