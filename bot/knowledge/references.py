"""Checks that need the whole knowledge base at once: ids, related ids, aliases and sections.

Each file is read on its own first; only when every entry is known can a duplicate id, a related
id that leads nowhere or an alias claimed twice be told apart from one defined in another file.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TypeVar

from bot.knowledge.model import Entry, Tip
from bot.knowledge.nodes import did_you_mean
from bot.knowledge.sections import SECTION_IDS

_Item = TypeVar("_Item", Entry, Tip)


def reference_problems(
    entries: Sequence[Entry],
    tips: Sequence[Tip],
    related_lines: Sequence[tuple[Entry, int]],
    invalid_ids: Collection[str],
) -> list[str]:
    """Duplicate entry and tip ids, dangling or self ``related`` ids, and shared aliases.

    ``related_lines`` pairs each entry that has a ``related`` list with that list's line.
    ``invalid_ids`` are ids of entries that had problems of their own and were left out: a
    reference to one of them is not reported as dangling.
    """
    problems: list[str] = []
    by_id = _first_of_each(entries, "id", problems)
    _first_of_each(tips, "tip id", problems)
    for entry, line in related_lines:
        for ref in entry.related:
            if ref == entry.id:
                problems.append(f"{entry.file}:{line}: entry '{entry.id}' lists itself")
            elif ref not in by_id and ref not in invalid_ids:
                problems.append(
                    f"{entry.file}:{line}: entry '{entry.id}': related id '{ref}' does not exist"
                    f"{did_you_mean(ref, by_id)}; fix or remove it"
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


def missing_section_problems(entries: Sequence[Entry]) -> list[str]:
    """One problem for each article section that has no entry answering it as a whole."""
    ids = {entry.id for entry in entries}
    where = entries[0].file if entries else "knowledge"
    return [
        f"{where}:1: section '{section}' has no entry with id '{section}'; add one that answers "
        "the whole section"
        for section in SECTION_IDS
        if section not in ids
    ]


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
