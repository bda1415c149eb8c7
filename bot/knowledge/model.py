"""Typed, immutable views of the knowledge base once it has passed validation."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Section:
    """A group of entries declared in YAML: its id, the name users see, and its sort key.

    ``subcommand`` gives it its own Discord subcommand; ``listed`` shows it in ``topics`` (False
    for meta sections such as ``about``); ``source`` says where its facts come from.
    """

    id: str
    name: str
    order: int
    source: str
    subcommand: bool = True
    listed: bool = True
    file: str = ""
    line: int = 0


class EntryKind(StrEnum):
    """What the best-ranked entry of this kind makes the bot say."""

    ANSWER = "answer"  # a topic the knowledge base answers
    PARTIAL = "partial"  # the best topic helps, but the exact ask is not answered (``gap``)
    DECLINE = "decline"  # a kind of question the bot must not answer (its own text)


@dataclass(frozen=True, slots=True)
class Entry:
    """One rankable entry: an answer (a section's main entry or a part of one), a partial
    answer pointing at an answer entry, or a decline."""

    id: str
    section: str
    title: str
    answer: str
    source: str
    examples: tuple[str, ...]
    kind: EntryKind = EntryKind.ANSWER
    points: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    answers_with: str = ""  # partial: the answer entry whose answer follows the gap note
    gap: str = ""  # partial: what the knowledge does not say, said first
    nearest: tuple[str, ...] = ()  # decline: entry ids offered as buttons
    file: str = ""
    line: int = 0

    @property
    def is_section_entry(self) -> bool:
        """True for the entry that answers the whole section (``/mlcareer skills``)."""
        return self.id == self.section


@dataclass(frozen=True, slots=True)
class Tip:
    """A short daily tip; ``section`` says where in the knowledge it comes from."""

    id: str
    section: str
    text: str
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """``synonyms`` maps a canonical term to the variants people write for it ("mle" for
    "machine learning engineer"); the matcher folds each variant into its canonical term."""

    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """All sections (in order), entries, tips and vocabulary, with lookups by id and alias."""

    entries: tuple[Entry, ...]
    tips: tuple[Tip, ...]
    vocabulary: Vocabulary
    sections: tuple[Section, ...] = ()
    root: str = ""
    by_id: dict[str, Entry] = field(default_factory=dict)
    by_alias: dict[str, Entry] = field(default_factory=dict)
    sections_by_id: dict[str, Section] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.by_id:
            self.by_id.update({entry.id: entry for entry in self.entries})
        if not self.by_alias:
            for entry in self.entries:
                if entry.kind is EntryKind.ANSWER:
                    for name in (entry.id, *entry.aliases):
                        self.by_alias.setdefault(name.lower(), entry)
        if not self.sections_by_id:
            self.sections_by_id.update({section.id: section for section in self.sections})

    @property
    def listed_sections(self) -> tuple[Section, ...]:
        """The sections shown in ``topics``, help and buttons, in order."""
        return tuple(section for section in self.sections if section.listed)

    @property
    def answers(self) -> tuple[Entry, ...]:
        """The answer entries (the topics a user can name)."""
        return tuple(entry for entry in self.entries if entry.kind is EntryKind.ANSWER)

    def section(self, section_id: str) -> Section | None:
        """The section with this id, if there is one."""
        return self.sections_by_id.get(section_id)

    def section_name(self, section_id: str) -> str:
        """The name users see for a section (the id itself for an unknown one)."""
        section = self.sections_by_id.get(section_id)
        return section.name if section else section_id

    def section_entry(self, section: str) -> Entry:
        """The entry that answers a whole section."""
        return self.by_id[section]

    def entries_in(self, section: str) -> tuple[Entry, ...]:
        """Every answer entry of a section, the section entry first."""
        return tuple(e for e in self.answers if e.section == section)
