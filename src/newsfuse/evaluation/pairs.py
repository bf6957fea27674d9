"""newsfuse on the blind cross-outlet fact pairs (``labels/blind/*_pairs.sample.jsonl`` + labels).

Each pair marks one number in a sentence of each of two outlets' reports of one gold cluster. The
pair's two articles go through the real extract stage and ``reconcile_claims`` as one event (the
gold grouping: the two articles are taken to report one event, as the sample says). newsfuse's
label for the pair:

* a marked number that newsfuse does not extract as a figure → not-a-fact;
* both marked numbers cited by one claim → its status: corroborated → agree, conflicting →
  conflict, updated → update (single-source cannot cite two outlets);
* otherwise (two figures in different claims) → different-thing.

Labels were written by people who never saw newsfuse's output (``labels/blind/RULES.md``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from newsfuse.evaluation.metrics import label_scores
from newsfuse.models import Article, Event, Extraction, Quantity
from newsfuse.stages.reconcile import figure_of, reconcile_claims

LABELS = ("agree", "conflict", "update", "different-thing", "not-a-fact")
SETS = ("fact_pairs", "figure_pairs")
_STATUS = {"corroborated": "agree", "conflicting": "conflict", "updated": "update"}


@dataclass(frozen=True, slots=True)
class Mention:
    article_id: str
    sentence_index: int
    sentence: str
    start: int  # character offset of the marked number in ``sentence``
    text: str


@dataclass(frozen=True, slots=True)
class Pair:
    pair_id: str
    dataset: str
    label: str
    a: Mention
    b: Mention


@dataclass(frozen=True, slots=True)
class PairScores:
    """Per-label P/R/F1 (percent), accuracy, the confusion counts (gold, predicted)."""

    pairs: int
    per_label: dict[str, tuple[float, float, float]]
    accuracy: float
    confusion: dict[tuple[str, str], int]


def blind_path(name: str) -> Path:
    return Path(str(resources.files("newsfuse.evaluation").joinpath(f"labels/blind/{name}")))


def read_pairs(name: str) -> list[Pair]:
    """The labelled pairs of one blind set (``fact_pairs`` or ``figure_pairs``); unlabelled ones left out."""
    labels_file = blind_path(f"{name}.labels.jsonl")
    if not labels_file.exists():
        return []
    labels = {}
    for line in labels_file.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            labels[row["id"]] = row["label"]
    pairs = []
    for line in blind_path(f"{name}.sample.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row["id"] not in labels:
            continue
        sides = [
            Mention(s["article_id"], s["sentence_index"], s["sentence"], s["mention_start"], s["mention"])
            for s in (row["a"], row["b"])
        ]
        pairs.append(Pair(row["id"], row["dataset"], labels[row["id"]], *sides))
    return pairs


def _quantity(mention: Mention, extraction: Extraction) -> Quantity | None:
    """The figure newsfuse extracted at the marked number, if any."""
    sentence = next((s for s in extraction.sentences if s.text == mention.sentence), None)
    if sentence is None and mention.sentence_index < len(extraction.sentences):
        sentence = extraction.sentences[mention.sentence_index]
    if sentence is None:
        return None
    at = sentence.start + mention.start
    return next(
        (q for q in extraction.quantities if q.span.sentence == sentence.index and q.span.start <= at < q.span.end),
        None,
    )


def predict(pair: Pair, articles: Mapping[str, Article], extractions: Mapping[str, Extraction]) -> str:
    """newsfuse's label for one pair (see the module docstring)."""
    first, second = articles[pair.a.article_id], articles[pair.b.article_id]
    wanted = []
    for mention, article in ((pair.a, first), (pair.b, second)):
        quantity = _quantity(mention, extractions[article.article_id])
        if quantity is None:
            return "not-a-fact"
        wanted.append((article.article_id, quantity.span.sentence, figure_of(quantity, article.published_at).text))
    when = sorted(a.published_at for a in (first, second))
    event = Event("pair", pair.pair_id, (first.article_id, second.article_id), when[0], when[-1])
    for claim in reconcile_claims(event, [first, second], extractions, {}):
        if claim.kind != "count":
            continue
        cited = {(c.article_id, c.sentence, c.value) for c in claim.citations}
        if all(w in cited for w in wanted):
            return _STATUS.get(claim.status, "different-thing")
    return "different-thing"


def score(pairs: Sequence[Pair], articles: Mapping[str, Article], extractions: Mapping[str, Extraction]) -> PairScores:
    confusion: Counter[tuple[str, str]] = Counter()
    for pair in pairs:
        confusion[(pair.label, predict(pair, articles, extractions))] += 1
    per_label, accuracy = label_scores(confusion, LABELS, len(pairs))
    return PairScores(len(pairs), per_label, accuracy, dict(confusion))


def format_scores(name: str, scores: PairScores) -> str:
    lines = [f"{name}: {scores.pairs} labelled pairs, accuracy {scores.accuracy:.1f}%", "",
             "| label | gold | predicted | P | R | F1 |", "|---|---|---|---|---|---|"]  # fmt: skip
    for label in LABELS:
        gold = sum(n for (g, _), n in scores.confusion.items() if g == label)
        predicted = sum(n for (_, p), n in scores.confusion.items() if p == label)
        p, r, f = scores.per_label[label]
        lines.append(f"| {label} | {gold} | {predicted} | {p:.1f} | {r:.1f} | {f:.1f} |")
    return "\n".join(lines)


def to_dict(scores: PairScores) -> dict[str, Any]:
    return {
        "pairs": scores.pairs,
        "accuracy": scores.accuracy,
        "per_label": scores.per_label,
        "confusion": [[g, p, n] for (g, p), n in sorted(scores.confusion.items())],
    }
