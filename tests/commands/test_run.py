"""``mlcareer run``: what it says before it opens anything (no platform is reached here)."""

from __future__ import annotations

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
