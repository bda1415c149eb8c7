"""Scored, deterministic matching of a question to knowledge-base entries.

How a question is scored:

1. It is normalised (``normalize.py``), typos are repaired against the knowledge base's own
   words (``typos.py``) and synonyms fold variants into one canonical term.
2. Each term weighs its inverse document frequency: a word in every entry ("engineer") says
   little, a word in one ("salary") says a lot. Words the knowledge base has never seen still
   weigh something, and words listed as off-topic ("dentist", "cuda") weigh a lot, because a
   question about them is not one this bot can answer however well its other words match.
3. An entry's score is the share of the question's weight it explains (0-100), counting a
   keyword fully, a title word a bit less and a word of an example question less again; a
   multi-word keyword found whole earns a bonus.
4. Entries are sorted by score, ties broken by section order then id, so the same question
   always gets the same answer; bands then decide: confident, closest, or decline.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

from bot.knowledge.model import Entry, KnowledgeBase
from bot.knowledge.sections import SECTION_IDS
from bot.matching.normalize import Normalizer, raw_tokens, stem
from bot.matching.typos import TypoFixer

KEYWORD_WEIGHT = 1.0
ALIAS_WEIGHT = 1.3  # a topic's own name ("salary", "duties") says most about what is asked
PART_WEIGHT = 0.5  # one word of a multi-word keyword, on its own
MENTION_WEIGHT = 0.5  # a name the entry mentions but that does not say what is asked
TITLE_WEIGHT = 0.8
PHRASING_WEIGHT = 0.6
CHILD_WEIGHT = 0.7  # a section entry also answers, a little less well, what its parts answer
PHRASE_BONUS = 0.5  # share of a multi-word keyword's weight added when all of it is present
UNKNOWN_SHARE = 0.3  # an unseen word weighs this share of the rarest known word
REPAIR_TRUST = 0.6  # a word reached by repairing a typo weighs this share of its weight
UNKNOWN_CAP = 1.0  # all unseen words together weigh at most this multiple of the rarest word
OFF_TOPIC_SHARE = 2.0  # an off-topic word weighs this multiple of the rarest known word
# An off-topic question that never names the domain ("how much do dentists make") keeps this
# share of its score: its other words matching is no sign the bot can answer it.
OUT_OF_DOMAIN_FACTOR = 0.5


class Band(StrEnum):
    """How sure the matcher is about its best entry."""

    CONFIDENT = "confident"
    CLOSEST = "closest"
    DECLINE = "decline"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Score bands: at or above ``confident`` answer; at or above ``decline`` offer the closest."""

    confident: float = 55.0
    decline: float = 33.0


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked candidate: the entry and a score from 0 to 100."""

    entry: Entry
    score: float

    @property
    def section(self) -> str:
        return self.entry.section


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The ranked candidates for a question and the band the best one falls in."""

    question: str
    terms: tuple[str, ...]
    matches: tuple[Match, ...]
    band: Band

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None


