"""The App Home tab and the daily-tips modal behind it: publishing the Home view when someone
opens it, answering its topic buttons in the bot's DM, opening the schedule modal for an
admin, and saving what they chose through the tips service.

Admin rights are checked again on every click and submission: a view is only a picture of
the moment it was published, and the person may have lost their rights since.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from bot.adapters.slack import translate
from bot.adapters.slack.handlers import Ack, Deps, answer
from bot.adapters.slack.home import home_view
from bot.adapters.slack.schedule_modal import Choice, read_choice, schedule_modal
from bot.core.replies import section_links
from bot.core.request import Request
from bot.errors import PlatformError
from bot.tips.models import Subscription

log = logging.getLogger(__name__)

NOT_ADMIN = "Only workspace admins (and the bot's listed admins) can change daily tips."
NOT_HERE = "That channel isn't in this workspace, so its daily tips can't be changed from here."


async def workspace_subscriptions(deps: Deps) -> list[Subscription]:
    """The daily-tips subscriptions of the workspace asking: with the app installed in many
    workspaces (OAuth), only channels heard from this one, so no admin sees or edits another
    workspace's channels; with one SLACK_BOT_TOKEN, every Slack subscription."""
    assert deps.tips is not None
    found = await deps.tips.subscriptions(translate.PLATFORM)
    if deps.channel_store is None or deps.workspace is None:
        return found
    mine = set(await deps.channel_store.channels(deps.workspace))
    return [s for s in found if s.key.channel in mine]


async def on_home_opened(deps: Deps, event: Mapping[str, Any]) -> None:
    """``app_home_opened``: publish the Home tab (the Messages tab needs nothing from us)."""
    if event.get("tab") != "home":
        return
    user = str(event.get("user") or "")
    if not user:
        return
    try:
        await publish_home(deps, user)
    except PlatformError as exc:
        log.error("could not publish the Home tab for %s: %s", user, exc)
    except Exception:
        log.exception("publishing the Home tab failed")


async def publish_home(deps: Deps, user: str) -> None:
    """Build ``user``'s Home view (with the admin part when they are one) and publish it."""
    if deps.views is None:
        return
    subscriptions = None
    if deps.tips is not None and await deps.admins.is_admin(user):
        subscriptions = await workspace_subscriptions(deps)
    topics = section_links(deps.router.services.knowledge)
    await deps.views.publish(user, home_view(topics, subscriptions))


async def on_home_topic(deps: Deps, body: Mapping[str, Any]) -> None:
    """A topic button on the Home tab: the answer arrives in the person's DM with the bot."""
    clicked = translate.click(body)
    try:
        channel = await deps.sender.open_dm(clicked.user)
        request = Request(
            text=clicked.value,
            user=clicked.user,
            channel=channel,
            platform=translate.PLATFORM,
            workspace=team_of(body),
            channel_kind="dm",
        )
        reply = await answer(deps, request)
        await deps.sender.post(channel, reply)
    except PlatformError as exc:
        log.error("could not answer a Home tab topic for %s: %s", clicked.user, exc)
    except Exception:
        log.exception("answering a Home tab topic failed")


def team_of(body: Mapping[str, Any]) -> str:
    """The workspace an interaction came from (``team`` is null in some org-wide payloads;
    the user's own team is there then)."""
    team = body.get("team") or {}
    user = body.get("user") or {}
    return str(team.get("id") or user.get("team_id") or "")


async def on_tips_edit(deps: Deps, body: Mapping[str, Any]) -> None:
    """ "Edit" beside a subscription: open the schedule modal (the click's trigger_id is good
    for three seconds, so this runs straight after the acknowledgement)."""
    clicked = translate.click(body)
    trigger = str(body.get("trigger_id") or "")
    try:
        if deps.views is None or deps.tips is None or not trigger:
            return
        if not await deps.admins.is_admin(clicked.user):
            await publish_home(deps, clicked.user)  # shows them the Home tab without admin part
            return
        found = [s for s in await workspace_subscriptions(deps) if s.key.channel == clicked.value]
        if not found:  # turned off meanwhile: show the list as it is now
            await publish_home(deps, clicked.user)
            return
        await deps.views.open(trigger, schedule_modal(found[0]))
    except PlatformError as exc:
        log.error("could not open the daily-tips modal for %s: %s", clicked.user, exc)
    except Exception:
        log.exception("opening the daily-tips modal failed")


async def on_schedule_submit(deps: Deps, body: Mapping[str, Any], ack: Ack) -> None:
    """The modal's Save: check the choice, save it through the tips service and close the
    modal, or keep it open with a message under each choice that cannot be used."""
    user = str((body.get("user") or {}).get("id") or "")
    view = body.get("view") or {}
    try:
        choice = read_choice(view)
        if isinstance(choice, Choice) and not (
            deps.tips is not None and await deps.admins.is_admin(user)
        ):
            choice = {"tips_time": NOT_ADMIN}
        if isinstance(choice, Choice):
            problem = await _save(deps, user, choice)
            if problem:
                choice = {"tips_time": problem}
        if isinstance(choice, dict):
            await ack(response_action="errors", errors=choice)
            return
        await ack()
    except Exception:
        log.exception("saving the daily-tips modal failed")
        await ack(response_action="errors", errors={"tips_time": _SORRY})
        return
    deps.background.spawn(_republish(deps, user))


_SORRY = "Sorry, something went wrong saving this. Please try again in a moment."


async def _save(deps: Deps, user: str, choice: Choice) -> str | None:
    """Turn tips on with ``choice`` as ``tips on`` would; None when the store now holds it,
    else what the tips service said instead."""
    assert deps.tips is not None
    # The modal names its channel in the submission: a forged one from another workspace is
    # refused before anything is saved.
    store, workspace = deps.channel_store, deps.workspace
    if (
        store is not None
        and workspace is not None
        and choice.channel not in set(await store.channels(workspace))
    ):
        return NOT_HERE
    request = Request(
        text=f"tips {choice.tips_args}",
        user=user,
        channel=choice.channel,
        platform=translate.PLATFORM,
        is_admin=True,
    )
    reply = await deps.tips.handle(request, choice.tips_args)
    saved = [s for s in await workspace_subscriptions(deps) if s.key.channel == choice.channel]
    if saved and (saved[0].at, saved[0].zone, saved[0].days, saved[0].paused) == (
        choice.at,
        choice.zone,
        choice.days,
        False,
    ):
        log.info("daily tips in %s changed from the Home tab by %s", choice.channel, user)
        return None
    return reply.body or reply.title or _SORRY


async def _republish(deps: Deps, user: str) -> None:
    try:
        await publish_home(deps, user)
    except PlatformError as exc:
        log.error("could not refresh the Home tab for %s: %s", user, exc)
