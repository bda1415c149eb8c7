"""Load and validate the knowledge base (format v2), reporting every problem as
``file:line: what to fix``.

Each YAML file is a mapping with ``version: 2`` and one or more of ``sections``, ``entries``,
``examples`` (extra example questions for entries by id), ``tips`` and ``vocabulary``. The
shipped folder loads first, then each extra folder (a community's layer) in order. Parsing is
``yaml.compose`` with the safe loader, so we keep every node's line number for messages and
never construct arbitrary Python objects.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.errors import KnowledgeError, KnowledgeMissingError
from bot.knowledge import nodes
from bot.knowledge.model import Entry, EntryKind, KnowledgeBase, Section, Tip, Vocabulary
from bot.knowledge.references import Ref, reference_problems

try:  # libyaml is several times faster; fall back to the pure-Python loader where it is absent.
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,unused-ignore]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

VERSION = 2
TOP_LEVEL_KEYS = ("version", "sections", "entries", "examples", "tips", "vocabulary")
SECTION_REQUIRED = ("id", "name", "order", "source")
SECTION_OPTIONAL = ("subcommand", "listed")
# Fields by entry kind: (required, optional).
ENTRY_FIELDS: dict[EntryKind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    EntryKind.ANSWER: (
        ("id", "section", "title", "answer", "examples", "source"),
        ("kind", "points", "aliases", "related"),
    ),
    EntryKind.PARTIAL: (
        ("id", "kind", "section", "answers_with", "gap", "examples"),
        ("title", "source", "related"),
    ),
    EntryKind.DECLINE: (
        ("id", "kind", "title", "answer", "examples"),
        ("section", "nearest", "source"),
    ),
}
TIP_REQUIRED = ("id", "section", "text")
VOCABULARY_KEYS = ("synonyms",)
REMOVED_VOCABULARY = ("anchors", "patterns", "off_topic")
MIN_EXAMPLES = 3
_LIST_FIELDS = ("examples", "points", "aliases", "related", "nearest")
_KINDS = tuple(kind.value for kind in EntryKind)
_POSITION = re.compile(r"^(.+?):(\d+): ")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LIST_ITEM = re.compile(r"^(?:[-*\u2022]|\d+[.)])\s")
_WORD = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_SECTION_ID = re.compile(rf"^{_WORD}$")
_ID_PATTERN = re.compile(rf"^{_WORD}(?:/{_WORD})?$")
V1_MESSAGE = (
    "no 'version: 2': this is a v1 knowledge file; migrate it: add 'version: 2' at the top, "
    "rename each entry's 'phrasings' to 'examples' (at least 3 questions), drop 'keywords' and "
    "'mentions', declare sections in a 'sections:' list, and turn vocabulary 'off_topic' words "
    "into decline entries (README: Knowledge format)"
)


@dataclass
class _Collected:
    sections: list[Section] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    tips: list[Tip] = field(default_factory=list)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    # References checked once every id is known.
    refs: list[Ref] = field(default_factory=list)
    # (file, line, entry id, questions, layer) from ``examples:`` mappings.
    added: list[tuple[Path, int, str, tuple[str, ...], int]] = field(default_factory=list)
    # Ids of entries that had problems of their own: a reference to one is not dangling.
    invalid_ids: set[str] = field(default_factory=set)
    layer_of: dict[str, int] = field(default_factory=dict)
    layer: int = 0


def knowledge_files(path: Path) -> list[Path]:
    """The YAML files that make up one knowledge layer at ``path`` (a folder or one file)."""
    if path.is_file():
        return [path]
    try:
        children = list(path.iterdir())
    except OSError as exc:
        raise KnowledgeError([f"{path}: cannot read the folder ({_reason(exc)})"]) from exc
    return sorted(p for p in children if p.suffix in {".yaml", ".yml"} and p.is_file())


def load_knowledge(path: Path, extra: Sequence[Path] = ()) -> KnowledgeBase:
    """Load and validate the knowledge base; raise ``KnowledgeError`` listing every problem.

    ``path`` is the shipped knowledge folder, or one file in it: then that file is checked
    against the rest of its folder (and the extra layers) and only its own problems are
    reported. ``extra`` are community folders layered on top, in order. A folder that doesn't
    exist raises ``KnowledgeMissingError`` instead (nothing to validate).
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
    layers: list[list[Path]] = []
    for layer_path in (folder, *extra):
        if not layer_path.is_dir():
            raise KnowledgeMissingError(
                f"the extra knowledge folder {layer_path} is missing (no such folder); check "
                "MLCAREER_EXTRA_KNOWLEDGE or --extra-knowledge"
            )
        files = knowledge_files(layer_path)
        if not files:
            raise KnowledgeError(
                [f"{layer_path}: no .yaml files found; the knowledge folder is empty"]
            )
        layers.append(files)
    found = _Collected()
    for number, files in enumerate(layers):
        found.layer = number
        for file in files:
            _load_file(file, found)
    sections = sorted(found.sections, key=lambda s: (s.order, s.id))
    entries = _with_added_examples(found)
    entries = _with_partial_defaults(entries)
    found.problems.extend(
        reference_problems(found.sections, entries, found.tips, found.refs, found.invalid_ids)
    )
    if only is None and not found.problems:
        found.problems.extend(_missing_section_problems(folder, sections, entries))
    problems = sorted(found.problems, key=_position)
    if only is not None:
        problems = [p for p in problems if p.startswith(f"{only}:")]
    if problems:
        raise KnowledgeError(problems)
    # Entries in section order (then as written), so every listing and tie-break agrees.
    rank = {section.id: i for i, section in enumerate(sections)}
    entries.sort(key=lambda e: rank.get(e.section, len(rank)))
    return KnowledgeBase(
        entries=tuple(entries),
        tips=tuple(found.tips),
        vocabulary=Vocabulary(synonyms=found.synonyms),
        sections=tuple(sections),
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
        found.problems.append(
            f"{file}:1: file is empty; start it with 'version: 2' and add 'sections:', "
            "'entries:', 'examples:', 'tips:' or 'vocabulary:'"
        )
        return
    if not isinstance(root, yaml.MappingNode):
        found.problems.append(
            f"{file}:{nodes.line(root)}: top level must be a mapping with 'version: 2' and "
            "'sections:', 'entries:', 'examples:', 'tips:' or 'vocabulary:'"
        )
        return
    pairs = nodes.pairs(file, root, found.problems)
    version = next((value for key, value in pairs if key.value == "version"), None)
    if version is None:
        found.problems.append(f"{file}:1: {V1_MESSAGE}")
        return
    if not (isinstance(version, yaml.ScalarNode) and str(version.value) == str(VERSION)):
        value = version.value if isinstance(version, yaml.ScalarNode) else "?"
        found.problems.append(
            f"{file}:{nodes.line(version)}: version {value} is not supported; this bot reads "
            f"'version: {VERSION}'"
        )
        return
    for key_node, value_node in pairs:
        key = key_node.value
        if key == "version":
            continue
        if key == "sections":
            for item in nodes.sequence(file, value_node, "sections", found.problems):
                _load_section(file, item, found)
        elif key == "entries":
            for item in nodes.sequence(file, value_node, "entries", found.problems):
                _load_entry(file, item, found)
        elif key == "examples":
            _load_examples(file, value_node, found)
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


def _load_section(file: Path, node: yaml.Node, found: _Collected) -> None:
    fields = nodes.fields(file, node, "section", SECTION_REQUIRED, SECTION_OPTIONAL, found.problems)
    if fields is None:
        return
    values, lines = fields
    label = f"section '{nodes.ident(values)}'"
    problems = found.problems
    before = len(problems)
    section_id = nodes.text(file, values, lines, "id", label, problems)
    if section_id and not _SECTION_ID.match(section_id):
        problems.append(f"{file}:{lines['id']}: {label}: id must be lowercase words joined by '-'")
    name = nodes.text(file, values, lines, "name", label, problems)
    order = nodes.integer(file, values, lines, "order", label, problems)
    source = nodes.text(file, values, lines, "source", label, problems)
    subcommand = nodes.boolean(file, values, lines, "subcommand", label, problems, True)
    listed = nodes.boolean(file, values, lines, "listed", label, problems, True)
    if len(problems) > before or order is None:
        return
    found.sections.append(
        Section(
            id=section_id,
            name=name,
            order=order,
            source=source,
            subcommand=subcommand,
            listed=listed,
            file=str(file),
            line=nodes.line(node),
        )
    )


def _kind(file: Path, node: yaml.Node, found: _Collected) -> EntryKind | None:
    """The entry's kind (``answer`` when absent); None (and a problem) when it is unknown."""
    if not isinstance(node, yaml.MappingNode):
        return EntryKind.ANSWER  # nodes.fields reports the shape
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == "kind":
            value = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
            if value in _KINDS:
                return EntryKind(value)
            found.problems.append(
                f"{file}:{nodes.line(key_node)}: unknown kind '{value}'"
                f"{nodes.did_you_mean(str(value), _KINDS)}; use one of {', '.join(_KINDS)}"
            )
            return None
    return EntryKind.ANSWER


def _load_entry(file: Path, node: yaml.Node, found: _Collected) -> None:
    kind = _kind(file, node, found)
    if kind is None:
        return
    required, optional = ENTRY_FIELDS[kind]
    what = "entry" if kind is EntryKind.ANSWER else f"{kind.value} entry"
    fields = nodes.fields(file, node, what, required, optional, found.problems)
    if fields is None:
        return
    values, lines = fields
    label = f"{what} '{nodes.ident(values)}'"
    problems = found.problems
    problems_before = len(problems)
    entry_id = nodes.text(file, values, lines, "id", label, problems)
    section = nodes.text(file, values, lines, "section", label, problems)
    if entry_id and not _ID_PATTERN.match(entry_id):
        problems.append(
            f"{file}:{lines['id']}: {label}: id must be lowercase words joined by '-', "
            "optionally 'group/name'"
        )
    title = nodes.text(file, values, lines, "title", label, problems)
    answer = _paragraphs(nodes.text(file, values, lines, "answer", label, problems))
    source = nodes.text(file, values, lines, "source", label, problems)
    answers_with = nodes.text(file, values, lines, "answers_with", label, problems)
    gap = _paragraphs(nodes.text(file, values, lines, "gap", label, problems))
    lists: dict[str, tuple[str, ...]] = {}
    clean: set[str] = set()  # list fields read without a problem of their own
    for name in _LIST_FIELDS:
        if name in values:
            before = len(problems)
            items = nodes.strings(file, values[name], f"{label}: '{name}'", problems)
            if items is not None:
                lists[name] = tuple(item for item, _ in items)
            if len(problems) == before:
                clean.add(name)
    examples = lists.get("examples")
    if "examples" in clean and examples is not None and len(examples) < MIN_EXAMPLES:
        problems.append(
            f"{file}:{lines['examples']}: {label}: 'examples' has {len(examples)}; write at "
            f"least {MIN_EXAMPLES} questions the way people ask them"
        )
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
        examples=lists.get("examples", ()),
        kind=kind,
        points=lists.get("points", ()),
        aliases=tuple(alias.lower() for alias in lists.get("aliases", ())),
        related=lists.get("related", ()),
        answers_with=answers_with,
        gap=gap,
        nearest=lists.get("nearest", ()),
        file=str(file),
        line=nodes.line(node),
    )
    found.entries.append(entry)
    found.layer_of.setdefault(entry.id, found.layer)
    # An answer entry's id must be its section or start with it: checked once sections are known.
    if kind is EntryKind.ANSWER:
        found.refs.append(Ref(entry, "id", lines["id"]))
    for name in ("related", "nearest", "answers_with", "section"):
        if name in lines and getattr(entry, name):
            found.refs.append(Ref(entry, name, lines[name]))