class Matcher:
    """Ranks knowledge-base entries for a question; built once per knowledge base."""

    def __init__(self, knowledge: KnowledgeBase, thresholds: Thresholds | None = None) -> None:
        self.knowledge = knowledge
        self.thresholds = thresholds or Thresholds()
        vocab = knowledge.vocabulary
        self.normalizer = Normalizer(vocab.synonyms)
        self._entries = knowledge.entries
        self._order = {entry.id: i for i, entry in enumerate(self._entries)}
        self._section_rank = {section: i for i, section in enumerate(SECTION_IDS)}
        self._off_topic = tuple(
            terms for terms in (self.normalizer.terms(w) for w in vocab.off_topic) if terms
        )
        self._anchors = frozenset(t for w in vocab.anchors for t in self.normalizer.terms(w))
        self._patterns = tuple(
            (re.compile(pattern), self.normalizer.terms(term))
            for term, patterns in vocab.patterns.items()
            for pattern in patterns
        )
        self._postings: dict[str, list[tuple[int, float]]] = {}
        # Multi-word keywords by their first word, so a question only checks phrases it could
        # complete: (entry index, the phrase's terms, weight).
        self._phrases: dict[str, list[tuple[int, tuple[str, ...], float]]] = defaultdict(list)
        self._build_index()
        # Ties go to the section's own entry, then article order, then id: fixed forever.
        self._tiebreak = [
            (0 if e.is_section_entry else 1, self._section_rank.get(e.section, 99), e.id)
            for e in self._entries
        ]
        self._typos = TypoFixer(*self._typo_words())
        self._topic_names = sorted(knowledge.by_alias)
        # What autocomplete matches a typed prefix against, one label per entry (built once:
        # autocomplete runs on every keystroke).
        self._labels = [f"{e.title} {' '.join(e.aliases)} {e.id}".lower() for e in self._entries]

    # --- index ---------------------------------------------------------------------------

    def _build_index(self) -> None:
        weights: list[dict[str, float]] = [{} for _ in self._entries]
        strong: set[str] = set()  # words some entry names as a keyword, alias or in its title
        section_index = {e.section: i for i, e in enumerate(self._entries) if e.is_section_entry}

        def add(i: int, term: str, weight: float) -> None:
            if weight > weights[i].get(term, 0.0):
                weights[i][term] = weight

        for i, entry in enumerate(self._entries):
            parent = None if entry.is_section_entry else section_index.get(entry.section)
            keywords = [(k, KEYWORD_WEIGHT) for k in entry.keywords]
            keywords += [(a, ALIAS_WEIGHT) for a in entry.aliases]
            keywords += [(m, MENTION_WEIGHT) for m in entry.mentions]
            for keyword, weight in keywords:
                terms = self.normalizer.terms(keyword)
                single = weight if len(terms) == 1 else weight * PART_WEIGHT
                strong.update(terms)
                for term in terms:
                    add(i, term, single)
                    if parent is not None:
                        add(parent, term, single * CHILD_WEIGHT)
                if len(terms) > 1:
                    self._phrases[terms[0]].append((i, terms, weight))
                    if parent is not None:
                        self._phrases[terms[0]].append((parent, terms, weight * CHILD_WEIGHT))
            for term in self.normalizer.terms(entry.title):
                add(i, term, TITLE_WEIGHT)
                strong.add(term)
            for phrasing in entry.phrasings:
                for term in self.normalizer.terms(phrasing):
                    add(i, term, PHRASING_WEIGHT)
                    if parent is not None:
                        add(parent, term, PHRASING_WEIGHT * CHILD_WEIGHT)
        count = len(self._entries)
        document_frequency: dict[str, int] = defaultdict(int)
        for entry_weights in weights:
            for term in entry_weights:
                document_frequency[term] += 1
        idf = {term: math.log(1.0 + count / df) for term, df in document_frequency.items()}
        self._max_idf = max(idf.values(), default=1.0)
        # A word seen only in example questions ("look", "real") says little about the topic:
        # in a question it weighs no more than a word never seen at all.
        unknown = UNKNOWN_SHARE * self._max_idf
        self._idf = {t: v if t in strong else min(v, unknown) for t, v in idf.items()}
        for i, entry_weights in enumerate(weights):
            for term, weight in entry_weights.items():
                self._postings.setdefault(term, []).append((i, weight))

    def _typo_words(self) -> tuple[set[str], set[str]]:
        """(every word the knowledge base uses, as typed and stemmed; the words a typo may be
        repaired into: keywords, aliases, titles and word lists). One pass over the texts."""
        vocab = self.knowledge.vocabulary
        naming = [*vocab.anchors, *vocab.off_topic, *vocab.synonyms]
        for variants in vocab.synonyms.values():
            naming.extend(variants)
        examples: list[str] = []
        for entry in self._entries:
            naming.extend((entry.title, *entry.keywords, *entry.mentions, *entry.aliases))
            examples.extend(entry.phrasings)
        strong = {token for text in naming for token in raw_tokens(text)}
        typed = strong | {token for text in examples for token in raw_tokens(text)}
        known = set(self._postings) | typed | {stem(token) for token in typed}
        return known, strong

    # --- matching ------------------------------------------------------------------------

    def terms(self, question: str) -> tuple[str, ...]:
        """The canonical terms the matcher sees for a question (typos repaired)."""
        return self._read(question)[0]

    def _read(self, question: str) -> tuple[tuple[str, ...], frozenset[str]]:
        """The question's terms, and those that only exist because a typo was repaired."""
        raw = raw_tokens(question)
        tokens = [t if self.normalizer.is_stop_word(t) else self._typos.fix(t) for t in raw]
        seen: dict[str, None] = {}
        for term in self.normalizer.terms_from_stems([stem(t) for t in tokens]):
            seen.setdefault(term, None)
        if self._patterns:
            folded = " ".join(tokens)
            for pattern, implied in self._patterns:
                if pattern.search(folded):
                    for term in implied:
                        seen.setdefault(term, None)
        repaired: frozenset[str] = frozenset()
        if tokens != raw:
            as_typed = set(self.normalizer.terms_from_stems([stem(t) for t in raw]))
            repaired = frozenset(t for t in seen if t not in as_typed)
        return tuple(seen), repaired

    def _off_topic_terms(self, terms: tuple[str, ...]) -> set[str]:
        present = set(terms)
        found: set[str] = set()
        for phrase in self._off_topic:
            if present.issuperset(phrase):
                found.update(phrase)
        return found

    def _term_weight(self, term: str, off_topic: set[str] | frozenset[str] = frozenset()) -> float:
        if term in off_topic:
            return OFF_TOPIC_SHARE * self._max_idf
        idf = self._idf.get(term)
        if idf is not None:
            return idf
        return UNKNOWN_SHARE * self._max_idf

    def match(self, question: str, limit: int = 5) -> MatchResult:
        """Rank entries for ``question``; at most ``limit`` matches, best first."""
        terms, repaired = self._read(question)
        if not terms:
            return MatchResult(question, terms, (), Band.DECLINE)
        off_topic = self._off_topic_terms(terms)
        query_weight = {term: self._term_weight(term, off_topic) for term in terms}
        for term in repaired:
            # A repaired typo is a guess ("matter" may be a word of its own, not "master"):
            # it counts, but less than a word typed as the knowledge base spells it.
            query_weight[term] *= REPAIR_TRUST
        unseen = [t for t in terms if t not in self._idf and t not in off_topic]
        # Long messages carry context ("I'm 22, just finished my degree...") in words the
        # knowledge base never uses; past a point, more of them should not sink the answer.
        unseen_weight = sum(query_weight[t] for t in unseen)
        total = sum(query_weight.values()) - unseen_weight
        total += min(unseen_weight, UNKNOWN_CAP * self._max_idf)
        scores: dict[int, float] = defaultdict(float)
        for term, weight in query_weight.items():
            for i, entry_weight in self._postings.get(term, ()):
                scores[i] += weight * entry_weight
        present = set(terms)
        for first in present:
            for i, phrase, weight in self._phrases.get(first, ()):
                if i in scores and present.issuperset(phrase):
                    scores[i] += PHRASE_BONUS * weight * sum(query_weight[t] for t in phrase)
        factor = OUT_OF_DOMAIN_FACTOR if off_topic and not self._anchors & present else 1.0
        matches = self._top(scores, 100.0 * factor / total, limit)
        best = matches[0].score if matches else 0.0
        if best >= self.thresholds.confident:
            band = Band.CONFIDENT
        elif best >= self.thresholds.decline:
            band = Band.CLOSEST
        else:
            band = Band.DECLINE
        return MatchResult(question, terms, matches, band)

    def _top(self, scores: dict[int, float], scale: float, limit: int) -> tuple[Match, ...]:
        """The ``limit`` best entries: by score (rounded as shown), then the fixed tie-break.

        Only entries that can reach the top after rounding are sorted and turned into
        ``Match`` objects; with thousands of entries, most score something small.
        """
        if not scores or limit <= 0:
            return ()
        kth = heapq.nlargest(limit, scores.values())[-1]
        floor = round(min(100.0, kth * scale), 1) - 0.051  # anything that rounds to kth's score
        ranked = sorted(
            (-round(min(100.0, raw * scale), 1), self._tiebreak[i], i)
            for i, raw in scores.items()
            if raw * scale >= floor
        )
        return tuple(Match(self._entries[i], -negative) for negative, _, i in ranked[:limit])

    # --- topic names ---------------------------------------------------------------------

    def topic(self, name: str) -> Entry | None:
        """The entry a topic name, alias or id names exactly (case-insensitive), if any."""
        return self.knowledge.by_alias.get(name.strip().lower())

    def did_you_mean(self, name: str, cutoff: float = 75.0) -> Entry | None:
        """The topic a near-miss name most likely meant (``skils`` -> skills), or None."""
        word = name.strip().lower()
        if len(word) < 3:
            return None
        found = process.extractOne(word, self._topic_names, scorer=fuzz.ratio, score_cutoff=cutoff)
        return self.knowledge.by_alias[found[0]] if found else None

    def suggest(self, text: str, limit: int = 25) -> list[Entry]:
        """Topics for autocomplete: fuzzy on names and titles first, then by question match."""
        text = text.strip()
        if not text:
            return list(self._entries[:limit])
        picked: dict[str, Entry] = {}
        for _, _, index in process.extract(
            text.lower(), self._labels, scorer=fuzz.partial_ratio, score_cutoff=70, limit=limit
        ):
            entry = self._entries[index]
            picked.setdefault(entry.id, entry)
        for match in self.match(text, limit=limit).matches:
            picked.setdefault(match.entry.id, match.entry)
        return list(picked.values())[:limit]
