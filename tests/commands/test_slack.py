"""``mlcareer slack manifest`` prints the manifest without loading the Slack SDK."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from bot.cli import main


def test_manifest_command_prints_parseable_yaml(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--env-file", "/dev/null", "slack", "manifest"]) == 0
    data = yaml.safe_load(capsys.readouterr().out)
    assert data["features"]["slash_commands"][0]["command"] == "/mlcareer"


def test_manifest_command_takes_a_request_url(capsys: pytest.CaptureFixture[str]) -> None:
    url = "https://bot.example.com/slack/events"
    assert main(["--env-file", "/dev/null", "slack", "manifest", "--request-url", url]) == 0
    assert yaml.safe_load(capsys.readouterr().out)["settings"]["socket_mode_enabled"] is False


def test_manifest_and_terminal_paths_never_import_slack_bolt() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from bot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--env-file', '/dev/null', 'slack', 'manifest'])\n"
        "    main(['--env-file', '/dev/null', 'ask', 'skills'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('slack_bolt', 'slack_sdk'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("flags", "reason"),
    [
        (["--name", "n" * 36], "1 to 35 characters"),
        (["--request-url", "http://bot.example.com/slack/events"], "https://"),
    ],
)
def test_manifest_command_refuses_what_slack_would_refuse(
    capsys: pytest.CaptureFixture[str], flags: list[str], reason: str
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--env-file", "/dev/null", "slack", "manifest", *flags])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert reason in err
    assert "Traceback" not in err


def test_manifest_command_completes_a_bare_host_to_the_events_path(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert (
        main(
            [
                "--env-file",
                "/dev/null",
                "slack",
                "manifest",
                "--request-url",
                "https://bot.example.com",
            ]
        )
        == 0
    )
    data = yaml.safe_load(capsys.readouterr().out)
    assert data["features"]["slash_commands"][0]["url"] == "https://bot.example.com/slack/events"
