"""Print the core's speed figures: matcher latency beside a plain difflib matcher and a plain
BM25 matcher, at the shipped knowledge-base size and at synthetic sizes, and the cost of one
cold ``mlcareer ask``.

Usage: python benchmarks/bench_core.py [--sizes 1000,10000] [--reps 40] [--runs 15]

Matcher: every question of tests/data/*.yaml is asked many times (the first pass, with empty
caches, is reported apart); p50/p99 are over all calls. Synthetic knowledge bases recombine and
perturb the shipped entries' aliases, example questions and titles under new ids, adding new
words as a larger knowledge base would, and are built in memory. The difflib baseline scores a
question by the best ``SequenceMatcher.ratio`` against each entry's title and examples; the
BM25 baseline is textbook BM25 over each entry's examples joined into one document, on
lower-cased words split at non-letters (no stemming, synonyms, typo repair or bands). Whole
process:
``mlcareer ask "what skills do I need"`` run in a fresh interpreter each time (one untimed
warm-up first, so the OS file cache is warm as it is for a user), median wall time, and the
peak RSS of each run from ``os.wait4`` in a small launcher. Exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import difflib
import io
import math
import os
import platform
import random
import re
import statistics
import string
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import rapidfuzz
import yaml

from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import Entry, EntryKind, KnowledgeBase
from bot.matching.matcher import Matcher
from bot.settings import DEFAULT_KNOWLEDGE_DIR

ROOT = Path(__file__).resolve().parent.parent
QUESTION_FILES = sorted((ROOT / "tests" / "data").glob("*questions*.yaml"))
ASK_QUESTION = "what skills do I need"


def load_questions() -> list[str]:
    questions: list[str] = []
    for path in QUESTION_FILES:
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        questions.extend(str(item["text"]) for item in items if isinstance(item, dict))
    return questions


# --- synthetic knowledge ---------------------------------------------------------------------


def _new_word(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_lowercase, k=rng.randint(5, 10)))


def _perturb(text: str, rng: random.Random) -> str:
    """Drop or swap a word, misspell one, and now and then add a word nobody used before."""
    words = text.split()
    if len(words) > 3 and rng.random() < 0.5:
        words.pop(rng.randrange(len(words)))
    if len(words) > 2 and rng.random() < 0.5:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    i = rng.randrange(len(words))
    word = words[i]
    if len(word) > 4 and rng.random() < 0.5:
        j = rng.randrange(1, len(word) - 2)
        words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words) + 1), _new_word(rng))
    return " ".join(words)


def synthetic_knowledge(base: KnowledgeBase, size: int, seed: int = 3) -> KnowledgeBase:
    """``size`` entries: the shipped ones, then recombined and perturbed answer entries with
    new ids (aliases and examples drawn from three shipped entries, a few new words)."""
    rng = random.Random(seed)
    real = [entry for entry in base.entries if entry.kind is EntryKind.ANSWER and entry.examples]
    entries: list[Entry] = list(base.entries)
    for n in range(size - len(entries)):
        origin = rng.choice(real)
        donors = [origin, *rng.sample(real, 2)]
        aliases = [f"{_new_word(rng)}-{n}"]
        examples = [
            _perturb(rng.choice(rng.choice(donors).examples), rng)
            for _ in range(rng.randint(8, 16))
        ]
        entries.append(
            Entry(
                id=f"{origin.section}/synthetic-{n}",
                section=origin.section,
                title=_perturb(f"{origin.title} {rng.choice(donors).title}", rng),
                answer=origin.answer,
                source=origin.source,
                examples=tuple(dict.fromkeys(examples)),
                points=origin.points,
                aliases=tuple(aliases),
                related=(origin.id,),
            )
        )
    return KnowledgeBase(
        sections=base.sections, entries=tuple(entries), tips=base.tips, vocabulary=base.vocabulary
    )


# --- the difflib baseline --------------------------------------------------------------------


class DifflibMatcher:
    """The plain baseline: best SequenceMatcher ratio of the question against each entry's
    title and phrasings (the question is set once as seq2, so difflib indexes it once)."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self._candidates = [
            (entry, [text.lower() for text in (entry.title, *entry.examples)])
            for entry in knowledge.entries
        ]

    def match(self, question: str) -> tuple[Entry | None, float]:
        matcher = difflib.SequenceMatcher(None)
        matcher.set_seq2(question.lower())
        best: Entry | None = None
        best_ratio = -1.0
        for entry, texts in self._candidates:
            for text in texts:
                matcher.set_seq1(text)
                ratio = matcher.ratio()
                if ratio > best_ratio:
                    best, best_ratio = entry, ratio
        return best, 100.0 * best_ratio


