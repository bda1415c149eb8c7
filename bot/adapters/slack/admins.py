"""Who may change a channel's daily tips: listed admins and Slack workspace admins/owners."""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Iterable

from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.cache import Clock, TTLCache
from bot.adapters.slack.sender import NETWORK_ERRORS

log = logging.getLogger(__name__)

CACHE_SECONDS = 300.0
CACHE_ENTRIES = 5000


class AdminCheck:
    """Answers "is this user an admin?", asking users.info at most once per user per few minutes.

    A user listed in MLCAREER_ADMINS needs no call at all. When Slack cannot be asked, the
    answer is "no" (nothing is changed that should not be) and is not cached.
    """

    def __init__(
        self,
        client: AsyncWebClient,
        listed: Iterable[str] = (),
        clock: Clock = time.monotonic,
        ttl: float = CACHE_SECONDS,
    ) -> None:
        self.client = client
        self.listed = frozenset(listed)
        self._cache: TTLCache[str, bool] = TTLCache(ttl, CACHE_ENTRIES, clock)
        self._team = ""  # the cache key's prefix: one workspace's admin is not another's

    def for_team(self, client: AsyncWebClient, team: str) -> AdminCheck:
        """The same check asked through ``team``'s own client (distribution to many
        workspaces), sharing the cache, whose answers are kept per team."""
        other = copy.copy(self)
        other.client = client
        other._team = f"{team}:"
        return other

    async def is_admin(self, user: str) -> bool:
        if not user:
            return False
        if user in self.listed:
            return True
        cached = self._cache.get(self._team + user)
        if cached is not None:
            return cached
        try:
            response = await self.client.users_info(user=user)
        except (SlackClientError, *NETWORK_ERRORS) as exc:
            log.warning("could not look up whether %s is a Slack admin: %s", user, exc)
            return False
        profile = response.get("user") or {}
        answer = any(
            bool(profile.get(flag)) for flag in ("is_admin", "is_owner", "is_primary_owner")
        )
        self._cache.put(self._team + user, answer)
        return answer
