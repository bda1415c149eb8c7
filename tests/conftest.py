"""Shared fixtures: the shipped knowledge base, core services on it, and a CLI runner."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.core.router import Router
from bot.core.services import Services
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher
from bot.settings import DEFAULT_KNOWLEDGE_DIR
from tests.postgres import REQUIRE_ENV, PostgresServer, find_binaries, no_server

DATA = Path(__file__).resolve().parent / "data"
KB_FIXTURES = DATA / "kb"

# Variables that would change what the CLI does; removed so a developer's shell cannot leak in.
_SETTING_PREFIXES = ("MLCAREER_", "SLACK_", "DISCORD_", "DATABASE_URL", "PYTHONIOENCODING")

RunCli = Callable[..., subprocess.CompletedProcess[bytes]]


@pytest.fixture(autouse=True)
def user_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point the default data folder (where the default database goes) into this test's
    temporary folder, for in-process and subprocess runs alike, so no test touches the
    developer's ~/.local/share/mlcareer. It is only named here, not created."""
    monkeypatch.delenv("MLCAREER_DATA_DIR", raising=False)
    folder = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder / "mlcareer"


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    return load_knowledge(DEFAULT_KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def matcher(knowledge: KnowledgeBase) -> Matcher:
    return Matcher(knowledge)


@pytest.fixture
def services(knowledge: KnowledgeBase, matcher: Matcher) -> Services:
    return Services(knowledge=knowledge, matcher=matcher, rng=random.Random(1234))


@pytest.fixture
def router(services: Services) -> Router:
    return Router(services)


@pytest.fixture(scope="session")
def kb_fixtures() -> Path:
    """The folder of small knowledge bases, each broken in one way (and one valid)."""
    return KB_FIXTURES


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture
def run_cli(tmp_path: Path) -> RunCli:
    """Run ``python -m bot ARGS`` in an empty folder (so no stray .env is read); bytes in/out."""

    def run(
        *args: str,
        stdin: bytes = b"",
        extra_env: dict[str, str] | None = None,
        code: str | None = None,
    ) -> subprocess.CompletedProcess[bytes]:
        """``code``, if given, runs as ``python -c CODE ARGS`` instead of ``python -m bot``."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(_SETTING_PREFIXES)}
        env.update(extra_env or {})
        program = ["-m", "bot"] if code is None else ["-c", code]
        return subprocess.run(
            [sys.executable, *program, *args],
            input=stdin,
            capture_output=True,
            cwd=tmp_path,
            env=env,
            timeout=60,
            check=False,
        )

    return run


BACKENDS = ("sqlite", "postgres")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One real PostgreSQL server for the whole session (see tests/postgres.py).

    Without the server binaries the tests that need it skip, unless MLCAREER_REQUIRE_POSTGRES
    is set (CI sets it), which makes that a failure.
    """
    binaries = find_binaries()
    if binaries is None:
        no_server(required=bool(os.environ.get(REQUIRE_ENV)))
    server = PostgresServer(binaries)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'tips.db'}"


@pytest.fixture
def db_url(backend: str, sqlite_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A new, empty tips database on the test's backend, migrated when first opened."""
    if backend == "sqlite":
        yield sqlite_url
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    with server.database() as url:
        yield url
