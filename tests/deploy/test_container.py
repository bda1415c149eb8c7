"""The container image, tested without a container engine: the Dockerfile's build step is
deploy/build.sh (run by conftest.py into a temporary prefix), and its HEALTHCHECK command is
run here from that prefix against a real HTTP server on loopback, and against nothing."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from tests.deploy.conftest import ROOT, Installed, clean_environment

DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
IMAGE_PREFIX = "/opt/mlcareer"


def instructions(name: str) -> list[str]:
    """The arguments of every ``NAME`` instruction in the Dockerfile (continuations joined)."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [m.group(1).strip() for m in re.finditer(rf"^{name}\s+(.+)$", joined, re.M)]


def healthcheck_command(installed: Installed) -> list[str]:
    """The HEALTHCHECK's exec-form CMD, with the image's prefix mapped to the tested one."""
    (line,) = instructions("HEALTHCHECK")
    argv = json.loads(line.partition(" CMD ")[2])
    return [arg.replace(IMAGE_PREFIX, str(installed.prefix)) for arg in argv]


def test_the_image_is_built_by_the_tested_script_into_the_tested_prefix() -> None:
    assert instructions("RUN")[0] == f"sh deploy/build.sh /src {IMAGE_PREFIX}"
    assert f"--from=build {IMAGE_PREFIX} {IMAGE_PREFIX}" in instructions("COPY")
    froms = instructions("FROM")
    assert froms == ["${PYTHON_IMAGE} AS build", "${PYTHON_IMAGE}"]  # two stages, one base
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.\d+-slim", DOCKERFILE, re.M)


def test_the_image_runs_as_a_user_with_its_data_on_a_volume_and_stops_on_sigterm() -> None:
    assert instructions("USER") == ["mlcareer"]
    assert instructions("VOLUME") == ['["/data"]']
    assert "MLCAREER_DATA_DIR=/data" in " ".join(instructions("ENV"))
    assert instructions("STOPSIGNAL") == ["SIGTERM"]
    assert instructions("ENTRYPOINT") == ['["mlcareer"]']
    assert instructions("CMD") == ['["run"]']


def test_the_installed_prefix_has_no_pip(installed: Installed) -> None:
    """pip runs from the building Python, so the image's environment carries no build tool."""
    assert not list(installed.prefix.rglob("site-packages/pip"))
    assert not (installed.prefix / "bin" / "pip").exists()


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        body = b'{"status": "ok"}' if self.status == 200 else b'{"status": "starting"}'
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def ops_server(request: pytest.FixtureRequest) -> Iterator[int]:
    """An HTTP server on 127.0.0.1 answering /healthz with the parametrized status."""
    handler = type("Handler", (_Health,), {"status": request.param})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def check_health(installed: Installed, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        healthcheck_command(installed),
        capture_output=True,
        text=True,
        env=clean_environment(HTTP_PROXY="http://127.0.0.1:9", **env),
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize("ops_server", [200], indirect=True)
def test_the_healthcheck_passes_when_the_ops_endpoint_answers(
    installed: Installed, ops_server: int
) -> None:
    result = check_health(installed, MLCAREER_OPS_HOST="0.0.0.0", MLCAREER_OPS_PORT=str(ops_server))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"healthy: http://127.0.0.1:{ops_server}/healthz answered 200\n"


@pytest.mark.parametrize("ops_server", [503], indirect=True)
def test_the_healthcheck_fails_when_the_ops_endpoint_says_unhealthy(
    installed: Installed, ops_server: int
) -> None:
    result = check_health(installed, MLCAREER_OPS_PORT=str(ops_server))
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"unhealthy: http://127.0.0.1:{ops_server}/healthz answered 503"
    )


def test_the_healthcheck_fails_clearly_when_nothing_listens(installed: Installed) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = check_health(installed, MLCAREER_OPS_PORT=str(port))
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"unhealthy: nothing answers at http://127.0.0.1:{port}/healthz"
    )
    assert "Traceback" not in result.stderr


def test_the_default_healthcheck_asks_the_default_ops_address(installed: Installed) -> None:
    script = Path(healthcheck_command(installed)[0]).read_text(encoding="utf-8")
    assert script.startswith(f"#!{installed.prefix}/bin/python\n")
    namespace: dict[str, object] = {}
    exec(compile(script, "healthcheck", "exec"), namespace)  # defines, then skips __main__
    assert namespace["health_url"]({}) == "http://127.0.0.1:8081/healthz"  # type: ignore[operator]
    assert namespace["health_url"]({"MLCAREER_OPS_HOST": "::1"}) == "http://[::1]:8081/healthz"  # type: ignore[operator]


def test_compose_runs_the_image_with_the_env_file_and_a_named_data_volume() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    service = compose["services"]["mlcareer"]
    assert service["build"] == "."
    assert service["env_file"] == ".env"
    assert service["environment"]["MLCAREER_DATA_DIR"] == "/data"
    volume, _, target = service["volumes"][0].partition(":")
    assert target == "/data"
    assert volume in compose["volumes"]


def test_compose_offers_postgresql_only_behind_its_profile() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    postgres = compose["services"]["postgres"]
    assert postgres["profiles"] == ["postgres"]  # plain `docker compose up` stays SQLite
    assert postgres["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD")
    volume, _, _ = postgres["volumes"][0].partition(":")
    assert volume in compose["volumes"]
