"""Grouping logged questions that ask the same thing, with rapidfuzz over the matcher's terms.

Each question is reduced to the matcher's own terms (normalised, stemmed, stop words out,
sorted), so "What's the salary in Berlin?" and "salary berlin??" share a key. Keys are taken
most frequent first and each joins the first cluster whose leader is within ``CUTOFF``
(rapidfuzz's token-set ratio), else starts a cluster of its own: one pass, and the biggest
asks lead. Only the ``MAX_KEYS`` most frequent distinct keys are clustered, which bounds the
work on any log (a key asked once among 100,000 questions cannot make a top cluster).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

# How alike two questions' terms must be (0-100) to count as the same ask.
CUTOFF = 80.0
MAX_KEYS = 2000


@dataclass(frozen=True, slots=True)
class Asked:
    """One question fed to the clustering: its text, who asked (hashed), and how it went."""

    text: str
    user_hash: str | None
    band: str
    entry_id: str | None
    up: int = 0


@dataclass(slots=True)
class Cluster:
    """Questions that ask the same thing; ``leader`` is the key that started it."""

    leader: str
    members: list[Asked] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def people(self) -> int:
        """How many different people asked (unknown askers each count once)."""
        hashes = {m.user_hash for m in self.members if m.user_hash is not None}
        return len(hashes) + sum(1 for m in self.members if m.user_hash is None)

    def examples(self, limit: int = 3) -> list[str]:
        """The most often asked distinct wordings, most frequent first (ties by text)."""
        counts = Counter(m.text for m in self.members)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return [text for text, _ in ranked[:limit]]

    def band_mix(self) -> Counter[str]:
        return Counter(m.band for m in self.members)


def cluster(
    asked: Iterable[Asked], terms: Callable[[str], tuple[str, ...]], *, cutoff: float = CUTOFF
) -> list[Cluster]:
    """Clusters of ``asked``, biggest first (ties by leader); ``terms`` is the matcher's."""
    by_key: dict[str, list[Asked]] = {}
    keys_of: dict[str, str] = {}  # most questions repeat a wording: normalise each once
    for item in asked:
        key = keys_of.get(item.text)
        if key is None:
            words = terms(item.text)
            key = keys_of[item.text] = (
                " ".join(sorted(set(words))) if words else item.text.strip().lower()
            )
        if key:
            by_key.setdefault(key, []).append(item)
    keys = sorted(by_key, key=lambda key: (-len(by_key[key]), key))[:MAX_KEYS]
    clusters: list[Cluster] = []
    leaders: list[str] = []
    for key in keys:
        found = process.extractOne(
            key, leaders, scorer=fuzz.token_set_ratio, processor=None, score_cutoff=cutoff
        )
        if found is None:
            clusters.append(Cluster(key, list(by_key[key])))
            leaders.append(key)
        else:
            clusters[found[2]].members.extend(by_key[key])
    return sorted(clusters, key=lambda c: (-c.size, c.leader))
