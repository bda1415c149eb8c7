"""Scored, deterministic matching of a question to knowledge-base entries (BM25).

How a question is scored:

1. It is normalised (``normalize.py``): case, accents, contractions, chat-speak, stop words and
   light stemming; typos are repaired against the knowledge base's own words (``typos.py``);
   the vocabulary's synonyms fold variants ("machine learning engineer") into one term.
2. Every example question of an entry, each alias and its title is a document of its own.
   BM25 (``K1``, ``B``) scores each document against the question; an entry's score is its
   best document's.
3. That score is normalised to 0-100 against the question's own maximum attainable score: the
   sum of its terms' idf weights (BM25 at tf=1 in a document of average length). A word that
   no example ever uses weighs the most an idf can, so a question made mostly of words the
   knowledge base has never seen scores low, however well its one familiar word matches.
4. Answer, partial and decline entries are ranked together, ties broken by section order then
   id, so the same question always gets the same answer. The best entry's kind and score then
   give the band (``Band``): answer, partial, closest or decline.

Python holds no domain words: what is in or out of scope lives in the knowledge's examples.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

from bot.knowledge.model import Entry, EntryKind, KnowledgeBase
from bot.matching.normalize import Normalizer, raw_tokens, stem
from bot.matching.typos import TypoFixer

# BM25's textbook parameters. Measured on the migrated v1 knowledge (acc/decline F1 on dev,
# dev real, holdout): K1 0.9 or 1.5 change nothing but the wrong-answer share by +-0.01; K1 2.0
# gains dev real accuracy (0.909) but loses holdout F1 (0.763 -> 0.712). B 0.5 loses holdout
# F1 (0.716) and B 0.3 more (0.707); B 0.9 gains a little (dev F1 0.966, holdout 0.855/0.771),
# too little to leave the textbook value before the v2 knowledge is measured.
K1 = 1.2
B = 0.75
# Share of the entry-level BM25 (all of an entry's examples joined into one document) blended
# into the per-document score: score = max(doc, ENTRY_BLEND * entry). It lets a long question
# whose words are spread over several examples of one entry still reach that entry. Measured
# on the migrated v1 knowledge (acc/decline F1): 0.5 against 0 takes dev from 0.933/0.933 to
# 1.000/0.929, dev real from 0.848/0.786 to 0.879/0.786, holdout from 0.782/0.787 to
# 0.845/0.763, and halves the wrong confident answers on holdout (0.19 -> 0.12 at 40). On
# the v2 knowledge (capped, below) 0.5 still beats 0.7 and 0.9: dev real 0.879/0.867 against
# 0.818/0.875 and 0.788/0.875, corpus held-out 0.775/0.771 against 0.736/0.740 and 0.709/0.746.
ENTRY_BLEND = 0.5
# How an entry's best documents add up to its score: the best counts fully, the second half as
# much (a weighted 2-nearest-neighbour vote over examples), divided by the weights' sum so that
# an entry needs two close examples to reach 100. One lucky example ("how old are you" against
# "how old is too old to start") then carries an entry less far than two that agree. Measured
# on the v2 knowledge against the best document alone (acc / decline F1): dev real 0.818/0.812
# -> 0.848/0.848, own holdout 0.782/0.832 -> 0.800/0.855, corpus train 0.668/0.779 ->
# 0.674/0.775, with wrong confident answers on dev real 0.143 -> 0.062; (1, 0.5, 0.25) and
# (1, 1, 1) were no better.
NEIGHBOUR_WEIGHTS = (1.0, 0.5)
# BM25 only rewards the question's words found in an example; an example's own words missing
# from the question cost nothing, so "how much do dentists make" sat as close to "how much do
# ML engineers make" as the salary examples did. Each example's score is multiplied by the
# share of its own idf weight that the question covers, to this power. Measured on the v2
# knowledge (acc / decline F1): 0.25 against 0 takes dev real 0.848/0.839 -> 0.879/0.867 and
# own holdout 0.745/0.874 -> 0.809/0.835; corpus held-out 0.764/0.771 -> 0.775/0.771. 0.5
# and 1 were no better.
DOC_COVER = 0.25


class Band(StrEnum):
    """What the best-ranked entry makes the bot say (``ask --json`` prints it as ``band``)."""

    ANSWER = "answer"  # an answer entry at or above the confident threshold
    PARTIAL = "partial"  # a partial entry above the closest threshold: gap note, then answer
    CLOSEST = "closest"  # an answer entry between the closest and confident thresholds
    DECLINE = "decline"  # a decline entry, or nothing above the closest threshold


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Score bands (0-100): at or above ``confident`` (and ``clear_lead`` ahead of any entry
    of another section or kind) an answer entry is answered in full; at or above ``closest``
    the best entry is offered (as a partial or as the closest topic); below ``closest`` the
    bot declines."""

    # Measured on the migrated v1 knowledge (benchmarks/evaluate.py --sweep): closest 10 keeps
    # holdout accuracy at 0.845 (15 drops it to 0.745, 5 trades holdout F1 0.763 for 0.752).
    # confident only moves replies between the answer and closest bands: at 40 the share of
    # wrong full answers is 0.028/0.087/0.116 on dev/dev real/holdout with 36/23/43 of them;
    # 50 gives 0.000/0.050/0.095 with 27/20/21 but turns plain questions ("what job titles
    # should I look for", 46.6) into closest topics; 60: 0.000/0.059/0.000 with only 19/17/13.
    confident: float = 40.0
    closest: float = 10.0
    # How far a full answer must lead the best entry of another section or kind. Measured on
    # the v2 knowledge (share of band-answer replies that are wrong): 5 against 0 takes own
    # holdout from 0.033 (of 30) to 0.000 (of 22), corpus train 0.088 to 0.033, corpus
    # held-out 0.159 to 0.150; accuracy and declines are unchanged (only the band moves).
    clear_lead: float = 5.0


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked candidate: the entry and a score from 0 to 100."""

    entry: Entry
    score: float

    @property
    def section(self) -> str | None:
        """The entry's section for answers and partials; None for a decline."""
        if self.entry.kind is EntryKind.DECLINE:
            return None
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

    @property
    def section(self) -> str | None:
        """The outcome's section: the best answer or partial entry's; None for a decline."""
        best = self.best
        if best is None or self.band is Band.DECLINE:
            return None
        return best.section


