"""``mlcareer kb check [PATH]`` through the real command line."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

RunCli = Callable[..., subprocess.CompletedProcess[bytes]]

# One fixture folder per kind of problem, and a line of its expected report.
CASES = {
    "unknown-field": "entries.yaml:7: entry 'skills': unknown field 'anwser' (did you mean",
    "missing-field": "entries.yaml:3: entry 'skills': missing field 'source'; add it",
    "duplicate-id": "entries.yaml:11: duplicate id 'salary' (first defined at ",
    "unknown-section": "entries.yaml:4: entry 'skills': unknown section 'skils'",
    "dangling-related": "entries.yaml:10: entry 'skills': related id 'skills/programming-language'"
    " does not exist",
    "empty-answer": "entries.yaml:6: entry 'outlook': 'answer' is empty; write it",
    "bad-yaml": "entries.yaml:6: bad YAML: ",
    "duplicate-key": "entries.yaml:7: key 'title' appears twice; keep one",
    "wrong-types": "entries.yaml:9: entry 'skills': 'examples' must be a list of text items",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_kb_check_reports_problem_as_file_line_and_exits_1(
    run_cli: RunCli, kb_fixtures: Path, case: str
) -> None:
    folder = kb_fixtures / case
    result = run_cli("kb", "check", str(folder))
    err = result.stderr.decode()
    assert result.returncode == 1
    assert f"{folder}/{CASES[case]}" in err
    assert "problem" in err.splitlines()[-1]
    assert "Traceback" not in err
    assert result.stdout == b""


def test_kb_check_on_the_shipped_knowledge_passes(run_cli: RunCli) -> None:
    result = run_cli("kb", "check")
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert ": OK, " in out
    assert "in 11 sections" in out  # the ten article sections and the meta section about


def test_kb_check_valid_folder_prints_counts(run_cli: RunCli, kb_fixtures: Path) -> None:
    result = run_cli("kb", "check", str(kb_fixtures / "valid"))
    assert result.returncode == 0
    assert result.stdout.decode().strip().endswith("OK, 11 entries in 10 sections, 10 tips")


def test_kb_check_single_file_ignores_problems_in_other_files(
    run_cli: RunCli, kb_fixtures: Path
) -> None:
    folder = kb_fixtures / "two-files"
    fine = run_cli("kb", "check", str(folder / "fine.yaml"))
    assert fine.returncode == 0, fine.stderr.decode()
    assert fine.stdout.decode().startswith(
        f"{folder / 'fine.yaml'}: OK (checked with the rest of {folder}: "
    )
    broken = run_cli("kb", "check", str(folder / "broken.yaml"))
    assert broken.returncode == 1
    err = broken.stderr.decode()
    assert f"{folder / 'broken.yaml'}:6: entry 'salary': 'answer' is empty" in err
    assert "fine.yaml" not in err
    assert err.splitlines()[-1] == f"1 problem found in {folder / 'broken.yaml'}"


def test_kb_check_counts_several_problems(run_cli: RunCli, kb_fixtures: Path) -> None:
    folder = kb_fixtures / "wrong-types"
    result = run_cli("kb", "check", str(folder))
    lines = result.stderr.decode().splitlines()
    assert lines[-1] == f"4 problems found in {folder}"
    assert all(line.startswith(f"{folder}/entries.yaml:") for line in lines[:-1])


def test_kb_check_missing_path_says_missing_and_exits_2(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("kb", "check", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    err = result.stderr.decode()
    assert err.startswith(f"mlcareer: the knowledge folder {tmp_path / 'nowhere'} is missing")
    assert "invalid" not in err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [["kb", "check"], ["ask", "skills"], ["chat"]])
def test_a_missing_knowledge_setting_says_missing_and_exits_2(
    run_cli: RunCli, tmp_path: Path, argv: list[str]
) -> None:
    nowhere = str(tmp_path / "nowhere")
    result = run_cli(*argv, extra_env={"MLCAREER_KNOWLEDGE_DIR": nowhere})
    assert result.returncode == 2
    err = result.stderr.decode()
    assert f"the knowledge folder {nowhere} is missing" in err
    assert "MLCAREER_KNOWLEDGE_DIR" in err
    assert "invalid" not in err


def test_kb_check_uses_the_knowledge_option_and_environment(
    run_cli: RunCli, kb_fixtures: Path
) -> None:
    folder = str(kb_fixtures / "missing-field")
    by_option = run_cli("--knowledge", folder, "kb", "check")
    by_env = run_cli("kb", "check", extra_env={"MLCAREER_KNOWLEDGE_DIR": folder})
    assert by_option.returncode == by_env.returncode == 1
    assert "missing field 'source'" in by_option.stderr.decode()
    assert by_option.stderr == by_env.stderr
