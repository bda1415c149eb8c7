"""The OAuth2 links: the one a server owner opens to add the bot (with only the permissions
it uses), and the one anyone opens to add mlcareer to their own account."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

AUTHORIZE_URL = "https://discord.com/oauth2/authorize"
SCOPES = ("bot", "applications.commands")
USER_INSTALL = "1"  # the integration type of an install to a user's account


@dataclass(frozen=True, slots=True)
class Permission:
    """One permission bit the bot asks for, and why (the README repeats these reasons)."""

    name: str
    bit: int
    why: str


PERMISSIONS: tuple[Permission, ...] = (
    Permission(
        "View Channels",
        1 << 10,
        "see the channels it is added to, so it receives the messages that mention it",
    ),
    Permission(
        "Send Messages",
        1 << 11,
        "answer mentions and post daily tips (slash-command answers don't need it)",
    ),
    Permission(
        "Send Messages in Threads",
        1 << 38,
        "answer mentions inside threads",
    ),
    Permission("Embed Links", 1 << 14, "show answers as embeds in the messages it posts"),
    Permission(
        "Read Message History",
        1 << 16,
        "reply to the message that mentioned it (Discord requires it for replies)",
    ),
)


def permissions_value() -> int:
    """The permission bitfield the invite link requests."""
    value = 0
    for permission in PERMISSIONS:
        value |= permission.bit
    return value


def invite_url(application_id: int, guild_id: int | None = None) -> str:
    """The bot's invite link; with ``guild_id`` the server is preselected."""
    query: dict[str, str] = {
        "client_id": str(application_id),
        "scope": " ".join(SCOPES),
        "permissions": str(permissions_value()),
    }
    if guild_id is not None:
        query["guild_id"] = str(guild_id)
        query["disable_guild_select"] = "true"
    return f"{AUTHORIZE_URL}?{urlencode(query)}"


def user_install_url(application_id: int) -> str:
    """The link that adds mlcareer to the opener's own account, so its commands work in any
    server or DM without the bot (Discord offers it once "User Install" is ticked on the
    portal's Installation page)."""
    query = {
        "client_id": str(application_id),
        "integration_type": USER_INSTALL,
        "scope": "applications.commands",
    }
    return f"{AUTHORIZE_URL}?{urlencode(query)}"
