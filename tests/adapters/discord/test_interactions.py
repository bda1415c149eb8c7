"""/mlcareer through the real discord.py client and the fake Discord: replies,
autocomplete, buttons, sharing, admin rights and deferral."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.core.handlers import Context
from bot.core.reply import Reply, ReplyKind
from bot.core.request import Request
from bot.core.router import ROUTES, Route, Router
from bot.core.services import Services
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from tests.adapters.discord import events
from tests.adapters.discord import fake_discord as fake
from tests.adapters.discord.harness import DiscordHarness, command_payload, plain_text
from tests.shipped import SECTION_IDS

EPHEMERAL = 64


def mentions_none(allowed: dict[str, Any]) -> bool:
    """Discord's "allowed mentions: none": parse nothing, list no users or roles, no reply ping."""
    return (
        allowed.get("parse") == []
        and not allowed.get("users")
        and not allowed.get("roles")
        and not allowed.get("replied_user", False)
    )


class RecordingTips:
    """The daily-tips port, recording what the adapter hands it."""

    def __init__(self) -> None:
        self.requests: list[tuple[Request, str]] = []

    async def handle(self, request: Request, args: str) -> Reply:
        self.requests.append((request, args))
        return Reply(ReplyKind.NOTICE, f"tips {args}", "done", public=args == "now")


@pytest.mark.parametrize("subcommand", [*SECTION_IDS, "help", "tip", "topics", "about"])
async def test_each_subcommand_answers_with_an_ephemeral_embed(
    harness: DiscordHarness, subcommand: str
) -> None:
    (callback,) = await harness.interact(events.command(subcommand))
    data = callback.body["data"]
    assert callback.body["type"] == 4
    assert data["flags"] & EPHEMERAL
    assert mentions_none(data["allowed_mentions"])
    (embed,) = data["embeds"]
    assert embed["title"]
    buttons = [b for row in data["components"] for b in row["components"]]
    assert buttons[-1]["custom_id"] == "mlcareer:share"
    if subcommand in SECTION_IDS:
        assert embed["footer"]["text"].startswith("Section:")


async def test_ask_answers_the_question(harness: DiscordHarness) -> None:
    replies = await harness.command("do I need a degree?")
    assert "degree" in replies[0].lower()


async def test_autocomplete_suggests_matching_topics(harness: DiscordHarness) -> None:
    (callback,) = await harness.interact(events.autocomplete("salry"))
    assert callback.body["type"] == 8
    choices = callback.body["data"]["choices"]
    assert 0 < len(choices) <= 25
    assert all(0 < len(c["name"]) <= 100 and 0 < len(c["value"]) <= 100 for c in choices)
    assert "salary" in [c["value"] for c in choices]


async def test_autocomplete_on_empty_input_offers_the_matchers_topics(
    harness: DiscordHarness, matcher: Matcher
) -> None:
    (callback,) = await harness.interact(events.autocomplete(""))
    values = [choice["value"] for choice in callback.body["data"]["choices"]]
    assert 0 < len(values) <= 25
    assert values == [entry.id for entry in matcher.suggest("", limit=25)][:25]


async def test_a_topic_button_answers_that_topic(harness: DiscordHarness) -> None:
    (answer,) = await harness.interact(events.command("skills"))
    assert answer.message is not None
    topic = next(
        b["custom_id"]
        for row in answer.message["components"]
        for b in row["components"]
        if b["custom_id"].startswith("mlcareer:topic:")
    )
    (click,) = await harness.interact(events.click(topic, answer.message))
    assert click.body["type"] == 4
    assert click.body["data"]["flags"] & EPHEMERAL
    assert click.body["data"]["embeds"][0]["title"] != answer.message["embeds"][0]["title"]


async def test_share_posts_the_answer_publicly(harness: DiscordHarness) -> None:
    (answer,) = await harness.interact(events.command("salary"))
    assert answer.message is not None
    (shared,) = await harness.interact(events.click("mlcareer:share", answer.message))
    data = shared.body["data"]
    assert shared.body["type"] == 4
    assert not data.get("flags", 0) & EPHEMERAL
    assert data["content"] == f"Shared by <@{fake.USER_ID}>"
    assert mentions_none(data["allowed_mentions"])
    assert data["embeds"][0]["title"] == answer.message["embeds"][0]["title"]
    assert data["embeds"][0]["description"] == answer.message["embeds"][0]["description"]
    ids = [b["custom_id"] for row in data.get("components", []) for b in row["components"]]
    assert "mlcareer:share" not in ids
    assert ids  # the topic buttons come along


