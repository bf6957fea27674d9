"""Clustering metrics: B-cubed precision/recall/F1 (Bagga & Baldwin 1998), ARI and AMI."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score


@dataclass(frozen=True, slots=True)
class ClusterScores:
    """Agreement of a predicted partition with a gold one."""

    precision: float
    recall: float
    f1: float
    ari: float
    ami: float
    clusters: int
    gold_clusters: int


def bcubed(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> tuple[float, float, float]:
    """Item-averaged B-cubed precision, recall and F1."""
    if len(gold) != len(predicted) or not gold:
        raise ValueError("gold and predicted must be equally long and non-empty")
    by_gold: dict[Hashable, set[int]] = defaultdict(set)
    by_pred: dict[Hashable, set[int]] = defaultdict(set)
    for index, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        by_gold[g].add(index)
        by_pred[p].add(index)
    precision = recall = 0.0
    for g, p in zip(gold, predicted, strict=True):
        shared = len(by_gold[g] & by_pred[p])
        precision += shared / len(by_pred[p])
        recall += shared / len(by_gold[g])
    precision /= len(gold)
    recall /= len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_clusters(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> ClusterScores:
    """B-cubed plus adjusted Rand and adjusted mutual information."""
    precision, recall, f1 = bcubed(gold, predicted)
    gold_ids = [str(g) for g in gold]
    pred_ids = [str(p) for p in predicted]
    return ClusterScores(
        precision, recall, f1, float(adjusted_rand_score(gold_ids, pred_ids)),
        float(adjusted_mutual_info_score(gold_ids, pred_ids)), len(set(pred_ids)), len(set(gold_ids)),
    )  # fmt: skip


def prf(hits: int, system: int, gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 in percent from matched, predicted and gold counts."""
    precision = hits / system if system else 0.0
    recall = hits / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return 100 * precision, 100 * recall, 100 * f1


def label_scores(
    confusion: Mapping[tuple[str, str], int], labels: Sequence[str], total: int
) -> tuple[dict[str, tuple[float, float, float]], float]:
    """Per-label P/R/F1 (percent) and accuracy (percent of ``total``) of (gold, predicted) counts."""
    per_label = {
        label: prf(
            confusion.get((label, label), 0),
            sum(n for (_, p), n in confusion.items() if p == label),
            sum(n for (g, _), n in confusion.items() if g == label),
        )
        for label in labels
    }
    return per_label, 100 * sum(confusion.get((x, x), 0) for x in labels) / max(1, total)
