"""One typed settings object, read from the environment and ``.env`` once, at start-up.

Precedence, highest first: keyword arguments to ``Settings.load``, the process environment,
the ``.env`` file, the defaults below. Nothing reads the environment at import time; the CLI
builds one ``Settings`` and passes it down. Secrets are wrapped in ``Secret`` so that a repr,
a log line or a traceback never shows them.
"""

from __future__ import annotations

import importlib.resources
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from bot.errors import SettingsError

PACKAGE_ROOT = Path(__file__).resolve().parent
# The shipped knowledge: knowledge/ at the top of the repo, installed as this package (setup.py).
BUNDLED_KNOWLEDGE = "bot.bundled_knowledge"
APP_NAME = "mlcareer"
# The default database's file name inside the data folder.
DATABASE_FILE = "mlcareer.db"


def bundled_knowledge_dir() -> Path:
    """The knowledge folder shipped with the package, found through ``importlib.resources``.

    That works the same in a wheel, a pipx install and an editable install. Run from a source
    checkout that was never installed, it is the checkout's knowledge/. A broken install (the
    package data missing) gives a path that doesn't exist, which the loader reports as missing
    rather than a traceback here.
    """
    try:
        folder = importlib.resources.files(BUNDLED_KNOWLEDGE)
    except ModuleNotFoundError:
        checkout = PACKAGE_ROOT.parent
        if (checkout / "pyproject.toml").is_file():
            return checkout / "knowledge"
        return PACKAGE_ROOT / "bundled_knowledge"
    # Installed packages are plain folders; a zipped install has no folder the loader can read.
    return folder if isinstance(folder, Path) else PACKAGE_ROOT / "bundled_knowledge"


DEFAULT_KNOWLEDGE_DIR = bundled_knowledge_dir()


def default_data_dir(environ: Mapping[str, str], platform: str = sys.platform) -> Path:
    """The platform's per-user data folder for mlcareer, where the default database lives.

    Linux and other Unixes: ``$XDG_DATA_HOME/mlcareer``, else ``~/.local/share/mlcareer`` (the
    XDG base directory rules: a relative XDG_DATA_HOME is ignored); macOS:
    ``~/Library/Application Support/mlcareer``; Windows: ``%LOCALAPPDATA%\\mlcareer``. The
    environment is passed in, so tests (and ``Settings.load``) decide what is read.
    """

    def absolute(var: str) -> Path | None:
        value = environ.get(var, "").strip()
        return Path(value) if value and Path(value).is_absolute() else None

    home = absolute("HOME") or absolute("USERPROFILE") or Path.home()
    if platform == "win32":
        base = absolute("LOCALAPPDATA") or home / "AppData" / "Local"
    elif platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = absolute("XDG_DATA_HOME") or home / ".local" / "share"
    return base / APP_NAME


def sqlite_url(path: Path) -> str:
    """The ``DATABASE_URL`` of a SQLite file (four slashes for an absolute path)."""
    return f"sqlite:///{path}"


@dataclass(frozen=True, slots=True)
class Secret:
    """A token or signing secret; its repr and str never show the value."""

    value: str = field(repr=False)

    def reveal(self) -> str:
        """The raw value, for the one call that hands it to an SDK."""
        return self.value

    def __str__(self) -> str:
        return "********"

    def __repr__(self) -> str:
        return "Secret('********')"

    def __bool__(self) -> bool:
        return bool(self.value)


