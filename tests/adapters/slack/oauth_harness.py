"""The Slack harness in OAuth mode (distribution to many workspaces): no SLACK_BOT_TOKEN,
the fake's OAuth app credentials, installations in a real database.

    async with OAuthHarness(database_url) as slack:
        await slack.install(ONE)                       # /slack/install -> Slack -> redirect
        replies = await slack.mention_in(ONE, "skills")

``install`` walks the browser's part of the flow: the install page (which sets the state
cookie and links to Slack's consent page), then the redirect Slack sends the installer back
on, with the fake's one-time code.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

from bot.adapters.slack.runner import SlackRunner
from bot.adapters.slack.token_box import new_key
from bot.core.router import Router
from bot.settings import Secret, Settings
from bot.tips.testing import FakeClock as WallClock
from tests.adapters.slack import payloads
from tests.adapters.slack.fake_slack import CLIENT_ID, CLIENT_SECRET, Sent, Workspace
from tests.adapters.slack.harness import SIGNING_SECRET, HttpAnswer, SlackHarness

START = datetime(2024, 6, 3, 8, 0, tzinfo=UTC)
ONE = Workspace("T0ONE", "One", bot_user_id="UBOTONE", bot_id="BBOTONE")
TWO = Workspace("T0TWO", "Two", bot_user_id="UBOTTWO", bot_id="BBOTTWO")
GRID = Workspace("T0GRID", "Grid", enterprise_id="E0ORG", bot_user_id="UBOTORG", org_wide=True)

_LINK = re.compile(r'href="(https://slack.com/oauth[^"]+)"')


class OAuthHarness(SlackHarness):
    """``SlackHarness`` serving many workspaces; ``wall`` is the injected wall clock."""

    def __init__(
        self,
        database_url: str,
        *,
        key: str | None = None,
        client_secret: str = CLIENT_SECRET,
        redirect_uri: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.database_url = database_url
        self.key = key or new_key()
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.wall = WallClock(START)

    def build_settings(self, base: Settings) -> Settings:
        self.fake.redirect_uri = self.redirect_uri
        return base.with_overrides(
            database_url=self.database_url,
            slack_client_id=CLIENT_ID,
            slack_client_secret=Secret(self.client_secret),
            slack_redirect_uri=self.redirect_uri,
            token_key=Secret(self.key),
            slack_signing_secret=Secret(SIGNING_SECRET),
            slack_api_url=self.fake.api_url,
            slack_http=True,
            slack_port=0,
            admins=self._admins,
        )

    def build_runner(self, settings: Settings, router: Router) -> SlackRunner:
        runner = super().build_runner(settings, router)
        runner.wall_clock = self.wall
        return runner

    @property
    def base_url(self) -> str:
        assert self.runner is not None
        return f"http://127.0.0.1:{self.runner.http_port}"

    async def get(self, path: str, cookie: str | None = None, **params: str) -> HttpAnswer:
        """GET a path of the bot's HTTP server, as a browser would, sending ``cookie`` (bolt's
        state cookie is Secure, which a client sends only over https, so it is passed by hand)."""
        assert self._http is not None
        url = self.base_url + path
        headers = {"Cookie": cookie} if cookie else {}
        async with self._http.get(
            url, params=params, headers=headers, allow_redirects=False
        ) as response:
            return HttpAnswer(response.status, await response.text(), dict(response.headers))

    async def install_link(self) -> tuple[str, str]:
        """Open /slack/install: the "Add to Slack" link it shows (to Slack's consent page)
        and the state cookie it set."""
        page = await self.get("/slack/install")
        assert page.status == 200, page
        [link] = _LINK.findall(page.body)
        cookie = page.headers["Set-Cookie"].split(";")[0]
        return link.replace("&amp;", "&"), cookie

    async def install(self, workspace: Workspace, *, state: str | None = None) -> HttpAnswer:
        """Install the app in ``workspace``: the install page, Slack's consent, the redirect."""
        link, cookie = await self.install_link()
        issued = parse_qs(urlparse(link).query)["state"][0]
        code = self.fake.approve(workspace)
        return await self.redirect(code, state or issued, cookie)

    async def redirect(self, code: str, state: str, cookie: str | None) -> HttpAnswer:
        """What the browser does after Slack's consent page: back to the redirect URL."""
        return await self.get("/slack/oauth_redirect", cookie, code=code, state=state)

    async def mention_in(
        self, workspace: Workspace, text: str, channel: str = "C0GENERAL", team: str | None = None
    ) -> list[Sent]:
        """``@mlcareer TEXT`` in ``channel`` of ``workspace`` (of ``team`` in an org)."""
        body = self.event_body(workspace, "app_mention", team=team)
        body["event"].update(
            text=f"<@{workspace.bot_user_id}> {text}", channel=channel, ts=self._ts()
        )
        return await self.event_messages(body)

    def event_body(
        self, workspace: Workspace, fixture: str, team: str | None = None, **fields: Any
    ) -> dict[str, Any]:
        """An event callback from ``workspace``, as Slack addresses it to that install."""
        body = payloads.event(fixture, self._event_id(), **fields)
        team_id = team or workspace.team_id
        body["team_id"] = team_id
        body["enterprise_id"] = workspace.enterprise_id
        body["authorizations"] = [
            {
                "enterprise_id": workspace.enterprise_id,
                "team_id": None if workspace.org_wide else team_id,
                "user_id": workspace.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": workspace.org_wide,
            }
        ]
        return body

    def lifecycle(self, workspace: Workspace, event: dict[str, Any]) -> dict[str, Any]:
        """An ``app_uninstalled`` or ``tokens_revoked`` callback from ``workspace``."""
        body = self.event_body(workspace, "app_mention")
        body["event"] = event
        return body
