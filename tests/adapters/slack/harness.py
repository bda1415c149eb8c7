"""A reusable Slack test harness: a fake Slack on 127.0.0.1 and the real bolt app in front.

    async with SlackHarness() as slack:
        replies = await slack.command("skills")   # via /mlcareer
        replies = await slack.mention("skills")   # via @mlcareer in a channel

Each call returns the plain texts (un-escaped fallback texts) of the messages the bot sent in
answer, waiting (bounded, 5 s) for at least one. To check that something is NOT answered,
deliver it, then ``await slack.settle()`` and look at ``slack.posted()``. HTTP mode (signed
requests, the way Slack signs them) is the default; ``SlackHarness(socket_mode=True)`` drives
the same app through a Socket Mode websocket instead. Time is fake: retries "sleep" without
waiting and ``harness.clock.advance(seconds)`` moves cache expiry along. Pass ``router=``
to answer with a router of your own (a test knowledge base, a tips service).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from bot.adapters.slack.runner import SlackRunner
from bot.core.router import Router
from bot.core.services import TipsCommands, build_services
from bot.receipts.ports import EventReceipts
from bot.settings import Secret, Settings
from tests.adapters.slack import payloads
from tests.adapters.slack.block_kit import problems
from tests.adapters.slack.fake_slack import APP_TOKEN, BOT_TOKEN, WAIT_SECONDS, FakeSlack, Sent
from tests.adapters.slack.modal_kit import view_problems

SIGNING_SECRET = "0123456789abcdef0123456789abcdef"


async def eventually(condition: Callable[[], bool], seconds: float = WAIT_SECONDS) -> None:
    """Wait (bounded, polling) for something the bot does after loopback I/O, such as a log
    line; prefer ``fake.wait_until`` for anything the fake itself receives."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.01)


def signed_headers(
    body: str, content_type: str, *, timestamp: int | None = None, secret: str = SIGNING_SECRET
) -> dict[str, str]:
    """The headers of a request to /slack/events, signed the way Slack signs them."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature or "",
    }


@dataclass
class FakeClock:
    """A monotonic clock the test moves by hand."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class FakeSleep:
    """Records how long the code asked to sleep, and returns at once."""

    calls: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        await asyncio.sleep(0)


@dataclass(frozen=True)
class HttpAnswer:
    """What the bot answered on the HTTP request itself."""

    status: int
    body: str
    headers: dict[str, str]

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body) if self.body else {}
        return data


_SHARING = itertools.count(1)


