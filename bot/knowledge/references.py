"""Checks that need the whole knowledge base at once: ids, references, aliases and sections.

Each file is read on its own first; only when every layer is loaded can a duplicate id, a
reference that leads nowhere or an alias claimed twice be told apart from one defined elsewhere.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.knowledge.model import Entry, EntryKind, Section, Tip
from bot.knowledge.nodes import did_you_mean

_Item = TypeVar("_Item", Entry, Tip, Section)


@dataclass(frozen=True, slots=True)
class Ref:
    """A field of an entry or tip that names other ids, and the line it is on.

    ``field`` is ``related``, ``nearest`` or ``answers_with`` (entry ids), ``section``, or
    ``id`` (an answer entry's id must be its section or start with it).
    """

    item: Entry | Tip
    field: str
    line: int


def reference_problems(
    sections: Sequence[Section],
    entries: Sequence[Entry],
    tips: Sequence[Tip],
    refs: Sequence[Ref],
    invalid_ids: Collection[str],
) -> list[str]:
    """Duplicate ids (across all layers), references to ids that do not exist, and shared
    aliases. ``invalid_ids`` are ids of entries that had problems of their own and were left
    out: a reference to one of them is not reported as dangling."""
    problems: list[str] = []
    by_section = _first_of_each(sections, "section", problems)
    by_id = _first_of_each(entries, "id", problems)
    _first_of_each(tips, "tip id", problems)
    for ref in refs:
        item = ref.item
        what = "tip" if isinstance(item, Tip) else _what(item)
        where = f"{item.file}:{ref.line}: {what} '{item.id}'"
        if ref.field == "section":
            section = item.section
            if section not in by_section:
                problems.append(
                    f"{where}: unknown section '{section}'"
                    f"{did_you_mean(section, by_section)}; declare it in a 'sections:' list or "
                    f"use one of {', '.join(by_section) or 'the declared sections'}"
                )
            continue
        assert isinstance(item, Entry)
        if ref.field == "id":
            section = item.section
            if (
                section in by_section
                and item.id != section
                and not item.id.startswith(section + "/")
            ):
                problems.append(f"{where}: id must be '{section}' or start with '{section}/'")
            continue
        targets = (item.answers_with,) if ref.field == "answers_with" else getattr(item, ref.field)
        for target in targets:
            if target == item.id:
                problems.append(f"{where} lists itself in '{ref.field}'")
            elif target not in by_id:
                if target not in invalid_ids:
                    problems.append(
                        f"{where}: {ref.field} id '{target}' does not exist"
                        f"{did_you_mean(target, by_id)}; fix or remove it"
                    )
            elif ref.field == "answers_with" and by_id[target].kind is not EntryKind.ANSWER:
                problems.append(
                    f"{where}: answers_with '{target}' is a {by_id[target].kind.value} entry; "
                    "name an answer entry"
                )
    owners: dict[str, Entry] = {}
    for entry in entries:
        for alias in entry.aliases:
            owner = owners.get(alias) or (by_id.get(alias) if alias != entry.id else None)
            if owner is not None and owner.id != entry.id:
                problems.append(
                    f"{entry.file}:{entry.line}: entry '{entry.id}': alias '{alias}' is already "
                    f"used by '{owner.id}'; an alias can name only one topic"
                )
            owners.setdefault(alias, entry)
    return problems


def _what(entry: Entry) -> str:
    return "entry" if entry.kind is EntryKind.ANSWER else f"{entry.kind.value} entry"


def _first_of_each(items: Sequence[_Item], what: str, problems: list[str]) -> dict[str, _Item]:
    """Items by id, the first of each; every later one with the same id is a problem."""
    first: dict[str, _Item] = {}
    for item in items:
        earlier = first.get(item.id)
        if earlier is None:
            first[item.id] = item
        else:
            problems.append(
                f"{item.file}:{item.line}: duplicate {what} '{item.id}' (first defined at "
                f"{earlier.file}:{earlier.line}); give one of them another id"
            )
    return first
