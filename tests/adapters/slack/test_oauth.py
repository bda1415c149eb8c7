"""Distribution to many workspaces, driving bolt's real OAuth flow against the fake Slack:
the install page and its state, the redirect, tokens stored encrypted and used per team,
two workspaces at once, an Enterprise Grid org install, uninstalls and revoked tokens."""

from __future__ import annotations

import re
from datetime import time, timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from bot.adapters.slack.checks import Mode, check_settings
from bot.adapters.slack.installations import SqlInstallations, TeamKey, open_database
from bot.adapters.slack.token_box import new_key
from bot.commands.run import configured_platforms
from bot.core.reply import Reply, ReplyKind
from bot.errors import ChannelGoneError, SettingsError
from bot.settings import Secret, Settings
from bot.tips.models import ChannelKey, Days, Subscription
from bot.tips.stores import open_store
from tests.adapters.slack.fake_slack import APP_TOKEN, BOT_TOKEN, CLIENT_ID, CLIENT_SECRET
from tests.adapters.slack.harness import SIGNING_SECRET
from tests.adapters.slack.oauth_harness import GRID, ONE, START, TWO, OAuthHarness


async def installations(url: str) -> SqlInstallations:
    return SqlInstallations(await open_database(url))


async def test_the_install_page_links_to_slack_with_a_state_and_sets_its_cookie(
    sqlite_url: str,
) -> None:
    async with OAuthHarness(sqlite_url) as slack:
        page = await slack.get("/slack/install")
        assert page.status == 200
        assert "slack-app-oauth-state=" in page.headers["Set-Cookie"]
        link, cookie = await slack.install_link()
        assert cookie.startswith("slack-app-oauth-state=")
        query = parse_qs(urlparse(link).query)
        assert link.startswith("https://slack.com/oauth/v2/authorize?")
        assert query["client_id"] == [CLIENT_ID]
        assert set(query["scope"][0].split(",")) >= {"commands", "chat:write", "app_mentions:read"}
        assert len(query["state"][0]) >= 32


async def test_an_installed_workspace_is_stored_encrypted_and_answered_with_its_token(
    sqlite_url: str,
) -> None:
    async with OAuthHarness(sqlite_url) as slack:
        done = await slack.install(ONE)
        assert done.status == 200, done
        store = await installations(sqlite_url)
        try:
            found = await store.find_bot(TeamKey("", ONE.team_id))
        finally:
            await store.close()
        assert found is not None
        assert found.bot_user_id == ONE.bot_user_id
        assert ONE.token not in found.sealed_token
        [answer] = await slack.mention_in(ONE, "what skills do I need?")
        assert answer.channel == "C0GENERAL"
        assert slack.fake.calls_to("chat.postMessage")[-1].token == ONE.token


async def test_two_workspaces_are_each_answered_with_their_own_token(sqlite_url: str) -> None:
    async with OAuthHarness(sqlite_url, slack_admins=["U0ASKER"]) as slack:
        assert (await slack.install(ONE)).status == 200
        assert (await slack.install(TWO)).status == 200
        await slack.mention_in(TWO, "salary", channel="C0TWO")
        await slack.mention_in(ONE, "skills", channel="C0ONE")
        posts = {
            call.params["channel"]: call.token for call in slack.fake.calls_to("chat.postMessage")
        }
        assert posts == {"C0TWO": TWO.token, "C0ONE": ONE.token}
        # A slash command's admin check (users.info) asks with the command's own team token.
        form = {"team_id": TWO.team_id, "channel_id": "C0TWO"}
        await slack.command("tips status", **form)
        assert slack.fake.calls_to("users.info")[-1].token == TWO.token


async def test_an_event_from_a_workspace_that_never_installed_goes_unanswered(
    sqlite_url: str,
) -> None:
    async with OAuthHarness(sqlite_url) as slack:
        await slack.install(ONE)
        body = slack.event_body(TWO, "app_mention", text="<@UBOTTWO> skills", ts=slack._ts())
        await slack.deliver_event(body)
        await slack.mention_in(ONE, "skills")  # the later event is answered, the first never
        assert [call.token for call in slack.fake.calls_to("chat.postMessage")] == [ONE.token]


