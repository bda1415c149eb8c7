"""The Discord adapter: ``/mlcareer`` commands, mentions, DMs and buttons through discord.py.

Translation lives in pure functions (``translate``: platform payload -> Request; ``embeds``:
Reply -> embed and buttons; ``commands``: knowledge base -> command definition); ``outgoing``,
``client``, ``handlers``, ``sync``, ``sender`` and ``runner`` are the thin parts that talk to
discord.py.
"""
