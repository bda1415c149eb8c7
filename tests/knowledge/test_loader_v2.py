"""Knowledge format v2: sections, entry kinds, examples, layers, and a message for each mistake."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.errors import KnowledgeError, KnowledgeMissingError
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import EntryKind
from bot.settings import Settings

SECTIONS = """version: 2
sections:
  - id: skills
    name: Skills
    order: 30
    source: the skills list
  - id: salary
    name: Salary
    order: 20
    source: the salary paragraph
    subcommand: false
"""

ENTRIES = """version: 2
entries:
  - id: skills
    section: skills
    title: Skills
    answer: Python and maths.
    examples: [what skills do I need, which skills matter, skills for the job]
    source: the skills list
  - id: salary
    section: salary
    title: Salary
    answer: About the average.
    examples: [how much is the pay, what do they earn, salary please]
    source: the salary paragraph
"""


def folder(root: Path, name: str, **files: str) -> Path:
    path = root / name
    path.mkdir()
    for file, text in files.items():
        (path / f"{file}.yaml").write_text(text, encoding="utf-8")
    return path


def shipped(tmp_path: Path, extra_entries: str = "") -> Path:
    return folder(tmp_path, "shipped", sections=SECTIONS, entries=ENTRIES + extra_entries)


def problems_of(path: Path, extra: tuple[Path, ...] = ()) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(path, extra)
    return caught.value.problems


def test_sections_come_in_order_with_their_flags(tmp_path: Path) -> None:
    knowledge = load_knowledge(shipped(tmp_path))
    assert [s.id for s in knowledge.sections] == ["salary", "skills"]  # by order
    assert knowledge.sections_by_id["salary"].subcommand is False
    assert knowledge.sections_by_id["skills"].listed is True
    assert [e.id for e in knowledge.entries] == ["salary", "skills"]


def test_a_v1_file_gets_one_message_saying_how_to_migrate(tmp_path: Path) -> None:
    path = shipped(tmp_path)
    (path / "old.yaml").write_text(
        "entries:\n  - id: x\n    phrasings: [a]\n    keywords: [b]\n", encoding="utf-8"
    )
    problems = problems_of(path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path / 'old.yaml'}:1: no 'version: 2'")
    assert "rename each entry's 'phrasings' to 'examples'" in problems[0]


def test_an_unsupported_version_is_named(tmp_path: Path) -> None:
    path = shipped(tmp_path)
    (path / "new.yaml").write_text("version: 3\nentries: []\n", encoding="utf-8")
    assert problems_of(path) == [
        f"{path / 'new.yaml'}:1: version 3 is not supported; this bot reads 'version: 2'"
    ]


def test_bad_section_fields_are_each_reported_at_their_line(tmp_path: Path) -> None:
    path = shipped(tmp_path)
    (path / "more.yaml").write_text(
        "version: 2\nsections:\n  - id: Bad_Id\n    name: X\n    order: 10\n    source: s\n"
        "  - id: other\n    name: Other\n    order: soon\n    source: s\n    listed: maybe\n",
        encoding="utf-8",
    )
    problems = problems_of(path)
    assert [p.split(": ", 1)[0].rsplit(":", 1)[1] for p in problems] == ["3", "9", "11"]
    assert "id must be lowercase words joined by '-'" in problems[0]
    assert "'order' must be a whole number" in problems[1]
    assert "'listed' must be true or false" in problems[2]


def test_duplicate_section_and_entry_ids_across_layers_name_both_places(tmp_path: Path) -> None:
    base = shipped(tmp_path)
    extra = folder(
        tmp_path,
        "community",
        again="version: 2\nsections:\n  - {id: skills, name: S, order: 5, source: s}\n"
        "entries:\n  - id: salary\n    section: salary\n    title: T\n    answer: A\n"
        "    examples: [a b, c d, e f]\n    source: s\n",
    )
    problems = problems_of(base, (extra,))
    assert len(problems) == 2
    section, entry = problems
    assert "duplicate section 'skills'" in section
    assert f"first defined at {base / 'sections.yaml'}:3" in section
    assert "duplicate id 'salary'" in entry
    assert f"first defined at {base / 'entries.yaml'}:" in entry


def test_unknown_kind_gets_a_did_you_mean(tmp_path: Path) -> None:
    path = shipped(tmp_path, "  - id: x\n    kind: decilne\n    title: T\n")
    [problem] = problems_of(path)
    assert "unknown kind 'decilne' (did you mean 'decline'?)" in problem


def test_too_few_examples_ask_for_three(tmp_path: Path) -> None:
    path = shipped(
        tmp_path,
        "  - id: skills/python\n    section: skills\n    title: Python\n    answer: Yes.\n"
        "    examples: [is python enough]\n    source: s\n",
    )
    [problem] = problems_of(path)
    assert "'examples' has 1; write at least 3 questions" in problem


PARTIAL = """  - id: partial/how-long
    kind: partial
    section: skills
    answers_with: {target}
    gap: "The article doesn't say how long it takes."
    examples: [how long does it take, how many years to learn, how fast can I learn]
"""

DECLINE = """  - id: decline/hardware
    kind: decline
    title: Hardware
    answer: I can't advise on hardware; ask the channel.
    nearest: [{nearest}]
    examples: [which gpu should I buy, how much ram, best laptop for ml]
