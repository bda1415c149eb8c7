"""The wheel: the shipped knowledge is package data, and the installed bot works from any folder.

deploy/build.sh (see conftest.py) has built the wheel and installed it into a fresh virtual
environment outside the checkout; these tests look inside the wheel and run the installed
``mlcareer`` from an unrelated folder, where no knowledge/ folder is anywhere near.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

from bot.settings import DEFAULT_KNOWLEDGE_DIR
from tests.deploy.conftest import ROOT, Installed, clean_environment

KNOWLEDGE = ROOT / "knowledge"


def run_installed(
    installed: Installed, cwd: Path, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """The installed ``mlcareer ARGS`` in ``cwd``, with none of the test run's settings."""
    return subprocess.run(
        [str(installed.mlcareer), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=clean_environment(HOME=str(cwd), XDG_DATA_HOME=str(cwd / "xdg"), **env),
        timeout=60,
        check=False,
    )


def test_every_knowledge_file_and_module_is_in_the_wheel_and_nothing_else(
    installed: Installed,
) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    shipped = {f"bot/bundled_knowledge/{p.name}" for p in KNOWLEDGE.glob("*.y*ml")}
    assert len(shipped) >= 12
    assert shipped <= names
    modules = {str(p.relative_to(ROOT)) for p in (ROOT / "bot").rglob("*.py")}
    assert modules <= names
    others = names - shipped - modules - {"bot/bundled_knowledge/__init__.py"}
    assert all(name.startswith("mlcareer-") and ".dist-info/" in name for name in others), others


def test_the_checkout_reads_the_same_knowledge_through_importlib_resources() -> None:
    """The editable install (what the README sets up) maps the package onto knowledge/."""
    assert DEFAULT_KNOWLEDGE_DIR == KNOWLEDGE


def test_the_installed_bot_answers_checks_and_prints_a_manifest_from_another_folder(
    installed: Installed, tmp_path: Path
) -> None:
    bundled = next(installed.prefix.rglob("site-packages/bot/bundled_knowledge"))
    answer = run_installed(installed, tmp_path, "ask", "--json", "what skills do I need")
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout)["section"] == "skills"
    check = run_installed(installed, tmp_path, "kb", "check")
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith(f"{bundled}: OK, ")
    manifest = run_installed(installed, tmp_path, "slack", "manifest")
    assert manifest.returncode == 0, manifest.stderr
    assert "command: /mlcareer" in manifest.stdout
    assert "socket_mode_enabled: true" in manifest.stdout
    assert list(tmp_path.iterdir()) == []  # read-only: no database, no data folder


def test_the_knowledge_setting_still_overrides_the_bundled_knowledge(
    installed: Installed, tmp_path: Path
) -> None:
    broken = ROOT / "tests" / "data" / "kb" / "missing-field"
    by_option = run_installed(installed, tmp_path, "--knowledge", str(broken), "kb", "check")
    by_env = run_installed(installed, tmp_path, "ask", "skills", MLCAREER_KNOWLEDGE_DIR=str(broken))
    assert by_option.returncode == by_env.returncode == 1
    assert str(broken) in by_option.stderr
    assert "the knowledge base is invalid" in by_env.stderr


def test_a_missing_knowledge_folder_is_missing_not_invalid(
    installed: Installed, tmp_path: Path
) -> None:
    nowhere = tmp_path / "nowhere"
    result = run_installed(
        installed, tmp_path, "ask", "skills", MLCAREER_KNOWLEDGE_DIR=str(nowhere)
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"mlcareer: the knowledge folder {nowhere} is missing (no such file or folder); point "
        "--knowledge or MLCAREER_KNOWLEDGE_DIR at a folder of knowledge YAML files, or unset "
        "both to use the bundled knowledge\n"
    )