def _load_examples(file: Path, node: yaml.Node, found: _Collected) -> None:
    """``examples: {entry id: [question, ...]}``: questions added to entries by id."""
    if not isinstance(node, yaml.MappingNode):
        found.problems.append(
            f"{file}:{nodes.line(node)}: 'examples' must map an entry id to a list of questions"
        )
        return
    for key_node, items_node in nodes.pairs(file, node, found.problems):
        items = nodes.strings(file, items_node, f"examples for '{key_node.value}'", found.problems)
        if items:
            questions = tuple(item for item, _ in items)
            found.added.append(
                (file, nodes.line(key_node), str(key_node.value), questions, found.layer)
            )


def _load_tip(file: Path, node: yaml.Node, found: _Collected) -> None:
    fields = nodes.fields(file, node, "tip", TIP_REQUIRED, (), found.problems)
    if fields is None:
        return
    values, lines = fields
    label = f"tip '{nodes.ident(values)}'"
    problems_before = len(found.problems)
    tip_id = nodes.text(file, values, lines, "id", label, found.problems)
    section = nodes.text(file, values, lines, "section", label, found.problems)
    text = _paragraphs(nodes.text(file, values, lines, "text", label, found.problems))
    if len(found.problems) == problems_before:
        tip = Tip(tip_id, section, text, file=str(file), line=nodes.line(node))
        found.tips.append(tip)
        found.refs.append(Ref(tip, "section", lines["section"]))


