"""The write stage: an event brief with an extractive summary and a dated timeline.

Summary sentences are picked from article leads by how many claims they
carry and how much they share with other outlets, without near-repeats.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta

from newsfuse.models import Article, Brief, Citation, Claim, Event, Extraction, TimelineEntry
from newsfuse.stages.extract.lexicon import content_words

_WEIGHT = {"corroborated": 2.0, "conflicting": 2.0, "updated": 2.0, "single-source": 0.5}
LEAD = 6


def _summary(
    articles: Sequence[Article], extractions: Mapping[str, Extraction], claims: Sequence[Claim],
    duplicates: Mapping[str, str], size: int,
) -> tuple[Citation, ...]:  # fmt: skip
    weight: dict[tuple[str, int], float] = {}
    for claim in claims:
        if claim.kind in ("count", "target", "quote", "date"):
            for c in claim.citations:
                weight[(c.article_id, c.sentence)] = weight.get((c.article_id, c.sentence), 0.0) + _WEIGHT[claim.status]
    words_by_source: dict[str, set[str]] = {}
    candidates: list[tuple[float, Citation, set[str]]] = []
    originals = [a for a in articles if a.article_id not in duplicates and a.article_id in extractions]
    for article in originals:
        words_by_source.setdefault(article.source, set()).update(content_words(article.text[:6000]))
    for article in originals:
        for sentence in extractions[article.article_id].sentences[:LEAD]:
            words = set(content_words(sentence.text))
            if len(words) < 5:
                continue
            others = [w for s, w in words_by_source.items() if s != article.source]
            shared = max((len(words & o) / len(words) for o in others), default=0.0)
            score = weight.get((article.article_id, sentence.index), 0.0) + 2.0 * shared + 0.3 / (1 + sentence.index)
            citation = Citation(
                article.article_id, article.source, sentence.index, sentence.text, "", article.published_at,
                start=sentence.start, end=sentence.end,
            )  # fmt: skip
            candidates.append((score, citation, words))
    chosen: list[tuple[Citation, set[str]]] = []
    for _, citation, words in sorted(candidates, key=lambda c: (-c[0], c[1].published_at, c[1].sentence)):
        if all(len(words & w) / min(len(words), len(w)) < 0.5 for _, w in chosen):
            chosen.append((citation, words))
        if len(chosen) == size:
            break
    return tuple(c for c, _ in chosen)


def _timeline(claims: Sequence[Claim]) -> tuple[TimelineEntry, ...]:
    entries = []
    for claim in claims:
        if claim.kind != "date":
            continue
        if claim.day is None or claim.granularity is None:
            continue
        note = f"{claim.label}; {claim.note}" if claim.note else claim.label
        entries.append(TimelineEntry(claim.day, claim.granularity, claim.citations, note))
    return tuple(sorted(entries, key=lambda e: (e.day, e.granularity)))


FRAGMENT_WORDS = 8  # a quote this short whose words all come in a longer one by its speaker is part of it
FULL_LENGTH = 40  # words past this add nothing to a quote's weight


def _joined(quote: Claim, into: Claim) -> Claim:
    cites = {(c.article_id, c.sentence): c for c in (*into.citations, *quote.citations)}
    return replace(into, citations=tuple(cites.values()))


def key_quotes(claims: Sequence[Claim]) -> tuple[Claim, ...]:
    """Quote claims by importance: corroborated (and disputed) first, attributed before unattributed,
    then by outlets, by how much their speaker is quoted and by length; a fragment ("and things like
    that") whose words all come in a longer quote by the same speaker is joined to it."""
    quotes = sorted((c for c in claims if c.kind == "quote"), key=lambda c: (-len(c.slot), c.slot))
    kept: list[Claim] = []
    for quote in quotes:
        words = set(quote.slot.split(":", 1)[1].split())
        parent = next(
            (i for i, k in enumerate(kept) if len(words) <= FRAGMENT_WORDS and quote.label in (k.label, "unattributed")
             and words <= set(k.slot.split(":", 1)[1].split())),
            None,
        )  # fmt: skip
        if parent is None:
            kept.append(quote)
        else:
            kept[parent] = _joined(quote, kept[parent])
    quoted = Counter(c.label for c in kept if c.label != "unattributed")
    most = max(quoted.values(), default=1)

    def weight(claim: Claim) -> tuple[int, int, int, float, str]:
        length = min(len(claim.slot.split()), FULL_LENGTH) / FULL_LENGTH
        central = quoted.get(claim.label, 0) / most
        return (claim.status == "single-source", claim.label == "unattributed",
                -len({c.source for c in claim.citations}), -(length + central), claim.slot)  # fmt: skip

    return tuple(sorted(kept, key=weight))


# how far before its first report an event's own date may be named (a trial a year on)
EARLIER_DAYS = 400


def representative_day(event: Event, claims: Sequence[Claim]) -> date:
    """The date most outlets give for an event word (a strike, a shooting), from a week before the
    first report to the last one; among equals the earliest (reports follow events).  A report that
    names an earlier date with an event word ("the March 4 shooting", in a trial's coverage) counts
    when nothing in that window does; without any, the first report's day."""
    first = event.first_published_at.date()
    start, end = first - timedelta(days=7), event.last_published_at.date()
    sources: dict[date, set[str]] = {}
    triggered: dict[date, set[str]] = {}
    earlier: dict[date, set[str]] = {}
    for claim in claims:
        if claim.kind != "date" or claim.granularity != "day" or claim.day is None:
            continue
        named = claim.label not in ("mentioned", "meeting")
        if start <= claim.day <= end:
            sources.setdefault(claim.day, set()).update(c.source for c in claim.citations)
            if named:
                triggered.setdefault(claim.day, set()).update(c.source for c in claim.citations)
        elif named and first - timedelta(days=EARLIER_DAYS) <= claim.day < start:
            earlier.setdefault(claim.day, set()).update(c.source for c in claim.citations)
    if not triggered and earlier:
        return max(earlier, key=lambda day: (len(earlier[day]), day.toordinal()))
    if not sources:
        return first
    return max(sources, key=lambda day: (len(triggered.get(day, ())), len(sources[day]), -day.toordinal()))


def representative_place(claims: Sequence[Claim]) -> str:
    """The most corroborated place, a city before a country."""
    places = [c for c in claims if c.kind == "place"]
    if not places:
        return ""

    # outlets naming a place in each US state: among equally cited places, one in the state the
    # others name wins (Jackson, Tennessee over Jackson, Mississippi)
    states: dict[str, set[str]] = {}
    for claim in places:
        if claim.label.endswith(", United States") and claim.label.count(", ") >= 1:
            states.setdefault(claim.label.split(", ")[-2], set()).update(c.source for c in claim.citations)

    def rank(claim: Claim) -> tuple[int, int, int, int]:
        specific = 0 if claim.place_id.startswith(("country:", "region:")) else 1
        state = claim.label.split(", ")[-2] if claim.label.endswith(", United States") else ""
        return (len({c.source for c in claim.citations}), len(states.get(state, ())), specific, len(claim.citations))

    best = max(places, key=rank)
    state = best.label.endswith(", United States") and best.label.count(", ") == 1
    if best.place_id.startswith(("country:", "region:")) or state:
        # a state or country: the most reported city inside it says more ("Akron, Ohio" for "Ohio")
        area = best.label.split(", ")[0]
        inside = [c for c in places if c.label.count(", ") == 2 and f", {area}" in c.label]
        if inside:
            return max(inside, key=rank).label
    return best.label


def write_brief(
    event: Event,
    articles: Sequence[Article],
    extractions: Mapping[str, Extraction],
    claims: Sequence[Claim],
    duplicates: Mapping[str, str],
    *,
    summary_size: int = 3,
) -> Brief:
    """The brief of one event from its articles and reconciled claims."""
    sources = tuple(dict.fromkeys(a.source for a in articles if a.article_id not in duplicates))
    notes = []
    copies = [a for a in articles if a.article_id in duplicates]
    if copies:
        notes.append(f"{len(copies)} near-duplicate article(s) counted once with their original")
    return Brief(
        event=event,
        sources=sources,
        summary=_summary(articles, extractions, claims, duplicates, summary_size),
        claims=(*(c for c in claims if c.kind != "quote"), *key_quotes(claims)),
        timeline=_timeline(claims),
        place=representative_place(claims),
        day=representative_day(event, claims),
        notes=tuple(notes),
    )
