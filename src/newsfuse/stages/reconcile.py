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

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from newsfuse.ids import claim_id
from newsfuse.models import (
    Article,
    Citation,
    Claim,
    ClaimStatus,
    Event,
    Extraction,
    FactKind,
    Figure,
    Granularity,
    Measure,
    Quantity,
    Span,
)  # fmt: skip
from newsfuse.stages.casualties import none_reported
from newsfuse.stages.figures import CUMULATIVE, Scope, Stated, Where, compatible, judge
from newsfuse.stages.quotes import reconcile_quotes

_ORDER = {"conflicting": 0, "updated": 1, "corroborated": 2, "single-source": 3}
_KINDS = {"count": 0, "target": 1, "quote": 2, "date": 3, "place": 4}
# a sentence with one of these is about other incidents or a tally over time, not this event's figure
_CONTEXT = re.compile(
    r"\b(?:this year|last year|so far|since (?:19|20)\d\d|since january|year to date|year-to-date|this weekend"
    r"|over the weekend|last weekend|this month|last month|earlier this|another shooting|a separate|separately"
    r"|unrelated|previous|similar|homicides|shootings|every year|each year|annually|average"
    r"|separate|incidents|since (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|nationwide|worldwide|statewide|globally|around the world|across the (?:country|nation|state|region)"
    r"|(?:second|third) (?:shooting|attack|incident|blast|explosion|strike)|this week|last week|past week"
    r"|over the past|in recent (?:days|weeks|months)|per capita|per \d[\d,]*|since|alone"
    r"|(?:a|per) (?:day|week|year)(?! (?:after|before|later|earlier|ago)))\b",
    re.IGNORECASE,
)
# a figure that adds to an earlier one ("three more people", "another nine cases") is not the toll
_INCREMENT_BEFORE = re.compile(r"\b(?:another|an additional|a further)\s+$", re.IGNORECASE)
_INCREMENT_AFTER = re.compile(r"\s+(?:(?:more|further|additional)\s+(?!than\b)|(?-i:new)\s)", re.IGNORECASE)
# a sentence naming this many places is a round-up ("seven in California, two in Texas and two in Kansas")
LIST_PLACES = 3
# the attacker's own death counted in or apart: one more or fewer dead is the same toll
_ATTACKER = re.compile(
    r"\b(?:including|among them|counting|and) the (?:suspected |alleged )?(?:gunman|shooter|suspect|attacker|assailant"
    r"|bomber)\b|\b(?:taking|took|takes|take) (?:his|her|their) own li(?:fe|ves)\b"
    r"|\b(?:killing|killed|kills|shooting|shot|shoots) (?:himself|herself|themselves)\b"
    r"|\bturn(?:ed|ing|s)? (?:the|a|his|her) (?:gun|weapon) on (?:himself|herself|themselves)\b",
    re.IGNORECASE,
)
# "in 2012" in a report of 2013 is about an earlier year (the report's own year is this event's)
_IN_YEAR = re.compile(r"\bin ((?:19|20)\d\d)\b")
# generic names of people count one thing; other nouns (children, officers) are sub-groups of their own
_PEOPLE = {"person": "person", "people": "person", "victim": "person", "individual": "person"}
# words before a figure that make it a part of another one
_SUB_GROUP = ("including", "among them", "of them", "of whom", "among those", "among the")
# how far into an article a place is taken as the event's own place without a locative word
_LEAD_SENTENCES = 3


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
    measure: Measure | None = None
    figure: Figure | None = None
    day: date | None = None
    granularity: Granularity | None = None
    place_id: str = ""
    scope: Scope = Scope()


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


def _amount_text(amount: float, currency: str) -> str:
    """``$5.7 billion``, ``£250,000``, ``$1.69`` (cents kept)."""
    for size, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if amount >= size:
            return f"{_SYMBOLS[currency]}{amount / size:.4g} {word}"
    return f"{_SYMBOLS[currency]}{amount:,.2f}" if amount != int(amount) else f"{_SYMBOLS[currency]}{int(amount):,}"


def _number_text(number: float) -> str:
    return f"{number:,.0f}" if number == int(number) else f"{number:g}"


def measure_of(q: Quantity) -> Measure:
    """What a quantity measures, as a typed record."""
    if q.measure == "money":
        return Measure("money", q.counted, q.predicate, q.counted)
    if q.measure in ("percent", "points"):
        return Measure(q.measure, q.counted, q.predicate, "%" if q.measure == "percent" else "points")
    return Measure("count", _PEOPLE.get(q.counted, q.counted), q.predicate)


def figure_of(q: Quantity, published_at: datetime) -> Figure:
    """The value of a quantity as a number with its qualifier and how it reads."""
    if q.measure == "money":
        text = _amount_text(q.number, q.counted)
    elif q.measure == "percent":
        text = f"{_number_text(q.number)}%"
    elif q.measure == "points":
        text = f"{_number_text(q.number)} points"
    else:
        text = _number_text(q.number)
    return Figure(q.number, q.qualifier, f"{q.qualifier} {text}".strip(), published_at)