def _load_vocabulary(file: Path, node: yaml.Node, found: _Collected) -> None:
    if not isinstance(node, yaml.MappingNode):
        found.problems.append(f"{file}:{nodes.line(node)}: 'vocabulary' must be a mapping")
        return
    for key_node, value_node in nodes.pairs(file, node, found.problems):
        key = key_node.value
        if key == "synonyms":
            if not isinstance(value_node, yaml.MappingNode):
                found.problems.append(
                    f"{file}:{nodes.line(value_node)}: 'synonyms' must map a term to a list of "
                    "variants"
                )
                continue
            for term_node, items_node in nodes.pairs(file, value_node, found.problems):
                items = nodes.strings(
                    file, items_node, f"synonyms '{term_node.value}'", found.problems
                )
                if items is not None:
                    term = str(term_node.value)
                    variants = tuple(item for item, _ in items)
                    found.synonyms[term] = (*found.synonyms.get(term, ()), *variants)
        elif key in REMOVED_VOCABULARY:
            found.problems.append(
                f"{file}:{nodes.line(key_node)}: vocabulary '{key}' was removed in version 2; "
                "delete it (out-of-scope questions are decline entries with examples, and "
                "topics are matched on their example questions)"
            )
        else:
            found.problems.append(
                f"{file}:{nodes.line(key_node)}: unknown vocabulary key '{key}'"
                f"{nodes.did_you_mean(key, VOCABULARY_KEYS)}; use one of "
                f"{', '.join(VOCABULARY_KEYS)}"
            )


