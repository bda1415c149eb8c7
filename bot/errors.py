"""The package's error hierarchy: every error mlcareer raises on purpose is a ``MlcareerError``.

Adapters translate SDK exceptions into these at the seam (``raise PlatformError(...) from exc``),
so the core and the CLI only ever need to catch one family.
"""

from __future__ import annotations


class MlcareerError(Exception):
    """Root of every error the bot raises deliberately."""


class SettingsError(MlcareerError):
    """A setting is missing or malformed; the message names the variable and how to fix it."""


class KnowledgeError(MlcareerError):
    """The knowledge base failed validation; ``problems`` lists ``file:line: what to fix``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        summary = f"knowledge base has {count} problem{'s' if count != 1 else ''}"
        super().__init__(summary + ":\n" + "\n".join(self.problems))


class KnowledgeMissingError(SettingsError):
    """The knowledge folder (or file) does not exist: a setting or an argument points nowhere.

    Not a ``KnowledgeError``: there is nothing to validate, so the CLI says "missing" and exits 2
    (a wrong setting), not 1 (an invalid knowledge base).
    """


class PlatformError(MlcareerError):
    """A chat platform refused or failed a call (network, auth, rate limit that would not clear)."""


class ChannelGoneError(PlatformError):
    """The channel no longer exists or the bot was removed from it; retrying will not help."""


class StorageError(MlcareerError):
    """The database could not be opened, migrated or written."""
