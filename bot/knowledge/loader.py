"""Load and validate the knowledge base, reporting every problem as ``file:line: what to fix``.

Each YAML file is a mapping with one or more of three keys: ``entries`` (answerable topics),
``tips`` (the daily-tip deck) and ``vocabulary`` (word lists for the matcher). Parsing is
``yaml.compose`` with the safe loader, so we keep every node's line number for messages and
never construct arbitrary Python objects.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.errors import KnowledgeError
from bot.knowledge.model import Entry, KnowledgeBase, Tip, Vocabulary
from bot.knowledge.sections import SECTION_IDS

try:  # libyaml is several times faster; fall back to the pure-Python loader where it is absent.
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,unused-ignore]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

TOP_LEVEL_KEYS = ("entries", "tips", "vocabulary")
ENTRY_REQUIRED = ("id", "section", "title", "answer", "source", "phrasings", "keywords")
ENTRY_OPTIONAL = ("points", "mentions", "aliases", "related")
TIP_REQUIRED = ("id", "section", "text")
VOCABULARY_KEYS = ("synonyms", "patterns", "anchors", "off_topic")
_LIST_FIELDS = {"phrasings", "keywords", "points", "mentions", "aliases", "related"}
_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)?$")


@dataclass
class _Collected:
    entries: list[Entry] = field(default_factory=list)
    tips: list[Tip] = field(default_factory=list)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    patterns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    anchors: list[str] = field(default_factory=list)
    off_topic: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # (entry, line of its related list) pairs, checked once every id is known.
    related_refs: list[tuple[Entry, int]] = field(default_factory=list)


def knowledge_files(path: Path) -> list[Path]:
    """The YAML files that make up the knowledge base at ``path`` (a folder or one file)."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())


def load_knowledge(path: Path) -> KnowledgeBase:
    """Load and validate the knowledge base; raise ``KnowledgeError`` listing every problem.

    ``path`` is the knowledge folder, or one file in it: then that file is checked against
    the rest of its folder (so its related ids resolve) and only its own problems are reported.
    """
    only: Path | None = None
    folder = path
    if path.is_file():
        only, folder = path, path.parent
    elif not path.is_dir():
        raise KnowledgeError([f"{path}: no such file or folder; pass the knowledge folder"])
    files = knowledge_files(folder)
    if not files:
        raise KnowledgeError([f"{folder}: no .yaml files found; the knowledge folder is empty"])
    found = _Collected()
    for file in files:
        _load_file(file, found)
    _check_cross_references(found, whole_folder=only is None)
    problems = found.problems
    if only is not None:
        problems = [p for p in problems if p.startswith(f"{only}:")]
    if problems:
        raise KnowledgeError(problems)
    return KnowledgeBase(
        entries=tuple(found.entries),
        tips=tuple(found.tips),
        vocabulary=Vocabulary(
            synonyms=found.synonyms,
            patterns=found.patterns,
            anchors=tuple(found.anchors),
            off_topic=tuple(found.off_topic),
        ),
        root=str(folder),
    )


def _load_file(file: Path, found: _Collected) -> None:
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        found.problems.append(f"{file}:1: not valid UTF-8 ({exc.reason}); save it as UTF-8")
        return
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        found.problems.append(f"{file}:{line}: bad YAML: {problem}; fix the syntax")
        return
    if root is None:
        found.problems.append(f"{file}:1: file is empty; add 'entries:', 'tips:' or 'vocabulary:'")
        return
    if not isinstance(root, yaml.MappingNode):
        found.problems.append(
            f"{file}:{_line(root)}: top level must be a mapping with 'entries:', 'tips:' "
            "or 'vocabulary:'"
        )
        return
    for key_node, value_node in _pairs(file, root, found):
        key = key_node.value
        if key == "entries":
            for item in _sequence(file, value_node, "entries", found):
                _load_entry(file, item, found)
        elif key == "tips":
            for item in _sequence(file, value_node, "tips", found):
                _load_tip(file, item, found)
        elif key == "vocabulary":
            _load_vocabulary(file, value_node, found)
        else:
            found.problems.append(
                f"{file}:{_line(key_node)}: unknown top-level key '{key}'"
                f"{_did_you_mean(key, TOP_LEVEL_KEYS)}; use one of {', '.join(TOP_LEVEL_KEYS)}"
            )


