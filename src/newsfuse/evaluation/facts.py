"""Agreement and conflict detection on hand-labelled BASIL fact pairs (``labels/basil_fact_pairs.jsonl``).

Each pair is two sentences from two outlets' reports of the same BASIL event, labelled agree,
conflict, update or unrelated, with the kind of fact (quote, count, date, amount, percent).
newsfuse's answer for a pair: both articles go through the real extract stage, then
``reconcile_claims`` as one event; the claim of that kind that cites both sentences gives the
label (corroborated -> agree, conflicting -> conflict, updated -> update); no such claim means
unrelated.  Amounts of money and percentages are not counts in newsfuse, so those pairs can
only come out unrelated: they are in the set because a reader expects them reconciled.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from newsfuse.evaluation.metrics import label_scores
from newsfuse.models import Article, Claim, Event, Extraction
from newsfuse.stages.reconcile import reconcile_claims

LABELS = ("agree", "conflict", "update", "unrelated")
_STATUS = {"corroborated": "agree", "conflicting": "conflict", "updated": "update"}
_CLAIM_KIND = {"quote": "quote", "count": "count", "date": "date", "amount": "count", "percent": "count"}


@dataclass(frozen=True, slots=True)
class Side:
    article_id: str
    source: str
    sentence: str


@dataclass(frozen=True, slots=True)
class FactPair:
    item: int
    kind: str
    label: str
    fact: str
    a: Side
    b: Side


@dataclass(frozen=True, slots=True)
class FactScores:
    """Per-label P/R/F1 (percent), accuracy, the confusion counts (gold, predicted) and the misses."""

    per_label: dict[str, tuple[float, float, float]]
    accuracy: float
    confusion: dict[tuple[str, str], int]
    errors: tuple[str, ...]


def pairs_path() -> Path:
    return Path(str(resources.files("newsfuse.evaluation").joinpath("labels/basil_fact_pairs.jsonl")))


def read_pairs(path: Path | None = None) -> list[FactPair]:
    pairs = []
    for line in (path or pairs_path()).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        sides = [Side(row[k]["article_id"], row[k]["source"], row[k]["sentence"]) for k in ("a", "b")]
        pairs.append(FactPair(row["id"], row["kind"], row["label"], row["fact"], *sides))
    return pairs


def _sentence_index(extraction: Extraction, text: str) -> int:
    return next((s.index for s in extraction.sentences if s.text == text), -1)


def predict(pair: FactPair, articles: Mapping[str, Article], extractions: Mapping[str, Extraction]) -> str:
    """newsfuse's label for one pair (see the module docstring)."""
    first, second = articles[pair.a.article_id], articles[pair.b.article_id]
    where = {
        (first.article_id, _sentence_index(extractions[first.article_id], pair.a.sentence)),
        (second.article_id, _sentence_index(extractions[second.article_id], pair.b.sentence)),
    }
    when = sorted(a.published_at for a in (first, second))
    event = Event("pair", pair.fact, (first.article_id, second.article_id), when[0], when[-1])
    claims: list[Claim] = reconcile_claims(event, [first, second], extractions, {})
    for claim in claims:  # most contested first
        cited = {(c.article_id, c.sentence) for c in claim.citations}
        if claim.kind == _CLAIM_KIND[pair.kind] and where <= cited:
            return _STATUS.get(claim.status, "unrelated")
    return "unrelated"


def score_pairs(
    pairs: Sequence[FactPair], articles: Mapping[str, Article], extractions: Mapping[str, Extraction]
) -> FactScores:
    confusion: Counter[tuple[str, str]] = Counter()
    errors = []
    for pair in pairs:
        predicted = predict(pair, articles, extractions)
        confusion[(pair.label, predicted)] += 1
        if predicted != pair.label:
            errors.append(f"#{pair.item} {pair.kind}: gold {pair.label}, newsfuse {predicted} — {pair.fact}")
    per_label, accuracy = label_scores(confusion, LABELS, len(pairs))
    return FactScores(per_label, accuracy, dict(confusion), tuple(errors))
