"""``mlcareer discord invite``: print the link that adds the bot to a Discord server."""

from __future__ import annotations

import argparse
import sys

from bot.errors import SettingsError
from bot.settings import Settings


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of ``discord invite``; its name and help line are in ``bot.cli.COMMANDS``."""
    parser.description = (
        "Discord helpers. 'invite' prints the OAuth2 link a server owner opens to "
        "add the bot, with the bot and applications.commands scopes and only the permissions "
        "the bot uses."
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    invite = actions.add_parser(
        "invite",
        help="print the invite link",
        description="Print the invite link, then what each requested permission is for. The "
        "application id comes from --application-id, DISCORD_APPLICATION_ID, or the bot id "
        "that DISCORD_TOKEN encodes.",
    )
    invite.add_argument("--application-id", metavar="ID", help="the application's id")
    invite.add_argument("--guild-id", metavar="ID", help="preselect this server in the link")
    invite.set_defaults(func=print_invite)


def print_invite(args: argparse.Namespace, settings: Settings) -> int:
    """Print the invite link on stdout and what each permission is for on stderr."""
    from bot.adapters.discord.config import (
        application_id_from_token,
        require_token,
        snowflake,
    )
    from bot.adapters.discord.invite import PERMISSIONS, invite_url, user_install_url

    application_id = snowflake("--application-id", args.application_id) or snowflake(
        "DISCORD_APPLICATION_ID", settings.discord_application_id
    )
    if application_id is None and settings.discord_token is not None:
        application_id = application_id_from_token(require_token(settings))
    if application_id is None:
        raise SettingsError(
            "no application id: set DISCORD_APPLICATION_ID (developer portal, General "
            "Information > Application ID), pass --application-id, or set DISCORD_TOKEN"
        )
    guild_id = snowflake("--guild-id", args.guild_id)
    print(invite_url(application_id, guild_id))
    print("\nPermissions requested:", file=sys.stderr)
    for permission in PERMISSIONS:
        print(f"  {permission.name}: {permission.why}", file=sys.stderr)
    print(
        "\nTo use mlcareer as your own app, in any server or DM (User Install ticked on the "
        f"portal's Installation page):\n  {user_install_url(application_id)}",
        file=sys.stderr,
    )
    return 0
