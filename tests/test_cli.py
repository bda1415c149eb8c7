"""The ``mlcareer`` command line as a whole: help, version, start-up checks, what it imports."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import __version__
from bot.cli import COMMANDS, command_named

RunCli = Callable[..., subprocess.CompletedProcess[bytes]]

PLATFORM_PACKAGES = ("slack_bolt", "slack_sdk", "discord")


def test_help_describes_the_bot_and_lists_every_subcommand(run_cli: RunCli) -> None:
    result = run_cli("--help")
    out = result.stdout.decode()
    assert result.returncode == 0
    assert out.startswith("usage: mlcareer")
    for command in ("chat", "ask", "kb", "run"):
        assert f"    {command} " in out, command
    for option in ("--knowledge", "--env-file", "--log-level", "--version"):
        assert option in out


@pytest.mark.parametrize(
    ("argv", "must_mention"),
    [
        (["chat"], ["/quit", "no token"]),
        (["ask"], ["QUESTION", "--json", "'-'", "section", "entry", "score", "answer", "line"]),
        (["kb"], ["check"]),
        (["kb", "check"], ["file:line", "PATH", "exits 1"]),
        (["run"], ["slack", "discord", "--http", "--port"]),
    ],
)
def test_each_subcommand_has_complete_help(
    run_cli: RunCli, argv: list[str], must_mention: list[str]
) -> None:
    result = run_cli(*argv, "--help")
    out = result.stdout.decode()
    assert result.returncode == 0
    assert out.startswith(f"usage: mlcareer {' '.join(argv)}")
    flat = " ".join(out.split())
    for words in must_mention:
        assert words in flat, words


def test_version_prints_the_package_version(run_cli: RunCli) -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"mlcareer {__version__}"


def test_missing_subcommand_is_a_usage_error_not_a_traceback(run_cli: RunCli) -> None:
    result = run_cli()
    assert result.returncode == 2
    assert b"usage: mlcareer" in result.stderr
    assert b"Traceback" not in result.stderr


@pytest.mark.parametrize("argv", [["ask", "what skills do I need"], ["chat"]])
def test_bot_refuses_to_start_on_invalid_knowledge_with_the_kb_check_messages(
    run_cli: RunCli, kb_fixtures: Path, argv: list[str]
) -> None:
    folder = str(kb_fixtures / "unknown-section")
    check = run_cli("kb", "check", folder)
    start = run_cli("--knowledge", folder, *argv, stdin=b"skills\n")
    problems = check.stderr.decode().splitlines()[:-1]
    assert len(problems) == 2
    assert start.returncode == 1
    assert start.stdout == b""
    err = start.stderr.decode().splitlines()
    assert err[:-1] == problems
    assert err[-1] == "mlcareer: the knowledge base is invalid; fix the problems above"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MLCAREER_MAX_INPUT_CHARS", "lots"),
        ("MLCAREER_LOG_LEVEL", "LOUD"),
        ("SLACK_HTTP", "maybe"),
    ],
)
def test_bad_setting_exits_2_naming_the_variable(
    run_cli: RunCli, variable: str, value: str
) -> None:
    result = run_cli("ask", "skills", extra_env={variable: value})
    assert result.returncode == 2
    err = result.stderr.decode()
    assert err.startswith(f"mlcareer: {variable} must be")
    assert "Traceback" not in err


def test_env_file_option_is_read(run_cli: RunCli, tmp_path: Path, kb_fixtures: Path) -> None:
    env_file = tmp_path / "settings.env"
    env_file.write_text(f"MLCAREER_KNOWLEDGE_DIR={kb_fixtures / 'empty-answer'}\n", "utf-8")
    result = run_cli("--env-file", str(env_file), "ask", "skills")
    assert result.returncode == 1
    assert b"'answer' is empty" in result.stderr


# --- terminal paths never import platform SDKs -----------------------------------------------

_PROBE = f"""
import sys
from bot.cli import main
status = main(sys.argv[1:])
loaded = sorted({{name.split(".")[0] for name in sys.modules}} & {set(PLATFORM_PACKAGES)!r})
print("STATUS", status, "PLATFORM-MODULES", ",".join(loaded) or "none")
"""


@pytest.fixture
def platform_stubs(tmp_path: Path) -> dict[str, str]:
    """Empty stand-ins for the platform SDKs on PYTHONPATH, so importing one would succeed and
    be seen whether or not the real SDKs are installed."""
    stubs = tmp_path / "stubs"
    for package in PLATFORM_PACKAGES:
        (stubs / package).mkdir(parents=True)
        (stubs / package / "__init__.py").write_text("", encoding="utf-8")
    return {"PYTHONPATH": str(stubs)}


@pytest.mark.parametrize(
    "argv",
    [
        ["chat"],
        ["ask", "what skills do I need"],
        ["ask", "--json", "-"],
        ["kb", "check"],
    ],
)
def test_terminal_commands_never_import_slack_or_discord(
    run_cli: RunCli, platform_stubs: dict[str, str], argv: list[str]
) -> None:
    result = run_cli(*argv, code=_PROBE, extra_env=platform_stubs, stdin=b"skills\n/quit\n")
    last = result.stdout.decode().strip().splitlines()[-1]
    assert last == "STATUS 0 PLATFORM-MODULES none", result.stderr.decode()


def test_platform_import_probe_can_fail(run_cli: RunCli, platform_stubs: dict[str, str]) -> None:
    """The probe above would report an SDK if anything imported one."""
    result = run_cli("kb", "check", code="import slack_bolt\n" + _PROBE, extra_env=platform_stubs)
    last = result.stdout.decode().strip().splitlines()[-1]
    assert last == "STATUS 0 PLATFORM-MODULES slack_bolt"


def test_log_level_flag_takes_any_case_and_names_itself_when_wrong(run_cli: RunCli) -> None:
    assert run_cli("--log-level", "warning", "ask", "salary").returncode == 0
    wrong = run_cli("--log-level", "loud", "ask", "salary")
    assert wrong.returncode == 2
    assert b"argument --log-level: invalid choice: 'LOUD'" in wrong.stderr


def test_a_missing_env_file_named_on_the_command_line_is_one_clear_error(
    run_cli: RunCli, tmp_path: Path
) -> None:
    result = run_cli("--env-file", str(tmp_path / "missing.env"), "ask", "skills")
    assert result.returncode == 2
    assert b"--env-file" in result.stderr
    assert b"no such file" in result.stderr
    assert b"Traceback" not in result.stderr


# --- only the command being run is imported -------------------------------------------------

_IMPORT_PROBE = """
import sys
from bot.cli import main
status = main(sys.argv[1:])
heavy = sorted(
    name for name in sys.modules
    if name in {"bot.commands.run", "bot.commands.tips", "bot.commands.chat"}
    or name.startswith(("bot.tips", "bot.ops", "prometheus_client", "psycopg"))
)
print("STATUS", status, "HEAVY", ",".join(heavy) or "none")
"""


def test_ask_imports_no_other_commands_tips_or_ops_code(run_cli: RunCli) -> None:
    result = run_cli("ask", "what skills do I need", code=_IMPORT_PROBE)
    assert result.stdout.decode().splitlines()[-1] == "STATUS 0 HEAVY none"


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["ask", "skills"], "ask"),
        (["--knowledge", "ask", "kb", "check"], "kb"),  # an option's value is not the command
        (["--log-level", "debug", "--env-file", "x.env", "tips", "list"], "tips"),
        (["--help"], None),
        (["--version"], None),
        ([], None),
        (["--log-level"], None),  # a bad global option: the full parser reports it
    ],
)
def test_the_command_is_found_after_any_global_options(
    argv: list[str], command: str | None
) -> None:
    assert command_named(argv) == command


def test_help_lists_every_command(run_cli: RunCli) -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for name, _, help_line in COMMANDS:
        assert name in result.stdout.decode()
        assert help_line in " ".join(result.stdout.decode().split())
