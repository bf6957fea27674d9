"""Merge facts from an event's articles into claims with a status.

* corroborated: the same value from two or more independent outlets;
* single-source: only one outlet says it;
* conflicting: the same slot (e.g. soldiers injured) with incompatible values;
* updated: a cumulative figure (killed, injured, ...) that only grows with
  later publish times — a later report, not a disagreement.

Near-duplicate articles count as their original's outlet, so a syndicated
copy never turns a single-source fact into a corroborated one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from newsfuse.ids import claim_id
from newsfuse.models import Article, Citation, Claim, ClaimStatus, Event, Extraction, FactKind, Quantity, Span
from newsfuse.stages.extract.lexicon import content_words
from newsfuse.stages.quotes import reconcile_quotes

_CUMULATIVE = {"killed", "injured", "missing", "arrested", "displaced", "infected", "confirmed", "evacuated", "rescued"}
_ORDER = {"conflicting": 0, "updated": 1, "corroborated": 2, "single-source": 3}
_KINDS = {"count": 0, "target": 1, "quote": 2, "date": 3, "place": 4}


@dataclass(frozen=True, slots=True)
class _Fact:
    kind: FactKind
    slot: str
    label: str
    value: str
    outlet: str
    citation: Citation
    quantity: Quantity | None = None
    trigger: str = ""


def _plural(word: str) -> str:
    irregular = {"person": "people", "aircraft": "aircraft", "man": "men", "woman": "women", "child": "children"}
    if word in irregular:
        return irregular[word]
    if word.endswith("y") and not word.endswith(("ay", "ey", "oy")):
        return word[:-1] + "ies"
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    return word + "s"


_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€"}


def _amount_text(value: int, currency: str) -> str:
    """``$5.7 billion``, ``£250,000``."""
    for size, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if value >= size:
            return f"{_SYMBOLS[currency]}{value / size:.4g} {word}"
    return f"{_SYMBOLS[currency]}{value:,}"


def _cite(article: Article, extraction: Extraction, span: Span, value: str) -> Citation:
    sentence = extraction.sentences[span.sentence].text if span.sentence < len(extraction.sentences) else span.text
    return Citation(article.article_id, article.source, span.sentence, sentence, value, article.published_at)


def _facts(article: Article, extraction: Extraction, outlet: str) -> Iterable[_Fact]:
    for q in extraction.quantities:
        if q.counted in _SYMBOLS:
            label, value = f"amount ({q.counted})", f"{q.qualifier} {_amount_text(q.value, q.counted)}".strip()
        else:
            label = f"{_plural(q.counted) if q.value != 1 else q.counted} {q.predicate}".strip()
            value = f"{q.qualifier} {q.value:,}".strip()
        yield _Fact(
            "count",
            f"count:{q.counted}|{q.predicate}",
            label,
            value,
            outlet,
            _cite(article, extraction, q.span, value),
            q,
        )
    for t in extraction.times:
        if t.kind == "date" and t.granularity in ("day", "month"):
            value = t.value.isoformat() if t.granularity == "day" else t.value.isoformat()[:7]
            slot = f"date:{value}"
            if t.local_time:
                slot = f"date-local:{value}"
            yield _Fact(
                "date",
                slot,
                t.trigger or "date",
                value,
                outlet,
                _cite(article, extraction, t.span, value),
                trigger=t.trigger,
            )
    for p in extraction.places:
        yield _Fact(
            "place", f"place:{p.place_id}", p.name, p.span.text, outlet, _cite(article, extraction, p.span, p.span.text)
        )
    for target in extraction.targets:
        yield _Fact("target", "target:" + " ".join(target.words), target.action, target.phrase, outlet,
                    _cite(article, extraction, target.span, target.phrase))  # fmt: skip


def _similar(a: set[str], b: set[str], threshold: float) -> bool:
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= threshold


def _cluster(facts: list[_Fact], prefix: str, threshold: float) -> list[_Fact]:
    """Give facts of one kind whose word sets overlap enough one shared slot."""
    slots: list[tuple[str, set[str]]] = []
    having: dict[str, list[int]] = defaultdict(list)  # word -> slots with it (only those can be similar)
    merged: list[_Fact] = []
    for fact in facts:
        words = set(fact.slot[len(prefix) :].split())
        candidates = sorted({i for w in words for i in having.get(w, ())})
        slot = next((slots[i][0] for i in candidates if _similar(words, slots[i][1], threshold)), "")
        if not slot:
            slot = fact.slot
            for w in words:
                having[w].append(len(slots))
            slots.append((slot, words))
        merged.append(
            _Fact(fact.kind, slot, fact.label, fact.value, fact.outlet, fact.citation, fact.quantity, fact.trigger)
        )
    return merged


def _split_bare_counts(facts: list[_Fact], threshold: float = 0.5) -> list[_Fact]:
    """Counts without a predicate ("240 seats", "$5.7 billion") that disagree are one fact only when
    their sentences say much the same; otherwise they count different things, as do two values in
    one sentence.  Agreeing values stay together; a killed/injured figure is the event's figure."""
    groups: dict[str, list[tuple[str, set[str], list[_Fact]]]] = defaultdict(list)
    merged = []
    for fact in facts:
        if not fact.slot.endswith("|") or fact.quantity is None:
            merged.append(fact)
            continue
        counted = fact.slot[len("count:") : -1]
        words = {w for w in content_words(fact.citation.text) if not w[0].isdigit() and w != counted}
        where = (fact.citation.article_id, fact.citation.sentence)
        slot = ""
        for name, seen, members in groups[fact.slot]:
            quantities = [m.quantity for m in members if m.quantity is not None]
            if any((m.citation.article_id, m.citation.sentence) == where and m.value != fact.value for m in members):
                continue
            agrees = all(_compatible(fact.quantity, q) for q in quantities)
            if agrees or not words or not seen or _similar(words, seen, threshold):
                slot = name
                members.append(fact)
                break
        if not slot:
            known = groups[fact.slot]
            slot = fact.slot if not known else f"{fact.slot}{len(known)}"
            known.append((slot, set(words), [fact]))
        merged.append(
            _Fact(fact.kind, slot, fact.label, fact.value, fact.outlet, fact.citation, fact.quantity, fact.trigger)
        )
    return merged


