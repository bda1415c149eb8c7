"""Distribution to many workspaces: bolt's OAuth install flow on our stores, each request
answered with its own team's token, and what an uninstall does.

On ``app_uninstalled``, or ``tokens_revoked`` naming the bot, the team's installation is
deleted and the tip subscriptions of every channel heard from that team are paused (kept,
so reinstalling and ``tips on`` brings them back). Daily tips find their channel's team, and
so its token, through the channels remembered here.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.handlers import Deps
from bot.adapters.slack.installations import SqlInstallations, TeamKey
from bot.adapters.slack.manifest import INSTALL_PATH, REDIRECT_PATH, SCOPES
from bot.adapters.slack.oauth_stores import InstallationStore, StateStore
from bot.adapters.slack.redact import redact
from bot.adapters.slack.sender import SlackSender
from bot.adapters.slack.token_box import TokenBox
from bot.adapters.slack.views import ViewPublisher
from bot.core.ports import PostOnce
from bot.core.reply import Reply
from bot.errors import ChannelGoneError, PlatformError, SettingsError, StorageError
from bot.settings import Settings
from bot.tips.clock import Clock
from bot.tips.models import ChannelKey
from bot.tips.ports import DueQueue

log = logging.getLogger(__name__)
# bolt's OAuth flow and authorize log through this one (the app's logger too).
bolt_log = redact(logging.getLogger("bot.adapters.slack.bolt"))

UNINSTALLED = "the app was uninstalled from this workspace"
# Channels already remembered in this process, so a busy channel costs no write per event.
_SEEN_LIMIT = 50000


def team_of(context: AsyncBoltContext) -> TeamKey:
    """The installation a request belongs to (an org-wide install: its organisation)."""
    return TeamKey.of(context.enterprise_id, context.team_id, bool(context.is_enterprise_install))


def client_for(client: AsyncWebClient, token: str) -> AsyncWebClient:
    """A client like ``client`` (base URL, pool, retries, logger) that calls with ``token``."""
    return AsyncWebClient(
        token=token,
        base_url=client.base_url,
        timeout=client.timeout,
        session=client.session,
        headers=client.headers,
        logger=client.logger,
        retry_handlers=list(client.retry_handlers or []),
    )


class Distribution:
    """The stores and the behaviour of OAuth mode, opened by the runner for one run."""

    def __init__(
        self, settings: Settings, store: SqlInstallations, tips: DueQueue, clock: Clock
    ) -> None:
        self.settings = settings
        self.store = store
        self.tips = tips
        self.clock = clock
        self.box = TokenBox(settings.token_key)
        self.installations = InstallationStore(store, self.box, clock)
        self.states = StateStore(store, clock)
        self._seen: set[tuple[TeamKey, str]] = set()

    async def check_key(self) -> None:
        """``SettingsError`` at start-up when MLCAREER_TOKEN_KEY cannot read the stored
        tokens (it changed), rather than every workspace's requests failing later."""
        found = await self.store.any_bot()
        if found is None:
            return
        try:
            self.box.open(found.sealed_token)
        except StorageError as exc:
            raise SettingsError(str(exc)) from None

    def oauth_settings(self) -> AsyncOAuthSettings:
        """bolt's install flow on our stores: bot scopes only, tokens looked up per team."""
        secret = self.settings.slack_client_secret
        assert secret is not None
        assert self.settings.slack_client_id
        return AsyncOAuthSettings(
            client_id=self.settings.slack_client_id,
            client_secret=secret.reveal(),
            scopes=list(self.settings.slack_scopes or SCOPES),
            redirect_uri=self.settings.slack_redirect_uri,
            install_path=INSTALL_PATH,
            redirect_uri_path=REDIRECT_PATH,
            installation_store=self.installations,
            installation_store_bot_only=True,
            state_store=self.states,
            state_expiration_seconds=self.states.expiration_seconds,
            logger=bolt_log,
        )

    def authorize(self) -> AsyncInstallationStoreAuthorize:
        """Each request's token from the installation store; bolt's auth.test answer is
        cached per token, so a busy workspace costs no extra call per event."""
        secret = self.settings.slack_client_secret
        return AsyncInstallationStoreAuthorize(
            logger=bolt_log,
            installation_store=self.installations,
            client_id=self.settings.slack_client_id,
            client_secret=secret.reveal() if secret else None,
            bot_only=True,
            cache_enabled=True,
        )

    async def remember_channel(
        self, req: AsyncBoltRequest, context: AsyncBoltContext, next: Callable[[], Awaitable[None]]
    ) -> None:
        """bolt middleware: note which team each channel belongs to, once per process."""
        channel = context.channel_id
        if channel and context.team_id:
            key = (TeamKey(context.enterprise_id or "", context.team_id), channel)
            if key not in self._seen:
                try:
                    await self.store.remember(key[0], channel, self.clock.now())
                    if len(self._seen) >= _SEEN_LIMIT:
                        self._seen.clear()
                    self._seen.add(key)
                except StorageError as exc:
                    log.error("could not remember the team of channel %s: %s", channel, exc)
        await next()

    async def uninstalled(self, context: AsyncBoltContext) -> None:
        """``app_uninstalled``: forget the team's installation and pause its tips."""
        await self._remove(team_of(context), "app_uninstalled")

    async def tokens_revoked(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        """``tokens_revoked``: only a revoked bot token matters (no user token is stored)."""
        tokens = event.get("tokens") or {}
        if tokens.get("bot"):
            await self._remove(team_of(context), "tokens_revoked")

    async def _remove(self, team: TeamKey, why: str) -> None:
        try:
            deleted = await self.store.delete_bot(team)
            channels = await self.store.channels(team)
            now = self.clock.now()
            for channel in channels:
                await self.tips.pause(ChannelKey("slack", channel), UNINSTALLED, now)
        except StorageError as exc:
            log.error("Slack %s for %s: %s", why, team, exc)
            return
        self._seen = {seen for seen in self._seen if seen[0] != team}
        log.info(
            "Slack: %s in %s: installation %s, tips paused in %d channel(s)",
            why,
            team,
            "deleted" if deleted else "already gone",
            len(channels),
        )

    async def token_for(self, channel: str) -> str | None:
        """The bot token of a team ``channel`` was heard from that still has the app."""
        for team in await self.store.teams_of(channel):
            candidates = [team, TeamKey(team.enterprise_id, "")] if team.enterprise_id else [team]
            for candidate in candidates:
                found = await self.store.find_bot(candidate)
                if found is not None:
                    return self.box.open(found.sealed_token)
        return None


def team_deps(deps: Deps, context: AsyncBoltContext) -> Deps:
    """``deps`` for one request of an installed team: its token and its bot user (``deps``
    itself when serving one workspace with SLACK_BOT_TOKEN)."""
    client = context.client
    if not deps.per_team or client is None or not context.bot_token:
        return deps
    key = team_of(context)
    return replace(
        deps,
        sender=SlackSender(client),
        # The Home tab and its modals are published with the team's token too.
        views=ViewPublisher(client) if deps.views is not None else None,
        admins=deps.admins.for_team(client, str(key)),
        bot_user_id=context.bot_user_id,
        workspace=key,
    )


class TeamSender:
    """The ``ChannelSender`` for daily tips in OAuth mode: each channel's post goes out with
    the token of the team the channel belongs to."""

    platform = "slack"

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self.distribution: Distribution | None = None  # set while the runner runs

    async def post(self, channel: str, reply: Reply, *, once: PostOnce | None = None) -> None:
        """Post ``reply`` (once: see ``SlackSender.post``); ``ChannelGoneError`` when no team
        of the channel has the app."""
        distribution = self.distribution
        if distribution is None:
            raise PlatformError("Slack is not connected yet; the post is retried later")
        token = await distribution.token_for(channel)
        if token is None:
            raise ChannelGoneError("no workspace with this channel has the app installed")
        await SlackSender(client_for(self.client, token)).post(channel, reply, once=once)
