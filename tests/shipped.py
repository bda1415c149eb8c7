"""The shipped knowledge's sections, read once from its YAML (there is no Python list of them)."""

from __future__ import annotations

from bot.knowledge.loader import load_knowledge
from bot.settings import DEFAULT_KNOWLEDGE_DIR

SHIPPED = load_knowledge(DEFAULT_KNOWLEDGE_DIR)
# The listed sections, in order: what topics, help and section buttons show.
SECTION_IDS: tuple[str, ...] = tuple(section.id for section in SHIPPED.listed_sections)
# The sections with a Discord subcommand of their own.
SUBCOMMAND_IDS: tuple[str, ...] = tuple(s.id for s in SHIPPED.sections if s.subcommand)
