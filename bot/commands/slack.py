"""``mlcareer slack manifest``: print the Slack app manifest to create the app from."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from bot.adapters.slack.manifest import app_name, manifest_yaml, request_url
from bot.errors import SettingsError
from bot.settings import Settings


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of ``slack manifest``; its name and help line are in ``bot.cli.COMMANDS``."""
    parser.description = "Helpers for installing the bot in a Slack workspace."
    actions = parser.add_subparsers(dest="slack_command", metavar="ACTION", required=True)
    show = actions.add_parser(
        "manifest",
        help="print the Slack app manifest (YAML)",
        description="Print a Slack app manifest: paste it into https://api.slack.com/apps > "
        "Create New App > From a manifest. Socket Mode is on unless --request-url is given.",
    )
    show.add_argument(
        "--name",
        default="mlcareer",
        type=_checked(app_name),
        help="app and bot name, 1 to 35 characters (default: mlcareer)",
    )
    show.add_argument(
        "--request-url",
        metavar="URL",
        type=_checked(request_url),
        help="HTTP mode: the public https:// URL of /slack/events, e.g. "
        "https://bot.example.com/slack/events (a bare https://host gets /slack/events added)",
    )
    show.add_argument(
        "--distribute",
        action="store_true",
        help="with --request-url: for distributing to many workspaces, add the OAuth redirect "
        "URL (/slack/oauth_redirect on the same host) and the app_uninstalled and "
        "tokens_revoked events",
    )
    show.set_defaults(func=print_manifest)
    key = actions.add_parser(
        "new-token-key",
        help="print a fresh MLCAREER_TOKEN_KEY (encrypts the stored workspace tokens)",
        description="Print a new random Fernet key for MLCAREER_TOKEN_KEY, which encrypts the "
        "bot tokens of the workspaces that install the app. Put it in the environment or .env "
        "once and keep it: a new key cannot read tokens stored under the old one.",
    )
    key.set_defaults(func=print_token_key)


def print_manifest(args: argparse.Namespace, settings: Settings) -> int:
    """Print the app manifest as YAML on stdout."""
    if args.distribute and not args.request_url:
        raise SettingsError(
            "--distribute needs --request-url: distributing to many workspaces works in "
            "HTTP mode only, e.g. --request-url https://bot.example.com/slack/events"
        )
    sys.stdout.write(manifest_yaml(args.name, args.request_url, args.distribute))
    return 0


def print_token_key(args: argparse.Namespace, settings: Settings) -> int:
    """Print a fresh Fernet key on stdout (and nothing else, for ``>> .env`` use)."""
    from bot.adapters.slack.token_box import new_key

    sys.stdout.write(new_key() + "\n")
    return 0


def _checked(check: Callable[[str], str]) -> Callable[[str], str]:
    """An argparse ``type`` that reports ``check``'s ValueError as the reason."""

    def convert(text: str) -> str:
        try:
            return check(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert
