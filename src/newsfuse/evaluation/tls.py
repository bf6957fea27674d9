"""Timeline evaluation as in tilse / news-tls: alignment-based ROUGE ('align+ m:1') and date F1.

For one predicted and one gold timeline (Martschat & Markert 2017, tilse
``evaluate_align_date_content_costs_many_to_one``):

* cost of pairing dates p and r: ``(1 - 1/(|p-r|+1)) * (1 - R1approx(p, r))`` where R1approx
  is the unigram F1 of the raw tokens of the two daily summaries;
* precision: every predicted date goes to its cheapest gold date (many-to-one); its ROUGE
  n-gram hits count ``1/(|p-r|+1)`` times; the denominator is all predicted n-grams;
* recall: every gold date goes to its cheapest predicted date, symmetrically;
* counts are summed over dates (micro) within a timeline; precision and recall are then
  averaged over timelines and F1 is taken of the averages.

ROUGE counts follow ROUGE-1.5.5 as run by tilse (``-m`` Porter stemming, ``-s`` stopword
removal): lower-case alphanumeric tokens, stopwords dropped (scikit-learn's English list, a
stand-in for ROUGE's SMART list, which is not installed here), Porter-stemmed (tokens longer
than 3 characters, as rouge-score does), then clipped n-gram overlap.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
from nltk.stem import porter
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

Timeline = Mapping[date, Sequence[str]]
_STEMMER = porter.PorterStemmer("ORIGINAL_ALGORITHM")
_TOKEN = re.compile(r"[a-z0-9]+")
_DATE_LINE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class TimelineScores:
    """Precision and recall of one timeline for ROUGE-1, ROUGE-2 and dates."""

    r1: tuple[float, float]
    r2: tuple[float, float]
    dates: tuple[float, float]


@dataclass(frozen=True, slots=True)
class AveragedScores:
    """F1 of precision and recall averaged over timelines."""

    ar1: float
    ar2: float
    date_f1: float
    timelines: int


def parse_tilse(text: str) -> dict[date, list[str]]:
    """A tilse-format timeline: a date line, sentence lines, a line of dashes, repeated."""
    timeline: dict[date, list[str]] = {}
    current: date | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or set(line) == {"-"}:
            continue
        if _DATE_LINE.match(line) and len(line) <= 12:
            year, month, day = (int(x) for x in line[:10].split("-"))
            current = date(year, month, max(day, 1))
            timeline.setdefault(current, [])
        elif current is not None:
            timeline[current].append(line)
    return {d: s for d, s in timeline.items() if s}


@lru_cache(maxsize=200_000)
def _stem(token: str) -> str:
    return _STEMMER.stem(token) if len(token) > 3 else token


def rouge_tokens(text: str, *, stopwords: bool) -> tuple[str, ...]:
    """ROUGE-1.5.5 style tokens: lower-case alphanumerics, optionally without stopwords, stemmed."""
    words = _TOKEN.findall(text.lower().replace("-lrb-", " ").replace("-rrb-", " "))
    return tuple(_stem(w) for w in words if stopwords or w not in ENGLISH_STOP_WORDS)


def _ngrams(sentences: Sequence[str], n: int, stopwords: bool) -> Counter[tuple[str, ...]]:
    counts: Counter[tuple[str, ...]] = Counter()
    for sentence in sentences:
        tokens = rouge_tokens(sentence, stopwords=stopwords)
        counts.update(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return counts


def _r1_approx(predicted: Sequence[str], gold: Sequence[str]) -> float:
    mine = Counter(w for s in predicted for w in s.split())
    theirs = Counter(w for s in gold for w in s.split())
    match = sum(min(c, theirs[w]) for w, c in mine.items())
    precision = match / sum(mine.values()) if mine else 0.0
    recall = match / sum(theirs.values()) if theirs else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _alignment(
    rows: Sequence[date], cols: Sequence[date], pred: Timeline, gold: Timeline, rows_are_pred: bool
) -> list[int]:
    costs = np.zeros((len(rows), len(cols)))
    for i, a in enumerate(rows):
        for j, b in enumerate(cols):
            date_factor = 1 - 1 / (abs(a.toordinal() - b.toordinal()) + 1)
            p, g = (a, b) if rows_are_pred else (b, a)
            costs[i, j] = date_factor * (1 - _r1_approx(pred[p], gold[g]))
    return [int(np.argmin(row)) for row in costs]


def _rouge(
    pred: Timeline, gold: Timeline, n: int, stopwords: bool, alignments: tuple[list[int], list[int]]
) -> tuple[float, float]:
    pred_dates, gold_dates = sorted(pred), sorted(gold)
    to_gold, to_pred = alignments
    pred_grams = {d: _ngrams(pred[d], n, stopwords) for d in pred_dates}
    gold_grams = {d: _ngrams(gold[d], n, stopwords) for d in gold_dates}

    def weighted(
        dates: Sequence[date], others: Sequence[date], to_other: list[int],
        grams: dict[date, Counter[tuple[str, ...]]], other_grams: dict[date, Counter[tuple[str, ...]]],
    ) -> float:  # fmt: skip
        """Hits of each date with its aligned date, discounted by their distance, over all n-grams of ``dates``."""
        num = den = 0.0
        for i, d in enumerate(dates):
            o = others[to_other[i]]
            shared = sum(min(c, other_grams[o][g]) for g, c in grams[d].items())
            num += shared / (abs(d.toordinal() - o.toordinal()) + 1)
            den += sum(grams[d].values())
        return num / den if den else 0.0

    precision = weighted(pred_dates, gold_dates, to_gold, pred_grams, gold_grams)
    recall = weighted(gold_dates, pred_dates, to_pred, gold_grams, pred_grams)
    return precision, recall


def score_timeline(pred: Timeline, gold: Timeline, *, stopwords: bool = False) -> TimelineScores:
    """ROUGE-1/2 (align+ m:1) and date precision/recall of ``pred`` against ``gold``.

    ``stopwords=False`` removes stopwords before counting (ROUGE-1.5.5 ``-s``, as tilse runs it).
    """
    if not pred or not gold:
        return TimelineScores((0.0, 0.0), (0.0, 0.0), (0.0, 0.0))
    pred_dates, gold_dates = sorted(pred), sorted(gold)
    alignments = (
        _alignment(pred_dates, gold_dates, pred, gold, True),
        _alignment(gold_dates, pred_dates, pred, gold, False),
    )
    shared = len(set(pred_dates) & set(gold_dates))
    return TimelineScores(
        _rouge(pred, gold, 1, stopwords, alignments),
        _rouge(pred, gold, 2, stopwords, alignments),
        (shared / len(pred_dates), shared / len(gold_dates)),
    )


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def average(scores: Sequence[TimelineScores]) -> AveragedScores:
    """Average precision and recall over timelines, then take F1 (the news-tls convention)."""
    if not scores:
        return AveragedScores(0.0, 0.0, 0.0, 0)

    def mean_f1(pick: str) -> float:
        pairs = [getattr(s, pick) for s in scores]
        return _f1(sum(p for p, _ in pairs) / len(pairs), sum(r for _, r in pairs) / len(pairs))

    return AveragedScores(mean_f1("r1"), mean_f1("r2"), mean_f1("dates"), len(scores))


# Keyphrases of each Timeline17 topic, as tilse/news-tls use them (shared/data/README.md).
T17_KEYWORDS = {
    "bpoil": ("bp", "oil", "spill"),
    "egypt": ("egypt", "egyptian"),
    "finan": ("financial", "economic", "crisis"),
    "h1n1": ("h1n1", "swine", "flu"),
    "haiti": ("haiti", "quake", "earthquake"),
    "iraq": ("iraq", "iraqi"),
    "libya": ("libya", "libyan"),
    "mj": ("michael", "jackson"),
    "syria": ("syria", "syrian"),
}


@dataclass(frozen=True, slots=True)
class TaskResult:
    """One gold timeline: its scores and how long the system took."""

    topic: str
    timeline: str
    scores: TimelineScores
    scores_with_stopwords: TimelineScores
    seconds: float
    dates: int
    per_date: int


def match_published(file_name: str, gold_names: Sequence[str]) -> str:
    """The gold timeline (``folder/file``) a published output file such as ``TL17_bestds_bpoil_bbc.txt`` is for."""
    topic_and_stem = file_name.split("_", 2)[2].removesuffix(".txt")
    topic, _, stem = topic_and_stem.partition("_")
    folders = {n: n.split("/")[0].lower() for n in gold_names}
    in_topic = [n for n in gold_names if _topic_of(folders[n]) == topic]
    exact = [n for n in in_topic if n.split("/")[1].removesuffix(".txt") == stem]
    if exact:
        return exact[0]
    return in_topic[0] if len(in_topic) == 1 else ""


def _topic_of(folder: str) -> str:
    for prefix, topic in (("egyptian", "egypt"), ("finan", "finan"), ("h1n1", "h1n1"), ("iraq", "iraq"),
                          ("libya", "libya"), ("mj", "mj"), ("syria", "syria"), ("bpoil", "bpoil"),
                          ("haiti", "haiti")):  # fmt: skip
        if folder.startswith(prefix):
            return topic
    return folder


def score_published(outputs: Mapping[str, str], gold: Mapping[str, Mapping[date, Sequence[str]]]) -> list[TaskResult]:
    """Score published system timelines (tilse format) against the gold timelines they were made for."""
    results = []
    for file_name, text in outputs.items():
        name = match_published(file_name, list(gold))
        if not name:
            continue
        predicted = parse_tilse(text)
        results.append(
            TaskResult(
                _topic_of(name.split("/")[0].lower()),
                name,
                score_timeline(predicted, gold[name]),
                score_timeline(predicted, gold[name], stopwords=True),
                0.0,
                len(predicted),
                0,
            )  # fmt: skip
        )
    return results


def format_tasks(results: Sequence[TaskResult]) -> str:
    """Per-timeline Markdown table."""
    lines = [
        "| topic | timeline | dates | k | AR-1 F | AR-2 F | Date F1 | seconds |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        one = average([r.scores])
        lines.append(
            f"| {r.topic} | {r.timeline} | {r.dates} | {r.per_date} | {one.ar1:.3f} | {one.ar2:.3f} | {one.date_f1:.3f}"
            f" | {r.seconds:.1f} |"
        )
    return "\n".join(lines) + "\n"


def format_averages(rows: Sequence[tuple[str, Sequence[TaskResult]]]) -> str:
    """Averages per system: stopwords removed (the papers' setting) and kept."""
    lines = [
        "| system | timelines | AR-1 F | AR-2 F | Date F1 | AR-1 F (stopwords kept) | AR-2 F (stopwords kept) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, results in rows:
        a = average([r.scores for r in results])
        b = average([r.scores_with_stopwords for r in results])
        lines.append(
            f"| {name} | {a.timelines} | {a.ar1:.3f} | {a.ar2:.3f} | {a.date_f1:.3f} | {b.ar1:.3f} | {b.ar2:.3f} |"
        )
    return "\n".join(lines) + "\n"
