"""Logging a discord.py client in, with its failures turned into our errors."""

from __future__ import annotations

import aiohttp
import discord
import discord.http

from bot.adapters.discord.config import PORTAL, DiscordConfig
from bot.errors import PlatformError, SettingsError


async def login(client: discord.Client, config: DiscordConfig) -> None:
    """REST login (``GET /users/@me`` and the application info); no gateway yet."""
    try:
        await client.login(config.token)
    except discord.LoginFailure as exc:
        raise SettingsError(
            f"Discord rejected DISCORD_TOKEN (401 Unauthorized): reset the token in {PORTAL}, "
            "Bot page, and update DISCORD_TOKEN"
        ) from exc
    except discord.HTTPException as exc:
        raise PlatformError(f"logging in to Discord failed: HTTP {exc.status} {exc.text}") from exc
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise PlatformError(f"cannot reach Discord at {config.api_url}: {exc}") from exc


def use_api(url: str) -> None:
    """Send every discord.py REST call (and interaction callback) to ``url``.

    discord.py keeps the base URL in a class attribute, so this applies to the whole process;
    one process serves one Discord bot.
    """
    discord.http.Route.BASE = url
