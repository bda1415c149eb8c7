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
    )


def application_id_from_token(token: str) -> int | None:
    """The bot's user id, which a token's first part encodes; for applications made since
    2019 it is also the application id."""
    head = token.split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return int(decoded) if SNOWFLAKE_PATTERN.match(decoded) else None
