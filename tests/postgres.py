"""A real PostgreSQL server for the tests, started once per session in a temporary folder.

It listens only on a unix socket in that folder (no TCP port, so parallel test runs on one
machine never collide), with durability turned off for speed. Run as root, the server runs as
the ``postgres`` user (or ``nobody``), since PostgreSQL refuses to run as root. Each test gets
an empty database of its own (a schema, see ``PostgresServer.database``), dropped afterwards;
the store under test migrates it when it opens it, as it would in production.

The binaries are found with ``pg_config --bindir``, then in Debian's /usr/lib/postgresql/*/bin.
When there are none, tests that need the server skip, saying so; with
MLCAREER_REQUIRE_POSTGRES=1 (as ``.ci/run`` sets) they fail instead.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import psycopg
import pytest

REQUIRE_ENV = "MLCAREER_REQUIRE_POSTGRES"
SUPERUSER = "mlcareer"
DATABASE = "tips"
PORT = 5432  # only names the socket file; the folder is private to this run
START_TIMEOUT_SECONDS = 30.0
_OPTIONS = {
    "listen_addresses": "",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "shared_buffers": "32MB",
}


def find_binaries() -> Path | None:
    """The folder holding ``initdb`` and ``postgres``, or None when the server isn't installed."""
    folders: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if found.returncode == 0 and found.stdout.strip():
            folders.append(Path(found.stdout.strip()))
    folders.extend(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True))
    initdb = shutil.which("initdb")
    if initdb:
        folders.append(Path(initdb).resolve().parent)
    for folder in folders:
        if (folder / "initdb").is_file() and (folder / "postgres").is_file():
            return folder
    return None


def no_server(required: bool) -> NoReturn:
    """Skip the test that wanted the server, saying why; or fail it when ``required``."""
    reason = (
        "PostgreSQL server binaries (initdb, postgres) not found; install the server "
        "(Debian: apt-get install postgresql) to run the PostgreSQL tests"
    )
    if required:
        pytest.fail(f"{REQUIRE_ENV} is set but {reason}")
    pytest.skip(reason)


def _server_user() -> str | None:
    """Who runs the server: ourselves, or when we are root, an unprivileged account."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("running as root, and there is no 'postgres' or 'nobody' user to run it")


class PostgresServer:
    """A throw-away cluster: ``start`` it, hand out databases, ``stop`` it."""

    def __init__(self, binaries: Path) -> None:
        self._bin = binaries
        self._user = _server_user()
        self.folder = Path(tempfile.mkdtemp(prefix="mlcareer-pg-"))
        self._data = self.folder / "data"
        self._log = self.folder / "server.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._admin: psycopg.Connection[tuple[object, ...]] | None = None
        self._names = itertools.count(1)

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@/{database}?host={self.folder}&port={PORT}"

    def _run(self, *args: str) -> None:
        done = subprocess.run(args, user=self._user, capture_output=True, check=False)
        if done.returncode != 0:
            output = (done.stdout + done.stderr).decode(errors="replace")
            raise RuntimeError(f"{args[0]} failed ({done.returncode}):\n{output}")

    def start(self) -> None:
        if self._user is not None:
            entry = pwd.getpwnam(self._user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self._run(
            str(self._bin / "initdb"),
            "--pgdata",
            str(self._data),
            "--username",
            SUPERUSER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
        )
        options = [arg for key, value in _OPTIONS.items() for arg in ("-c", f"{key}={value}")]
        where = ["-D", str(self._data), "-k", str(self.folder), "-p", str(PORT)]
        with self._log.open("wb") as log:
            self._process = subprocess.Popen(
                [str(self._bin / "postgres"), *where, *options],
                user=self._user,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        with self._wait_ready() as setup:
            setup.execute(f"CREATE DATABASE {DATABASE}")
        self._admin = psycopg.connect(self.url(DATABASE), autocommit=True)

    def _wait_ready(self) -> psycopg.Connection[tuple[object, ...]]:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(f"postgres exited at start-up:\n{self._log.read_text()}")
            try:
                return psycopg.connect(self.url("postgres"), autocommit=True)
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @contextmanager
    def database(self) -> Iterator[str]:
        """A new, empty database for one test: its DATABASE_URL.

        It is a schema of its own in one shared database, which the URL puts first on the
        search path: the tables the store migrates into it, and everything it reads, are
        that test's alone. (Creating and dropping a schema takes a few milliseconds; a whole
        database copied from a template took over 100 ms on a busy machine.)
        """
        assert self._admin is not None
        name = f"test_{next(self._names)}"
        self._admin.execute(f"CREATE SCHEMA {name}")
        try:
            # The application name tells the test's connections apart from the server's own.
            yield f"{self.url(DATABASE)}&options=-csearch_path%3D{name}&application_name={name}"
        finally:
            self._admin.execute(f"DROP SCHEMA {name} CASCADE")

    def stop(self) -> None:
        if self._admin is not None:
            self._admin.close()
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGINT)  # fast shutdown: disconnect, stop
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
