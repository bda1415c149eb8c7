"""The systemd unit: ``systemd-analyze verify`` finds nothing to complain about, and its
sandboxing scores as well exposed as a long-running network client can be."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.conftest import ROOT, Installed

UNIT = ROOT / "deploy" / "systemd" / "mlcareer.service"
ANALYZE = shutil.which("systemd-analyze")
needs_systemd = pytest.mark.skipif(
    ANALYZE is None, reason="systemd-analyze is not installed (apt-get install systemd)"
)


def unit_for(installed: Installed, folder: Path) -> Path:
    """The unit with ExecStart aimed at the prefix deploy/build.sh just installed."""
    unit = folder / UNIT.name
    unit.write_text(
        UNIT.read_text(encoding="utf-8").replace("/opt/mlcareer/", f"{installed.prefix}/"),
        encoding="utf-8",
    )
    return unit


def test_the_unit_keeps_state_in_its_state_directory_and_reads_the_env_file() -> None:
    settings = UNIT.read_text(encoding="utf-8").splitlines()
    for line in (
        "ExecStart=/opt/mlcareer/bin/mlcareer run",
        "EnvironmentFile=/etc/mlcareer/mlcareer.env",
        "Environment=MLCAREER_DATA_DIR=%S/mlcareer",
        "StateDirectory=mlcareer",
        "DynamicUser=yes",
        "Restart=on-failure",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
    ):
        assert line in settings


@needs_systemd
def test_systemd_analyze_verify_accepts_the_unit(installed: Installed, tmp_path: Path) -> None:
    """verify exits 0 even for unknown keys or bad values, so any output is a failure too."""
    result = subprocess.run(
        [str(ANALYZE), "verify", str(unit_for(installed, tmp_path))],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout + result.stderr == ""


@needs_systemd
def test_the_sandbox_exposure_score_stays_low(installed: Installed, tmp_path: Path) -> None:
    """systemd's own score, 0 (locked down) to 10; the threshold is in tenths: at most 2.0."""
    result = subprocess.run(
        [
            str(ANALYZE),
            "security",
            "--offline=yes",
            "--threshold=20",
            str(unit_for(installed, tmp_path)),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert "Overall exposure level" in result.stdout