class Bm25Matcher:
    """The textbook baseline: BM25 (k1 1.2, b 0.75) over each entry's title, aliases and
    examples joined into one document, on lower-cased words; the best entry wins."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self._entries = knowledge.entries
        docs = [_words(" ".join((e.title, *e.aliases, *e.examples))) for e in knowledge.entries]
        self._lengths = [len(doc) for doc in docs]
        average = sum(self._lengths) / max(1, len(docs))
        self._postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for index, doc in enumerate(docs):
            for word, tf in Counter(doc).items():
                self._postings[word].append((index, tf))
        count = len(docs)
        self._idf = {
            word: math.log(1 + (count - len(posts) + 0.5) / (len(posts) + 0.5))
            for word, posts in self._postings.items()
        }
        self._norm = [1.2 * (0.25 + 0.75 * length / (average or 1)) for length in self._lengths]

    def match(self, question: str) -> tuple[Entry | None, float]:
        scores: dict[int, float] = defaultdict(float)
        for word in set(_words(question)):
            idf = self._idf.get(word)
            if idf is None:
                continue
            for index, tf in self._postings[word]:
                scores[index] += idf * tf * 2.2 / (tf + self._norm[index])
        if not scores:
            return None, 0.0
        best = max(scores, key=lambda index: scores[index])
        return self._entries[best], scores[best]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


# --- timing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Latency:
    calls: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    first_pass_p99_ms: float


def percentile(samples: Sequence[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_calls(call: Callable[[str], object], questions: Sequence[str], reps: int) -> Latency:
    clock = time.perf_counter_ns
    first: list[float] = []
    samples: list[float] = []
    for rep in range(reps):
        for question in questions:
            start = clock()
            call(question)
            elapsed = (clock() - start) / 1e6
            samples.append(elapsed)
            if rep == 0:
                first.append(elapsed)
    return Latency(
        calls=len(samples),
        p50_ms=percentile(samples, 0.50),
        p99_ms=percentile(samples, 0.99),
        max_ms=max(samples),
        first_pass_p99_ms=percentile(first, 0.99),
    )


@dataclass(frozen=True)
class SizeResult:
    entries: int
    vocabulary: int
    build_s: float
    matcher: Latency
    bm25: Latency
    difflib: Latency
    difflib_questions: int


def bench_size(
    knowledge: KnowledgeBase, questions: list[str], reps: int, difflib_budget_s: float
) -> SizeResult:
    start = time.perf_counter()
    matcher = Matcher(knowledge)
    build_s = time.perf_counter() - start
    fast = time_calls(matcher.match, questions, reps)
    bm25 = time_calls(Bm25Matcher(knowledge).match, questions, reps)
    baseline = DifflibMatcher(knowledge)
    # difflib is slow at large sizes: time one question, then ask as many as fit the budget.
    start = time.perf_counter()
    baseline.match(questions[0])
    one = max(time.perf_counter() - start, 1e-6)
    subset_size = max(10, min(len(questions), int(difflib_budget_s / one)))
    subset = questions[:: max(1, len(questions) // subset_size)][:subset_size]
    slow_reps = max(1, min(reps, int(difflib_budget_s / (one * len(subset)))))
    slow = time_calls(baseline.match, subset, slow_reps)
    vocabulary = len(
        {
            word
            for entry in knowledge.entries
            for text in (entry.title, *entry.aliases, *entry.examples)
            for word in text.lower().split()
        }
    )
    return SizeResult(len(knowledge.entries), vocabulary, build_s, fast, bm25, slow, len(subset))


# --- whole process ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcessResult:
    runs: int
    median_ms: float
    min_ms: float
    max_ms: float
    peak_rss_mb: float
    command: str


def ask_command() -> list[str]:
    script = Path(sys.executable).with_name("mlcareer")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


# Runs one command and prints "status wall_seconds maxrss_kb". A process's peak RSS on Linux
# counts the address space it had before exec, and a child of this benchmark would start as a
# copy of it (hundreds of MB with the synthetic knowledge loaded); the small launcher is a
# fresh interpreter, smaller than what it measures, so the figure is the command's own.
_LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), time.perf_counter() - start, usage.ru_maxrss)
"""


