"""House style: every public function, class and method of the core and the CLI has a docstring."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
CHECKED = (
    "core",
    "feedback",
    "knowledge",
    "console",
    "commands",
    "ops",
    "cli.py",
    "settings.py",
    "errors.py",
)
Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


def modules() -> list[Path]:
    found: list[Path] = []
    for name in CHECKED:
        path = BOT / name
        found.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return found


def undocumented(tree: ast.AST, prefix: str = "") -> list[str]:
    """Public definitions (and public methods of public classes) without a docstring."""
    missing: list[str] = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, Definition) and not node.name.startswith("_"):
            if ast.get_docstring(node) is None:
                missing.append(f"{prefix}{node.name} (line {node.lineno})")
            if isinstance(node, ast.ClassDef):
                missing.extend(undocumented(node, f"{prefix}{node.name}."))
    return missing


@pytest.mark.parametrize("module", modules(), ids=lambda p: str(p.relative_to(BOT)))
def test_public_definitions_have_a_docstring(module: Path) -> None:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), "module docstring"
    assert undocumented(tree) == []


def test_the_docstring_check_finds_a_missing_one() -> None:
    tree = ast.parse('def shown():\n    """Doc."""\n\nclass Kept:\n    def bare(self): ...\n')
    assert undocumented(tree) == ["Kept (line 4)", "Kept.bare (line 5)"]
