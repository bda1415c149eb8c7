"""The plain request every adapter builds from a platform event."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Request:
    """What a user asked, stripped of everything platform-specific.

    ``text`` is the words after the slash command or the mention, exactly as typed (the router
    cleans it). ``is_admin`` is decided by the adapter (Slack admins, Discord Manage Channels),
    because only the adapter can ask the platform.
    """

    text: str
    user: str = "console"
    channel: str = "console"
    platform: str = "console"
    is_admin: bool = False
