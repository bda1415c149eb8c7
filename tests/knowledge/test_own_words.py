"""The shipped knowledge retells the seed article in its own words: no run of 7 or more words
of the article's prose appears in an answer, point, gap, decline text or tip.

Exemption, exact and simple: a bullet point made only of the article's own names passes. A name
is a short line of the article (at most 6 words, no full stop): its list items such as the job
titles ("Data Scientist") or industries ("Government agencies"). A point whose every item,
split on commas, semicolons, "and" and "or", is one of those names (ignoring case) is exempt,
because naming the article's job titles in its order is quoting facts, not copying prose.
Likewise the article's title, quoted in quotation marks (the about reply names the article by
its title), is a name: a quoted span that is a whole line of the article is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from bot.knowledge.model import EntryKind, KnowledgeBase

ARTICLE = Path(__file__).resolve().parent.parent / "data" / "seed-article.txt"
RUN = 7
_WORD = re.compile(r"[a-z0-9$]+(?:[',.][a-z0-9]+)*")
_ITEM_SPLIT = re.compile(r"[,;:]|\band\b|\bor\b")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def runs(text: str) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + RUN]) for i in range(len(tokens) - RUN + 1)}


def article_names(article: str) -> set[str]:
    names = set()
    for line in article.splitlines():
        line = line.strip()
        if line and len(line.split()) <= 6 and not line.endswith("."):
            names.add(" ".join(words(line)))
    return names


def only_names(point: str, names: set[str]) -> bool:
    items = [" ".join(words(item)) for item in _ITEM_SPLIT.split(point.lower())]
    items = [item for item in items if item]
    return bool(items) and all(item in names for item in items)


_QUOTED = re.compile(r"[\"\u201c]([^\"\u201d]+)[\"\u201d]")


def unquote_titles(text: str, lines: set[str]) -> str:
    """``text`` without quoted spans that are whole lines of the article (its title)."""
    return _QUOTED.sub(lambda m: " " if " ".join(words(m.group(1))) in lines else m.group(0), text)


def prose(knowledge: KnowledgeBase, names: set[str]) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of prose the checks cover."""
    for entry in knowledge.entries:
        if entry.kind is not EntryKind.PARTIAL:
            yield f"{entry.id}: answer", entry.answer
        if entry.gap:
            yield f"{entry.id}: gap", entry.gap
        for point in entry.points:
            if not only_names(point, names):
                yield f"{entry.id}: point", point
    for tip in knowledge.tips:
        yield tip.id, tip.text


def test_no_seven_word_run_of_the_article_is_copied(knowledge: KnowledgeBase) -> None:
    article = ARTICLE.read_text(encoding="utf-8")
    copied = runs(article)
    names = article_names(article)
    lines = {" ".join(words(line)) for line in article.splitlines() if line.strip()}
    found = [
        f"{where}: '{' '.join(run)}'"
        for where, text in prose(knowledge, names)
        for run in sorted(runs(unquote_titles(text, lines)) & copied)
    ]
    assert found == []


def test_the_check_catches_a_copied_sentence_and_exempts_only_names() -> None:
    article = ARTICLE.read_text(encoding="utf-8")
    names = article_names(article)
    copied = "Engineers play a crucial role in designing and implementing machine learning systems."
    assert runs(copied) & runs(article)
    assert only_names("Machine Learning Engineer, Data Scientist, Data Engineer", names)
    assert not only_names("Data Scientist, and a crucial role in designing systems", names)
    lines = {" ".join(words(line)) for line in article.splitlines() if line.strip()}
    title = "Machine Learning Engineer: Responsibilities, Skills, Career Path, and Salary"
    assert runs(unquote_titles(f'It is called "{title}".', lines)) & runs(article) == set()
    assert runs(unquote_titles(f"It is called {title}.", lines)) & runs(article)