def _merge_local_dates(facts: list[_Fact]) -> list[_Fact]:
    """A local-time day right after a reported day for the same trigger is the same moment."""
    days = {(f.value, f.trigger) for f in facts if f.slot.startswith("date:")}
    merged = []
    for fact in facts:
        if fact.slot.startswith("date-local:"):
            earlier = (
                (datetime.fromisoformat(fact.value) - timedelta(days=1)).date().isoformat()
                if len(fact.value) == 10
                else ""
            )
            if (earlier, fact.trigger) in days:
                fact = _Fact(fact.kind, f"date:{earlier}", fact.label, earlier, fact.outlet,
                             Citation(fact.citation.article_id, fact.citation.source, fact.citation.sentence,
                                      fact.citation.text, f"{fact.value} local time", fact.citation.published_at),
                             trigger=fact.trigger)  # fmt: skip
            else:
                fact = _Fact(
                    fact.kind,
                    f"date:{fact.value}",
                    fact.label,
                    fact.value,
                    fact.outlet,
                    fact.citation,
                    trigger=fact.trigger,
                )
        merged.append(fact)
    return merged


def _rounds_to(rough: int, exact: int) -> bool:
    """``rough`` is ``exact`` rounded to rough's significant digits (1,400 for 1,432; $1.4bn for $1.375bn)."""
    if rough < 1000 or exact < 1000:
        return False  # small figures are not rounded: 20 and 24 injured disagree
    digits = len(str(rough).rstrip("0"))
    return int(f"{float(f'{exact:.{digits}g}'):.0f}") == rough


