"""The ten sections of the seed article that every knowledge entry belongs to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Section:
    """A section id, the name shown to users, and where it sits in the article."""

    id: str
    name: str
    location: str


SECTIONS: tuple[Section, ...] = (
    Section("overview", "Overview", "the introduction and the salary section's definition"),
    Section("responsibilities", "Responsibilities", "the responsibilities list"),
    Section("skills", "Skills", "the essential-skills list"),
    Section("career-path", "Career path", "the Career Path section"),
    Section("industries", "Industries", "the Career Path section's list of industries"),
    Section("education", "Education", "the Career Path section's paragraph on degrees"),
    Section("job-titles", "Job titles", "the Career Path section's list of job titles"),
    Section("senior-roles", "Senior roles", "the Career Path section's list of senior roles"),
    Section("salary", "Salary", "the salary paragraph"),
    Section("outlook", "Outlook", "the summary"),
)

SECTION_IDS: tuple[str, ...] = tuple(section.id for section in SECTIONS)
SECTIONS_BY_ID: dict[str, Section] = {section.id: section for section in SECTIONS}
