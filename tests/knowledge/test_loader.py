"""load_knowledge: every kind of broken knowledge folder is reported as file:line: what to fix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.errors import KnowledgeError, KnowledgeMissingError
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from tests.shipped import SECTION_IDS

# fixture folder -> the problems it must produce, as (file, line, words the message must hold).
BROKEN: dict[str, list[tuple[str, int, tuple[str, ...]]]] = {
    "unknown-field": [
        ("entries.yaml", 7, ("entry 'skills'", "unknown field 'anwser'", "did you mean 'answer'")),
    ],
    "missing-field": [
        ("entries.yaml", 3, ("entry 'skills'", "missing field 'source'", "add it")),
    ],
    "duplicate-id": [
        ("entries.yaml", 11, ("duplicate id 'salary'", "entries.yaml:3", "another id")),
    ],
    "unknown-section": [
        ("entries.yaml", 4, ("entry 'skills'", "unknown section 'skils'", "did you mean 'skills'")),
        ("entries.yaml", 12, ("tip 'tip-salary-average'", "unknown section 'salaries'")),
    ],
    "dangling-related": [
        (
            "entries.yaml",
            10,
            (
                "entry 'skills'",
                "related id 'skills/programming-language' does not exist",
                "did you mean 'skills/programming-languages'",
                "fix or remove it",
            ),
        ),
    ],
    "empty-answer": [
        ("entries.yaml", 6, ("entry 'outlook'", "'answer' is empty", "write it")),
    ],
    "bad-yaml": [
        ("entries.yaml", 6, ("bad YAML", "fix the syntax")),
    ],
    "duplicate-key": [
        ("entries.yaml", 7, ("key 'title' appears twice", "keep one")),
    ],
    "wrong-types": [
        ("entries.yaml", 6, ("entry 'skills'", "'title' must be text")),
        ("entries.yaml", 9, ("entry 'skills'", "'examples' must be a list of text items")),
        ("entries.yaml", 12, ("entry 'skills'", "'points': items must be non-empty text")),
        ("entries.yaml", 14, ("each tip must be a mapping of fields",)),
    ],
    "two-files": [
        ("broken.yaml", 6, ("entry 'salary'", "'answer' is empty")),
    ],
}


def problems_of(path: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(path)
    return caught.value.problems


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_folder_reports_each_problem_once_at_its_file_and_line(
    kb_fixtures: Path, case: str
) -> None:
    folder = kb_fixtures / case
    problems = problems_of(folder)
    expected = BROKEN[case]
    assert len(problems) == len(expected), problems
    for problem, (file, line, words) in zip(problems, expected, strict=True):
        assert problem.startswith(f"{folder / file}:{line}: "), problem
        for word in words:
            assert word in problem, problem


def test_knowledge_error_message_counts_and_lists_the_problems(kb_fixtures: Path) -> None:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(kb_fixtures / "wrong-types")
    message = str(caught.value)
    assert message.startswith("knowledge base has 4 problems:")
    assert all(problem in message for problem in caught.value.problems)


def test_single_file_reports_only_that_files_problems(kb_fixtures: Path) -> None:
    folder = kb_fixtures / "two-files"
    assert load_knowledge(folder / "fine.yaml").by_id["outlook"].related == ("salary",)
    problems = problems_of(folder / "broken.yaml")
    assert problems == [
        f"{folder / 'broken.yaml'}:6: entry 'salary': 'answer' is empty; write it",
    ]


def test_reference_to_an_entry_with_its_own_problem_is_not_called_dangling(
    kb_fixtures: Path,
) -> None:
    problems = problems_of(kb_fixtures / "two-files")
    assert not any("does not exist" in problem for problem in problems), problems


def test_missing_path_is_missing_not_invalid(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeMissingError, match="is missing") as caught:
        load_knowledge(tmp_path / "nowhere")
    assert not isinstance(caught.value, KnowledgeError)
    assert str(tmp_path / "nowhere") in str(caught.value)


def test_non_yaml_file_and_empty_folder_are_reported(kb_fixtures: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("entries: []\n", encoding="utf-8")
    assert problems_of(notes)[0].startswith(f"{notes}:1: not a knowledge file")
    assert problems_of(tmp_path)[0].startswith(f"{tmp_path}: no .yaml files found")


def test_empty_file_invalid_utf8_and_unknown_top_level_key(tmp_path: Path) -> None:
    (tmp_path / "a-empty.yaml").write_text("# nothing here\n", encoding="utf-8")
    (tmp_path / "b-latin1.yaml").write_bytes(b"version: 2\nentries:\n  - title: caf\xe9\n")
    (tmp_path / "c-key.yaml").write_text("version: 2\nentry: []\n", encoding="utf-8")
    problems = problems_of(tmp_path)
    assert problems[0].startswith(f"{tmp_path / 'a-empty.yaml'}:1: file is empty")
    assert problems[1].startswith(f"{tmp_path / 'b-latin1.yaml'}:1: not valid UTF-8")
    assert problems[2].startswith(f"{tmp_path / 'c-key.yaml'}:2: unknown top-level key 'entry'")
    assert "did you mean 'entries'" in problems[2]


def test_folder_without_a_section_entry_asks_for_one(kb_fixtures: Path, tmp_path: Path) -> None:
    text = (kb_fixtures / "valid" / "knowledge.yaml").read_text(encoding="utf-8")
    (tmp_path / "knowledge.yaml").write_text(
        text.replace("  - id: outlook\n", "  - id: outlook/later\n"), encoding="utf-8"
    )
    problems = problems_of(tmp_path)
    assert len(problems) == 1
    assert "section 'outlook' has no entry with id 'outlook'" in problems[0]
    assert problems[0].startswith(f"{tmp_path / 'knowledge.yaml'}:")  # at the section's line


def test_valid_fixture_loads_with_lookups_by_id_and_alias(kb_fixtures: Path) -> None:
    knowledge = load_knowledge(kb_fixtures / "valid")
    assert len(knowledge.entries) == 11
    assert len(knowledge.tips) == 10
    assert knowledge.by_alias["py"].id == "skills/python"
    assert [e.id for e in knowledge.entries_in("skills")] == ["skills", "skills/python"]
    assert knowledge.vocabulary.synonyms == {"salary": ("pay",)}
    assert [s.id for s in knowledge.sections][:3] == ["overview", "responsibilities", "skills"]
    assert knowledge.section_name("career-path") == "Career path"


def test_shipped_knowledge_passes_every_check(knowledge: KnowledgeBase) -> None:
    assert {entry.section for entry in knowledge.answers} == {s.id for s in knowledge.sections}
    for section in SECTION_IDS:
        assert knowledge.section_entry(section).is_section_entry


def test_tip_deck_has_at_least_30_tips_covering_every_section(knowledge: KnowledgeBase) -> None:
    tips = knowledge.tips
    assert len(tips) >= 30
    assert {tip.section for tip in tips} == set(SECTION_IDS)
    assert len({tip.id for tip in tips}) == len(tips)


def test_every_tip_is_short_and_named_after_its_section(knowledge: KnowledgeBase) -> None:
    for tip in knowledge.tips:
        assert tip.id.startswith(f"tip-{tip.section}-"), tip.id
        assert 20 <= len(tip.text) <= 280, tip.id
        assert 1 <= len(re.findall(r"[.!?](?:\s|$)", tip.text)) <= 2, tip.id


def test_removed_v1_vocabulary_keys_are_each_one_problem(tmp_path: Path) -> None:
    (tmp_path / "vocabulary.yaml").write_text(
        "version: 2\nvocabulary:\n  patterns:\n    employers: ['where (do']\n"
        "  anchors: [ml]\n  off_topic: [dentist]\n",
        encoding="utf-8",
    )
    problems = problems_of(tmp_path / "vocabulary.yaml")
    assert [p.split(": ")[0].rsplit(":", 1)[1] for p in problems] == ["3", "5", "6"]
    assert all("removed in version 2" in p for p in problems)
    assert "decline entries" in problems[0]


def test_unreadable_file_or_folder_is_a_problem_not_a_crash(
    kb_fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Permission errors (faked: tests may run as root) end up in the problem list."""
    folder = kb_fixtures / "valid"
    real_read_text = Path.read_text

    def read_text(self: Path, *args: object, **kwargs: object) -> str:
        if self.name == "knowledge.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", read_text)
    assert problems_of(folder) == [
        f"{folder / 'knowledge.yaml'}:1: cannot read the file (Permission denied)"
    ]

    def iterdir(self: Path) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", iterdir)
    assert problems_of(folder) == [f"{folder}: cannot read the folder (Permission denied)"]


def test_answers_written_as_literal_blocks_are_unwrapped_into_paragraphs(
    kb_fixtures: Path, tmp_path: Path
) -> None:
    text = (kb_fixtures / "valid" / "knowledge.yaml").read_text(encoding="utf-8")
    wrapped = (
        "  - id: outlook\n    section: outlook\n    title: Outlook\n    answer: |\n"
        "      Demand is\n      growing   fast.\n\n\n      Three reasons:\n"
        "      - more data\n      - more models\n"
    )
    start = text.index("  - id: outlook\n")
    end = text.index("    source:", start)
    (tmp_path / "knowledge.yaml").write_text(text[:start] + wrapped + text[end:], "utf-8")
    entry = load_knowledge(tmp_path).by_id["outlook"]
    assert entry.answer == "Demand is growing fast.\n\nThree reasons:\n- more data\n- more models"


def test_shipped_answers_have_no_line_breaks_inside_a_paragraph(knowledge: KnowledgeBase) -> None:
    for entry in knowledge.entries:
        for paragraph in entry.answer.split("\n\n"):
            assert "\n" not in paragraph, entry.id
