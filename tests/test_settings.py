"""Settings: precedence, .env parsing, hidden secrets, and errors that name the variable."""

from __future__ import annotations

import dataclasses
import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.errors import SettingsError
from bot.settings import (
    DEFAULT_KNOWLEDGE_DIR,
    ENV_VARS,
    Secret,
    Settings,
    default_data_dir,
    read_dotenv,
)

FAKE_BOT_TOKEN = "xoxb-test-token"
FAKE_APP_TOKEN = "xapp-test-token"
FAKE_DISCORD_TOKEN = "discord-test-token"


def write_env(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ".env"
    path.write_text(text, encoding="utf-8")
    return path


def loaded_defaults(environ: dict[str, str]) -> Settings:
    """What ``Settings.load`` gives with nothing set: ``Settings()`` plus the data folder."""
    data_dir = default_data_dir(environ)
    return Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'mlcareer.db'}")


def test_defaults_need_no_environment_and_no_file(tmp_path: Path) -> None:
    settings = Settings.load(environ={}, dotenv=tmp_path / "absent.env")
    assert settings == loaded_defaults({})
    assert settings.knowledge_dir == DEFAULT_KNOWLEDGE_DIR
    assert settings.max_input_chars == 2000
    assert settings.slack_bot_token is None
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.discord_api_url == "https://discord.com/api/v10"


def test_overrides_beat_environment_which_beats_dotenv(tmp_path: Path) -> None:
    dotenv = write_env(
        tmp_path, "MLCAREER_MAX_INPUT_CHARS=100\nMLCAREER_LOG_LEVEL=DEBUG\nSLACK_PORT=1111\n"
    )
    environ = {"MLCAREER_MAX_INPUT_CHARS": "200", "SLACK_PORT": "2222"}
    settings = Settings.load(environ=environ, dotenv=dotenv, slack_port=3333)
    assert settings.log_level == "DEBUG"  # only in .env
    assert settings.max_input_chars == 200  # environment beats .env
    assert settings.slack_port == 3333  # override beats both


def test_dotenv_none_reads_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_env(tmp_path, "MLCAREER_MAX_INPUT_CHARS=100\n")
    assert Settings.load(environ={}, dotenv=None).max_input_chars == 2000
    assert Settings.load(environ={}).max_input_chars == 100  # default: ./.env


def test_without_environ_argument_the_process_environment_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLCAREER_MAX_INPUT_CHARS", "321")
    assert Settings.load(dotenv=None).max_input_chars == 321


def test_dotenv_parses_comments_blank_lines_quotes_and_export(tmp_path: Path) -> None:
    path = write_env(
        tmp_path,
        "# a comment line\n"
        "\n"
        "PLAIN=value\n"
        "  SPACED = padded value  \n"
        "export EXPORTED=yes\n"
        'DOUBLE="two words"\n'
        "SINGLE='it has # inside'\n"
        "INLINE=bare # a trailing comment\n"
        'QUOTED_COMMENT="3000" # port\n'
        "HASH_IN_TOKEN=abc#def\n"
        "EMPTY=\n"
        "COMMENT_ONLY= # nothing set\n"
        "EQUALS=a=b=c\n",
    )
    assert read_dotenv(path) == {
        "PLAIN": "value",
        "SPACED": "padded value",
        "EXPORTED": "yes",
        "DOUBLE": "two words",
        "SINGLE": "it has # inside",
        "INLINE": "bare",
        "QUOTED_COMMENT": "3000",
        "HASH_IN_TOKEN": "abc#def",
        "EMPTY": "",
        "COMMENT_ONLY": "",
        "EQUALS": "a=b=c",
    }


def test_quoted_value_with_a_comment_is_usable_as_a_number(tmp_path: Path) -> None:
    dotenv = write_env(tmp_path, 'SLACK_PORT="4000" # the HTTP port\n')
    assert Settings.load(environ={}, dotenv=dotenv).slack_port == 4000


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("NOT A SETTING", ".env:2: expected KEY=value"),
        ("=value", ".env:2: expected KEY=value"),
        ('TOKEN="unclosed', '.env:2: TOKEN: the closing " is missing'),
        ("TOKEN='a'b", ".env:2: TOKEN: unexpected text after the closing quote"),
    ],
)
def test_malformed_dotenv_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = write_env(tmp_path, f"# settings\n{line}\n")
    with pytest.raises(SettingsError) as caught:
        read_dotenv(path)
    assert str(caught.value) == f"{tmp_path}/{message}"