def _label(measure: Measure, value: float) -> str:
    if measure.kind == "money":
        return f"amount ({measure.counted})"
    if measure.kind in ("percent", "points"):
        return f"{measure.counted or 'share'} ({measure.unit})"
    return f"{_plural(measure.counted) if value != 1 else measure.counted} {measure.predicate}".strip()


def _cite(article: Article, extraction: Extraction, span: Span, value: str, local_time: bool = False) -> Citation:
    if span.sentence < len(extraction.sentences):
        whole = extraction.sentences[span.sentence]
        text, start, end = whole.text, whole.start, whole.end
    else:
        text, start, end = span.text, span.start, span.end
    return Citation(
        article.article_id, article.source, span.sentence, text, value, article.published_at, local_time,
        start=start, end=end,
    )  # fmt: skip


def _sub_group(extraction: Extraction, q: Quantity) -> bool:
    """A part of a larger figure: "six people, including two children, ..."."""
    if q.span.sentence >= len(extraction.sentences):
        return False
    sentence = extraction.sentences[q.span.sentence]
    before = sentence.text[max(0, q.span.start - sentence.start - 24) : q.span.start - sentence.start].lower()
    return before.rstrip().endswith(_SUB_GROUP)


def _increment(extraction: Extraction, q: Quantity) -> bool:
    """A figure that adds to an earlier one: "three more people were killed", "another nine cases"."""
    if q.span.sentence >= len(extraction.sentences):
        return False
    sentence = extraction.sentences[q.span.sentence]
    start = q.span.start - sentence.start
    after = start + len(q.span.text)  # the span's text is the qualifier and the number
    before, at = sentence.text[max(0, start - 16) : start], sentence.text[after : after + 12]
    return bool(_INCREMENT_BEFORE.search(before) or _INCREMENT_AFTER.match(at))


def _scopes(extraction: Extraction) -> dict[int, Scope]:
    """What each sentence with a count names: its days, its places, the attacker's own death."""
    counted = {q.span.sentence for q in extraction.quantities if q.measure == "count" and q.predicate}
    if not counted:
        return {}
    days: dict[int, set[date]] = defaultdict(set)
    for t in extraction.times:
        if t.kind == "date" and t.granularity == "day" and t.span.sentence in counted:
            days[t.span.sentence].add(t.value)
    places: dict[int, set[Where]] = defaultdict(set)
    for p in extraction.places:
        if p.span.sentence in counted:
            places[p.span.sentence].add(Where(p.place_id, p.kind, p.country))
    sentences = extraction.sentences
    return {
        i: Scope(frozenset(days[i]), frozenset(places[i]),
                 i < len(sentences) and bool(_ATTACKER.search(sentences[i].text)))
        for i in counted
    }  # fmt: skip


def _dated_before(extraction: Extraction, published: date) -> frozenset[int]:
    """The sentences holding a date more than a week before the report."""
    return frozenset(t.span.sentence for t in extraction.times if t.kind == "date" and (published - t.value).days > 7)


def _about_elsewhere(
    extraction: Extraction, sentence: int, published: date, dated_before: frozenset[int], scope: Scope
) -> bool:
    """A sentence about other incidents: a round-up cue, an earlier year, a list of places, or a date
    more than a week before the report (``dated_before``)."""
    if len({p.place_id for p in scope.places}) >= LIST_PLACES:
        return True
    if sentence < len(extraction.sentences):
        text = extraction.sentences[sentence].text
        if _CONTEXT.search(text) or any(int(y) < published.year for y in _IN_YEAR.findall(text)):
            return True
    return sentence in dated_before