async def test_an_enterprise_org_install_answers_every_workspace_of_the_org(
    sqlite_url: str,
) -> None:
    async with OAuthHarness(sqlite_url) as slack:
        assert (await slack.install(GRID)).status == 200
        store = await installations(sqlite_url)
        try:
            found = await store.find_bot(TeamKey("E0ORG", ""))
        finally:
            await store.close()
        assert found is not None
        assert found.is_enterprise_install
        await slack.mention_in(GRID, "skills", channel="C0ORGA", team="T0WSA")
        await slack.mention_in(GRID, "salary", channel="C0ORGB", team="T0WSB")
        tokens = [call.token for call in slack.fake.calls_to("chat.postMessage")]
        assert tokens == [GRID.token, GRID.token]


@pytest.mark.parametrize("replay", ["used", "expired", "forged"])
async def test_a_replayed_expired_or_unknown_state_is_refused_politely(
    sqlite_url: str, replay: str
) -> None:
    async with OAuthHarness(sqlite_url) as slack:
        link, cookie = await slack.install_link()
        state = parse_qs(urlparse(link).query)["state"][0]
        if replay == "used":
            assert (await slack.redirect(slack.fake.approve(ONE), state, cookie)).status == 200
        elif replay == "expired":
            slack.wall.advance(timedelta(minutes=11))
        else:
            state = "made-up-state"
            cookie = f"slack-app-oauth-state={state}"
        refused = await slack.redirect(slack.fake.approve(TWO), state, cookie)
        assert refused.status in {400, 401}
        assert "Traceback" not in refused.body
        assert "invalid_state" in refused.body
        assert "/slack/install" in refused.body  # a link to try again
        store = await installations(sqlite_url)
        try:
            assert await store.find_bot(TeamKey("", TWO.team_id)) is None
        finally:
            await store.close()


async def test_a_wrong_client_secret_installs_nothing(sqlite_url: str) -> None:
    async with OAuthHarness(sqlite_url, client_secret="not-the-secret") as slack:
        refused = await slack.install(ONE)
        assert refused.status in {400, 401}
        assert slack.fake.calls_to("oauth.v2.access")
        assert "not-the-secret" not in refused.body
    store = await installations(sqlite_url)
    try:
        assert await store.any_bot() is None
    finally:
        await store.close()


async def test_the_redirect_uri_is_sent_and_checked_by_slack(sqlite_url: str) -> None:
    uri = "https://bot.example.com/slack/oauth_redirect"
    async with OAuthHarness(sqlite_url, redirect_uri=uri) as slack:
        link, _ = await slack.install_link()
        assert parse_qs(urlparse(link).query)["redirect_uri"] == [uri]
        assert (await slack.install(ONE)).status == 200
        assert slack.fake.calls_to("oauth.v2.access")[-1].params["redirect_uri"] == uri
        slack.fake.redirect_uri = "https://elsewhere.example.com/slack/oauth_redirect"
        assert (await slack.install(TWO)).status in {400, 401}  # bad_redirect_uri


def subscription(channel: str) -> Subscription:
    return Subscription(
        key=ChannelKey("slack", channel),
        at=time(9, 0),
        zone="UTC",
        days=Days.DAILY,
        next_fire=START + timedelta(hours=1),
        updated_at=START,
    )


async def subscribe(url: str, *channels: str) -> None:
    tips = await open_store(url)
    try:
        for channel in channels:
            await tips.save(subscription(channel))
    finally:
        await tips.close()


async def paused(url: str) -> dict[str, bool]:
    tips = await open_store(url)
    try:
        return {sub.key.channel: sub.paused for sub in await tips.all()}
    finally:
        await tips.close()


@pytest.mark.parametrize("how", ["app_uninstalled", "tokens_revoked"])
async def test_uninstalling_deletes_the_installation_and_pauses_only_that_teams_tips(
    db_url: str, how: str
) -> None:
    await subscribe(db_url, "C0ONE", "C0TWO")
    async with OAuthHarness(db_url) as slack:
        await slack.install(ONE)
        await slack.install(TWO)
        await slack.mention_in(ONE, "skills", channel="C0ONE")  # the channels' teams are noted
        await slack.mention_in(TWO, "skills", channel="C0TWO")
        if how == "app_uninstalled":
            event = {"type": "app_uninstalled"}
        else:
            event = {"type": "tokens_revoked", "tokens": {"bot": [ONE.bot_user_id]}}
        slack.fake.revoke(ONE.token)
        answer = await slack.deliver_event(slack.lifecycle(ONE, event))
        assert answer is not None
        assert answer.status == 200
        assert await paused(db_url) == {"C0ONE": True, "C0TWO": False}
        store = await installations(db_url)
        try:
            assert await store.find_bot(TeamKey("", ONE.team_id)) is None
            assert await store.find_bot(TeamKey("", TWO.team_id)) is not None
        finally:
            await store.close()
        # The uninstalled team is no longer answered; the other one still is.
        before = len(slack.fake.calls_to("chat.postMessage"))
        body = slack.event_body(ONE, "app_mention", text="<@UBOTONE> skills", ts=slack._ts())
        await slack.deliver_event(body)
        await slack.mention_in(TWO, "salary", channel="C0TWO")
        assert [c.token for c in slack.fake.calls_to("chat.postMessage")[before:]] == [TWO.token]


