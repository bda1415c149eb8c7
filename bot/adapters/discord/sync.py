"""Write the app's commands to Discord only when their definitions changed."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import discord
from discord.http import HTTPClient

from bot.adapters.discord.commands import same_commands
from bot.errors import PlatformError

log = logging.getLogger(__name__)


async def sync_commands(
    http: HTTPClient,
    application_id: int,
    guild_id: int | None,
    definitions: Sequence[Mapping[str, Any]],
) -> bool:
    """Make the application's commands (one server's, or global) equal ``definitions``.

    Reads what Discord has first and writes nothing when it already matches, so restarts
    don't churn Discord's command cache. Returns whether anything was written.
    """
    where = f"server {guild_id}" if guild_id else "all servers (global)"
    try:
        if guild_id:
            existing = await http.get_guild_commands(application_id, guild_id)
        else:
            existing = await http.get_global_commands(application_id)
        if same_commands(existing, definitions):
            log.info("/mlcareer is up to date for %s", where)
            return False
        payload = [dict(definition) for definition in definitions]
        if guild_id:
            await http.bulk_upsert_guild_commands(application_id, guild_id, payload)
        else:
            await http.bulk_upsert_global_commands(application_id, payload)
    except discord.Forbidden as exc:
        raise PlatformError(
            f"Discord refused to register /mlcareer for {where}: invite the bot to that server "
            "with the applications.commands scope ('mlcareer discord invite' prints the link)"
        ) from exc
    except discord.HTTPException as exc:
        raise PlatformError(
            f"registering /mlcareer for {where} failed: HTTP {exc.status} {exc.text}"
        ) from exc
    log.info("registered /mlcareer for %s", where)
    return True