def _facts(article: Article, extraction: Extraction, outlet: str) -> Iterable[_Fact]:
    published = article.published_at.date()
    scopes = _scopes(extraction)
    dated_before: frozenset[int] | None = None  # found on first use: most articles have no scoped figure
    for q in extraction.quantities:
        measure = measure_of(q)
        figure = figure_of(q, article.published_at)
        scoped = measure.kind == "count" and bool(measure.predicate)
        # a part of another figure, an increment or one about other incidents is kept as a figure of its
        # own, never a conflict or an update
        if scoped and not (_sub_group(extraction, q) or _increment(extraction, q)):
            if dated_before is None:
                dated_before = _dated_before(extraction, published)
            scope = scopes.get(q.span.sentence, Scope())
            scoped = not _about_elsewhere(extraction, q.span.sentence, published, dated_before, scope)
        else:
            scoped = False
        slot = f"count:{measure.counted}|{measure.predicate}" if scoped else f"figure:{measure.kind}:{measure.counted}|"
        if measure.kind == "count" and not scoped:
            slot = f"count:{measure.counted}|"
        yield _Fact("count", slot, _label(measure, q.number), figure.text, outlet,
                    _cite(article, extraction, q.span, figure.text), q, measure=measure, figure=figure,
                    scope=scopes.get(q.span.sentence, Scope()))  # fmt: skip
    for t in extraction.times:
        if t.kind == "date" and t.granularity in ("day", "month"):
            value = t.value.isoformat() if t.granularity == "day" else t.value.isoformat()[:7]
            # without an event word a date is only a mention: it corroborates nothing
            where = "" if t.trigger else f"|{article.article_id}|{t.span.sentence}"
            yield _Fact("date", f"date:{value}{where}", t.trigger or "date", value, outlet,
                        _cite(article, extraction, t.span, value, t.local_time), trigger=t.trigger, day=t.value,
                        granularity=t.granularity)  # fmt: skip
    for p in extraction.places:
        if p.span.sentence >= _LEAD_SENTENCES and not p.located:
            continue  # a passing mention, not where the event happened
        yield _Fact("place", f"place:{p.place_id}", p.name, p.span.text, outlet,
                    _cite(article, extraction, p.span, p.span.text), place_id=p.place_id)  # fmt: skip
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
        merged.append(fact if slot == fact.slot else replace(fact, slot=slot))
    return merged


def _split_bare_counts(facts: list[_Fact]) -> list[_Fact]:
    """Figures without a predicate ("240 seats", "$5.7 billion", "9.1%") are one fact only while their
    values agree: different values count different things (say less: never a conflict), and two values
    in one sentence are never one fact."""
    groups: dict[str, list[tuple[str, list[_Fact]]]] = defaultdict(list)
    merged = []
    for fact in facts:
        if not fact.slot.endswith("|") or fact.figure is None:
            merged.append(fact)
            continue
        where = (fact.citation.article_id, fact.citation.sentence)
        slot = ""
        for name, members in groups[fact.slot]:
            if any((m.citation.article_id, m.citation.sentence) == where for m in members):
                continue
            if all(m.figure is not None and compatible(fact.figure, m.figure) for m in members):
                slot = name
                members.append(fact)
                break
        if not slot:
            known = groups[fact.slot]
            slot = fact.slot if not known else f"{fact.slot}{len(known)}"
            known.append((slot, [fact]))
        merged.append(fact if slot == fact.slot else replace(fact, slot=slot))
    return merged


def _merge_local_dates(facts: list[_Fact]) -> list[_Fact]:
    """A local-time day right after a reported day for the same trigger is the same moment."""
    days = {(f.day, f.trigger) for f in facts if not f.citation.local_time and f.granularity == "day"}
    merged = []
    for fact in facts:
        if fact.citation.local_time and fact.granularity == "day" and fact.day is not None:
            earlier = fact.day - timedelta(days=1)
            if fact.trigger and (earlier, fact.trigger) in days:
                fact = replace(fact, slot=f"date:{earlier.isoformat()}", value=earlier.isoformat(), day=earlier)
        merged.append(fact)
    return merged


def _stated(fact: _Fact) -> Stated:
    assert fact.figure is not None
    c = fact.citation
    return Stated(fact.figure, fact.outlet, c.published_at, (c.article_id, c.sentence), fact.scope)


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
        note, revision = "", ""
        status: ClaimStatus = "corroborated" if outlets >= 2 else "single-source"
        measure = members[0].measure
        if kind == "count" and measure is not None:
            scoped = bool(measure.predicate) and slot == f"count:{measure.counted}|{measure.predicate}"
            verdict = judge([_stated(f) for f in members], scoped and measure.predicate in CUMULATIVE)
            status, revision, note = verdict.status, verdict.revision, verdict.note
        if kind == "date":
            triggers = sorted({f.trigger for f in members if f.trigger})
            label = ", ".join(triggers) or "mentioned"
            local = [f"{f.citation.value} local time" for f in members if f.value != f.citation.value]
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
        figures = tuple(dict.fromkeys(f.figure for f in ordered if f.figure is not None))
        first = ordered[0]
        claims.append(
            Claim(claim_id(event.event_id, slot), event.event_id, kind, slot, label, status, values, citations, note,
                  measure=measure, figures=_first_seen(figures), day=first.day, granularity=first.granularity,
                  place_id=first.place_id, revision=revision)  # type: ignore[arg-type]
        )  # fmt: skip
    claims += none_reported(event, articles, extractions, outlet_of, claims)
    return sorted(
        claims, key=lambda c: (_ORDER[c.status], _KINDS[c.kind], -len({x.source for x in c.citations}), c.slot)
    )


def _first_seen(figures: tuple[Figure, ...]) -> tuple[Figure, ...]:
    """Each value once (number and qualifier), at the time it was first published."""
    seen: dict[tuple[float, str], Figure] = {}
    for figure in figures:
        seen.setdefault((figure.number, figure.qualifier), figure)
    return tuple(seen.values())
