"""A reusable test harness: the fake Discord plus the real bot (``DiscordRunner``) against it.

    async with DiscordHarness() as harness:
        replies = await harness.command("skills")            # /mlcareer skills
        replies = await harness.command("do I need a degree?")  # /mlcareer ask question:...
        replies = await harness.mention("what skills do I need?")
        replies = await harness.dm("salary")

Each call pushes one gateway event and returns the plain texts of the messages the fake
received in answer (content, embed title, description, fields, footer, button labels, with
Markdown escapes undone), so conversation scenarios written for any adapter can be replayed.
``harness.fake`` holds every REST call for finer assertions.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from types import TracebackType
from typing import Any

from bot.adapters.discord.commands import FIXED_SUBCOMMANDS, TIPS_ON_OPTIONS
from bot.adapters.discord.handlers import DEFER_AFTER
from bot.adapters.discord.runner import DiscordRunner
from bot.core.router import Router
from bot.core.services import build_services
from bot.settings import Secret, Settings
from tests.adapters.discord import events
from tests.adapters.discord import fake_discord as fake
from tests.adapters.discord.fake_discord import FakeDiscord, Received
from tests.shipped import SECTION_IDS

_ESCAPED = re.compile(r"\\([*`_~|>\[\]()#\-\\<:])")
PLAIN_SUBCOMMANDS = {*SECTION_IDS, *(name for name, _ in FIXED_SUBCOMMANDS)}
TIPS_ACTIONS = {"on", "off", "status", "now"}


def plain_text(message: dict[str, Any] | None) -> str:
    """Everything a user reads in a message, as plain text."""
    if not message:
        return ""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts.append(embed.get("title", ""))
        parts.append(embed.get("description", ""))
        for field in embed.get("fields", []):
            parts.extend((field["name"], field["value"]))
        parts.append((embed.get("footer") or {}).get("text", ""))
    for row in message.get("components") or []:
        parts.extend(item.get("label", "") for item in row.get("components", []))
    return _ESCAPED.sub(r"\1", "\n".join(part for part in parts if part))


def command_payload(text: str, *, moderator: bool = False, dm: bool = False) -> dict[str, Any]:
    """The ``/mlcareer`` invocation a user would type for the router text ``text``."""
    words = text.split()
    first = words[0].lower() if words else "help"
    rest = " ".join(words[1:])
    if first in PLAIN_SUBCOMMANDS and not rest:
        return events.command(first, moderator=moderator, dm=dm)
    if first == "tip":
        return events.command("tip", {"topic": rest} if rest else None, moderator=moderator, dm=dm)
    if first == "tips" and len(words) >= 2 and words[1].lower() in TIPS_ACTIONS:
        options = dict(zip(TIPS_ON_OPTIONS, words[2:], strict=False))
        action = words[1].lower()
        return events.command(action, options, group="tips", moderator=moderator, dm=dm)
    return events.command("ask", {"question": text}, moderator=moderator, dm=dm)


class DiscordHarness:
    """Starts ``FakeDiscord`` and a ``DiscordRunner`` connected to it; stops both on exit."""

    def __init__(
        self,
        router: Router | None = None,
        *,
        defer_after: float = DEFER_AFTER,
        **settings: Any,
    ) -> None:
        self.fake = FakeDiscord()
        self._router = router
        self._defer_after = defer_after
        self._settings = settings
        self._task: asyncio.Task[None] | None = None
        self.runner: DiscordRunner | None = None

    async def __aenter__(self) -> DiscordHarness:
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        await self.stop()

    def settings(self) -> Settings:
        values: dict[str, Any] = {
            "discord_token": Secret(fake.TOKEN),
            "discord_api_url": self.fake.api_url,
            "discord_guild_id": fake.GUILD_ID,
            **self._settings,
        }
        return Settings.load(environ={}, dotenv=None, **values)

    async def start(self) -> None:
        """Start the fake and the bot; raises the runner's error if it stops before it has
        connected (the fake is closed again first)."""
        await self.fake.start()
        try:
            settings = self.settings()
            router = self._router or Router(build_services(settings))
            self.runner = DiscordRunner(settings, router, defer_after=self._defer_after)
            self._task = asyncio.create_task(self.runner.run())
            identified = asyncio.create_task(self.fake.identified.wait())
            done, _ = await asyncio.wait(
                {self._task, identified}, timeout=10, return_when=asyncio.FIRST_COMPLETED
            )
            if identified not in done:
                identified.cancel()
                if self._task in done:
                    self._task.result()  # raises the runner's error
                raise TimeoutError("the bot did not connect to the fake Discord")
        except BaseException:
            with contextlib.suppress(Exception):  # the runner's error is the one to see
                await self._shut_down()
            raise

    async def stop(self) -> None:
        """Stop the bot and the fake, then fail if the bot sent anything Discord would refuse
        or that could ping someone (``FakeDiscord.problems``)."""
        await self._shut_down()
        self.fake.assert_no_problems()

    async def _shut_down(self) -> None:
        try:
            if self._task is not None:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
        finally:
            await self.fake.close()

    # --- what tests do ---------------------------------------------------------------------

    async def command(self, text: str, *, moderator: bool = False, dm: bool = False) -> list[str]:
        """Run the slash command a user would type for ``text``; the reply texts."""
        return texts(await self.interact(command_payload(text, moderator=moderator, dm=dm)))

    async def mention(self, text: str, *, author: str = fake.USER_ID) -> list[str]:
        """Post ``@mlcareer text`` in the server channel; the reply texts."""
        payload = events.message(f"<@{fake.BOT_ID}> {text}", author=author)
        return texts(await self.post_message(payload))

    async def dm(self, text: str) -> list[str]:
        """Send ``text`` to the bot in a DM; the reply texts."""
        payload = events.message(text, fixture_name="message_dm")
        return texts(await self.post_message(payload))

    async def interact(self, payload: dict[str, Any], within: float = 5.0) -> list[Received]:
        """Push INTERACTION_CREATE; the callback and any follow-ups it led to."""
        self.fake.interactions[payload["token"]] = payload
        start = len(self.fake.received)
        await self.fake.dispatch("INTERACTION_CREATE", payload)
        prefix = f"/interactions/{payload['id']}/"
        (callback,) = await self.fake.wait_for(
            lambda r: r.kind == "callback" and r.path.startswith(prefix),
            after=start,
            within=within,
        )
        if callback.body.get("type") != 5:
            return [callback]
        token = payload["token"]
        (followup,) = await self.fake.wait_for(
            lambda r: r.kind == "followup" and token in r.path, after=start, within=within
        )
        edits = [r for r in self.fake.received[start:] if r.kind == "edit" and token in r.path]
        return [callback, *edits, followup]

    async def post_message(self, payload: dict[str, Any], within: float = 5.0) -> list[Received]:
        """Push MESSAGE_CREATE; the message the bot posted in answer."""
        start = len(self.fake.received)
        await self.fake.dispatch("MESSAGE_CREATE", payload)
        channel = f"/channels/{payload['channel_id']}/messages"
        return await self.fake.wait_for(
            lambda r: r.kind == "message" and r.path == channel and r.status == 200,
            after=start,
            within=within,
        )


def texts(received: list[Received]) -> list[str]:
    """The non-empty plain texts of the messages in ``received``."""
    found = (plain_text(r.message) for r in received)
    return [text for text in found if text]