class _Bm25:
    """A BM25 index over term lists; ``scores`` returns each document's score for a query."""

    def __init__(self, documents: list[tuple[str, ...]], cover: float = 0.0) -> None:
        count = len(documents)
        self._cover = cover
        self.lengths = [len(doc) for doc in documents]
        self.average = (sum(self.lengths) / count) if count else 1.0
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for index, doc in enumerate(documents):
            for term, tf in Counter(doc).items():
                self.postings[term].append((index, tf))
        self.idf = {
            term: math.log(1.0 + (count - len(posts) + 0.5) / (len(posts) + 0.5))
            for term, posts in self.postings.items()
        }
        # A word no document uses weighs what a word in no document would: the most an idf can.
        self.unseen_idf = math.log(1.0 + (count + 0.5) / 0.5)
        self._norm = [K1 * (1 - B + B * length / (self.average or 1.0)) for length in self.lengths]
        # Each document's own weight (the idf of its distinct terms), for ``cover``.
        self._mass = [sum(self.idf[term] for term in set(doc)) or 1.0 for doc in documents]

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.unseen_idf)

    def scores(self, weights: dict[str, float]) -> dict[int, float]:
        found: dict[int, float] = defaultdict(float)
        matched: dict[int, float] = defaultdict(float)
        for term, weight in weights.items():
            idf = self.idf.get(term)
            if idf is None:
                continue
            for index, tf in self.postings[term]:
                found[index] += weight * idf * tf * (K1 + 1) / (tf + self._norm[index])
                matched[index] += idf
        if self._cover:
            for index, raw in found.items():
                found[index] = raw * (matched[index] / self._mass[index]) ** self._cover
        return found