async def test_a_revoked_user_token_changes_nothing(sqlite_url: str) -> None:
    await subscribe(sqlite_url, "C0ONE")
    async with OAuthHarness(sqlite_url) as slack:
        await slack.install(ONE)
        await slack.mention_in(ONE, "skills", channel="C0ONE")
        event = {"type": "tokens_revoked", "tokens": {"oauth": ["U0SOMEONE"]}}
        await slack.deliver_event(slack.lifecycle(ONE, event))
        await slack.mention_in(ONE, "salary", channel="C0ONE")
    assert await paused(sqlite_url) == {"C0ONE": False}


async def test_daily_tips_go_out_with_the_token_of_the_channels_team(sqlite_url: str) -> None:
    tip = Reply(kind=ReplyKind.TIP, title="Tip of the day", body="Ship small.", public=True)
    async with OAuthHarness(sqlite_url) as slack:
        assert slack.runner is not None
        await slack.install(ONE)
        await slack.install(TWO)
        await slack.mention_in(ONE, "skills", channel="C0ONE")
        await slack.mention_in(TWO, "skills", channel="C0TWO")
        await slack.runner.sender.post("C0TWO", tip)
        await slack.runner.sender.post("C0ONE", tip)
        calls = slack.fake.calls_to("chat.postMessage")[-2:]
        assert [(c.params["channel"], c.token) for c in calls] == [
            ("C0TWO", TWO.token),
            ("C0ONE", ONE.token),
        ]
        with pytest.raises(ChannelGoneError):
            await slack.runner.sender.post("C0NEVERSEEN", tip)
        slack.fake.revoke(ONE.token)
        await slack.deliver_event(slack.lifecycle(ONE, {"type": "app_uninstalled"}))
        with pytest.raises(ChannelGoneError):
            await slack.runner.sender.post("C0ONE", tip)


async def test_a_changed_token_key_stops_the_start_with_a_clear_message(sqlite_url: str) -> None:
    async with OAuthHarness(sqlite_url) as slack:
        await slack.install(ONE)
    with pytest.raises(SettingsError, match="MLCAREER_TOKEN_KEY") as caught:
        async with OAuthHarness(sqlite_url):
            pass
    assert ONE.token not in str(caught.value)


def oauth_settings(**changes: object) -> Settings:
    values: dict[str, object] = {
        "slack_client_id": CLIENT_ID,
        "slack_client_secret": Secret(CLIENT_SECRET),
        "slack_signing_secret": Secret(SIGNING_SECRET),
        "token_key": Secret(new_key()),
        "slack_http": True,
    }
    values.update(changes)
    return Settings().with_overrides(**values)


@pytest.mark.parametrize(
    ("changes", "names"),
    [
        ({"slack_client_secret": None}, "SLACK_CLIENT_SECRET"),
        ({"slack_client_id": None}, "SLACK_CLIENT_ID"),
        ({"slack_app_token": Secret(APP_TOKEN), "slack_http": False}, "--http"),
        ({"slack_bot_token": Secret(BOT_TOKEN)}, "unset SLACK_BOT_TOKEN"),
        ({"token_key": None}, "MLCAREER_TOKEN_KEY is not set"),
        ({"token_key": Secret("short")}, "not a Fernet key"),
        ({"slack_redirect_uri": "bot.example.com"}, "SLACK_REDIRECT_URI"),
        ({"slack_signing_secret": None}, "SLACK_SIGNING_SECRET"),
    ],
)
def test_oauth_settings_problems_are_one_clear_line(changes: dict[str, object], names: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(names)):
        check_settings(oauth_settings(**changes))


def test_oauth_mode_is_http_mode_without_a_bot_token() -> None:
    assert check_settings(oauth_settings()) is Mode.HTTP
    assert check_settings(oauth_settings(slack_app_token=Secret(APP_TOKEN))) is Mode.HTTP
    assert configured_platforms(oauth_settings()) == ["slack"]