def _load_entry(file: Path, node: yaml.Node, found: _Collected) -> None:
    fields_ = _fields(file, node, "entry", ENTRY_REQUIRED, ENTRY_OPTIONAL, found)
    if fields_ is None:
        return
    values, lines = fields_
    label = f"entry '{values.get('id', '?')}'"
    problems_before = len(found.problems)
    entry_id = _text(file, values, lines, "id", label, found)
    section = _text(file, values, lines, "section", label, found)
    if section and section not in SECTION_IDS:
        found.problems.append(
            f"{file}:{lines['section']}: {label}: unknown section '{section}'"
            f"{_did_you_mean(section, SECTION_IDS)}; use one of {', '.join(SECTION_IDS)}"
        )
    if entry_id and not _ID_PATTERN.match(entry_id):
        found.problems.append(
            f"{file}:{lines['id']}: {label}: id must be lowercase words joined by '-', "
            "optionally 'section/name'"
        )
    elif entry_id and section and entry_id != section and not entry_id.startswith(section + "/"):
        found.problems.append(
            f"{file}:{lines['id']}: {label}: id must be '{section}' or start with '{section}/'"
        )
    title = _text(file, values, lines, "title", label, found)
    answer = _text(file, values, lines, "answer", label, found)
    source = _text(file, values, lines, "source", label, found)
    lists = {
        name: _string_list(file, values, lines, name, label, found)
        for name in _LIST_FIELDS
        if name in values
    }
    for name in ("phrasings", "keywords"):
        if name in lists and not lists[name]:
            found.problems.append(f"{file}:{lines[name]}: {label}: '{name}' is empty; add some")
    if len(found.problems) > problems_before:
        return
    entry = Entry(
        id=entry_id,
        section=section,
        title=title,
        answer=answer,
        source=source,
        phrasings=lists["phrasings"],
        keywords=lists["keywords"],
        points=lists.get("points", ()),
        mentions=lists.get("mentions", ()),
        aliases=tuple(alias.lower() for alias in lists.get("aliases", ())),
        related=lists.get("related", ()),
        file=str(file),
        line=_line(node),
    )
    found.entries.append(entry)
    if entry.related:
        found.related_refs.append((entry, lines["related"]))


def _load_tip(file: Path, node: yaml.Node, found: _Collected) -> None:
    fields_ = _fields(file, node, "tip", TIP_REQUIRED, (), found)
    if fields_ is None:
        return
    values, lines = fields_
    label = f"tip '{values.get('id', '?')}'"
    problems_before = len(found.problems)
    tip_id = _text(file, values, lines, "id", label, found)
    section = _text(file, values, lines, "section", label, found)
    text = _text(file, values, lines, "text", label, found)
    if section and section not in SECTION_IDS:
        found.problems.append(
            f"{file}:{lines['section']}: {label}: unknown section '{section}'"
            f"{_did_you_mean(section, SECTION_IDS)}; use one of {', '.join(SECTION_IDS)}"
        )
    if len(found.problems) == problems_before:
        found.tips.append(Tip(tip_id, section, text, file=str(file), line=_line(node)))


def _load_vocabulary(file: Path, node: yaml.Node, found: _Collected) -> None:
    if not isinstance(node, yaml.MappingNode):
        found.problems.append(f"{file}:{_line(node)}: 'vocabulary' must be a mapping")
        return
    for key_node, value_node in _pairs(file, node, found):
        key = key_node.value
        if key in ("synonyms", "patterns"):
            if not isinstance(value_node, yaml.MappingNode):
                found.problems.append(
                    f"{file}:{_line(value_node)}: '{key}' must map a term to a list of "
                    + ("variants" if key == "synonyms" else "regular expressions")
                )
                continue
            for term_node, items_node in _pairs(file, value_node, found):
                items = _node_strings(file, items_node, f"{key} '{term_node.value}'", found)
                if items is None:
                    continue
                if key == "synonyms":
                    found.synonyms[str(term_node.value)] = items
                else:
                    for item, node in zip(items, items_node.value, strict=False):
                        try:
                            re.compile(item)
                        except re.error as exc:
                            found.problems.append(
                                f"{file}:{_line(node)}: pattern '{item}' is not a valid regular "
                                f"expression ({exc}); fix it"
                            )
                    found.patterns[str(term_node.value)] = items
        elif key in ("anchors", "off_topic"):
            words = _node_strings(file, value_node, key, found)
            if words is not None:
                (found.anchors if key == "anchors" else found.off_topic).extend(words)
        else:
            found.problems.append(
                f"{file}:{_line(key_node)}: unknown vocabulary key '{key}'"
                f"{_did_you_mean(key, VOCABULARY_KEYS)}; use one of {', '.join(VOCABULARY_KEYS)}"
            )


