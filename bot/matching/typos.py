"""Typo repair against the knowledge base's own vocabulary, with rapidfuzz's edit distances."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from bot.matching.normalize import stem

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
# Each key's position on a QWERTY keyboard, rows staggered by half a key.
_KEYS = {
    key: (row, col + row * 0.5) for row, keys in enumerate(_ROWS) for col, key in enumerate(keys)
}
_VOWELS = frozenset("aeiouy")


def _near_keys(a: str, b: str) -> bool:
    """True when ``b`` is a key beside ``a`` (a slip of the finger)."""
    if a not in _KEYS or b not in _KEYS:
        return False
    (row_a, col_a), (row_b, col_b) = _KEYS[a], _KEYS[b]
    return abs(row_a - row_b) <= 1 and abs(col_a - col_b) <= 1.0


def plausible_typo(typed: str, meant: str) -> bool:
    """Could a person who meant ``meant`` have typed ``typed``? Only the common slips count:
    a dropped letter, a doubled letter, two letters swapped, a neighbouring key, or one vowel
    for another ("salery"). "matter" is not a slip for "master", nor "leaving" for "leading"."""
    if sorted(typed) == sorted(meant) and OSA.distance(typed, meant) == 1:
        return True  # two neighbouring letters swapped
    for op in Levenshtein.editops(meant, typed):
        if op.tag == "delete":  # a letter of the meant word is missing: a dropped letter
            continue
        if op.tag == "insert":  # an extra letter: only a doubled one
            extra = typed[op.dest_pos]
            before = typed[op.dest_pos - 1] if op.dest_pos > 0 else ""
            after = typed[op.dest_pos + 1] if op.dest_pos + 1 < len(typed) else ""
            if extra not in (before, after):
                return False
            continue
        wanted, got = meant[op.src_pos], typed[op.dest_pos]
        if not (_near_keys(wanted, got) or (wanted in _VOWELS and got in _VOWELS)):
            return False
    return True


class TypoFixer:
    """Replaces a word the knowledge base does not know with the closest word it does.

    Only words of five letters or more are repaired (one edit allowed; two from eight letters
    up), because short words sit too close to each other ("pay" and "play") to guess safely.
    Swapped neighbours count as one edit ("titels" -> "titles"). A repair must also look like
    a slip (``plausible_typo``): real words one letter from a knowledge word ("matter" and
    "master") stay as typed. A five-letter word is only repaired by adding or dropping a
    letter ("skils" -> "skills"): too many real words are one letter apart at that length.
    An inflection of a known word ("analysts" when "analyst" is known) is not a typo.
    Ties go to the alphabetically first candidate so the result never depends on set order.
    """

    def __init__(self, vocabulary: Iterable[str], targets: Iterable[str] | None = None) -> None:
        self._known = frozenset(vocabulary)
        pool = self._known if targets is None else frozenset(targets)
        # Repairs land only on ``targets`` (words that name topics), never on a word that
        # merely appears somewhere in an answer ("party" must not become "part").
        choices = sorted(word for word in pool if len(word) >= 4 and word.isalpha())
        # The choices by length: an edit distance is at least the difference in length, so
        # only lengths within the allowed edits are ever worth comparing.
        self._by_length: dict[int, list[str]] = {}
        for choice in choices:
            self._by_length.setdefault(len(choice), []).append(choice)
        self._cache: dict[str, str] = {}

    def __contains__(self, word: str) -> bool:
        return word in self._known

    def fix(self, word: str) -> str:
        """The word itself if known or unfixable, else its closest known neighbour."""
        if word in self._known or len(word) < 5 or not word.isalpha() or stem(word) in self._known:
            return word
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        limit = 2 if len(word) >= 8 else 1
        size = len(word)
        # A five-letter word is only repaired by adding or dropping a letter.
        lengths = (4, 6) if size == 5 else range(size - limit, size + limit + 1)
        pool = [choice for length in lengths for choice in self._by_length.get(length, ())]
        best = process.extract(word, pool, scorer=OSA.distance, score_cutoff=limit, limit=None)
        best = [b for b in best if plausible_typo(word, b[0])]
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