class SlackHarness:
    """The fake Slack plus a running ``SlackRunner``; use as ``async with``."""

    def __init__(
        self,
        *,
        socket_mode: bool = False,
        admins: Iterable[str] = (),
        slack_admins: Iterable[str] = (),
        ack_budget: float = 2.0,
        settings: Settings | None = None,
        tips: TipsCommands | None = None,
        router: Router | None = None,
        receipts: EventReceipts | None = None,
    ) -> None:
        self.socket_mode = socket_mode
        self._receipts = receipts
        self.fake = FakeSlack(admins=slack_admins)
        self.clock = FakeClock()
        self.sleep = FakeSleep()
        self._admins = tuple(admins)
        self._ack_budget = ack_budget
        self._base_settings = settings
        self._tips = tips
        self._router = router
        # Harnesses sharing receipts (replicas) must not reuse each other's event ids.
        self._ids = itertools.count(1 if receipts is None else 1 + 10000 * next(_SHARING))
        self._markers: set[str] = set()
        self._task: asyncio.Task[None] | None = None
        self._http: aiohttp.ClientSession | None = None
        self.runner: SlackRunner | None = None
        self.settings: Settings | None = None

    async def __aenter__(self) -> SlackHarness:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        await self.fake.start()
        self.settings = self.build_settings(self._base_settings or Settings())
        router = self._router
        if router is None:
            services = build_services(self.settings)
            services.tips = self._tips
            router = Router(services)
        self.runner = self.build_runner(self.settings, router)
        self._task = asyncio.create_task(self.runner.run())
        ready = asyncio.create_task(self.runner.serving.wait())
        done, _ = await asyncio.wait(
            {self._task, ready}, timeout=WAIT_SECONDS, return_when="FIRST_COMPLETED"
        )
        if self._task in done:
            ready.cancel()
            self._task.result()  # raises what stopped the runner
        if ready not in done:
            ready.cancel()
            raise TimeoutError("the Slack runner did not become ready")
        # A cookie jar that keeps cookies from 127.0.0.1 too (the OAuth flow's state cookie).
        self._http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    def build_settings(self, base: Settings) -> Settings:
        """The runner's settings: ``base`` pointed at the fake, in the harness's mode."""
        return base.with_overrides(
            slack_bot_token=Secret(BOT_TOKEN),
            slack_signing_secret=Secret(SIGNING_SECRET),
            slack_app_token=Secret(APP_TOKEN) if self.socket_mode else None,
            slack_api_url=self.fake.api_url,
            slack_http=not self.socket_mode,
            slack_port=0,
            admins=self._admins,
        )

    def build_runner(self, settings: Settings, router: Router) -> SlackRunner:
        """The runner under test, on fake time."""
        return SlackRunner(
            settings,
            router,
            host="127.0.0.1",
            sleep=self.sleep,
            clock=self.clock,
            ack_budget=self._ack_budget,
            receipts=self._receipts,
        )

    async def stop(self) -> None:
        if self._http is not None:
            await self._http.close()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.fake.stop()
        assert self.fake.rejected == [], "Slack would refuse these messages"

    # --- the tiny API shared scenario tests use ---------------------------------------

    async def command(self, text: str, **fields: str) -> list[str]:
        """Send ``/mlcareer TEXT``; the texts of every message the bot answered with."""
        return [sent.text for sent in await self.command_messages(text, **fields)]

    async def mention(self, text: str, **fields: Any) -> list[str]:
        """Send ``@mlcareer TEXT`` in a channel; the texts of the bot's answers."""
        fields.setdefault("ts", self._ts())
        body = payloads.event("app_mention", self._event_id(), text=f"<@UBOT> {text}", **fields)
        return [sent.text for sent in await self.event_messages(body)]

    async def dm(self, text: str, **fields: Any) -> list[str]:
        """Send a direct message to the app; the texts of the bot's answers."""
        fields.setdefault("ts", self._ts())
        body = payloads.event("message_im", self._event_id(), text=text, **fields)
        return [sent.text for sent in await self.event_messages(body)]

    async def settle(self) -> None:
        """Send a marker DM and wait for its answer. Events delivered before it were picked up
        earlier, so by now they have answered too if they were going to; ``posted()``
        leaves the markers out."""
        channel = f"D0MARKER{next(self._ids)}"
        self._markers.add(channel)
        body = payloads.event("message_im", self._event_id(), text="help", channel=channel)
        body["event"]["ts"] = self._ts()
        await self.deliver_event(body)
        await self.fake.wait_until(lambda: any(s.channel == channel for s in self.fake.outbox))

    def posted(self) -> list[Sent]:
        """Messages posted with chat.postMessage, without ``settle()``'s markers."""
        return [s for s in self.fake.sent("chat.postMessage") if s.channel not in self._markers]

    # --- lower level ------------------------------------------------------------------

    async def command_messages(self, text: str, **fields: str) -> list[Sent]:
        """Send a slash command and wait for its answer (in the ack or via response_url)."""
        form = payloads.command(text, response_url=self.fake.response_url("cmd"), **fields)
        before = len(self.fake.outbox)
        if self.socket_mode:
            envelope = await self.fake.send_envelope("slash_commands", form)
            ack = await self.fake.ack_for(envelope)
            if ack:
                return [s for s in self.fake.outbox[before:] if s.via == "socket_ack"]
        else:
            answer = await self.post_form(form)
            assert answer.status == 200, answer
            if answer.body:
                assert problems(answer.json()) == [], answer.body
                return [Sent("ack", answer.json(), form["channel_id"])]
        await self.fake.wait_until(lambda: len(self.fake.outbox) > before)
        return self.fake.outbox[before:]

    async def event_messages(self, body: dict[str, Any]) -> list[Sent]:
        """Deliver an event and wait for at least one message in answer."""
        before = len(self.fake.outbox)
        await self.deliver_event(body)
        await self.fake.wait_until(lambda: len(self.fake.outbox) > before)
        return self.fake.outbox[before:]

    async def deliver_event(
        self, body: dict[str, Any], *, retry: int = 0, reason: str = "http_timeout"
    ) -> HttpAnswer | None:
        """Deliver an event the way the mode does; the HTTP answer in HTTP mode. ``retry``
        above 0 marks a redelivery, with Slack's ``reason`` for it."""
        if self.socket_mode:
            envelope = await self.fake.send_envelope("events_api", body, retry_attempt=retry)
            await self.fake.ack_for(envelope)
            return None
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": reason}
        return await self.post_json(body, extra_headers=headers if retry else None)

    async def click(self, body: dict[str, Any]) -> None:
        """Deliver a block_actions payload (a button click)."""
        if self.socket_mode:
            envelope = await self.fake.send_envelope("interactive", body)
            await self.fake.ack_for(envelope)
            return
        answer = await self.post_form({"payload": json.dumps(body)})
        assert answer.status == 200, answer

    async def submit_view(self, body: dict[str, Any]) -> dict[str, Any]:
        """Deliver a view_submission payload; the app's acknowledgement (its response_action).
        An ``update`` answer is checked the way Slack checks a view."""
        if self.socket_mode:
            envelope = await self.fake.send_envelope("interactive", body)
            ack = await self.fake.ack_for(envelope)
        else:
            answer = await self.post_form({"payload": json.dumps(body)})
            assert answer.status == 200, answer
            ack = answer.json()
        if ack.get("response_action") == "update":
            assert view_problems(ack.get("view")) == [], ack
        return ack

    async def interact(self, body: dict[str, Any]) -> dict[str, Any]:
        """Deliver an interactive payload (a click, a shortcut, a modal's submission); what
        the bot put in its acknowledgement ({} for an empty one)."""
        if self.socket_mode:
            envelope = await self.fake.send_envelope("interactive", body)
            return await self.fake.ack_for(envelope)
        answer = await self.post_form({"payload": json.dumps(body)})
        assert answer.status == 200, answer
        return answer.json()

    async def open_home(self, user: str = "U0ASKER", **fields: Any) -> dict[str, Any]:
        """Open the app's Home tab as ``user``; the Home view the bot published for them."""
        before = len(self.fake.sent("views.publish"))
        body = payloads.event("app_home_opened", self._event_id(), user=user, **fields)
        await self.deliver_event(body)
        await self.fake.wait_until(lambda: len(self.fake.sent("views.publish")) > before)
        return self.fake.home_views[user]

    async def post_form(self, form: dict[str, str], **sign: Any) -> HttpAnswer:
        return await self.post(urlencode(form), "application/x-www-form-urlencoded", **sign)

    async def post_json(self, body: dict[str, Any], **sign: Any) -> HttpAnswer:
        return await self.post(json.dumps(body), "application/json", **sign)

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        extra_headers: dict[str, str] | None = None,
    ) -> HttpAnswer:
        """POST a request to /slack/events, signed the way Slack signs them."""
        assert self._http is not None
        assert self.runner is not None
        headers = {
            **signed_headers(body, content_type, timestamp=timestamp, secret=secret),
            **(extra_headers or {}),
        }
        url = f"http://127.0.0.1:{self.runner.http_port}/slack/events"
        async with self._http.post(url, data=body.encode(), headers=headers) as response:
            return HttpAnswer(response.status, await response.text(), dict(response.headers))

    def _event_id(self) -> str:
        return f"Ev{next(self._ids):08d}"

    def _ts(self) -> str:
        return f"1700001000.{next(self._ids):06d}"