async def test_a_hostile_everyone_question_by_command_pings_nobody(
    harness: DiscordHarness,
) -> None:
    hostile = f"@everyone @here <@{fake.USER_ID}> <@&{fake.MODERATOR_ROLE_ID}> skils"
    (callback,) = await harness.interact(events.command("ask", {"question": hostile}))
    data = callback.body["data"]
    assert mentions_none(data["allowed_mentions"])
    shown = plain_text(callback.message)
    for raw in ("@everyone", "@here", f"<@{fake.USER_ID}>", f"<@&{fake.MODERATOR_ROLE_ID}>"):
        assert raw not in shown
    assert shown  # it still answered


async def test_a_failing_answer_gets_a_polite_ephemeral_apology(
    harness: DiscordHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """Discord refuses the first answer: the error is logged with its traceback and the user
    still gets an apology, only for them, pinging nobody."""
    harness.fake.fail("POST", r"/callback$", 400, {"message": "Invalid Form Body", "code": 50035})
    payload = events.command("skills")
    await harness.fake.dispatch("INTERACTION_CREATE", payload)
    (apology,) = await harness.fake.wait_for(lambda r: r.kind == "callback")
    data = apology.body["data"]
    assert data["embeds"][0]["title"] == "Sorry, something went wrong"
    assert data["flags"] & EPHEMERAL
    assert mentions_none(data["allowed_mentions"])
    failed = [r for r in caplog.records if r.exc_info and "interaction failed" in r.getMessage()]
    assert failed


async def test_an_unknown_button_gets_a_polite_reply(harness: DiscordHarness) -> None:
    message = events.fixture("button_topic")["message"]
    (callback,) = await harness.interact(events.click("someone-elses:button", message))
    assert "no longer works" in plain_text(callback.message)


def tips_router(knowledge: KnowledgeBase, matcher: Matcher, tips: RecordingTips) -> Router:
    return Router(Services(knowledge=knowledge, matcher=matcher, tips=tips))


@pytest.mark.parametrize(
    ("moderator", "dm", "is_admin"),
    [(True, False, True), (False, False, False), (True, True, False)],
)
async def test_tips_on_reaches_the_tips_service_with_admin_rights(
    knowledge: KnowledgeBase, matcher: Matcher, moderator: bool, dm: bool, is_admin: bool
) -> None:
    tips = RecordingTips()
    async with DiscordHarness(tips_router(knowledge, matcher, tips)) as harness:
        payload = command_payload(
            "tips on 09:00 Europe/Berlin weekdays", moderator=moderator, dm=dm
        )
        await harness.interact(payload)
    ((request, args),) = tips.requests
    assert args == "on 09:00 Europe/Berlin weekdays"
    assert request.is_admin is is_admin
    assert request.platform == "discord"
    assert request.channel == (fake.DM_CHANNEL_ID if dm else fake.CHANNEL_ID)


async def test_a_public_reply_is_posted_for_the_channel(
    knowledge: KnowledgeBase, matcher: Matcher
) -> None:
    tips = RecordingTips()
    async with DiscordHarness(tips_router(knowledge, matcher, tips)) as harness:
        (callback,) = await harness.interact(command_payload("tips now", moderator=True))
    data = callback.body["data"]
    assert not data.get("flags", 0) & EPHEMERAL
    ids = [b["custom_id"] for row in data.get("components", []) for b in row["components"]]
    assert "mlcareer:share" not in ids


def slow_router(
    knowledge: KnowledgeBase,
    matcher: Matcher,
    gate: asyncio.Event,
    cancelled: asyncio.Event | None = None,
) -> Router:
    """The real router with one extra route in front whose handler waits for ``gate`` (and
    sets ``cancelled`` if it is cancelled while waiting)."""

    async def slow(ctx: Context) -> Reply:
        try:
            await gate.wait()
        except asyncio.CancelledError:
            if cancelled is not None:
                cancelled.set()
            raise
        return Reply(ReplyKind.ANSWER, "Slow answer", "finally", public=ctx.args == "public")

    def is_slow(text: str, services: Services) -> str | None:
        word, _, rest = text.partition(" ")
        return rest if word == "slow" else None

    routes = (Route("slow", is_slow, slow), *ROUTES)
    return Router(Services(knowledge=knowledge, matcher=matcher), routes)


@pytest.mark.parametrize("public", [False, True])
async def test_a_slow_answer_is_deferred_then_followed_up(
    knowledge: KnowledgeBase, matcher: Matcher, public: bool
) -> None:
    gate = asyncio.Event()
    router = slow_router(knowledge, matcher, gate)
    async with DiscordHarness(router, defer_after=0.05) as harness:
        text = "slow public" if public else "slow"
        payload = command_payload(text)
        pushing = asyncio.create_task(harness.interact(payload))
        (deferred,) = await harness.fake.wait_for(lambda r: r.kind == "callback")
        assert deferred.body["type"] == 5  # deferred, with the "thinking" state
        assert deferred.body["data"]["flags"] & EPHEMERAL
        gate.set()
        received = await pushing
    followup = received[-1]
    assert followup.kind == "followup"
    assert followup.body["embeds"][0]["title"] == "Slow answer"
    assert mentions_none(followup.body["allowed_mentions"])
    assert bool(followup.body.get("flags", 0) & EPHEMERAL) is not public
    if public:
        edits = [r for r in harness.fake.received if r.kind == "edit"]
        assert edits
        assert edits[0].body["content"] == "Posted in the channel."
        assert mentions_none(edits[0].body["allowed_mentions"])


async def test_a_failed_deferral_cancels_the_routing(
    knowledge: KnowledgeBase, matcher: Matcher
) -> None:
    """When the interaction can no longer be answered, its slow routing is not left running."""
    gate, cancelled = asyncio.Event(), asyncio.Event()
    async with DiscordHarness(
        slow_router(knowledge, matcher, gate, cancelled), defer_after=0.05
    ) as harness:
        gone = {"message": "Unknown interaction", "code": 10062}
        harness.fake.fail("POST", r"^/interactions/\d+/[^/]+/callback$", 404, gone, times=2)
        payload = command_payload("slow")
        await harness.fake.dispatch("INTERACTION_CREATE", payload)
        async with asyncio.timeout(5):
            await cancelled.wait()
    assert [r.status for r in harness.fake.received if "/callback" in r.path] == [404, 404]


def all_sent_messages(received: list[Any]) -> list[dict[str, Any]]:
    bodies = []
    for r in received:
        if r.kind == "callback" and r.body.get("type") == 4:
            bodies.append(r.body["data"])
        elif r.kind in {"message", "followup", "edit"} and r.method in {"POST", "PATCH"}:
            bodies.append(r.body)
    return bodies


async def test_allowed_mentions_are_none_on_every_message(harness: DiscordHarness) -> None:
    (answer,) = await harness.interact(events.command("skills"))
    assert answer.message is not None
    await harness.interact(events.click("mlcareer:share", answer.message))
    await harness.command("salary")
    await harness.mention("@everyone what skills do I need?")
    await harness.dm("help")
    sent = all_sent_messages(harness.fake.received)
    assert len(sent) == 5
    assert all(mentions_none(body["allowed_mentions"]) for body in sent)


@pytest.mark.parametrize(
    ("question", "shared"),
    [
        ("how much do ML engineers make", True),  # an answer: worth the channel's time
        ("what is the best laptop for deep learning", False),  # a decline: for the asker
        ("asdf qwerty zxcv", False),  # nothing matched: for the asker
    ],
)
async def test_share_is_offered_only_on_replies_the_core_calls_shareable(
    harness: DiscordHarness, question: str, shared: bool
) -> None:
    """One rule for both platforms (``Reply.shareable``): Discord used to put Share on every
    private reply, declines included."""
    (answer,) = await harness.interact(events.command("ask", {"question": question}))
    assert answer.message is not None
    ids = [
        b["custom_id"] for row in answer.message.get("components", []) for b in row["components"]
    ]
    assert ("mlcareer:share" in ids) is shared
