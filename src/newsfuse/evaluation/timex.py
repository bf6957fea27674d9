"""Time-expression evaluation in the TempEval-3 way (UzZaman et al. 2013, task A).

* strict match: identical character span; relaxed match: overlapping spans;
* span P/R/F1 over system and gold expressions (the DCT is not counted);
* value F1: a relaxed match whose normalized value equals the gold value counts as correct;
  precision = correct / system expressions, recall = correct / gold expressions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsfuse.evaluation.datasets import TimexDocument
from newsfuse.evaluation.metrics import prf
from newsfuse.stages.extract.timex import tag_times, timeml_value
from newsfuse.stages.split import split_sentences


@dataclass(frozen=True, slots=True)
class TimexScores:
    """TempEval-3 task A figures (percent) and counts."""

    strict: tuple[float, float, float]
    relaxed: tuple[float, float, float]
    value: tuple[float, float, float]
    system: int
    gold: int


def predict(document: TimexDocument) -> list[tuple[int, int, str]]:
    """(start, end, TimeML value) of every expression newsfuse tags in the document."""
    sentences = split_sentences(document.text)
    return [(t.span.start, t.span.end, timeml_value(t)) for t in tag_times(sentences, document.created.date())]


def score_timex(documents: Sequence[TimexDocument]) -> TimexScores:
    """Strict and relaxed span P/R/F1 and value P/R/F1 over ``documents``."""
    strict = relaxed = correct = system = gold = 0
    for document in documents:
        predicted = predict(document)
        system += len(predicted)
        gold += len(document.timexes)
        used: set[int] = set()
        for start, end, value in predicted:
            for index, g in enumerate(document.timexes):
                if index in used or not (start < g.end and g.start < end):
                    continue
                used.add(index)
                relaxed += 1
                strict += int(start == g.start and end == g.end)
                correct += int(value == g.value)
                break
    return TimexScores(prf(strict, system, gold), prf(relaxed, system, gold), prf(correct, system, gold), system, gold)
