"""Turn chat text into comparable terms: case, accents, punctuation, contractions, chat-speak,
stop words, plural and tense endings, and synonyms all folded away.

The same function prepares the knowledge base's example questions and user questions, so both
sides of a comparison always go through identical steps.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

# Contractions and chat-speak expanded before stop words are dropped, so "what's" and "wut"
# both become "what". Keys are whole tokens (apostrophes already straightened). Generic English
# only: domain abbreviations (mle, k8s, stats) are the knowledge's vocabulary synonyms.
CHAT_WORDS: dict[str, str] = {
    "u": "you",
    "ya": "you",
    "r": "are",
    "ur": "your",
    "4": "for",
    "2": "to",
    "n": "and",
    "wut": "what",
    "wat": "what",
    "whats": "what is",
    "hows": "how is",
    "im": "i am",
    "ive": "i have",
    "dont": "do not",
    "doesnt": "does not",
    "cant": "can not",
    "cannot": "can not",
    "wont": "will not",
    "isnt": "is not",
    "gonna": "going to",
    "gotta": "got to",
    "wanna": "want to",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "ppl": "people",
    "bc": "because",
    "cuz": "because",
    "b4": "before",
    "w": "with",
    "rn": "right now",
    "tho": "though",
    "yrs": "years",
    "yr": "year",
}

_CONTRACTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bcan't\b", "can not"),
        (r"\bwon't\b", "will not"),
        (r"\b(\w+)n't\b", r"\1 not"),
        (r"\b(i)'m\b", r"\1 am"),
        (r"\b(\w+)'re\b", r"\1 are"),
        (r"\b(\w+)'ve\b", r"\1 have"),
        (r"\b(\w+)'ll\b", r"\1 will"),
        (r"\b(\w+)'d\b", r"\1 would"),
        (r"\b(what|how|who|where|when|why|that|there|it|he|she)'s\b", r"\1 is"),
        (r"'s\b", ""),
    )
)

# Question words (what, how, why, who, where, when, which) and the words that say who is asked
# or asking (you, your, i, my, me) are not stop words: BM25 gives them little weight, but they
# tell "what is pytorch?" (a definition) from "do I need pytorch?" and "how old are you?" (to
# the bot) from "am I too old?". Measured on the v2 knowledge with corpus examples (acc /
# decline F1): dev real 0.818/0.812 -> 0.848/0.867, corpus held-out 0.753/0.744 ->
# 0.764/0.771; own holdout 0.745/0.874 -> 0.745/0.855. Keeping every stop word was worse.
STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above after again all also am an and any anyone anything are around as at be
    because been being both but by can could did do does doing done during each either else
    even ever every for from further get gets getting go going got had has have having he her
    here hers him his if in into is it its itself just kind let like lot lots may might mine
    more most much must myself no nor not now of off on once one only or other others our ours
    out over own per please pretty quite rather really right same say see seem should so some
    someone something still such sure than that the their them then there these they thing
    things this those though through to too up upon us very via was way we well were
    whether while whom whose will with within without would yes yet yourself hey hi hello
    thanks thank guys folks actually basically honestly literally tell know want wondering
    question questions asking ask anybody everyone lol ok okay hmm uh um
    """.split()  # noqa: SIM905 - a word list reads better as text
)

# Words that sound like stop words but carry intent here; kept even though they are common.
KEEP_WORDS: frozenset[str] = frozenset({"need", "become", "start", "work", "do"})

# "do" is two words in English questions: an auxiliary ("do I need", "how does one start"),
# which says nothing, and the main verb ("what does an ML engineer do"), which is the whole
# ask about someone's work. The main verb is a do-form after an earlier one, or the last
# word; it stays as "do" (kept), every auxiliary becomes "does" (a stop word). Without it
# "what does an ML engineer do" and "what is an ML engineer" were the same question.
_DO_FORMS = frozenset({"do", "does", "did"})

_TOKEN = re.compile(r"\$?\d[\d,.]*k?\b|[a-z][a-z0-9+#]*")
_MONEY = re.compile(r"^\$|^\d[\d,.]*k$|^\d{2,3}(?:,\d{3})+$")
_MONEY_START = frozenset("$0123456789")


def fold(text: str) -> str:
    """Lowercase, strip accents and odd quote characters; keep letters, digits and spaces."""
    if not text.isascii():  # ASCII text has no accents: NFKD and the filter leave it as is
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    if "'" in text:  # every contraction has an apostrophe; most texts have none
        for pattern, replacement in _CONTRACTIONS:
            text = pattern.sub(replacement, text)
    return text


