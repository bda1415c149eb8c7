"""``mlcareer slack manifest``: print the Slack app manifest to create the app from."""

from __future__ import annotations

import argparse
import sys

from bot.settings import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``slack manifest`` to the command line."""
    parser = subparsers.add_parser(
        "slack",
        help="Slack helpers (print the app manifest)",
        description="Helpers for installing the bot in a Slack workspace.",
    )
    actions = parser.add_subparsers(dest="slack_command", metavar="ACTION", required=True)
    show = actions.add_parser(
        "manifest",
        help="print the Slack app manifest (YAML)",
        description="Print a Slack app manifest: paste it into https://api.slack.com/apps > "
        "Create New App > From a manifest. Socket Mode is on unless --request-url is given.",
    )
    show.add_argument("--name", default="mlcareer", help="app and bot name (default: mlcareer)")
    show.add_argument(
        "--request-url",
        metavar="URL",
        help="HTTP mode: the public URL of /slack/events, e.g. https://bot.example.com/slack/events",
    )
    show.set_defaults(func=print_manifest)


def print_manifest(args: argparse.Namespace, settings: Settings) -> int:
    """Print the app manifest as YAML on stdout."""
    from bot.adapters.slack.manifest import manifest_yaml

    sys.stdout.write(manifest_yaml(args.name, args.request_url))
    return 0
