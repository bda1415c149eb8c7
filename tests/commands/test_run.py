"""``mlcareer run``: what it says before it opens anything (no platform is reached here)."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable

import pytest

RunCli = Callable[..., subprocess.CompletedProcess[bytes]]


def test_run_without_any_token_says_what_to_set_in_one_line(run_cli: RunCli) -> None:
    result = run_cli("run")
    assert result.returncode == 2
    [line] = result.stderr.decode().splitlines()
    assert line.startswith("mlcareer: no chat platform is configured")
    assert "SLACK_BOT_TOKEN" in line
    assert "DISCORD_TOKEN" in line
    assert "mlcareer chat" in line


@pytest.mark.parametrize("port", ["0", "65536", "99999", "-1", "http"])
def test_run_refuses_a_port_out_of_range_as_a_usage_error(run_cli: RunCli, port: str) -> None:
    result = run_cli("run", "slack", "--port", port)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert f"argument --port: '{port}' is not a port number (1 to 65535)" in err
    assert "Traceback" not in err


def test_an_ops_port_in_use_stops_the_start_with_one_line(run_cli: RunCli) -> None:
    """Only this machine's settings can fix it, so it is a settings error (exit 2)."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {
            "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_SIGNING_SECRET": "0123456789abcdef0123",
            "SLACK_API_URL": "http://127.0.0.1:9/api/",
            "MLCAREER_OPS_PORT": str(port),
            "DATABASE_URL": "sqlite:///:memory:",
        }
        result = run_cli("run", "slack", "--http", "--port", "1", extra_env=env)
    err = result.stderr.decode()
    assert result.returncode == 2, err
    [line] = [line for line in err.splitlines() if line.startswith("mlcareer:")]
    assert f"cannot serve the health and metrics endpoint on 127.0.0.1:{port}" in line
    assert "MLCAREER_OPS_PORT=0" in line
    assert "Traceback" not in err
