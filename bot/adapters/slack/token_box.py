"""Bot tokens at rest: encrypted with Fernet (cryptography) under MLCAREER_TOKEN_KEY.

Fernet is authenticated encryption (AES-128-CBC with an HMAC-SHA256 tag): a token stored
under another key, or altered in the database, fails to decrypt instead of turning into
garbage. The key comes from the environment only; neither it nor a token is ever logged or
shown in an error.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from bot.errors import SettingsError, StorageError
from bot.settings import Secret

_MAKE_ONE = "make one with `mlcareer slack new-token-key`"


def new_key() -> str:
    """A fresh random key for MLCAREER_TOKEN_KEY (url-safe base64 of 32 random bytes)."""
    return Fernet.generate_key().decode("ascii")


class TokenBox:
    """Encrypts tokens for the database and decrypts them back."""

    def __init__(self, key: Secret | None) -> None:
        if not key:
            raise SettingsError(
                "MLCAREER_TOKEN_KEY is not set: distributing to many workspaces stores each "
                f"workspace's bot token encrypted under it; {_MAKE_ONE}."
            )
        try:
            self._fernet = Fernet(key.reveal().encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raise SettingsError(
                "MLCAREER_TOKEN_KEY is not a Fernet key (44 characters of url-safe base64); "
                f"{_MAKE_ONE}."
            ) from None

    def seal(self, token: str) -> str:
        """``token`` encrypted, as text for a database column."""
        return self._fernet.encrypt(token.encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> str:
        """The token in ``sealed``; ``StorageError`` when this key cannot decrypt it."""
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise StorageError(
                "a stored Slack bot token cannot be decrypted with MLCAREER_TOKEN_KEY: the key "
                "changed since the workspace installed the app; set the old key again, or have "
                "the workspace install the app again"
            ) from None
