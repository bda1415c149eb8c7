"""House style: importing any module of the package reads no setting from the environment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Imports every module of PACKAGE with os.environ watched, after the third-party libraries (which
# may read their own variables when imported; that is not ours to judge). Prints each module
# whose own code read the environment while being imported, then DONE.
_PROBE = """
import importlib, os, pkgutil, sys, _collections_abc
for name in ("yaml", "rapidfuzz", "aiohttp.web", "yarl", "sqlite3", "zoneinfo", "asyncio",
             "slack_bolt.async_app", "slack_sdk.web.async_client", "discord"):
    importlib.import_module(name)
package = importlib.import_module(sys.argv[1])
home = os.path.dirname(package.__file__)
skip = {os.__file__, _collections_abc.__file__, "<string>"}  # os, Mapping.get, this probe
readers = set()

def watch(method):
    def watched(self, *args):
        frame = sys._getframe(1)
        while frame and (frame.f_code.co_filename in skip or "frozen" in frame.f_code.co_filename):
            frame = frame.f_back
        if frame and frame.f_code.co_filename.startswith(home):
            readers.add(frame.f_globals.get("__name__"))
        return method(self, *args)
    return watched

type(os.environ).__getitem__ = watch(type(os.environ).__getitem__)
type(os.environ).__iter__ = watch(type(os.environ).__iter__)
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    if not module.name.endswith("__main__"):
        importlib.import_module(module.name)
for name in sorted(readers):
    print("READS", name)
print("DONE")
"""


def probe(package: str, path: Path) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, package],
        capture_output=True,
        text=True,
        cwd=path,
        timeout=120,
        check=False,
    )
    lines = result.stdout.splitlines()
    assert lines[-1:] == ["DONE"], result.stderr
    return lines[:-1]


def test_no_module_reads_the_environment_when_imported() -> None:
    assert probe("bot", ROOT) == []


def test_the_probe_sees_a_module_that_reads_the_environment(tmp_path: Path) -> None:
    package = tmp_path / "leaky"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "config.py").write_text(
        "import os\nTOKEN = os.environ.get('SOME_TOKEN', '')\n", encoding="utf-8"
    )
    assert probe("leaky", tmp_path) == ["READS leaky.config"]
