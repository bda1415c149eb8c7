"""Our installation ports as slack_sdk's async installation store and OAuth state store, so
bolt's OAuth flow saves each install there and its authorize finds each team's token there.

Only bot installations are kept (the app asks for no user scopes); the bot token is
encrypted before it reaches the database and decrypted only for the request that needs it.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from bot.adapters.slack.installations import Installations, InstalledBot, OAuthStates, TeamKey
from bot.adapters.slack.token_box import TokenBox
from bot.tips.clock import Clock

log = logging.getLogger(__name__)

# How long an install link stays good: long enough to read Slack's consent page.
STATE_SECONDS = 10 * 60


def _scopes(scopes: Any) -> str:
    return scopes if isinstance(scopes, str) else ",".join(scopes or ())


class InstallationStore(AsyncInstallationStore):
    """slack_sdk's ``AsyncInstallationStore`` on ``Installations``, tokens sealed by ``box``."""

    def __init__(self, installations: Installations, box: TokenBox, clock: Clock) -> None:
        self._installations = installations
        self._box = box
        self._clock = clock

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        if not installation.bot_token:
            log.warning("Slack: an install without a bot token was not saved")
            return
        await self.async_save_bot(installation.to_bot())
        team = TeamKey.of(
            installation.enterprise_id,
            installation.team_id,
            bool(installation.is_enterprise_install),
        )
        if installation.user_id:
            log.info("Slack: installed in %s by %s", team, installation.user_id)

    async def async_save_bot(self, bot: Bot) -> None:
        team = TeamKey.of(bot.enterprise_id, bot.team_id, bool(bot.is_enterprise_install))
        custom = bot.custom_values if isinstance(bot.custom_values, dict) else {}
        await self._installations.save_bot(
            InstalledBot(
                team=team,
                bot_user_id=bot.bot_user_id,
                bot_id=bot.bot_id,
                sealed_token=self._box.seal(bot.bot_token),
                scopes=_scopes(bot.bot_scopes),
                app_id=bot.app_id,
                team_name=bot.team_name,
                enterprise_name=bot.enterprise_name,
                installer_user_id=custom.get("installer_user_id"),
                installed_at=self._clock.now(),
            )
        )
        log.info("Slack: saved the installation of %s", team)

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = await self._installations.find_bot(
            TeamKey.of(enterprise_id, team_id, bool(is_enterprise_install))
        )
        if found is None:
            return None
        return Bot(
            app_id=found.app_id,
            enterprise_id=found.team.enterprise_id or None,
            enterprise_name=found.enterprise_name,
            team_id=found.team.team_id or None,
            team_name=found.team_name,
            bot_token=self._box.open(found.sealed_token),
            bot_id=found.bot_id,
            bot_user_id=found.bot_user_id,
            bot_scopes=found.scopes,
            is_enterprise_install=found.is_enterprise_install,
            installed_at=found.installed_at.timestamp(),
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        bot = await self.async_find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        if bot is None:
            return None
        return Installation(
            app_id=bot.app_id,
            enterprise_id=bot.enterprise_id,
            enterprise_name=bot.enterprise_name,
            team_id=bot.team_id,
            team_name=bot.team_name,
            bot_token=bot.bot_token,
            bot_id=bot.bot_id,
            bot_user_id=bot.bot_user_id,
            bot_scopes=bot.bot_scopes,
            user_id=user_id or "",
            is_enterprise_install=bot.is_enterprise_install,
            installed_at=bot.installed_at,
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        # bolt names an org-wide install by its organisation and no team.
        await self._installations.delete_bot(TeamKey.of(enterprise_id, team_id))

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        if user_id is None:  # a user's own token is never stored; only the bot's
            await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)


class StateStore(AsyncOAuthStateStore):
    """slack_sdk's ``AsyncOAuthStateStore`` on ``OAuthStates``: each state is random, kept
    ``expiration_seconds`` and accepted once."""

    def __init__(
        self, states: OAuthStates, clock: Clock, expiration_seconds: int = STATE_SECONDS
    ) -> None:
        self._states = states
        self._clock = clock
        self.expiration_seconds = expiration_seconds

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        expires = self._clock.now() + timedelta(seconds=self.expiration_seconds)
        await self._states.issue(state, expires)
        return state

    async def async_consume(self, state: str) -> bool:
        accepted = await self._states.consume(state, self._clock.now())
        if not accepted:
            log.info("Slack: refused an install with an unknown, used or expired state")
        return accepted