def bench_process(runs: int) -> ProcessResult:
    command = [*ask_command(), "ask", ASK_QUESTION]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLCAREER_", "PYTHON"))}
    walls: list[float] = []
    peak_kb = 0
    with tempfile.TemporaryDirectory() as folder:  # no stray .env is read
        for run in range(runs + 1):
            done = subprocess.run(
                [sys.executable, "-c", _LAUNCHER, *command],
                cwd=folder,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            status, wall, maxrss_kb = done.stdout.split()
            if done.returncode != 0 or status != "0":
                raise SystemExit(f"{' '.join(command)} failed ({status}):\n{done.stderr}")
            if run == 0:
                continue  # warm-up: fills the OS file cache, as any earlier use would have
            walls.append(float(wall) * 1000)
            peak_kb = max(peak_kb, int(maxrss_kb))  # kilobytes on Linux
    shown = " ".join(f'"{part}"' if " " in part else part for part in command)
    return ProcessResult(
        runs, statistics.median(walls), min(walls), max(walls), peak_kb / 1024, shown
    )


# --- report ----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="synthetic sizes (comma-separated)")
    parser.add_argument("--reps", type=int, default=40, help="passes over the questions per size")
    parser.add_argument("--runs", type=int, default=15, help="timed runs of mlcareer ask (>= 10)")
    parser.add_argument(
        "--difflib-budget", type=float, default=8.0, help="seconds of difflib timing per size"
    )
    args = parser.parse_args(argv)
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)  # each row as soon as it is measured

    questions = load_questions()
    shipped = load_knowledge(DEFAULT_KNOWLEDGE_DIR)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    print(
        f"mlcareer core benchmark: Python {platform.python_version()}, rapidfuzz "
        f"{rapidfuzz.__version__}, {platform.machine()}, {os.cpu_count()} CPUs"
    )
    print(
        f"questions: {len(questions)} from {', '.join(p.name for p in QUESTION_FILES)}; "
        f"{args.reps} passes per size (difflib: as many as fit {args.difflib_budget:g} s)"
    )
    print()
    header = (
        f"{'entries':>8} {'words':>7} {'build':>8} | {'matcher ms':^33} | "
        f"{'bm25 ms':^15} | {'difflib ms':^21} | {'speed-up':>8}"
    )
    print(header)
    print(
        f"{'':>8} {'':>7} {'':>8} | {'p50':>7} {'p99':>7} {'max':>7} {'1st p99':>8} | "
        f"{'p50':>7} {'p99':>7} | {'p50':>9} {'p99':>9}  (n) | {'at p50':>8}"
    )
    print("-" * len(header))
    results: dict[int, SizeResult] = {}
    for knowledge in (shipped, *(synthetic_knowledge(shipped, size) for size in sizes)):
        reps = args.reps if len(knowledge.entries) < 5000 else max(3, args.reps // 8)
        result = bench_size(knowledge, questions, reps, args.difflib_budget)
        results[result.entries] = result
        m, b, d = result.matcher, result.bm25, result.difflib
        print(
            f"{result.entries:>8} {result.vocabulary:>7} {result.build_s:>7.2f}s | "
            f"{m.p50_ms:>7.3f} {m.p99_ms:>7.3f} {m.max_ms:>7.2f} {m.first_pass_p99_ms:>8.3f} | "
            f"{b.p50_ms:>7.3f} {b.p99_ms:>7.3f} | "
            f"{d.p50_ms:>9.2f} {d.p99_ms:>9.2f} {result.difflib_questions:>4} | "
            f"{d.p50_ms / m.p50_ms:>7.0f}x"
        )
    print()
    process = bench_process(max(10, args.runs))
    print(
        f"whole process: {process.command}\n"
        f"  wall time median {process.median_ms:.0f} ms over {process.runs} runs "
        f"(min {process.min_ms:.0f}, max {process.max_ms:.0f}); "
        f"peak RSS {process.peak_rss_mb:.1f} MB"
    )
    print()
    print("targets (issue 9, item 2):")
    small = results[len(shipped.entries)]
    checks = [(f"p99 at shipped size ({small.entries})", small.matcher.p99_ms, "<=", 1.0, "ms")]
    if 10_000 in results:
        checks.append(("p99 at 10,000 entries", results[10_000].matcher.p99_ms, "<=", 10.0, "ms"))
        checks.append(
            ("build at 10,000 entries", results[10_000].build_s * 1000, "<=", 2000.0, "ms")
        )
    if 1000 in results:
        speedup = results[1000].difflib.p50_ms / results[1000].matcher.p50_ms
        checks.append(("speed-up over difflib at 1,000", speedup, ">=", 20.0, "x"))
    checks.append(("cold mlcareer ask, median", process.median_ms, "<=", 120.0, "ms"))
    checks.append(("peak RSS of mlcareer ask", process.peak_rss_mb, "<", 60.0, "MB"))
    missed = 0
    for label, value, relation, target, unit in checks:
        ok = {"<=": value <= target, ">=": value >= target, "<": value < target}[relation]
        missed += not ok
        print(
            f"  {'PASS' if ok else 'MISS'}  {label:<34} {value:>9.{3 if unit == 'ms' else 1}f} "
            f"{unit:<2}  "
            f"(target {relation} {target:g} {unit})"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
