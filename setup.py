"""Packaging details pyproject.toml cannot express; every other setting is in pyproject.toml.

The shipped knowledge stays at the top of the repo in knowledge/ (where people edit it) and is
installed as the package ``bot.bundled_knowledge``, so ``importlib.resources`` finds it in a
wheel, a pipx install and an editable install alike. pyproject.toml's package-data puts every
YAML file there into the wheel, whatever its name.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["bot", "bot.*"]), "bot.bundled_knowledge"],
    package_dir={"bot.bundled_knowledge": "knowledge"},
)