# Environment variable -> (field name, kind); an empty value leaves the default.
# Kinds: str, optstr, int, float, secret, bool, path, paths (os.pathsep-separated), list.
ENV_VARS: dict[str, tuple[str, str]] = {
    "MLCAREER_KNOWLEDGE_DIR": ("knowledge_dir", "path"),
    "MLCAREER_EXTRA_KNOWLEDGE": ("extra_knowledge", "paths"),
    "MLCAREER_LOG_LEVEL": ("log_level", "str"),
    "MLCAREER_MAX_INPUT_CHARS": ("max_input_chars", "int"),
    "MLCAREER_ADMINS": ("admins", "list"),
    "MLCAREER_DATA_DIR": ("data_dir", "path"),
    "DATABASE_URL": ("database_url", "str"),
    "MLCAREER_TIPS_GRACE_HOURS": ("tips_grace_hours", "float"),
    "MLCAREER_TIPS_LEASE_SECONDS": ("tips_lease_seconds", "float"),
    "MLCAREER_EVENT_LEASE_SECONDS": ("event_lease_seconds", "float"),
    "MLCAREER_OPS_HOST": ("ops_host", "str"),
    "MLCAREER_OPS_PORT": ("ops_port", "int"),
    "MLCAREER_HASH_KEY": ("hash_key", "secret"),
    "MLCAREER_LOG_RETENTION_DAYS": ("log_retention_days", "int"),
    "MLCAREER_QUESTION_LOG": ("question_log", "bool"),
    "SLACK_BOT_TOKEN": ("slack_bot_token", "secret"),
    "SLACK_APP_TOKEN": ("slack_app_token", "secret"),
    "SLACK_SIGNING_SECRET": ("slack_signing_secret", "secret"),
    "SLACK_API_URL": ("slack_api_url", "str"),
    "SLACK_HTTP": ("slack_http", "bool"),
    "SLACK_HOST": ("slack_host", "str"),
    "SLACK_PORT": ("slack_port", "int"),
    "SLACK_CLIENT_ID": ("slack_client_id", "optstr"),
    "SLACK_CLIENT_SECRET": ("slack_client_secret", "secret"),
    "SLACK_SCOPES": ("slack_scopes", "list"),
    "SLACK_REDIRECT_URI": ("slack_redirect_uri", "optstr"),
    "MLCAREER_TOKEN_KEY": ("token_key", "secret"),
    "DISCORD_TOKEN": ("discord_token", "secret"),
    "DISCORD_GUILD_ID": ("discord_guild_id", "optstr"),
    "DISCORD_APPLICATION_ID": ("discord_application_id", "optstr"),
    "DISCORD_API_URL": ("discord_api_url", "str"),
    "DISCORD_SHARD_COUNT": ("discord_shard_count", "optstr"),
    "DISCORD_SHARD_IDS": ("discord_shard_ids", "optstr"),
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting the bot has. ``.env.example`` documents each one."""

    knowledge_dir: Path = DEFAULT_KNOWLEDGE_DIR
    # Community knowledge folders layered on top of knowledge_dir, in order.
    extra_knowledge: tuple[Path, ...] = ()
    log_level: str = "INFO"
    max_input_chars: int = 2000
    admins: tuple[str, ...] = ()
    # ``load`` always sets the data folder (MLCAREER_DATA_DIR, else the platform's user data
    # folder) and, unless DATABASE_URL is set, puts the database in it. The plain defaults here
    # are what a Settings built directly (in tests) gets: no data folder, ./mlcareer.db.
    data_dir: Path | None = None
    database_url: str = "sqlite:///mlcareer.db"
    tips_grace_hours: float = 6.0
    # How long a replica's claim on a tip post (or on an event it answers) holds before
    # another replica may take it over, when the holder died.
    tips_lease_seconds: float = 600.0
    event_lease_seconds: float = 30.0
    ops_host: str = "127.0.0.1"
    ops_port: int = 8081
    # The question log: the key of the user hash (generated once and kept in the database
    # when unset), how long question text is kept, and whether rows are kept at all (off:
    # only daily counts).
    hash_key: Secret | None = None
    log_retention_days: int = 90
    question_log: bool = True
    slack_bot_token: Secret | None = None
    slack_app_token: Secret | None = None
    slack_signing_secret: Secret | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_http: bool = False
    slack_host: str = "0.0.0.0"
    slack_port: int = 3000
    # Distribution to many workspaces (Slack's OAuth install flow, HTTP mode only): on when
    # both the client id and secret are set. No scopes means the manifest's bot scopes; no
    # redirect URI means the one set on the app's OAuth & Permissions page.
    slack_client_id: str | None = None
    slack_client_secret: Secret | None = None
    slack_scopes: tuple[str, ...] = ()
    slack_redirect_uri: str | None = None
    # The Fernet key that encrypts the installed workspaces' bot tokens in the database.
    token_key: Secret | None = None
    discord_token: Secret | None = None
    discord_guild_id: str | None = None
    discord_application_id: str | None = None
    discord_api_url: str = "https://discord.com/api/v10"
    # Checked by bot.adapters.discord.config: a number or "auto", and a comma list of ids.
    discord_shard_count: str | None = None
    discord_shard_ids: str | None = None

    @classmethod
    def load(
        cls,
        environ: Mapping[str, str] | None = None,
        dotenv: Path | None = Path(".env"),
        **overrides: Any,
    ) -> Settings:
        """Build settings from ``.env``, then the environment, then ``overrides`` (highest)."""
        values: dict[str, str] = {}
        env = os.environ if environ is None else environ
        if dotenv is not None and dotenv.is_file():
            values.update(read_dotenv(dotenv))
        values.update(env)
        parsed: dict[str, Any] = {}
        for var, (name, kind) in ENV_VARS.items():
            # An empty value ("KEY=" uncommented from .env.example) means the default; an
            # empty path would otherwise mean the current folder.
            if values.get(var, "").strip():
                parsed[name] = _convert(var, values[var], kind)
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        parsed.update(overrides)
        data_dir = Path(parsed.get("data_dir") or default_data_dir(env)).absolute()
        parsed["data_dir"] = data_dir
        parsed.setdefault("database_url", sqlite_url(data_dir / DATABASE_FILE))
        settings = cls(**parsed)
        settings.validate()
        return settings

    def validate(self) -> None:
        """Check values that every command relies on; platform checks live with each adapter."""
        if self.max_input_chars < 50:
            raise SettingsError("MLCAREER_MAX_INPUT_CHARS must be at least 50 (default 2000).")
        if self.tips_grace_hours < 0:
            raise SettingsError("MLCAREER_TIPS_GRACE_HOURS must be zero or more (default 6).")
        if self.tips_lease_seconds < 1:
            raise SettingsError("MLCAREER_TIPS_LEASE_SECONDS must be at least 1 (default 600).")
        if self.event_lease_seconds < 3:
            # A claim must outlast the 2 s the bot waits for an answer before acknowledging.
            raise SettingsError("MLCAREER_EVENT_LEASE_SECONDS must be at least 3 (default 30).")
        if not 0 <= self.ops_port <= 65535:
            raise SettingsError(
                "MLCAREER_OPS_PORT must be a port number from 1 to 65535, or 0 to turn the "
                f"health and metrics endpoint off (default 8081), not {self.ops_port}."
            )
        if self.log_retention_days < 1:
            raise SettingsError(
                "MLCAREER_LOG_RETENTION_DAYS must be a whole number of days, 1 or more "
                f"(default 90), not {self.log_retention_days}."
            )
        if self.log_level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise SettingsError(
                "MLCAREER_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL."
            )

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with some fields changed (command-line flags beat the environment)."""
        return replace(self, **changes)


def _convert(var: str, raw: str, kind: str) -> Any:
    text = raw.strip()
    if kind == "str":
        return text
    if kind == "optstr":
        return text or None
    if kind == "secret":
        return Secret(text) if text else None
    if kind == "path":
        return Path(text).expanduser()
    if kind == "paths":
        return tuple(
            Path(part.strip()).expanduser() for part in text.split(os.pathsep) if part.strip()
        )
    if kind == "list":
        return tuple(part.strip() for part in text.replace(";", ",").split(",") if part.strip())
    if kind == "bool":
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise SettingsError(f"{var} must be true or false, not {text!r}.")
    try:
        return int(text) if kind == "int" else float(text)
    except ValueError:
        raise SettingsError(f"{var} must be a number, not {text!r}.") from None


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse a ``.env`` file: ``KEY=value`` lines, ``#`` comments, quotes, ``export``."""
    result: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"cannot read {path}: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("export "):
            stripped = stripped[len("export ") :].lstrip()
        key, sep, value = stripped.partition("=")
        key = key.strip()
        if not sep or not key.replace("_", "").isalnum():
            raise SettingsError(f"{path}:{number}: expected KEY=value")
        result[key] = _dotenv_value(value, f"{path}:{number}: {key}")
    return result


def _dotenv_value(raw: str, where: str) -> str:
    """A value as written: quoted (a comment may follow the closing quote) or bare, where a
    ``#`` after whitespace starts a comment (a ``#`` inside a word, as in a token, does not)."""
    value = raw.strip()
    if value[:1] in ("'", '"'):
        end = value.find(value[0], 1)
        if end == -1:
            raise SettingsError(f"{where}: the closing {value[0]} is missing")
        rest = value[end + 1 :].strip()
        if rest and not rest.startswith("#"):
            raise SettingsError(f"{where}: unexpected text after the closing quote")
        return value[1:end]
    if raw[:1].isspace():
        value = " " + value  # "KEY= # note" is an empty value and a comment
    return value.split(" #", 1)[0].strip()