def _compatible(a: Quantity, b: Quantity) -> bool:
    if a.value == b.value or _rounds_to(a.value, b.value) or _rounds_to(b.value, a.value):
        return True
    low, high = (a, b) if a.value < b.value else (b, a)
    if low.qualifier in ("at least", "more than") or high.qualifier == "up to":
        return True
    return "about" in (a.qualifier, b.qualifier) and high.value <= low.value * 1.1


def _count_status(facts: list[_Fact], outlets: int) -> tuple[ClaimStatus, str]:
    quantities = [f.quantity for f in facts if f.quantity is not None]
    if all(_compatible(a, b) for a in quantities for b in quantities):
        distinct = sorted({q.value for q in quantities})
        note = "" if len(distinct) == 1 else "values differ only within their qualifiers"
        return ("corroborated" if outlets >= 2 else "single-source"), note
    if facts[0].quantity is not None and facts[0].quantity.predicate in _CUMULATIVE:
        ordered = sorted(facts, key=lambda f: f.citation.published_at)
        rising = all(
            a.quantity is not None and b.quantity is not None
            and (a.quantity.value <= b.quantity.value)
            and (a.quantity.value == b.quantity.value or a.citation.published_at < b.citation.published_at)
            for a, b in zip(ordered, ordered[1:], strict=False)
        )  # fmt: skip
        if rising:
            return "updated", "later reports give higher figures"
    return "conflicting", ""


def reconcile_claims(
    event: Event,
    articles: Sequence[Article],
    extractions: Mapping[str, Extraction],
    duplicates: Mapping[str, str],
) -> list[Claim]:
    """Claims of one event, most contested first."""
    source_of = {a.article_id: a.source for a in articles}
    facts: list[_Fact] = []
    outlet_of: dict[str, str] = {}
    for article in articles:
        extraction = extractions.get(article.article_id)
        if extraction is None:
            continue
        root = duplicates.get(article.article_id, article.article_id)
        outlet = outlet_of[article.article_id] = source_of.get(root, article.source)
        facts.extend(_facts(article, extraction, outlet))
    by_kind: dict[str, list[_Fact]] = defaultdict(list)
    for fact in facts:
        by_kind[fact.kind].append(fact)
    facts = (
        _split_bare_counts(by_kind["count"]) + _merge_local_dates(by_kind["date"]) + by_kind["place"]
        + _cluster(by_kind["target"], "target:", 0.6)
    )  # fmt: skip
    slots: dict[str, list[_Fact]] = defaultdict(list)
    for fact in facts:
        slots[fact.slot].append(fact)
    claims: list[Claim] = reconcile_quotes(event, articles, extractions, outlet_of)  # stages/quotes.py
    for slot, members in slots.items():
        outlets = len({f.outlet for f in members})
        kind = members[0].kind
        note = ""
        if kind == "count":
            status, note = _count_status(members, outlets)
        else:
            status = "corroborated" if outlets >= 2 else "single-source"
        if kind == "date":
            triggers = sorted({f.trigger for f in members if f.trigger})
            label = ", ".join(triggers) or "mentioned"
            local = [c.value for c in (f.citation for f in members) if "local time" in c.value]
            note = f"also reported as {local[0]}" if local else ""
        elif kind == "place":
            label = members[0].label
            spellings = sorted({f.value for f in members})
            note = "spelled " + " / ".join(spellings) if len(spellings) > 1 else ""
        else:
            label = members[0].label
        ordered = sorted(members, key=lambda f: (f.citation.published_at, f.citation.source, f.citation.sentence))
        values = tuple(dict.fromkeys(f.value for f in ordered))
        unique = {(c.article_id, c.sentence, c.value): c for c in (f.citation for f in members)}
        citations = tuple(sorted(unique.values(), key=lambda c: (c.published_at, c.source, c.sentence)))
        claims.append(
            Claim(claim_id(event.event_id, slot), event.event_id, kind, slot, label, status, values, citations, note)
        )
    return sorted(
        claims, key=lambda c: (_ORDER[c.status], _KINDS[c.kind], -len({x.source for x in c.citations}), c.slot)
    )