"""


def test_partial_and_decline_entries_load_with_their_fields(tmp_path: Path) -> None:
    path = shipped(tmp_path, PARTIAL.format(target="skills") + DECLINE.format(nearest="skills"))
    knowledge = load_knowledge(path)
    partial = knowledge.by_id["partial/how-long"]
    assert partial.kind is EntryKind.PARTIAL
    assert partial.gap == "The article doesn't say how long it takes."
    assert (partial.title, partial.source) == ("Skills", "the skills list")  # defaults
    decline = knowledge.by_id["decline/hardware"]
    assert decline.kind is EntryKind.DECLINE
    assert decline.section == ""
    assert decline.nearest == ("skills",)
    # Neither is a topic a user can name.
    assert "partial/how-long" not in knowledge.by_alias
    assert [e.id for e in knowledge.answers] == ["salary", "skills"]


def test_references_of_partials_and_declines_are_checked(tmp_path: Path) -> None:
    path = shipped(
        tmp_path,
        PARTIAL.format(target="skils")
        + DECLINE.format(nearest="salry")
        + PARTIAL.replace("partial/how-long", "partial/other").format(target="decline/hardware"),
    )
    problems = problems_of(path)
    assert len(problems) == 3
    assert "answers_with id 'skils' does not exist (did you mean 'skills'?)" in problems[0]
    assert "nearest id 'salry' does not exist (did you mean 'salary'?)" in problems[1]
    assert (
        "answers_with 'decline/hardware' is a decline entry; name an answer entry" in (problems[2])
    )


def test_a_partial_needs_its_gap_and_a_decline_its_text(tmp_path: Path) -> None:
    path = shipped(
        tmp_path,
        PARTIAL.format(target="skills").replace(
            '    gap: "The article doesn\'t say how long it takes."\n', ""
        )
        + DECLINE.format(nearest="skills").replace(
            "    answer: I can't advise on hardware; ask the channel.\n", ""
        ),
    )
    problems = problems_of(path)
    assert len(problems) == 2
    assert "partial entry 'partial/how-long': missing field 'gap'" in problems[0]
    assert "decline entry 'decline/hardware': missing field 'answer'" in problems[1]


def test_a_field_of_another_kind_is_unknown(tmp_path: Path) -> None:
    path = shipped(tmp_path, DECLINE.format(nearest="skills") + "    gap: no\n")
    [problem] = problems_of(path)
    assert "decline entry 'decline/hardware': unknown field 'gap'" in problem


COMMUNITY = """version: 2
sections:
  - id: interviews
    name: Interviews
    order: 200
    source: https://example.org/our-interview-notes
entries:
  - id: interviews
    section: interviews
    title: Interviews
    answer: Our own notes.
    examples: [how are interviews run, what is the interview like, interview stages]
    source: our wiki
examples:
  skills:
    - what do we need to know for the bootcamp
"""


def test_an_extra_layer_adds_sections_entries_and_examples_by_id(tmp_path: Path) -> None:
    base = shipped(tmp_path)
    extra = folder(tmp_path, "community", ours=COMMUNITY)
    knowledge = load_knowledge(base, (extra,))
    assert [s.id for s in knowledge.sections] == ["salary", "skills", "interviews"]
    assert knowledge.by_id["interviews"].source == "our wiki"
    assert knowledge.by_id["skills"].examples[-1] == "what do we need to know for the bootcamp"


def test_examples_for_an_unknown_id_are_a_problem(tmp_path: Path) -> None:
    base = shipped(tmp_path)
    extra = folder(tmp_path, "community", ours=COMMUNITY.replace("  skills:\n", "  skils:\n"))
    [problem] = problems_of(base, (extra,))
    assert problem.startswith(f"{extra / 'ours.yaml'}:15: examples for 'skils': no entry")
    assert "(did you mean 'skills'?)" in problem


def test_examples_for_an_entry_of_a_later_layer_are_a_problem(tmp_path: Path) -> None:
    base = shipped(tmp_path)
    first = folder(tmp_path, "first", more="version: 2\nexamples:\n  interviews: [a question]\n")
    second = folder(tmp_path, "second", ours=COMMUNITY)
    [problem] = problems_of(base, (first, second))
    assert "examples for 'interviews': that entry comes from a later layer" in problem


def test_a_missing_extra_folder_is_named_as_missing(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeMissingError) as caught:
        load_knowledge(shipped(tmp_path), (tmp_path / "nowhere",))
    assert str(caught.value) == (
        f"the extra knowledge folder {tmp_path / 'nowhere'} is missing (no such folder); "
        "check MLCAREER_EXTRA_KNOWLEDGE or --extra-knowledge"
    )


def test_a_section_without_its_main_entry_is_reported_at_the_section(tmp_path: Path) -> None:
    base = shipped(tmp_path)
    extra = folder(tmp_path, "community", ours=COMMUNITY.split("entries:")[0])
    [problem] = problems_of(base, (extra,))
    assert problem.startswith(f"{extra / 'ours.yaml'}:3: section 'interviews' has no entry")


def test_the_extra_knowledge_setting_takes_several_folders(tmp_path: Path) -> None:
    value = os.pathsep.join(["/a/one", "/b/two"])
    settings = Settings.load(environ={"MLCAREER_EXTRA_KNOWLEDGE": value}, dotenv=None)
    assert settings.extra_knowledge == (Path("/a/one"), Path("/b/two"))
    assert Settings.load(environ={}, dotenv=None).extra_knowledge == ()


def test_a_meta_section_needs_no_main_entry(tmp_path: Path) -> None:
    meta = (
        "version: 2\nsections:\n  - {id: about, name: About, order: 110, source: s, "
        "listed: false, subcommand: false}\nentries:\n  - id: about/who-wrote-it\n"
        "    section: about\n    title: T\n    answer: A\n    examples: [a b, c d, e f]\n"
        "    source: s\n"
    )
    base = folder(tmp_path, "shipped", sections=SECTIONS, entries=ENTRIES, about=meta)
    knowledge = load_knowledge(base)
    assert [s.id for s in knowledge.listed_sections] == ["salary", "skills"]
    assert knowledge.by_id["about/who-wrote-it"].section == "about"
