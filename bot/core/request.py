"""The plain request every adapter builds from a platform event."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Request:
    """What a user asked, stripped of everything platform-specific.

    ``text`` is the words after the slash command or the mention, exactly as typed (the router
    cleans it). ``is_admin`` is decided by the adapter (Slack admins, Discord Manage Channels),
    because only the adapter can ask the platform. ``workspace`` is the Slack team or Discord
    guild ("" in a DM or the terminal); ``channel_kind`` is one of ``CHANNEL_KINDS``, for the
    question log's privacy-respecting counts. ``reads_reports`` says the person may see the
    question-log report (Slack admins and MLCAREER_ADMINS, Discord Manage Server), decided by
    the adapter like ``is_admin``.
    """

    text: str
    user: str = "console"
    channel: str = "console"
    platform: str = "console"
    is_admin: bool = False
    workspace: str = ""
    channel_kind: str = "terminal"
    reads_reports: bool = False


# Where a question was asked: a direct message, a channel, a thread, or the terminal.
CHANNEL_KINDS = ("dm", "channel", "thread", "terminal")
