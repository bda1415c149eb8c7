"""A simulated week of questions from templates (not from the labelled sets in tests/data):
answered asks, three big unanswered asks (meetups, visas, cover letters), a weak one, and a
long tail of one-off questions, from a few hundred people on Slack and Discord.

``week`` gives (when, platform, workspace, user, text) tuples in time order; the scenario test
sends them through the real router and the benchmark scales them up.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta

COUNTRIES = ("germany", "canada", "the uk", "the us", "france", "the netherlands", "japan")
COMPANIES = ("google", "a startup", "a bank", "meta", "an agency", "a hospital")

ANSWERED = (
    "what skills do I need {to become|as} an ml engineer",
    "how much do ml engineers earn {in|at} {place}",
    "do I need a degree to work in {field}",
    "which industries hire ml engineers",
    "what does an ml engineer do all day",
    "is python enough for machine learning engineering",
)
MEETUPS = (
    "when is the next meetup",
    "when is the next community meetup",
    "when is the next study group meetup",
    "is there a meetup this month",
    "is there a meetup this week",
    "when is the next meetup?",
)
VISAS = (
    "how do I get a work visa for {place}",
    "can my company sponsor a work visa for {place}",
    "how do I get a visa to work in {place}",
)
COVER_LETTERS = (
    "how do I write a cover letter for an ml job",
    "how do I write a cover letter for an ml job at {company}",
    "what should an ml cover letter say",
)
# One-off questions: three words drawn from many, so no two are the same ask.
TAIL = "{word} {word} {word}"
_WORDS = (
    "apple bridge candle dragon engine falcon garden harbor island jacket kettle lantern "
    "meadow needle orchard pepper quilt river saddle tunnel umbrella violin walnut yacht "
    "zebra anchor basket cactus dolphin feather glacier hammer igloo jungle koala lemon "
    "marble nectar otter pillow quartz rocket spider tulip unicorn vessel willow xylophone"
)
WORDS = tuple(_WORDS.split(" "))
FILL = {
    "place": COUNTRIES,
    "company": COMPANIES,
    "field": ("machine learning", "ml engineering", "ai"),
    "word": WORDS,
}
# Each kind's share of the week, in that order: answered, meetups, visas, cover letters, tail.
MIX = (0.4, 0.2, 0.14, 0.1, 0.16)


def _fill(template: str, rng: random.Random, n: int) -> str:
    text = template
    while "{" in text:
        start = text.index("{")
        end = text.index("}", start)
        name = text[start + 1 : end]
        if "|" in name:
            value = rng.choice(name.split("|"))
        elif name == "n":
            value = str(n)
        else:
            value = rng.choice(FILL[name])
        text = text[:start] + value + text[end + 1 :]
    return text


def week(
    start: datetime, total: int = 2100, *, people: int = 300, seed: int = 7
) -> Iterator[tuple[datetime, str, str, str, str]]:
    """``total`` questions spread over the seven days from ``start``."""
    rng = random.Random(seed)
    kinds = (ANSWERED, MEETUPS, VISAS, COVER_LETTERS, (TAIL,))
    step = timedelta(days=7) / total
    for n in range(total):
        (templates,) = rng.choices(kinds, weights=MIX)
        person = rng.randrange(people)
        platform = "slack" if person % 3 else "discord"
        workspace = "T0WEEK" if platform == "slack" else "9001"
        yield (
            start + step * n,
            platform,
            workspace,
            f"U{person:04d}",
            _fill(rng.choice(templates), rng, n),
        )
