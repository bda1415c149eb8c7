"""Typed, immutable views of the knowledge base once it has passed validation."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Entry:
    """One answerable topic: a whole section (``id == section``) or a finer part of one."""

    id: str
    section: str
    title: str
    answer: str
    source: str
    phrasings: tuple[str, ...]
    keywords: tuple[str, ...]
    points: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    file: str = ""
    line: int = 0

    @property
    def is_section_entry(self) -> bool:
        """True for the entry that answers the whole section (``/mlcareer skills``)."""
        return self.id == self.section


@dataclass(frozen=True, slots=True)
class Tip:
    """A short daily tip; ``section`` says where in the article it comes from."""

    id: str
    section: str
    text: str
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Word lists the matcher uses to read questions the way people type them.

    ``synonyms`` maps a canonical term to the variants people write for it; ``patterns`` maps a
    canonical term to regular expressions over the folded question that imply it ("where ...
    work" implies employers); ``anchors`` are terms that put a question in the bot's domain (ML
    careers); ``off_topic`` are words or phrases that mark a question as outside it (other
    careers, debugging, chit-chat).
    """

    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    patterns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    anchors: tuple[str, ...] = ()
    off_topic: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """All entries, tips and vocabulary, with lookups by id and by topic alias."""

    entries: tuple[Entry, ...]
    tips: tuple[Tip, ...]
    vocabulary: Vocabulary
    root: str = ""
    by_id: dict[str, Entry] = field(default_factory=dict)
    by_alias: dict[str, Entry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.by_id:
            self.by_id.update({entry.id: entry for entry in self.entries})
        if not self.by_alias:
            for entry in self.entries:
                for name in (entry.id, *entry.aliases):
                    self.by_alias.setdefault(name.lower(), entry)

    def section_entry(self, section: str) -> Entry:
        """The entry that answers a whole section."""
        return self.by_id[section]

    def entries_in(self, section: str) -> tuple[Entry, ...]:
        """Every entry of a section, the section entry first."""
        return tuple(entry for entry in self.entries if entry.section == section)
