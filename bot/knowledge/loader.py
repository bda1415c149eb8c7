"""Load and validate the knowledge base, reporting every problem as ``file:line: what to fix``.

Each YAML file is a mapping with one or more of three keys: ``entries`` (answerable topics),
``tips`` (the daily-tip deck) and ``vocabulary`` (word lists for the matcher). Parsing is
``yaml.compose`` with the safe loader, so we keep every node's line number for messages and
never construct arbitrary Python objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.errors import KnowledgeError, KnowledgeMissingError
from bot.knowledge import nodes
from bot.knowledge.model import Entry, KnowledgeBase, Tip, Vocabulary
from bot.knowledge.references import missing_section_problems, reference_problems
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
_POSITION = re.compile(r"^(.+?):(\d+): ")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LIST_ITEM = re.compile(r"^(?:[-*\u2022]|\d+[.)])\s")
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
    # Ids of entries that had problems of their own: a reference to one is not dangling.
    invalid_ids: set[str] = field(default_factory=set)


def knowledge_files(path: Path) -> list[Path]:
    """The YAML files that make up the knowledge base at ``path`` (a folder or one file)."""
    if path.is_file():
        return [path]
    try:
        children = list(path.iterdir())
    except OSError as exc:
        raise KnowledgeError([f"{path}: cannot read the folder ({_reason(exc)})"]) from exc
    return sorted(p for p in children if p.suffix in {".yaml", ".yml"} and p.is_file())


def load_knowledge(path: Path) -> KnowledgeBase:
    """Load and validate the knowledge base; raise ``KnowledgeError`` listing every problem.

    A ``path`` that doesn't exist raises ``KnowledgeMissingError`` instead (nothing to validate).

    ``path`` is the knowledge folder, or one file in it: then that file is checked against
    the rest of its folder (so its related ids resolve) and only its own problems are reported.
    """
    only: Path | None = None
    folder = path
    if path.is_file():
        if path.suffix not in {".yaml", ".yml"}:
            raise KnowledgeError(
                [f"{path}:1: not a knowledge file; pass the knowledge folder or a .yaml file in it"]
            )
        only, folder = path, path.parent
    elif not path.is_dir():
        raise KnowledgeMissingError(
            f"the knowledge folder {path} is missing (no such file or folder); point "
            "--knowledge or MLCAREER_KNOWLEDGE_DIR at a folder of knowledge YAML files, or "
            "unset both to use the bundled knowledge"
        )
    files = knowledge_files(folder)
    if not files:
        raise KnowledgeError([f"{folder}: no .yaml files found; the knowledge folder is empty"])
    found = _Collected()
    for file in files:
        _load_file(file, found)
    found.problems.extend(
        reference_problems(found.entries, found.tips, found.related_refs, found.invalid_ids)
    )
    if only is None and not found.problems:
        found.problems.extend(missing_section_problems(found.entries))
    problems = sorted(found.problems, key=_position)
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
    except OSError as exc:
        found.problems.append(f"{file}:1: cannot read the file ({_reason(exc)})")
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
            f"{file}:{nodes.line(root)}: top level must be a mapping with 'entries:', 'tips:' "
            "or 'vocabulary:'"
        )
        return
    for key_node, value_node in nodes.pairs(file, root, found.problems):
        key = key_node.value
        if key == "entries":
            for item in nodes.sequence(file, value_node, "entries", found.problems):
                _load_entry(file, item, found)
        elif key == "tips":
            for item in nodes.sequence(file, value_node, "tips", found.problems):
                _load_tip(file, item, found)
        elif key == "vocabulary":
            _load_vocabulary(file, value_node, found)
        else:
            found.problems.append(
                f"{file}:{nodes.line(key_node)}: unknown top-level key '{key}'"
                f"{nodes.did_you_mean(key, TOP_LEVEL_KEYS)}; use one of {', '.join(TOP_LEVEL_KEYS)}"
            )


def _load_entry(file: Path, node: yaml.Node, found: _Collected) -> None:
    fields = nodes.fields(file, node, "entry", ENTRY_REQUIRED, ENTRY_OPTIONAL, found.problems)
    if fields is None:
        return
    values, lines = fields
    label = f"entry '{nodes.ident(values)}'"
    problems = found.problems
    problems_before = len(problems)
    entry_id = nodes.text(file, values, lines, "id", label, problems)
    section = _section(file, values, lines, label, problems)
    if entry_id and not _ID_PATTERN.match(entry_id):
        problems.append(
            f"{file}:{lines['id']}: {label}: id must be lowercase words joined by '-', "
            "optionally 'section/name'"
        )
    elif entry_id and section and entry_id != section and not entry_id.startswith(section + "/"):
        problems.append(
            f"{file}:{lines['id']}: {label}: id must be '{section}' or start with '{section}/'"
        )
    title = nodes.text(file, values, lines, "title", label, problems)
    answer = _paragraphs(nodes.text(file, values, lines, "answer", label, problems))
    source = nodes.text(file, values, lines, "source", label, problems)
    lists: dict[str, tuple[str, ...]] = {}
    for name in _LIST_FIELDS & values.keys():
        items = nodes.strings(file, values[name], f"{label}: '{name}'", problems)
        if items is not None:
            lists[name] = tuple(item for item, _ in items)
    for name in ("phrasings", "keywords"):
        if name in lists and not lists[name] and isinstance(values[name], yaml.SequenceNode):
            problems.append(f"{file}:{lines[name]}: {label}: '{name}' is empty; add some")
    if len(problems) > problems_before:
        if entry_id:
            found.invalid_ids.add(entry_id)
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
        line=nodes.line(node),
    )
    found.entries.append(entry)
    if entry.related:
        found.related_refs.append((entry, lines["related"]))


def _load_tip(file: Path, node: yaml.Node, found: _Collected) -> None:
    fields = nodes.fields(file, node, "tip", TIP_REQUIRED, (), found.problems)
    if fields is None:
        return
    values, lines = fields
    label = f"tip '{nodes.ident(values)}'"
    problems_before = len(found.problems)
    tip_id = nodes.text(file, values, lines, "id", label, found.problems)
    section = _section(file, values, lines, label, found.problems)
    text = _paragraphs(nodes.text(file, values, lines, "text", label, found.problems))
    if len(found.problems) == problems_before:
        found.tips.append(Tip(tip_id, section, text, file=str(file), line=nodes.line(node)))


def _section(
    file: Path,
    values: dict[str, yaml.Node],
    lines: dict[str, int],
    label: str,
    problems: list[str],
) -> str:
    """The ``section`` field when it names one of the article's sections, else ""."""
    section = nodes.text(file, values, lines, "section", label, problems)
    if section and section not in SECTION_IDS:
        problems.append(
            f"{file}:{lines['section']}: {label}: unknown section '{section}'"
            f"{nodes.did_you_mean(section, SECTION_IDS)}; use one of {', '.join(SECTION_IDS)}"
        )
        return ""
    return section


