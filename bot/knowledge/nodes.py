"""Read parsed YAML nodes into plain values, noting each mistake as ``file:line: what to fix``.

The loader parses with ``yaml.compose``, so every node keeps the line it came from. These helpers
check a node's shape (a mapping, a list, a piece of text) and append a message to ``problems``
instead of raising, so that one run reports every mistake in a file, each at its own line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

import yaml

_NULL_TAG = "tag:yaml.org,2002:null"


def line(node: yaml.Node) -> int:
    """The 1-based line a node starts on."""
    return int(node.start_mark.line) + 1


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the choice closest to a mistyped ``word``, else ``""``."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def pairs(
    file: Path, node: yaml.MappingNode, problems: list[str]
) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    """A mapping's (key, value) pairs; keys that are not plain words or repeat are reported."""
    found: list[tuple[yaml.ScalarNode, yaml.Node]] = []
    seen: set[str] = set()
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(f"{file}:{line(key_node)}: keys must be plain words")
            continue
        if key_node.value in seen:
            problems.append(
                f"{file}:{line(key_node)}: key '{key_node.value}' appears twice; keep one"
            )
            continue
        seen.add(key_node.value)
        found.append((key_node, value_node))
    return found


def sequence(file: Path, node: yaml.Node, name: str, problems: list[str]) -> list[yaml.Node]:
    """The items of a list node, or none (and a problem) when ``name`` is not a list."""
    if not isinstance(node, yaml.SequenceNode):
        problems.append(f"{file}:{line(node)}: '{name}' must be a list ('- id: ...' items)")
        return []
    return list(node.value)


def fields(
    file: Path,
    node: yaml.Node,
    kind: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    problems: list[str],
) -> tuple[dict[str, yaml.Node], dict[str, int]] | None:
    """An entry's or tip's fields by name, and the line of each.

    Unknown fields (with a did-you-mean) and missing required ones are reported; only allowed
    fields are returned. None when the node is not a mapping at all.
    """
    if not isinstance(node, yaml.MappingNode):
        problems.append(f"{file}:{line(node)}: each {kind} must be a mapping of fields")
        return None
    values: dict[str, yaml.Node] = {}
    lines: dict[str, int] = {}
    allowed = required + optional
    for key_node, value_node in pairs(file, node, problems):
        values[key_node.value] = value_node
        lines[key_node.value] = line(key_node)
    name = f"{kind} '{ident(values)}'"
    for key, key_line in lines.items():
        if key not in allowed:
            problems.append(
                f"{file}:{key_line}: {name}: unknown field '{key}'"
                f"{did_you_mean(key, allowed)}; allowed fields: {', '.join(allowed)}"
            )
    for key in required:
        if key not in values:
            problems.append(f"{file}:{line(node)}: {name}: missing field '{key}'; add it")
    return ({k: v for k, v in values.items() if k in allowed}, lines)


def ident(values: dict[str, yaml.Node]) -> str:
    """The id as written, for naming an entry or tip in a message (``?`` when it has none)."""
    node = values.get("id")
    return str(node.value) if isinstance(node, yaml.ScalarNode) and node.value else "?"


def text(
    file: Path,
    values: dict[str, yaml.Node],
    lines: dict[str, int],
    name: str,
    label: str,
    problems: list[str],
) -> str:
    """Field ``name`` as stripped text; "" (and a problem) when it is not text or is empty."""
    node = values.get(name)
    if node is None:
        return ""
    if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL_TAG:
        problems.append(f"{file}:{lines[name]}: {label}: '{name}' must be text")
        return ""
    value = str(node.value).strip()
    if not value:
        problems.append(f"{file}:{lines[name]}: {label}: '{name}' is empty; write it")
    return value


def strings(
    file: Path, node: yaml.Node, label: str, problems: list[str]
) -> list[tuple[str, yaml.Node]] | None:
    """A list of text items with their nodes; None (and a problem) when it is not a list.

    Items that are not text, or are empty, are reported and left out.
    """
    if not isinstance(node, yaml.SequenceNode):
        problems.append(f"{file}:{line(node)}: {label} must be a list of text items")
        return None
    items: list[tuple[str, yaml.Node]] = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode) or not str(item.value).strip():
            problems.append(f"{file}:{line(item)}: {label}: items must be non-empty text")
            continue
        items.append((str(item.value).strip(), item))
    return items


def integer(
    file: Path,
    values: dict[str, yaml.Node],
    lines: dict[str, int],
    name: str,
    label: str,
    problems: list[str],
) -> int | None:
    """Field ``name`` as a whole number; None (and a problem) when it is not one."""
    node = values.get(name)
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:int":
        try:
            return int(str(node.value).replace("_", ""), 0)
        except ValueError:
            pass
    problems.append(f"{file}:{lines[name]}: {label}: '{name}' must be a whole number, e.g. 10")
    return None


def boolean(
    file: Path,
    values: dict[str, yaml.Node],
    lines: dict[str, int],
    name: str,
    label: str,
    problems: list[str],
    default: bool,
) -> bool:
    """Field ``name`` as true/false; ``default`` when absent or (with a problem) not a boolean."""
    node = values.get(name)
    if node is None:
        return default
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        return str(node.value).lower() in {"true", "yes", "on"}
    problems.append(f"{file}:{lines[name]}: {label}: '{name}' must be true or false")
    return default