def raw_tokens(text: str) -> list[str]:
    """Tokens of folded text with chat-speak expanded; no stop words removed yet."""
    tokens: list[str] = []
    for token in _TOKEN.findall(fold(text).replace("'", "")):
        # Only a token starting with "$" or a digit can be money: skip the regex for words.
        if token[0] in _MONEY_START and _MONEY.match(token):
            tokens.append("money")
            continue
        expanded = CHAT_WORDS.get(token)
        if expanded is None:
            tokens.append(token)
        else:
            tokens.extend(expanded.split())
    return _mark_main_do(tokens)


def _mark_main_do(tokens: list[str]) -> list[str]:
    """Tell the main verb "do" from the auxiliary (see ``_DO_FORMS``), in place."""
    seen = False
    last = len(tokens) - 1
    for i, token in enumerate(tokens):
        if token in _DO_FORMS:
            tokens[i] = "do" if seen or i == last else "does"
            seen = True
    return tokens


def stem(word: str) -> str:
    """A deliberately light suffix stripper: plurals and the common verb endings."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ys")):
        word = word[:-1]
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
        if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "ls":
            word = word[:-1]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
        if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "ls":
            word = word[:-1]
    # A final silent e goes too, so "scale", "scaled" and "scaling" meet at "scal".
    if word.endswith("e") and not word.endswith("ee") and len(word) > 4:
        word = word[:-1]
    return word


# Stop words are compared after stemming, so both forms are listed ("does" stems to "doe").
_STOP_STEMS: frozenset[str] = STOP_WORDS | frozenset(stem(word) for word in STOP_WORDS)


class Normalizer:
    """Maps text to a tuple of canonical terms, applying a synonym table built once.

    ``synonyms`` maps a canonical term to its variants; a variant may be several words
    ("machine learning engineer" -> "mle"). Longer variants are applied first.
    """

    def __init__(self, synonyms: Mapping[str, Iterable[str]] | None = None) -> None:
        self._phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        for canonical, variants in (synonyms or {}).items():
            target = tuple(stem(t) for t in raw_tokens(canonical))
            for variant in variants:
                key = tuple(stem(t) for t in raw_tokens(variant))
                if key and key != target:
                    self._phrases[key] = target
        self._longest = max((len(key) for key in self._phrases), default=0)
        # The tokens some synonym key starts with: at any other token no key can match, so
        # the phrase search is skipped there (the same result, without the tuple lookups).
        self._starts = frozenset(key[0] for key in self._phrases)
        # The one-word variants by their word, looked up without building a tuple per token.
        self._singles = {key[0]: target for key, target in self._phrases.items() if len(key) == 1}

    def stems(self, text: str) -> list[str]:
        """Stemmed tokens with stop words kept (used for phrase matching)."""
        return [stem(t) for t in raw_tokens(text)]

    @staticmethod
    def is_stop_word(token: str) -> bool:
        """True for words that carry no topic (checked before stemming)."""
        return token not in KEEP_WORDS and token in STOP_WORDS

    def terms(self, text: str) -> tuple[str, ...]:
        """Canonical content terms of ``text``: synonyms applied, then stop words dropped."""
        return self.terms_from_stems(self.stems(text))

    def terms_from_stems(self, stems: list[str]) -> tuple[str, ...]:
        """Apply synonyms to already-stemmed tokens and drop stop words.

        One-word variants are folded first, so an abbreviation can complete a longer variant
        ("ml eng": "eng" -> "engineer", then "ml engineer" -> "mle").
        """
        singles: list[str] = []
        one_word = self._singles
        for token in stems:
            replacement = one_word.get(token)
            if replacement is None:
                singles.append(token)
            else:
                singles.extend(replacement)
        stems = singles
        starts = self._starts
        if starts.isdisjoint(stems):  # no synonym key starts anywhere: nothing to fold
            return tuple(t for t in stems if t in KEEP_WORDS or t not in _STOP_STEMS)
        out: list[str] = []
        i = 0
        while i < len(stems):
            if stems[i] not in starts:
                out.append(stems[i])
                i += 1
                continue
            for size in range(min(self._longest, len(stems) - i), 0, -1):
                replacement = self._phrases.get(tuple(stems[i : i + size]))
                if replacement is not None:
                    out.extend(replacement)
                    i += size
                    break
            else:
                out.append(stems[i])
                i += 1
        return tuple(t for t in out if t in KEEP_WORDS or t not in _STOP_STEMS)