class Matcher:
    """Ranks knowledge-base entries for a question; built once per knowledge base."""

    def __init__(self, knowledge: KnowledgeBase, thresholds: Thresholds | None = None) -> None:
        self.knowledge = knowledge
        self.thresholds = thresholds or Thresholds()
        self.normalizer = Normalizer(knowledge.vocabulary.synonyms)
        self._entries = knowledge.entries
        rank = {section.id: i for i, section in enumerate(knowledge.sections)}
        # Ties go to section order, then id: fixed forever.
        self._tiebreak = [(rank.get(e.section, len(rank)), e.id) for e in self._entries]
        documents: list[tuple[str, ...]] = []
        self._owner: list[int] = []
        joined: list[tuple[str, ...]] = []
        typed: set[str] = set()  # every token the entries use, for typo repair
        for i, entry in enumerate(self._entries):
            texts = (entry.title, *entry.aliases, *entry.examples)
            all_terms: list[str] = []
            for text in texts:
                tokens = raw_tokens(text)  # tokenised once: it is most of the build time
                typed.update(tokens)
                terms = self.normalizer.terms_from_stems([stem(t) for t in tokens])
                if terms:
                    documents.append(terms)
                    self._owner.append(i)
                    all_terms.extend(terms)
            joined.append(tuple(all_terms))
        self._documents = _Bm25(documents, cover=DOC_COVER)
        self._joined = _Bm25(joined)
        self._typos = TypoFixer(*self._typo_words(typed))
        answers = knowledge.answers
        self._answers = answers
        self._topic_names = sorted(knowledge.by_alias)
        # What autocomplete matches a typed prefix against, one label per answer entry (built
        # once: autocomplete runs on every keystroke).
        self._labels = [f"{e.title} {' '.join(e.aliases)} {e.id}".lower() for e in answers]

    def _typo_words(self, typed: set[str]) -> tuple[set[str], set[str]]:
        """(every word the knowledge base uses, as typed and stemmed; the words a typo may be
        repaired into: those of titles, aliases, examples and synonyms). ``typed`` holds the
        entries' tokens already."""
        vocab = self.knowledge.vocabulary
        naming = [*vocab.synonyms]
        for variants in vocab.synonyms.values():
            naming.extend(variants)
        strong = typed | {token for text in naming for token in raw_tokens(text)}
        known = set(self._documents.postings) | strong | {stem(token) for token in strong}
        return known, strong

    # --- matching ------------------------------------------------------------------------

    def terms(self, question: str) -> tuple[str, ...]:
        """The canonical terms the matcher sees for a question (typos repaired), each once."""
        raw = raw_tokens(question)
        tokens = [t if self.normalizer.is_stop_word(t) else self._typos.fix(t) for t in raw]
        seen: dict[str, None] = {}
        for term in self.normalizer.terms_from_stems([stem(t) for t in tokens]):
            seen.setdefault(term, None)
        return tuple(seen)

    def match(self, question: str, limit: int = 5) -> MatchResult:
        """Rank entries for ``question``; at most ``limit`` matches, best first."""
        terms = self.terms(question)
        if not terms or not self._entries:
            return MatchResult(question, terms, (), Band.DECLINE)
        # Every term counts once and fully. (Weighing repaired typos less, as v1 did, measured
        # no change on any labelled set at 0.6, 0.8 or 1.0, and made a typo change the answer.)
        weights = dict.fromkeys(terms, 1.0)
        most = sum(w * self._documents.weight(t) for t, w in weights.items())
        # Each entry's best few documents, capped at the question's maximum (a short example
        # can score above it), so a document can claim no more than the question holds.
        nearest: dict[int, list[float]] = defaultdict(list)
        for doc, raw in self._documents.scores(weights).items():
            nearest[self._owner[doc]].append(min(raw, most))
        scale = 100.0 / (most * sum(NEIGHBOUR_WEIGHTS))
        scores = {
            i: scale
            * sum(
                w * raw
                for w, raw in zip(
                    NEIGHBOUR_WEIGHTS, heapq.nlargest(len(NEIGHBOUR_WEIGHTS), found), strict=False
                )
            )
            for i, found in nearest.items()
        }
        if ENTRY_BLEND:
            most_joined = sum(w * self._joined.weight(t) for t, w in weights.items())
            for i, raw in self._joined.scores(weights).items():
                # Capped like a document: an entry's joined examples repeat its common words
                # so often that BM25 saturates above the question's maximum, and without the
                # cap a partial sharing only "how much ... make" outranked the salary answer.
                blended = ENTRY_BLEND * 100.0 * min(raw, most_joined) / most_joined
                if blended > scores.get(i, 0.0):
                    scores[i] = blended
        matches = self._top(scores, limit)
        return MatchResult(question, terms, matches, self._band(matches))

    def _band(self, matches: tuple[Match, ...]) -> Band:
        if not matches or matches[0].score < self.thresholds.closest:
            return Band.DECLINE
        kind = matches[0].entry.kind
        if kind is EntryKind.DECLINE:
            return Band.DECLINE
        if kind is EntryKind.PARTIAL:
            return Band.PARTIAL
        best = matches[0]
        if best.score < self.thresholds.confident:
            return Band.CLOSEST
        # A full answer needs a clear winner: when an entry of another section or kind is
        # within ``clear_lead`` points, the answer is given as the closest topic instead.
        rival = next(
            (
                m
                for m in matches[1:]
                if (m.entry.section, m.entry.kind) != (best.entry.section, kind)
            ),
            None,
        )
        if rival is not None and best.score - rival.score < self.thresholds.clear_lead:
            return Band.CLOSEST
        return Band.ANSWER

    def _top(self, scores: dict[int, float], limit: int) -> tuple[Match, ...]:
        """The ``limit`` best entries: by score (rounded as shown), then the fixed tie-break."""
        if not scores or limit <= 0:
            return ()
        kth = heapq.nlargest(limit, scores.values())[-1]
        floor = round(min(100.0, kth), 1) - 0.051  # anything that rounds to kth's score
        ranked = sorted(
            (-round(min(100.0, raw), 1), self._tiebreak[i], i)
            for i, raw in scores.items()
            if raw >= floor
        )
        return tuple(Match(self._entries[i], -negative) for negative, _, i in ranked[:limit])

    # --- topic names ---------------------------------------------------------------------

    def topic(self, name: str) -> Entry | None:
        """The answer entry a topic name, alias or id names exactly (case-insensitive)."""
        return self.knowledge.by_alias.get(name.strip().lower())

    def did_you_mean(self, name: str, cutoff: float = 75.0) -> Entry | None:
        """The topic a near-miss name most likely meant (``skils`` -> skills), or None."""
        word = name.strip().lower()
        if len(word) < 3:
            return None
        found = process.extractOne(word, self._topic_names, scorer=fuzz.ratio, score_cutoff=cutoff)
        return self.knowledge.by_alias[found[0]] if found else None

    def suggest(self, text: str, limit: int = 25) -> list[Entry]:
        """Topics for autocomplete: fuzzy on names and titles first, then by question match.
        Only answer entries are offered: a decline or partial is not a topic to pick."""
        text = text.strip()
        if not text:
            return list(self._answers[:limit])
        picked: dict[str, Entry] = {}
        for _, _, index in process.extract(
            text.lower(), self._labels, scorer=fuzz.partial_ratio, score_cutoff=70, limit=limit
        ):
            entry = self._answers[index]
            picked.setdefault(entry.id, entry)
        for match in self.match(text, limit=limit).matches:
            if match.entry.kind is EntryKind.ANSWER:
                picked.setdefault(match.entry.id, match.entry)
        return list(picked.values())[:limit]
