"""Quantity evaluation: the hand-labelled check set (BASIL and Timeline17) and MEANTIME's VALUE tags.

Check set (``labels/quantities.jsonl``, scope in ``labels/README.md``): a predicted count matches a
gold one in the same sentence when the values are equal and the gold counted noun is what the
prediction counts (its class, or a word of its phrase, singular).  Matching is one-to-one.
The word "one" is left out on both sides: whether "one witness" is a count or an indefinite
article needs more than a rule, and the set does not label it.

MEANTIME: its VALUE tags mark numbers of type QUANTITY, MONEY or PERCENT (tokens only, no counted
noun).  A predicted count is correct when its number overlaps a QUANTITY, a predicted sum of money
when it overlaps a MONEY tag; recall is over every QUANTITY (or MONEY) tag.  QUANTITY also covers
what newsfuse does not call a count (index levels, ages, points), and MEANTIME leaves many counts
untagged ("300 suppliers"), so these figures are looser than the check set's.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from newsfuse.evaluation.datasets import ValueDocument
from newsfuse.evaluation.metrics import prf
from newsfuse.models import Quantity, Sentence
from newsfuse.stages.extract.lexicon import singular
from newsfuse.stages.extract.quantities import CURRENCIES, concept, tag_quantities
from newsfuse.stages.extract.timex import tag_times


@dataclass(frozen=True, slots=True)
class GoldQuantity:
    number: str
    value: int
    counted: str
    qualifier: str


@dataclass(frozen=True, slots=True)
class LabelledSentence:
    """One sampled sentence with every count in it (none for most)."""

    item: int
    dataset: str
    article_id: str
    published: date
    sentence: str
    quantities: tuple[GoldQuantity, ...]


@dataclass(frozen=True, slots=True)
class QuantityScores:
    """Mention P/R/F1 (value and counted noun), value-only P/R/F1, qualifier accuracy, misses."""

    mentions: tuple[float, float, float]
    values: tuple[float, float, float]
    qualifier_accuracy: float
    system: int
    gold: int
    errors: tuple[str, ...]


CURRENCY_CODES = frozenset(CURRENCIES.values())


def check_set_path() -> Path:
    return Path(str(resources.files("newsfuse.evaluation").joinpath("labels/quantities.jsonl")))


def read_check_set(path: Path | None = None) -> list[LabelledSentence]:
    rows = []
    for line in (path or check_set_path()).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        rows.append(
            LabelledSentence(
                row["id"], row["dataset"], row["article_id"], date.fromisoformat(row["published"]), row["sentence"],
                tuple(GoldQuantity(**q) for q in row["quantities"]),
            )
        )  # fmt: skip
    return rows


def _is_one(number: str) -> bool:
    return number.lower() == "one"


def predict(sentence: str, published: date, *, money: bool = False) -> list[Quantity]:
    """Counts (or with ``money``, sums of money) newsfuse finds in one sentence, "one" left out."""
    sentences = (Sentence(0, 0, len(sentence), sentence),)
    found = tag_quantities(sentences, tag_times(sentences, published))
    wanted = "money" if money else "count"
    return [q for q in found if q.measure == wanted and not _is_one(q.span.text.split()[-1])]


def _counts(gold: GoldQuantity, predicted: Quantity) -> bool:
    words = {singular(w.lower()) for w in predicted.phrase.split()[1:]} | {predicted.counted}
    return concept(gold.counted) in {concept(w) for w in words} or gold.counted in words


def score_check_set(items: Sequence[LabelledSentence]) -> QuantityScores:
    matched = value_matched = qualifier_right = system = gold = 0
    errors: list[str] = []
    for item in items:
        predicted = predict(item.sentence, item.published)
        wanted = [g for g in item.quantities if not _is_one(g.number)]
        system += len(predicted)
        gold += len(wanted)
        free = list(range(len(predicted)))
        for g in wanted:
            hit = next((i for i in free if predicted[i].value == g.value and _counts(g, predicted[i])), None)
            same_value = next((i for i in free if predicted[i].value == g.value), None)
            if hit is None:
                errors.append(f"missed  #{item.item}: {g.number} {g.counted}" + (
                    f" (found {predicted[same_value].phrase!r})" if same_value is not None else ""
                ))  # fmt: skip
                if same_value is not None:
                    value_matched += 1
                    free.remove(same_value)
                continue
            matched += 1
            value_matched += 1
            qualifier_right += int(predicted[hit].qualifier == g.qualifier)
            free.remove(hit)
        errors += [f"extra   #{item.item}: {predicted[i].phrase!r}" for i in free]
    return QuantityScores(
        prf(matched, system, gold),
        prf(value_matched, system, gold),
        100 * qualifier_right / matched if matched else 0.0,
        system,
        gold,
        tuple(errors),
    )


def score_meantime(documents: Sequence[ValueDocument], *, money: bool = False) -> QuantityScores:
    """Predicted counts against MEANTIME's QUANTITY values, or sums of money against its MONEY values
    (overlap of the number's span)."""
    wanted = "MONEY" if money else "QUANTITY"
    correct = found_gold = system = gold = 0
    errors: list[str] = []
    for document in documents:
        gold += sum(1 for v in document.values if v.kind == wanted)
        hit_gold: set[int] = set()
        for sentence_index, sentence in enumerate(document.sentences):
            for q in predict(sentence, document.created, money=money):
                system += 1
                overlapping = [
                    i for i, v in enumerate(document.values)
                    if v.sentence == sentence_index and q.span.start < v.end and v.start < q.span.end
                ]  # fmt: skip
                good = [i for i in overlapping if document.values[i].kind == wanted]
                if good:
                    correct += 1
                    hit_gold.update(good)
                else:
                    kinds = ", ".join(document.values[i].kind for i in overlapping) or "nothing"
                    errors.append(f"extra   {document.name}: {q.phrase!r} (gold: {kinds})")
        found_gold += len(hit_gold)
        errors += [
            f"missed  {document.name}: {document.sentences[v.sentence][v.start : v.end]!r}"
            for i, v in enumerate(document.values)
            if v.kind == wanted and i not in hit_gold
        ]
    precision = 100 * correct / system if system else 0.0
    recall = 100 * found_gold / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return QuantityScores((precision, recall, f1), (precision, recall, f1), 0.0, system, gold, tuple(errors))