def _with_added_examples(found: _Collected) -> list[Entry]:
    """The entries with the questions of every ``examples:`` mapping added to them."""
    index = {entry.id: i for i, entry in enumerate(found.entries)}
    entries = list(found.entries)
    for file, line, entry_id, questions, layer in found.added:
        position = index.get(entry_id)
        if position is None:
            if entry_id not in found.invalid_ids:
                found.problems.append(
                    f"{file}:{line}: examples for '{entry_id}': no entry has that id"
                    f"{nodes.did_you_mean(entry_id, index)}; fix the id"
                )
            continue
        if found.layer_of.get(entry_id, 0) > layer:
            entry = entries[position]
            found.problems.append(
                f"{file}:{line}: examples for '{entry_id}': that entry comes from a later layer "
                f"({entry.file}); add its examples in that layer or a later one"
            )
            continue
        entry = entries[position]
        entries[position] = dataclasses.replace(entry, examples=(*entry.examples, *questions))
    return entries


def _with_partial_defaults(entries: list[Entry]) -> list[Entry]:
    """Partial entries take their title and source from their answers_with entry if unset."""
    by_id = {entry.id: entry for entry in entries}
    out = []
    for entry in entries:
        target = by_id.get(entry.answers_with)
        if entry.kind is EntryKind.PARTIAL and target is not None:
            entry = dataclasses.replace(
                entry, title=entry.title or target.title, source=entry.source or target.source
            )
        out.append(entry)
    return out


def _missing_section_problems(
    folder: Path, sections: Sequence[Section], entries: Sequence[Entry]
) -> list[str]:
    """No sections at all, or a shown section without an answer entry answering it as a whole.

    A section that is listed or has a Discord subcommand is opened by its id (``topics``,
    ``/mlcareer skills``), so it needs an entry with that id; a meta section such as ``about``
    (neither) does not.
    """
    if not sections:
        return [f"{folder}:1: no sections declared; add a 'sections:' list (sections.yaml)"]
    ids = {entry.id for entry in entries if entry.kind is EntryKind.ANSWER}
    return [
        f"{section.file}:{section.line}: section '{section.id}' has no entry with id "
        f"'{section.id}'; add one that answers the whole section"
        for section in sections
        if section.id not in ids and (section.listed or section.subcommand)
    ]


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
    return "\n\n".join(paragraphs) if text else ""


def _reason(exc: OSError) -> str:
    """What the system said, without Python's error number or the path we already show."""
    return exc.strerror or type(exc).__name__


def _position(problem: str) -> tuple[str, int]:
    """Sort key that lists problems file by file, in line order."""
    found = _POSITION.match(problem)
    return (found[1], int(found[2])) if found else ("", 0)