def test_dotenv_that_is_not_utf8_is_a_settings_error(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_bytes(b"MLCAREER_LOG_LEVEL=\xff\n")
    with pytest.raises(SettingsError, match="cannot read"):
        Settings.load(environ={}, dotenv=path)


def test_values_are_converted_to_their_types() -> None:
    settings = Settings.load(
        environ={
            "MLCAREER_KNOWLEDGE_DIR": "~/kb",
            "MLCAREER_ADMINS": "U1, U2;U3,,",
            "MLCAREER_TIPS_GRACE_HOURS": "1.5",
            "SLACK_HTTP": "Yes",
            "SLACK_PORT": " 8080 ",
            "DISCORD_GUILD_ID": "",
            "DISCORD_APPLICATION_ID": "42",
            "SLACK_BOT_TOKEN": FAKE_BOT_TOKEN,
            "SLACK_APP_TOKEN": "",
        },
        dotenv=None,
    )
    assert settings.knowledge_dir == Path("~/kb").expanduser()
    assert settings.admins == ("U1", "U2", "U3")
    assert settings.tips_grace_hours == 1.5
    assert settings.slack_http is True
    assert settings.slack_port == 8080
    assert settings.discord_guild_id is None
    assert settings.discord_application_id == "42"
    assert isinstance(settings.slack_bot_token, Secret)
    assert settings.slack_bot_token.reveal() == FAKE_BOT_TOKEN
    assert settings.slack_app_token is None  # empty means unset


def test_every_environment_variable_names_a_real_field() -> None:
    names = {f.name for f in dataclasses.fields(Settings)}
    assert {name for name, _ in ENV_VARS.values()} <= names


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("MLCAREER_MAX_INPUT_CHARS", "lots", "must be a number, not 'lots'"),
        ("MLCAREER_MAX_INPUT_CHARS", "10", "must be at least 50"),
        ("MLCAREER_TIPS_GRACE_HOURS", "soon", "must be a number"),
        ("MLCAREER_TIPS_GRACE_HOURS", "-1", "must be zero or more"),
        ("MLCAREER_LOG_LEVEL", "LOUD", "must be one of DEBUG, INFO"),
        ("SLACK_HTTP", "maybe", "must be true or false, not 'maybe'"),
        ("SLACK_PORT", "http", "must be a number"),
    ],
)
def test_bad_value_raises_settings_error_naming_the_variable(
    variable: str, value: str, says: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.load(environ={variable: value}, dotenv=None)
    assert str(caught.value).startswith(f"{variable} {says}")


def test_unknown_override_is_rejected_by_name() -> None:
    with pytest.raises(SettingsError, match=r"unknown setting.*slack_tokn"):
        Settings.load(environ={}, dotenv=None, slack_tokn="x")


def test_with_overrides_returns_a_changed_copy() -> None:
    settings = Settings()
    changed = settings.with_overrides(slack_http=True, slack_port=9000)
    assert (changed.slack_http, changed.slack_port) == (True, 9000)
    assert (settings.slack_http, settings.slack_port) == (False, 3000)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.slack_port = 1  # type: ignore[misc]


# --- secrets ---------------------------------------------------------------------------------


def test_secret_never_shows_its_value_in_repr_str_or_format() -> None:
    secret = Secret(FAKE_BOT_TOKEN)
    for shown in (repr(secret), str(secret), f"{secret}", f"{secret!r}", format(secret)):
        assert FAKE_BOT_TOKEN not in shown
        assert "****" in shown
    assert secret.reveal() == FAKE_BOT_TOKEN
    assert secret
    assert not Secret("")


def test_settings_repr_hides_every_secret() -> None:
    settings = Settings.load(
        environ={
            "SLACK_BOT_TOKEN": FAKE_BOT_TOKEN,
            "SLACK_APP_TOKEN": FAKE_APP_TOKEN,
            "SLACK_SIGNING_SECRET": "signing-test-secret",
            "DISCORD_TOKEN": FAKE_DISCORD_TOKEN,
        },
        dotenv=None,
    )
    shown = repr(settings) + str(settings)
    for value in (FAKE_BOT_TOKEN, FAKE_APP_TOKEN, "signing-test-secret", FAKE_DISCORD_TOKEN):
        assert value not in shown
    assert "slack_bot_token=Secret('********')" in shown


def test_logging_settings_or_a_secret_never_logs_the_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = Settings.load(environ={"DISCORD_TOKEN": FAKE_DISCORD_TOKEN}, dotenv=None)
    log = logging.getLogger("test.settings")
    with caplog.at_level(logging.DEBUG, logger="test.settings"):
        log.info("starting with %s", settings)
        log.debug("token is %r", settings.discord_token)
        log.error("failed: %s", SettingsError(f"bad token {settings.discord_token}"))
    assert len(caplog.records) == 3
    assert FAKE_DISCORD_TOKEN not in caplog.text


def test_env_example_documents_exactly_the_settings_that_exist() -> None:
    example = Path(__file__).resolve().parent.parent / ".env.example"
    listed = re.findall(r"^#?([A-Z][A-Z0-9_]+)=", example.read_text(encoding="utf-8"), re.M)
    assert sorted(listed) == sorted(ENV_VARS)
    assert {name for name, _ in ENV_VARS.values()} == {f.name for f in dataclasses.fields(Settings)}


def test_an_empty_value_means_the_default() -> None:
    """An uncommented "MLCAREER_KNOWLEDGE_DIR=" is not the current folder; "SLACK_PORT=" is fine."""
    empty = dict.fromkeys(ENV_VARS, "") | {"MLCAREER_LOG_LEVEL": "  "}
    assert Settings.load(environ=empty, dotenv=None) == loaded_defaults(empty)


def test_the_database_lives_in_the_xdg_data_folder_by_default(tmp_path: Path) -> None:
    environ = {"HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    settings = Settings.load(environ=environ, dotenv=None)
    assert settings.data_dir == tmp_path / "xdg" / "mlcareer"
    assert settings.database_url == f"sqlite:///{tmp_path}/xdg/mlcareer/mlcareer.db"
    assert settings.database_url.startswith("sqlite:////")  # absolute: four slashes
    assert not (tmp_path / "xdg").exists()  # loading settings creates nothing


def test_mlcareer_data_dir_moves_the_database_and_database_url_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    moved = Settings.load(environ={"MLCAREER_DATA_DIR": "state"}, dotenv=None)
    assert moved.data_dir == tmp_path / "state"  # a relative folder is made absolute
    assert moved.database_url == f"sqlite:///{tmp_path}/state/mlcareer.db"
    both = {"MLCAREER_DATA_DIR": "/srv/state", "DATABASE_URL": "sqlite:////var/tips.db"}
    chosen = Settings.load(environ=both, dotenv=None)
    assert chosen.database_url == "sqlite:////var/tips.db"
    assert chosen.data_dir == Path("/srv/state")


@pytest.mark.parametrize(
    ("platform", "environ", "expected"),
    [
        ("linux", {"HOME": "/home/ada"}, "/home/ada/.local/share/mlcareer"),
        ("linux", {"HOME": "/home/ada", "XDG_DATA_HOME": "/xdg"}, "/xdg/mlcareer"),
        # The XDG rules: a relative XDG_DATA_HOME is invalid and ignored.
        ("linux", {"HOME": "/home/ada", "XDG_DATA_HOME": "rel"}, "/home/ada/.local/share/mlcareer"),
        ("freebsd14", {"HOME": "/home/ada"}, "/home/ada/.local/share/mlcareer"),
        ("darwin", {"HOME": "/Users/ada"}, "/Users/ada/Library/Application Support/mlcareer"),
        (
            "win32",
            {"HOME": "/u/ada", "LOCALAPPDATA": "/u/ada/AppData/Local"},
            "/u/ada/AppData/Local/mlcareer",
        ),
        ("win32", {"HOME": "/u/ada"}, "/u/ada/AppData/Local/mlcareer"),
    ],
)
def test_the_platform_data_folder(platform: str, environ: dict[str, str], expected: str) -> None:
    assert default_data_dir(environ, platform) == Path(expected)


def test_an_uninstalled_checkout_reads_its_own_knowledge_folder(tmp_path: Path) -> None:
    """Without the package installed (no site-packages: -S), knowledge/ beside bot/ is used."""
    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "bot", tmp_path / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "pyproject.toml", tmp_path)
    code = "import bot.settings as s; print(s.DEFAULT_KNOWLEDGE_DIR)"
    result = subprocess.run(
        [sys.executable, "-S", "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / "knowledge")


def test_the_ops_endpoint_and_slack_host_settings() -> None:
    defaults = Settings.load(environ={}, dotenv=None)
    assert (defaults.ops_host, defaults.ops_port, defaults.slack_host) == (
        "127.0.0.1",
        8081,
        "0.0.0.0",
    )
    environ = {"MLCAREER_OPS_HOST": "0.0.0.0", "MLCAREER_OPS_PORT": "0", "SLACK_HOST": "::1"}
    settings = Settings.load(environ=environ, dotenv=None)
    assert (settings.ops_host, settings.ops_port, settings.slack_host) == ("0.0.0.0", 0, "::1")


@pytest.mark.parametrize("port", ["-1", "65536"])
def test_an_ops_port_out_of_range_names_the_variable(port: str) -> None:
    with pytest.raises(SettingsError, match="MLCAREER_OPS_PORT must be a port number") as caught:
        Settings.load(environ={"MLCAREER_OPS_PORT": port}, dotenv=None)
    assert "0 to turn" in str(caught.value)
