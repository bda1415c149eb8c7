"""Where the app is installed, for distribution to many workspaces: the storage ports and
their SQL implementation (SQLite or PostgreSQL, the tables of migration 6).

Three small ports: ``Installations`` (one bot per workspace or Enterprise Grid organisation,
its token already encrypted by the caller), ``OAuthStates`` (the install flow's one-time
``state`` values) and ``TeamChannels`` (which team each channel was heard from, so an
uninstall pauses that team's tips and a tip goes out with the right token). Nothing here
knows slack_sdk; ``bot.adapters.slack.oauth_stores`` adapts these to its interfaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from bot.tips.sql_database import Database
from bot.tips.stores import backend

# When an installation carries no time of its own.
_EPOCH = datetime.fromtimestamp(0, UTC)


@dataclass(frozen=True, slots=True, order=True)
class TeamKey:
    """A workspace (``team_id``) in an Enterprise Grid organisation (``enterprise_id``), ""
    where there is none; an org-wide install is the organisation alone (``team_id`` "")."""

    enterprise_id: str
    team_id: str

    @classmethod
    def of(cls, enterprise_id: str | None, team_id: str | None, org_wide: bool = False) -> TeamKey:
        """The key of an installation (an org-wide one is keyed by its organisation)."""
        return cls(enterprise_id or "", "" if org_wide else team_id or "")

    @property
    def org_wide(self) -> bool:
        """True for an Enterprise Grid organisation's own install."""
        return bool(self.enterprise_id) and not self.team_id

    def __str__(self) -> str:
        return "/".join(part for part in (self.enterprise_id, self.team_id) if part)


@dataclass(frozen=True, slots=True)
class InstalledBot:
    """One installation's bot: the ids Slack gave it and its token, encrypted."""

    team: TeamKey
    bot_user_id: str
    bot_id: str
    sealed_token: str = ""
    scopes: str = ""
    app_id: str | None = None
    team_name: str | None = None
    enterprise_name: str | None = None
    installer_user_id: str | None = None
    installed_at: datetime = _EPOCH

    @property
    def is_enterprise_install(self) -> bool:
        return self.team.org_wide


class Installations(Protocol):
    """The installed bots, one per workspace or organisation."""

    async def save_bot(self, bot: InstalledBot) -> None:
        """Create or replace the installation of ``bot.team`` (a reinstall replaces it)."""
        ...

    async def find_bot(self, team: TeamKey) -> InstalledBot | None:
        """The installation of exactly ``team``, or None."""
        ...

    async def delete_bot(self, team: TeamKey) -> bool:
        """Forget the installation of ``team``; False when there was none."""
        ...

    async def any_bot(self) -> InstalledBot | None:
        """Some installation, or None when there is none (to check the key at start-up)."""
        ...


class OAuthStates(Protocol):
    """The install flow's ``state`` values: each accepted once, before it expires."""

    async def issue(self, state: str, expires_at: datetime) -> None:
        """Remember a new ``state`` until ``expires_at`` (and forget long-expired ones)."""
        ...

    async def consume(self, state: str, now: datetime) -> bool:
        """True the first time a known, unexpired ``state`` is offered; False ever after."""
        ...


class TeamChannels(Protocol):
    """Which team each channel was heard from."""

    async def remember(self, team: TeamKey, channel: str, now: datetime) -> None:
        """Note that ``channel`` belongs to ``team`` (a no-op when already noted)."""
        ...

    async def channels(self, team: TeamKey) -> list[str]:
        """The channels heard from ``team``; for an organisation, from any of its workspaces."""
        ...

    async def teams_of(self, channel: str) -> list[TeamKey]:
        """The teams ``channel`` was heard from (more than one for a shared channel)."""
        ...


_BOT_COLUMNS = (
    "enterprise_id, team_id, is_enterprise_install, app_id, enterprise_name, team_name, "
    "bot_user_id, bot_id, bot_token, bot_scopes, installer_user_id, installed_at"
)
_THIS_TEAM = "enterprise_id = ? AND team_id = ?"
# How long an expired state is kept, so a late replay is still told "expired", not "unknown".
_KEEP_EXPIRED_SECONDS = 24 * 3600


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def _bot(row: tuple[Any, ...]) -> InstalledBot:
    enterprise, team, _org, app, enterprise_name, team_name, user, bot, token, scopes = row[:10]
    installer, installed = row[10:]
    return InstalledBot(
        team=TeamKey(enterprise, team),
        bot_user_id=user,
        bot_id=bot,
        sealed_token=token,
        scopes=scopes,
        app_id=app,
        team_name=team_name,
        enterprise_name=enterprise_name,
        installer_user_id=installer,
        installed_at=datetime.fromtimestamp(installed, UTC),
    )


