"""The Slack adapter: slash command, mentions, DMs and buttons through slack-bolt's AsyncApp.

Translation lives in ``translate`` (Slack payload -> Request) and ``blocks`` (Reply -> Block
Kit); ``handlers`` are plain async functions; ``app`` wires them into bolt; ``runner`` serves
Socket Mode or HTTP on the shared event loop. The terminal paths import none of it but
``manifest``, which needs no Slack SDK.
"""
