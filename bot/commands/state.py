"""Where the bot keeps its state: the database and the .env file, said once at start-up.

``mlcareer run`` and ``tips send-due`` log which database and which .env they use (paths only,
never contents, and never a database password), so that "where are my subscriptions?" has an
answer in the log. They are also the only commands that create the data folder; read-only
commands (``tips list``, ``kb check``, ``ask``, ``chat``) never create a database or a folder.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from bot.errors import StorageError
from bot.settings import Settings
from bot.tips.database import MEMORY, SQLITE_PREFIX, sqlite_target

log = logging.getLogger(__name__)

# What bot.cli reads when --env-file is not given.
DEFAULT_ENV_FILE = Path(".env")


def database_file(url: str) -> Path | None:
    """The absolute path of the SQLite file ``url`` names; None for in-memory or other URLs."""
    if not url.strip().startswith(SQLITE_PREFIX):
        return None
    target = sqlite_target(url)
    if target == MEMORY:
        return None
    return Path(target).expanduser().absolute()


def database_location(url: str) -> str:
    """``url`` fit for a log line: the file's path, or the URL without user name and password."""
    file = database_file(url)
    if file is not None:
        return str(file)
    if url.strip().startswith(SQLITE_PREFIX):
        return "in memory (lost on exit)"
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def prepare_state(settings: Settings, env_file: Path | None) -> None:
    """Log the database and .env in use, and create the data folder if the database is in it.

    ``env_file`` is the ``--env-file`` argument (None: ``.env`` in the working folder). The
    data folder is created (owner-only) only for a SQLite database inside it, so a DATABASE_URL
    pointing elsewhere still fails loudly when its folder is missing.
    """
    file = database_file(settings.database_url)
    where = database_location(settings.database_url)
    in_data_dir = file is not None and file.parent == settings.data_dir
    if in_data_dir:
        log.info("database: %s (in the data folder, MLCAREER_DATA_DIR)", where)
    else:
        log.info("database: %s (DATABASE_URL)", where)
    dotenv = (env_file or DEFAULT_ENV_FILE).absolute()
    if dotenv.is_file():
        log.info("settings: the environment and %s", dotenv)
    else:
        log.info("settings: the environment only (no .env file at %s)", dotenv)
    if file is not None and in_data_dir and not file.parent.is_dir():
        try:
            file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"cannot create the data folder {file.parent} ({exc.strerror or exc}); set "
                "MLCAREER_DATA_DIR to a folder this user can write"
            ) from exc
        log.info("created the data folder %s", file.parent)
