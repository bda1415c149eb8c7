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
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from enum import StrEnum
from itertools import repeat
from operator import add

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

# Speed only, never the outcome (``Matcher._pruned_scores`` says why): a question whose terms'
# entry-level posting lists hold at most FULL_SCAN_WORK entries in all walks every list; a
# longer one first scores the entries of its rarest terms, about PRUNED_WORK postings' worth.
FULL_SCAN_WORK = 4000
PRUNED_WORK = 2000
# ... and walks every list after all once it has scored PRUNED_ENTRIES entries one by one.
PRUNED_ENTRIES = 300


def _padded(bound: float) -> float:
    """An upper bound on a score, as ``Matcher._top`` rounds it to rank, a hair above so that
    float rounding in the bound's own sums cannot matter."""
    return round(min(100.0, bound * (1 + 1e-9) + 1e-9), 1)


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
    """A BM25 index over term lists, every query term weighing 1.

    Each posting carries its document's whole BM25 contribution for that term, computed once
    here with the very operations (in the very order) a query would use, so a query only adds
    floats: the sums, and so every score, are bit-for-bit what computing them per query gives.
    ``terms[d]`` holds the same contributions per document, so one document can be scored
    without walking any posting list (``score``).
    """

    def __init__(self, documents: list[tuple[str, ...]], cover: float = 0.0) -> None:
        count = len(documents)
        self._cover = cover
        lengths = [len(doc) for doc in documents]
        self.average = (sum(lengths) / count) if count else 1.0
        counted = [Counter(doc) for doc in documents]
        frequency: Counter[str] = Counter()
        for tfs in counted:
            frequency.update(tfs.keys())
        self.idf = {
            term: math.log(1.0 + (count - df + 0.5) / (df + 0.5)) for term, df in frequency.items()
        }
        # A word no document uses weighs what a word in no document would: the most an idf can.
        self.unseen_idf = math.log(1.0 + (count + 0.5) / 0.5)
        norms = [K1 * (1 - B + B * length / (self.average or 1.0)) for length in lengths]
        idf = self.idf
        self.terms: list[dict[str, float]] = [
            {term: idf[term] * tf * (K1 + 1) / (tf + norm) for term, tf in tfs.items()}
            for tfs, norm in zip(counted, norms, strict=True)
        ]
        self.postings: dict[str, dict[int, float]] = defaultdict(dict)
        for index, contributions in enumerate(self.terms):
            for term, contribution in contributions.items():
                self.postings[term][index] = contribution
        self.postings = dict(self.postings)
        # Each posting list as (documents, complex(contribution, idf)) for ``scores``.
        self._packed = {
            term: (tuple(posts), tuple(complex(c, idf[term]) for c in posts.values()))
            for term, posts in self.postings.items()
        }
        # The most one term adds to any document: a bound for documents never scored.
        self.ceiling = {term: max(posts.values()) for term, posts in self.postings.items()}
        # Each document's own weight (the idf of its distinct terms), for ``cover``; summed over
        # ``set(doc)`` as it always was, so the float sum's order is unchanged.
        self.mass = [sum(idf[term] for term in set(doc)) or 1.0 for doc in documents]

    def weight(self, term: str) -> float:
        return self.idf.get(term, self.unseen_idf)

    def scores(self, terms: tuple[str, ...], cap: float = math.inf) -> dict[int, float]:
        """Every document's score that holds at least one of ``terms`` (distinct terms).

        The raw BM25 sum is capped at ``cap`` before the cover factor applies: a short
        example saturates above the question's maximum, and capping after the factor let
        "what ML skills" tie "what is ML" for the question "what is machine learning"."""
        # One complex number per document carries (raw score, matched idf): complex addition
        # adds the two parts as two separate float additions, so each part is summed exactly
        # as two dicts would be, in the same order. The additions run inside ``map`` and
        # ``dict.update`` (C loops): a posting's document is read before it is written, and
        # a posting list names each document once, so no document is added twice per term.
        found: dict[int, complex] = {}
        for term in terms:
            packed = self._packed.get(term)
            if packed is None:
                continue
            indexes, values = packed
            found.update(
                zip(indexes, map(add, map(found.get, indexes, repeat(0j)), values), strict=True)
            )
        if self._cover:
            mass, cover = self.mass, self._cover
            return {i: min(v.real, cap) * (v.imag / mass[i]) ** cover for i, v in found.items()}
        return {i: v.real for i, v in found.items()}

    def score(self, index: int, terms: tuple[str, ...], cap: float = math.inf) -> float | None:
        """Document ``index``'s score, exactly as ``scores`` computes it (the same additions in
        the same term order); None when it holds none of ``terms``."""
        contributions = self.terms[index]
        raw = matched = 0.0
        hit = False
        for term in terms:
            contribution = contributions.get(term)
            if contribution is not None:
                raw += contribution
                matched += self.idf[term]
                hit = True
        if not hit:
            return None
        if self._cover:
            raw = min(raw, cap) * (matched / self.mass[index]) ** self._cover
        return raw


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
        # Each distinct token is stemmed once: examples share most of their words.
        stemmed_tokens: dict[str, str] = {}
        for i, entry in enumerate(self._entries):
            # A partial borrows its title from the entry it answers with, so the title is no
            # example of the partial's own ask: as a document it made every partial of the
            # responsibilities section an exact match for "what does an ML engineer do".
            own_title = () if entry.kind is EntryKind.PARTIAL else (entry.title,)
            texts = (*own_title, *entry.aliases, *entry.examples)
            all_terms: list[str] = []
            for text in texts:
                tokens = raw_tokens(text)  # tokenised once: it is most of the build time
                typed.update(tokens)
                stems = []
                for token in tokens:
                    stemmed = stemmed_tokens.get(token)
                    if stemmed is None:
                        stemmed = stemmed_tokens[token] = stem(token)
                    stems.append(stemmed)
                terms = self.normalizer.terms_from_stems(stems)
                if terms:
                    documents.append(terms)
                    self._owner.append(i)
                    all_terms.extend(terms)
            joined.append(tuple(all_terms))
        # Entry i's documents are documents[first_doc[i]:first_doc[i + 1]] (built in order).
        self._first_doc = [0]
        for i in range(len(self._entries)):
            self._first_doc.append(bisect_right(self._owner, i))
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
        most = sum(self._documents.weight(t) for t in terms)
        most_joined = sum(self._joined.weight(t) for t in terms)
        work = sum(len(self._joined.postings.get(t, ())) for t in terms)
        if work <= FULL_SCAN_WORK:
            scores = self._all_scores(terms, most, most_joined)
        else:
            scores = self._pruned_scores(terms, most, most_joined, limit)
        matches = self._top(scores, limit)
        return MatchResult(question, terms, matches, self._band(matches))

    def _vote(self, found: list[float], most: float) -> float:
        """An entry's score from its documents' scores: the weighted 2-nearest-neighbour vote,
        each capped at the question's maximum (a short example can score above it), so a
        document can claim no more than the question holds."""
        scale = 100.0 / (most * sum(NEIGHBOUR_WEIGHTS))
        # The same values, largest first, as heapq.nlargest gives (faster for short lists).
        best = sorted(found, reverse=True)[: len(NEIGHBOUR_WEIGHTS)]
        return scale * sum(
            w * min(raw, most) for w, raw in zip(NEIGHBOUR_WEIGHTS, best, strict=False)
        )

    def _all_scores(
        self, terms: tuple[str, ...], most: float, most_joined: float
    ) -> dict[int, float]:
        """Every entry's score that shares a term with the question, by walking every posting
        list (cheapest when the question's terms are rare or the knowledge base small)."""
        owner = self._owner
        # The 2-NN vote without a list per entry: each entry's two best documents are
        # kept as they come, and summed as ``_vote`` sums them (the same float
        # operations in the same order: w1 * min(first, most), plus w2 * min(second, most)).
        firsts: dict[int, float] = {}
        seconds: dict[int, float] = {}
        for doc, raw in self._documents.scores(terms, most).items():
            i = owner[doc]
            first = firsts.get(i)
            if first is None:
                firsts[i] = raw
            elif raw > first:
                firsts[i] = raw
                seconds[i] = first  # the old best is at least the old second
            elif raw > seconds.get(i, -1.0):
                seconds[i] = raw
        scale = 100.0 / (most * sum(NEIGHBOUR_WEIGHTS))
        w1, w2 = NEIGHBOUR_WEIGHTS
        scores = {}
        for i, first in firsts.items():
            second = seconds.get(i)
            if second is None:
                scores[i] = scale * (w1 * min(first, most))
            else:
                scores[i] = scale * (w1 * min(first, most) + w2 * min(second, most))
        if ENTRY_BLEND:
            for i, raw in self._joined.scores(terms).items():
                # Capped like a document: an entry's joined examples repeat its common words
                # so often that BM25 saturates above the question's maximum, and without the
                # cap a partial sharing only "how much ... make" outranked the salary answer.
                blended = ENTRY_BLEND * 100.0 * min(raw, most_joined) / most_joined
                if blended > scores.get(i, 0.0):
                    scores[i] = blended
        return scores

    def _entry_score(
        self, i: int, terms: tuple[str, ...], most: float, most_joined: float
    ) -> float | None:
        """Entry ``i``'s score exactly as ``_all_scores`` gives it, from its own documents."""
        found = []
        score = self._documents.score
        for doc in range(self._first_doc[i], self._first_doc[i + 1]):
            raw = score(doc, terms, most)
            if raw is not None:
                found.append(raw)
        result = self._vote(found, most) if found else None
        if ENTRY_BLEND:
            raw_joined = self._joined.score(i, terms)
            if raw_joined is not None:
                blended = ENTRY_BLEND * 100.0 * min(raw_joined, most_joined) / most_joined
                if blended > (0.0 if result is None else result):
                    result = blended
        return result

    def _pruned_scores(
        self, terms: tuple[str, ...], most: float, most_joined: float, limit: int
    ) -> dict[int, float]:
        """The scores of the entries that can reach the top ``limit``, without walking the
        posting lists of the question's most common terms (MaxScore-style pruning).

        Why the result ranks exactly as ``_all_scores`` does. The question's terms are split
        into rare ones (the shortest posting lists, up to a work budget) and common ones.
        ``ceiling`` is the sum of the common terms' largest contributions to any document (to
        any entry, in the joined index). A document's score is at most its rare terms' sum
        plus that ceiling: the cover factor is at most 1, a document's matched idf being part
        of its mass. An entry's vote is a weighted mean of its documents' capped scores, so
        at most 100 * (its best document's bound, capped at ``most``) / ``most``; its blended
        entry-level score is bounded the same way. Entries are scored in full
        (``_entry_score``, the same arithmetic as ``_all_scores``) from the highest bound
        down, until the next bound, rounded as ``_top`` ranks, is strictly below the
        ``limit``-th best score so far, rounded the same way: no entry left can then enter
        the top ``limit`` or tie into it. An entry holding no rare term is bounded by the
        ceiling alone; if that bound is not strictly below too, the split is redone with a
        larger budget, down to no common term at all, where nothing is left unbounded.
        """
        documents, joined = self._documents, self._joined
        present = [t for t in terms if t in joined.postings]
        # Rarest first: their entries are few, and scoring them settles most questions.
        present.sort(key=lambda t: len(joined.postings[t]))
        scores: dict[int, float] = {}
        budget = PRUNED_WORK
        while True:
            cut, work = 0, 0
            while cut < len(present) and (
                cut == 0 or work + len(joined.postings[present[cut]]) <= budget
            ):
                work += len(joined.postings[present[cut]])
                cut += 1
            rare, common = present[:cut], present[cut:]
            doc_ceiling = sum(documents.ceiling[t] for t in common)
            joined_ceiling = sum(joined.ceiling[t] for t in common)
            # The rare terms' part of each document's raw score and matched idf.
            partial: dict[int, float] = {}
            matched: dict[int, float] = {}
            for term in rare:
                get, get_matched, idf = partial.get, matched.get, documents.idf[term]
                for doc, contribution in documents.postings[term].items():
                    partial[doc] = get(doc, 0.0) + contribution
                    matched[doc] = get_matched(doc, 0.0) + idf
            common_idf = sum(documents.idf[t] for t in common)
            # Each entry's two best document bounds; a document with no rare term is bounded
            # by the ceiling (at most ``most``), which also stands in for a missing second.
            alone = min(doc_ceiling, most)
            firsts: dict[int, float] = {}
            seconds: dict[int, float] = {}
            owner, mass = self._owner, documents.mass
            for doc, raw in partial.items():
                cover = min(1.0, (matched[doc] + common_idf) / mass[doc]) ** DOC_COVER
                bound = min(most, (raw + doc_ceiling) * cover)
                i = owner[doc]
                first = firsts.get(i, alone)
                if bound > first:
                    firsts[i], bound = bound, first
                if bound > seconds.get(i, alone):
                    seconds[i] = bound
            partial_joined: dict[int, float] = {}
            for term in rare:
                get = partial_joined.get
                for i, contribution in joined.postings[term].items():
                    partial_joined[i] = get(i, 0.0) + contribution
            bounds = []
            for i, raw in partial_joined.items():
                first = firsts.get(i, alone)
                second = seconds.get(i, alone)
                weights = NEIGHBOUR_WEIGHTS
                bound = (weights[0] * first + weights[1] * second) * 100.0 / (most * sum(weights))
                if ENTRY_BLEND:
                    bound = max(bound, ENTRY_BLEND * 100.0 * (raw + joined_ceiling) / most_joined)
                bounds.append((_padded(bound), i))
            bounds.sort(reverse=True)
            top: list[float] = sorted(heapq.nlargest(limit, scores.values()))
            for bound, i in bounds:
                if len(top) >= limit and bound < top[0]:
                    break  # every entry left is bounded strictly below the top ``limit``
                if i in scores:
                    continue
                if len(scores) >= PRUNED_ENTRIES:
                    # A flat question (many entries close together): walking every posting
                    # list once is cheaper than scoring this many entries one by one.
                    return self._all_scores(terms, most, most_joined)
                value = self._entry_score(i, terms, most, most_joined)
                if value is None:
                    continue
                scores[i] = value
                rounded = round(min(100.0, value), 1)
                if len(top) < limit:
                    heapq.heappush(top, rounded)
                elif rounded > top[0]:
                    heapq.heapreplace(top, rounded)
            if not common:
                return scores
            # Entries holding only common terms: bounded by the ceiling alone.
            rest = 100.0 * min(doc_ceiling, most) / most
            if ENTRY_BLEND:
                rest = max(rest, ENTRY_BLEND * 100.0 * joined_ceiling / most_joined)
            if len(top) >= limit and _padded(rest) < top[0]:
                return scores
            budget *= 4

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