def _load_vocabulary(file: Path, node: yaml.Node, found: _Collected) -> None:
    if not isinstance(node, yaml.MappingNode):
        found.problems.append(f"{file}:{nodes.line(node)}: 'vocabulary' must be a mapping")
        return
    for key_node, value_node in nodes.pairs(file, node, found.problems):
        key = key_node.value
        if key in ("synonyms", "patterns"):
            if not isinstance(value_node, yaml.MappingNode):
                found.problems.append(
                    f"{file}:{nodes.line(value_node)}: '{key}' must map a term to a list of "
                    + ("variants" if key == "synonyms" else "regular expressions")
                )
                continue
            for term_node, items_node in nodes.pairs(file, value_node, found.problems):
                label = f"{key} '{term_node.value}'"
                items = nodes.strings(file, items_node, label, found.problems)
                if items is None:
                    continue
                if key == "patterns":
                    _check_patterns(file, items, found.problems)
                target = found.synonyms if key == "synonyms" else found.patterns
                target[str(term_node.value)] = tuple(item for item, _ in items)
        elif key in ("anchors", "off_topic"):
            words = nodes.strings(file, value_node, key, found.problems)
            if words is not None:
                (found.anchors if key == "anchors" else found.off_topic).extend(w for w, _ in words)
        else:
            found.problems.append(
                f"{file}:{nodes.line(key_node)}: unknown vocabulary key '{key}'"
                f"{nodes.did_you_mean(key, VOCABULARY_KEYS)}; "
                f"use one of {', '.join(VOCABULARY_KEYS)}"
            )


def _check_patterns(file: Path, items: list[tuple[str, yaml.Node]], problems: list[str]) -> None:
    for pattern, node in items:
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.append(
                f"{file}:{nodes.line(node)}: pattern '{pattern}' is not a valid regular "
                f"expression ({exc}); fix it"
            )


def _paragraphs(text: str) -> str:
    """Text as written in a YAML block, unwrapped: paragraphs separated by one blank line, each
    on one line (a list item keeps a line of its own).

    A literal block (``|``) keeps the author's line breaks, and every adapter would show them
    as hard breaks mid-sentence (Slack, Discord, JSON output); so the break is undone here once.
    """
    paragraphs = []
    for paragraph in _PARAGRAPH_BREAK.split(text.strip()):
        lines: list[str] = []
        for line in paragraph.splitlines():
            words = " ".join(line.split())
            if not words:
                continue
            if lines and not _LIST_ITEM.match(words):
                lines[-1] = f"{lines[-1]} {words}"
            else:
                lines.append(words)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _reason(exc: OSError) -> str:
    """What the system said, without Python's error number or the path we already show."""
    return exc.strerror or type(exc).__name__


def _position(problem: str) -> tuple[str, int]:
    """Sort key that lists problems file by file, in line order."""
    found = _POSITION.match(problem)
    return (found[1], int(found[2])) if found else ("", 0)
