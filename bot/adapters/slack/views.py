"""Slack's view surfaces: ``views.publish`` (the Home tab) and ``views.open`` (a modal), with
SDK errors turned into ``PlatformError`` here, at the seam."""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.sender import NETWORK_ERRORS, platform_error

View = dict[str, Any]


class ViewPublisher:
    """Publishes a person's Home tab and opens modals."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def publish(self, user: str, view: View) -> None:
        """Show ``view`` (``type: home``) as ``user``'s Home tab."""
        try:
            await self.client.views_publish(user_id=user, view=view)
        except (SlackClientError, *NETWORK_ERRORS) as exc:
            raise platform_error(exc, "views.publish") from exc

    async def open(self, trigger_id: str, view: View) -> None:
        """Open the modal ``view`` for the click that carried ``trigger_id`` (valid for three
        seconds, and once)."""
        try:
            await self.client.views_open(trigger_id=trigger_id, view=view)
        except (SlackClientError, *NETWORK_ERRORS) as exc:
            raise platform_error(exc, "views.open") from exc
