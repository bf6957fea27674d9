"""Counts on the hand-labelled check set: newsfuse's rules next to quantulum3 and text2num (value-only P/R/F1).

    python benchmarks/quantity_peers.py

A found number matches a gold count of the same sentence with the same value (each gold once).
quantulum3 keeps its dimensionless quantities (counts); text2num turns number words into digits,
then every number that is not a year is taken. Neither knows what is counted, so only values are
compared. Dev requirements: quantulum3==0.10.0, text2num==3.1.0.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable

from newsfuse.evaluation.metrics import prf
from newsfuse.evaluation.quantities import predict, read_check_set


def _newsfuse(sentence: str, published: object) -> list[float]:
    return [q.value for q in predict(sentence, published)]  # type: ignore[arg-type]


def _quantulum(sentence: str, published: object) -> list[float]:
    from quantulum3 import classifier, parser

    classifier.USE_CLF = False  # its pickled model does not load with this scikit-learn: rules only
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = parser.parse(sentence)
    return [q.value for q in found if q.unit.name == "dimensionless" and q.surface.strip().lower() != "one"]


_DIGITS = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?![\d])|(?<![\w.])\d+(?:\.\d+)?(?![\w%])")


def _text2num(sentence: str, published: object) -> list[float]:
    from text_to_num import alpha2digit

    text = alpha2digit(sentence, "en")
    values = [float(m.group().replace(",", "")) for m in _DIGITS.finditer(text)]
    return [v for v in values if not (1900 <= v <= 2100 and v == int(v)) and v != 1]


def score(system: Callable[[str, object], list[float]]) -> tuple[float, float, float, int]:
    matched = found = gold = 0
    for item in read_check_set():
        wanted = [g.value for g in item.quantities if g.number.lower() != "one"]
        values = system(item.sentence, item.published)
        found += len(values)
        gold += len(wanted)
        free = list(values)
        for value in wanted:
            if value in free:
                free.remove(value)
                matched += 1
    return (*prf(matched, found, gold), found)


if __name__ == "__main__":
    print("| system | found | value-only P | R | F1 |\n|---|---|---|---|---|")
    for name, system in (
        ("newsfuse", _newsfuse),
        ("quantulum3 0.10.0", _quantulum),
        ("text2num 3.1.0 + digits", _text2num),
    ):
        p, r, f, n = score(system)
        print(f"| {name} | {n} | {p:.1f} | {r:.1f} | {f:.1f} |")