class SqlInstallations:
    """``Installations``, ``OAuthStates`` and ``TeamChannels`` in the bot's one database."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def close(self) -> None:
        await self._db.close()

    async def _rows(self, action: str, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        async with self._db.session(action) as session:
            return await session.fetch(sql, params)

    async def _change(self, action: str, sql: str, params: tuple[Any, ...]) -> int:
        async with self._db.session(action) as session:
            return await session.execute(sql, params)

    # --- Installations ---

    async def save_bot(self, bot: InstalledBot) -> None:
        marks = ", ".join("?" for _ in range(12))
        await self._change(
            "save a Slack installation",
            f"INSERT INTO slack_installations ({_BOT_COLUMNS}) VALUES ({marks}) "
            "ON CONFLICT (enterprise_id, team_id) DO UPDATE SET "
            "is_enterprise_install = excluded.is_enterprise_install, app_id = excluded.app_id, "
            "enterprise_name = excluded.enterprise_name, team_name = excluded.team_name, "
            "bot_user_id = excluded.bot_user_id, bot_id = excluded.bot_id, "
            "bot_token = excluded.bot_token, bot_scopes = excluded.bot_scopes, "
            "installer_user_id = excluded.installer_user_id, installed_at = excluded.installed_at",
            (
                bot.team.enterprise_id,
                bot.team.team_id,
                int(bot.is_enterprise_install),
                bot.app_id,
                bot.enterprise_name,
                bot.team_name,
                bot.bot_user_id,
                bot.bot_id,
                bot.sealed_token,
                bot.scopes,
                bot.installer_user_id,
                _seconds(bot.installed_at),
            ),
        )

    async def find_bot(self, team: TeamKey) -> InstalledBot | None:
        rows = await self._rows(
            "read a Slack installation",
            f"SELECT {_BOT_COLUMNS} FROM slack_installations WHERE {_THIS_TEAM}",
            (team.enterprise_id, team.team_id),
        )
        return _bot(rows[0]) if rows else None

    async def delete_bot(self, team: TeamKey) -> bool:
        changed = await self._change(
            "delete a Slack installation",
            f"DELETE FROM slack_installations WHERE {_THIS_TEAM}",
            (team.enterprise_id, team.team_id),
        )
        return changed > 0

    async def any_bot(self) -> InstalledBot | None:
        rows = await self._rows(
            "read a Slack installation",
            f"SELECT {_BOT_COLUMNS} FROM slack_installations "
            "ORDER BY enterprise_id, team_id LIMIT 1",
            (),
        )
        return _bot(rows[0]) if rows else None

    # --- OAuthStates ---

    async def issue(self, state: str, expires_at: datetime) -> None:
        async with self._db.transaction("issue an OAuth state") as session:
            await session.execute(
                "DELETE FROM slack_oauth_states WHERE expires_at < ?",
                (_seconds(expires_at) - _KEEP_EXPIRED_SECONDS,),
            )
            await session.execute(
                "INSERT INTO slack_oauth_states (state, expires_at, consumed) VALUES (?, ?, 0)",
                (state, _seconds(expires_at)),
            )

    async def consume(self, state: str, now: datetime) -> bool:
        # One conditional UPDATE: of two requests with the same state, only one changes the row.
        changed = await self._change(
            "consume an OAuth state",
            "UPDATE slack_oauth_states SET consumed = 1 "
            "WHERE state = ? AND consumed = 0 AND expires_at > ?",
            (state, _seconds(now)),
        )
        return changed > 0

    # --- TeamChannels ---

    async def remember(self, team: TeamKey, channel: str, now: datetime) -> None:
        await self._change(
            "remember a Slack channel's team",
            "INSERT INTO slack_channels (enterprise_id, team_id, channel, seen_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (enterprise_id, team_id, channel) DO NOTHING",
            (team.enterprise_id, team.team_id, channel, _seconds(now)),
        )

    async def channels(self, team: TeamKey) -> list[str]:
        if team.org_wide:
            sql = "SELECT DISTINCT channel FROM slack_channels WHERE enterprise_id = ?"
            params: tuple[str, ...] = (team.enterprise_id,)
        else:
            sql = f"SELECT DISTINCT channel FROM slack_channels WHERE {_THIS_TEAM}"
            params = (team.enterprise_id, team.team_id)
        rows = await self._rows("list a Slack team's channels", sql + " ORDER BY channel", params)
        return [str(row[0]) for row in rows]

    async def teams_of(self, channel: str) -> list[TeamKey]:
        rows = await self._rows(
            "find a Slack channel's team",
            "SELECT enterprise_id, team_id FROM slack_channels WHERE channel = ? "
            "ORDER BY seen_at DESC, enterprise_id, team_id",
            (channel,),
        )
        return [TeamKey(str(e), str(t)) for e, t in rows]


async def open_database(url: str) -> Database:
    """Open (and migrate) the database at DATABASE_URL for the installation stores.

    Its own connection (SQLite) or pool (PostgreSQL) beside the tips store's: both migrate
    the same schema, which is a no-op for whichever opens second.
    """
    if backend(url) == "postgres":
        from bot.tips.postgres_store import PostgresDatabase

        return await PostgresDatabase.open(url.strip())
    from bot.tips.sqlite_store import SqliteDatabase

    return await SqliteDatabase.open(url)