def _check_cross_references(found: _Collected, whole_folder: bool) -> None:
    seen: dict[str, Entry] = {}
    for entry in found.entries:
        first = seen.get(entry.id)
        if first is not None:
            found.problems.append(
                f"{entry.file}:{entry.line}: duplicate id '{entry.id}' (first defined at "
                f"{first.file}:{first.line}); give one of them another id"
            )
        else:
            seen[entry.id] = entry
    tip_ids: dict[str, Tip] = {}
    for tip in found.tips:
        first_tip = tip_ids.get(tip.id)
        if first_tip is not None:
            found.problems.append(
                f"{tip.file}:{tip.line}: duplicate tip id '{tip.id}' (first defined at "
                f"{first_tip.file}:{first_tip.line}); give one of them another id"
            )
        else:
            tip_ids[tip.id] = tip
    for entry, line in found.related_refs:
        for ref in entry.related:
            if ref == entry.id:
                found.problems.append(f"{entry.file}:{line}: entry '{entry.id}' lists itself")
            elif ref not in seen:
                found.problems.append(
                    f"{entry.file}:{line}: entry '{entry.id}': related id '{ref}' does not exist"
                    f"{_did_you_mean(ref, list(seen))}; fix or remove it"
                )
    owners: dict[str, Entry] = {}
    for entry in found.entries:
        for alias in entry.aliases:
            owner = owners.get(alias) or (seen.get(alias) if alias != entry.id else None)
            if owner is not None and owner.id != entry.id:
                found.problems.append(
                    f"{entry.file}:{entry.line}: entry '{entry.id}': alias '{alias}' is already "
                    f"used by '{owner.id}'; an alias can name only one topic"
                )
            owners.setdefault(alias, entry)
    if whole_folder and not found.problems:
        for section in SECTION_IDS:
            if section not in seen:
                found.problems.append(
                    f"{_first_file(found)}:1: section '{section}' has no entry with id "
                    f"'{section}'; add one that answers the whole section"
                )


def _first_file(found: _Collected) -> str:
    return found.entries[0].file if found.entries else "knowledge"


# --- YAML node helpers -------------------------------------------------------------------


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _pairs(
    file: Path, node: yaml.MappingNode, found: _Collected
) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    pairs: list[tuple[yaml.ScalarNode, yaml.Node]] = []
    seen: set[str] = set()
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            found.problems.append(f"{file}:{_line(key_node)}: keys must be plain words")
            continue
        if key_node.value in seen:
            found.problems.append(
                f"{file}:{_line(key_node)}: key '{key_node.value}' appears twice; keep one"
            )
            continue
        seen.add(key_node.value)
        pairs.append((key_node, value_node))
    return pairs


def _sequence(file: Path, node: yaml.Node, name: str, found: _Collected) -> list[yaml.Node]:
    if not isinstance(node, yaml.SequenceNode):
        found.problems.append(f"{file}:{_line(node)}: '{name}' must be a list ('- id: ...' items)")
        return []
    return list(node.value)


def _fields(
    file: Path,
    node: yaml.Node,
    kind: str,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    found: _Collected,
) -> tuple[dict[str, yaml.Node], dict[str, int]] | None:
    if not isinstance(node, yaml.MappingNode):
        found.problems.append(f"{file}:{_line(node)}: each {kind} must be a mapping of fields")
        return None
    values: dict[str, yaml.Node] = {}
    lines: dict[str, int] = {}
    allowed = required + optional
    ident = "?"
    for key_node, value_node in _pairs(file, node, found):
        if key_node.value == "id" and isinstance(value_node, yaml.ScalarNode):
            ident = value_node.value
        values[key_node.value] = value_node
        lines[key_node.value] = _line(key_node)
    for key, line in lines.items():
        if key not in allowed:
            found.problems.append(
                f"{file}:{line}: {kind} '{ident}': unknown field '{key}'"
                f"{_did_you_mean(key, allowed)}; allowed fields: {', '.join(allowed)}"
            )
    for key in required:
        if key not in values:
            found.problems.append(
                f"{file}:{_line(node)}: {kind} '{ident}': missing field '{key}'; add it"
            )
    return ({k: v for k, v in values.items() if k in allowed}, lines)


def _text(
    file: Path,
    values: dict[str, yaml.Node],
    lines: dict[str, int],
    name: str,
    label: str,
    found: _Collected,
) -> str:
    node = values.get(name)
    if node is None:
        return ""
    if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
        found.problems.append(f"{file}:{lines[name]}: {label}: '{name}' must be text")
        return ""
    text = str(node.value).strip()
    if not text:
        found.problems.append(f"{file}:{lines[name]}: {label}: '{name}' is empty; write it")
    return text


def _string_list(
    file: Path,
    values: dict[str, yaml.Node],
    lines: dict[str, int],
    name: str,
    label: str,
    found: _Collected,
) -> tuple[str, ...]:
    strings = _node_strings(file, values[name], f"{label}: '{name}'", found)
    return strings if strings is not None else ()


def _node_strings(
    file: Path, node: yaml.Node, label: str, found: _Collected
) -> tuple[str, ...] | None:
    if not isinstance(node, yaml.SequenceNode):
        found.problems.append(f"{file}:{_line(node)}: {label} must be a list of text items")
        return None
    items: list[str] = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode) or not str(item.value).strip():
            found.problems.append(f"{file}:{_line(item)}: {label}: items must be non-empty text")
            continue
        items.append(str(item.value).strip())
    return tuple(items)


def _did_you_mean(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
