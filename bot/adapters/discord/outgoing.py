"""Rendered replies -> the arguments discord.py's send, reply and followup calls take.

Every message the bot sends goes through ``message_kwargs`` (or, for the share and the
"posted in the channel" note, passes ``NO_MENTIONS`` itself), so each one carries allowed
mentions set to none on top of the client's default.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.adapters.discord.embeds import Button, Rendered

NO_MENTIONS = discord.AllowedMentions.none()


def message_kwargs(rendered: Rendered) -> dict[str, Any]:
    """The keyword arguments every discord.py send call gets for a rendered reply."""
    kwargs: dict[str, Any] = {"embed": to_embed(rendered), "allowed_mentions": NO_MENTIONS}
    view = to_view(rendered.buttons)
    if view is not None:
        kwargs["view"] = view
    return kwargs


def to_embed(rendered: Rendered) -> discord.Embed:
    """The discord.py embed for a rendered reply."""
    return discord.Embed.from_dict(rendered.embed)


def to_view(buttons: tuple[Button, ...]) -> discord.ui.View | None:
    """A discord.py view holding ``buttons``, or None when there are none.

    The view is stopped at once so discord.py does not keep it in memory: clicks are answered
    statelessly from the custom id (see ``handlers.answer_component``), which also keeps the
    buttons working after a restart.
    """
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in buttons:
        view.add_item(
            discord.ui.Button(
                label=button.label,
                custom_id=button.custom_id,
                style=getattr(discord.ButtonStyle, button.style.value),
                row=button.row,
            )
        )
    view.stop()
    return view
