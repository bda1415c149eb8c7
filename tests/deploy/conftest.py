"""One run of deploy/build.sh per test session, shared by the packaging and deployment tests.

The script builds the wheel from a clean copy of the sources and installs it into a fresh
virtual environment outside the checkout, as the Dockerfile does. To stay fast (a few seconds),
the environment reuses the dependencies already installed for the tests, through
REUSE_SITE_PACKAGES; the wheel itself, its knowledge and its entry point are the real thing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot import __version__

ROOT = Path(__file__).resolve().parent.parent.parent
BUILD_SCRIPT = ROOT / "deploy" / "build.sh"


@dataclass(frozen=True)
class Installed:
    """What deploy/build.sh produced: the prefix (a virtual environment) and the wheel."""

    prefix: Path
    wheel: Path
    seconds: float

    @property
    def mlcareer(self) -> Path:
        """The installed console script."""
        return self.prefix / "bin" / "mlcareer"


def clean_environment(**extra: str) -> dict[str, str]:
    """The environment without any mlcareer setting or Python path from the test run."""
    prefixes = ("MLCAREER_", "SLACK_", "DISCORD_", "DATABASE_URL", "PYTHON", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return env | extra


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Run deploy/build.sh into a temporary prefix, from a folder outside the checkout."""
    base = tmp_path_factory.mktemp("build")
    prefix, wheels = base / "opt" / "mlcareer", base / "wheels"
    reuse = os.pathsep.join(
        dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    )
    env = clean_environment(PYTHON=sys.executable, WHEEL_DIR=str(wheels), REUSE_SITE_PACKAGES=reuse)
    started = time.monotonic()
    result = subprocess.run(
        ["sh", str(BUILD_SCRIPT), str(ROOT), str(prefix)],
        capture_output=True,
        text=True,
        cwd=base,
        env=env,
        timeout=180,
        check=False,
    )
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"mlcareer {__version__}"
    (wheel,) = wheels.glob("mlcareer-*.whl")
    return Installed(prefix=prefix, wheel=wheel, seconds=seconds)
