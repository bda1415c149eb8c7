"""The channel senders for posting tips outside ``mlcareer run`` (``mlcareer tips send-due``)."""

from __future__ import annotations

from bot.core.ports import ChannelSender
from bot.settings import Settings


def build_senders(settings: Settings) -> dict[str, ChannelSender]:
    """One sender per platform whose token is set, keyed by platform name.

    Adapters are imported only here, inside the function, so terminal commands never load
    slack_bolt or discord.
    """
    senders: dict[str, ChannelSender] = {}
    # TODO(lead): wire the adapters' senders in once their branches are merged, e.g.
    #   if settings.slack_bot_token:
    #       from bot.adapters.slack.sender import SlackSender
    #       senders["slack"] = SlackSender(settings)
    #   if settings.discord_token:
    #       from bot.adapters.discord.sender import DiscordSender
    #       senders["discord"] = DiscordSender(settings)
    # Discord's sender must post over REST (POST /channels/{id}/messages) without opening the
    # gateway, and a sender that holds an HTTP session needs closing after send-due.
    return senders
