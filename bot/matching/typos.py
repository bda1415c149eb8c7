"""Typo repair against the knowledge base's own vocabulary, with rapidfuzz's edit distances."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA


class TypoFixer:
    """Replaces a word the knowledge base does not know with the closest word it does.

    Only words of five letters or more are repaired (one edit allowed; two from eight letters
    up), because short words sit too close to each other ("pay" and "play") to guess safely.
    Swapped neighbours count as one edit ("titels" -> "titles"). A five-letter word is only
    repaired by adding or dropping a letter ("skils" -> "skills"), never by changing one:
    too many real words are one letter from another at that length ("clear" and "clean").
    Ties go to the alphabetically first candidate so the result never depends on set order.
    """

    def __init__(self, vocabulary: Iterable[str], targets: Iterable[str] | None = None) -> None:
        self._known = frozenset(vocabulary)
        pool = self._known if targets is None else frozenset(targets)
        # Repairs land only on ``targets`` (words that name topics), never on a word that
        # merely appears somewhere in an answer ("party" must not become "part").
        self._choices = sorted(word for word in pool if len(word) >= 4 and word.isalpha())
        self._cache: dict[str, str] = {}

    def __contains__(self, word: str) -> bool:
        return word in self._known

    def fix(self, word: str) -> str:
        """The word itself if known or unfixable, else its closest known neighbour."""
        if word in self._known or len(word) < 5 or not word.isalpha():
            return word
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        limit = 2 if len(word) >= 8 else 1
        best = process.extract(
            word, self._choices, scorer=OSA.distance, score_cutoff=limit, limit=None
        )
        if len(word) == 5:
            best = [b for b in best if len(b[0]) != len(word)]
        fixed = word
        if best:
            lowest = min(distance for _, distance, _ in best)
            # Same first letter: people rarely mistype the start of a word.
            candidates = sorted(c for c, d, _ in best if d == lowest and c[0] == word[0])
            if candidates:
                fixed = candidates[0]
        if len(self._cache) < 10_000:
            self._cache[word] = fixed
        return fixed
