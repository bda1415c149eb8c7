"""The Discord settings, checked once before anything connects.

Every problem is one line that names the variable and how to fix it; the token itself never
appears in a message. Nothing here imports discord.py, so ``mlcareer discord invite`` stays
light.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from bot.errors import SettingsError
from bot.settings import Settings

# A bot token is three base64url parts separated by dots: user id, timestamp, signature.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{16,}$")
SNOWFLAKE_PATTERN = re.compile(r"^[0-9]{15,21}$")
PORTAL = "the Discord developer portal (https://discord.com/developers/applications)"


@dataclass(frozen=True, slots=True)
class DiscordConfig:
    """Checked Discord settings: ids as integers, the token kept out of reprs."""

    token: str = field(repr=False)
    api_url: str
    guild_id: int | None = None
    application_id: int | None = None
    shard_count: int | None = None  # None: the count Discord recommends
    shard_ids: tuple[int, ...] | None = None  # None: every shard of shard_count


def require_token(settings: Settings) -> str:
    """The bot token, or a ``SettingsError`` saying what is wrong with it."""
    if settings.discord_token is None:
        raise SettingsError(
            f"DISCORD_TOKEN is not set: copy your bot's token from {PORTAL}, Bot page, "
            "into .env (see the README's Discord section)"
        )
    token = settings.discord_token.reveal().strip()
    if token.lower().startswith("bot "):
        raise SettingsError("DISCORD_TOKEN must be the bare token, without the 'Bot ' prefix")
    if not TOKEN_PATTERN.match(token):
        raise SettingsError(
            "DISCORD_TOKEN is malformed: a bot token is three parts separated by dots; "
            f"reset and copy it again from {PORTAL}, Bot page"
        )
    return token


def snowflake(name: str, value: str | None) -> int | None:
    """An optional Discord id setting as an integer."""
    if value is None:
        return None
    if not SNOWFLAKE_PATTERN.match(value.strip()):
        raise SettingsError(
            f"{name} must be a Discord id (15-21 digits; right-click > Copy ID with "
            f"Developer Mode on), not {value!r}"
        )
    return int(value)


def api_url(settings: Settings) -> str:
    """``DISCORD_API_URL`` without a trailing slash, checked to be an http(s) URL."""
    url = settings.discord_api_url.strip().rstrip("/")
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise SettingsError(
            f"DISCORD_API_URL must be an http(s) URL such as https://discord.com/api/v10, "
            f"not {settings.discord_api_url!r}"
        )
    return url


def discord_config(settings: Settings) -> DiscordConfig:
    """All Discord settings, checked; raises ``SettingsError`` with one clear line."""
    return DiscordConfig(
        token=require_token(settings),
        api_url=api_url(settings),
        guild_id=snowflake("DISCORD_GUILD_ID", settings.discord_guild_id),
        application_id=snowflake("DISCORD_APPLICATION_ID", settings.discord_application_id),
        shard_count=shard_count(settings.discord_shard_count),
        shard_ids=shard_ids(settings.discord_shard_ids, shard_count(settings.discord_shard_count)),
    )


def shard_count(value: str | None) -> int | None:
    """``DISCORD_SHARD_COUNT``: a positive number, or None for ``auto`` (or unset)."""
    text = (value or "").strip().lower()
    if text in {"", "auto"}:
        return None
    if not text.isdigit() or int(text) < 1:
        raise SettingsError(
            f"DISCORD_SHARD_COUNT must be auto or a whole number of shards (1 or more), "
            f"not {value!r}"
        )
    return int(text)


def shard_ids(value: str | None, count: int | None) -> tuple[int, ...] | None:
    """``DISCORD_SHARD_IDS``: the shards this process runs, sorted; None for all of them.

    Every process must agree on the count (a guild's shard is ``(guild_id >> 22) % count``),
    so ids need a fixed ``DISCORD_SHARD_COUNT``, never ``auto``.
    """
    if value is None or not value.strip():
        return None
    parts = [part.strip() for part in value.split(",")]
    if not all(part.isdigit() for part in parts):
        raise SettingsError(
            f"DISCORD_SHARD_IDS must be shard numbers separated by commas, such as 0,1, "
            f"not {value!r}"
        )
    ids = [int(part) for part in parts]
    if len(set(ids)) != len(ids):
        raise SettingsError(f"DISCORD_SHARD_IDS names a shard twice: {value!r}")
    if count is None:
        raise SettingsError(
            "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT set to a number (not auto): every "
            "process must shard by the same count"
        )
    too_big = [shard for shard in ids if shard >= count]
    if too_big:
        raise SettingsError(
            f"DISCORD_SHARD_IDS must each be below DISCORD_SHARD_COUNT={count} (shards are "
            f"numbered from 0), not {', '.join(map(str, too_big))}"
        )
    return tuple(sorted(ids))


def application_id_from_token(token: str) -> int | None:
    """The bot's user id, which a token's first part encodes; for applications made since
    2019 it is also the application id."""
    head = token.split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return int(decoded) if SNOWFLAKE_PATTERN.match(decoded) else None
