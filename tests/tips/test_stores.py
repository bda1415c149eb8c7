"""DATABASE_URL picks the backend: SQLite, PostgreSQL, or a clear refusal."""

from __future__ import annotations

import pytest

from bot.errors import SettingsError
from bot.tips.stores import backend


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("sqlite:///mlcareer.db", "sqlite"),
        ("sqlite:////var/lib/mlcareer/tips.db", "sqlite"),
        ("  sqlite:///:memory:\n", "sqlite"),
        ("postgresql://bot:pw@db.example:5432/mlcareer", "postgres"),
        ("postgres://bot@db/mlcareer?sslmode=require", "postgres"),
        ("postgresql:///mlcareer?host=/run/postgresql", "postgres"),
    ],
)
def test_the_url_scheme_picks_the_backend(url: str, name: str) -> None:
    assert backend(url) == name


@pytest.mark.parametrize(
    "url",
    ["mysql://root:hunter2secret@localhost/tips", "mlcareer.db", "sqlite://mlcareer.db", ""],
)
def test_other_urls_are_refused_naming_database_url_and_both_forms(url: str) -> None:
    """The message names the setting and shows both accepted forms, never the password."""
    with pytest.raises(SettingsError, match="DATABASE_URL") as caught:
        backend(url)
    message = str(caught.value)
    assert "sqlite:///" in message
    assert "postgresql://" in message
    assert "hunter2secret" not in message
