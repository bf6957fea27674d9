"""Quotes of one event matched across outlets into quote claims.

Two quotes are the same statement when they share enough content words (stemmed, with a few
country and nationality words made one: "US" / "American"), so that a translation or a
paraphrase ("militia groups" / "militias") still matches while two quotes that share only
function words or one word ("That's a recession" / "I do not think the U.S. is currently in a
recession") do not.  Only quotes of the same or a compatible speaker merge; a quote two outlets
give nearly word for word to two different people, each named beside the quote, is one claim
marked conflicting.  Each
outlet's wording and citation is kept.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

from nltk.stem.porter import PorterStemmer

from newsfuse.ids import claim_id
from newsfuse.models import Article, Citation, Claim, ClaimStatus, Event, Extraction, Quote, Sentence, Span
from newsfuse.stages.extract.lexicon import content_words

__all__ = ["QuoteMention", "reconcile_quotes", "same_statement", "speaker_label"]

MIN_SHARED = 3  # content words two longer quotes must share: one or two shared words is chance
MIN_SHARE = 0.6  # of the shorter quote's content words: a part of a longer quote still matches
SAME_WORDS = 0.8  # this much of the shorter quote, word for word, is one quote even with two speakers
# a conflict of speakers needs this many content words said alike: people share short phrases ("act of terror")
MIN_CONFLICT_WORDS = 6
_STEMMER = PorterStemmer()
_EQUIVALENT = {"american": "us", "america": "us", "u.s": "us", "usa": "us", "british": "uk", "britain": "uk",
               "russian": "russia", "iranian": "iran", "israeli": "israel", "ukrainian": "ukraine",
               "chinese": "china", "syrian": "syria", "iraqi": "iraq", "french": "france", "german": "germany",
               "precise": "precision", "militiamen": "militia"}  # fmt: skip
_APOSTROPHE = re.compile(r"['’]s\b")


@dataclass(frozen=True, slots=True)
class QuoteMention:
    """One outlet's quote with where it came from."""

    quote: Quote
    outlet: str
    citation: Citation  # the sentence the quote opens in
    later: tuple[Citation, ...] = ()  # the further sentences of a quote over several


@lru_cache(maxsize=1 << 15)
def _stem(word: str) -> str:
    word = _EQUIVALENT.get(word, word)
    stemmed = str(_STEMMER.stem(word))
    return _EQUIVALENT.get(stemmed, stemmed)


@lru_cache(maxsize=1 << 14)  # matching asks for each quote's stems once per pair of quotes compared
def quote_stems(text: str) -> frozenset[str]:
    """The stemmed content words of a quote."""
    return frozenset(_stem(w) for w in content_words(_APOSTROPHE.sub("", text)) if len(w) > 1)


def _surname(speaker: str) -> str:
    return speaker.split()[-1].lower() if speaker else ""


def _named(quote: Quote) -> bool:
    return bool(quote.speaker) and quote.speaker[0].isupper() and not quote.speaker.lower().startswith(("the ", "a "))


def compatible_speakers(a: Quote, b: Quote) -> bool:
    """The same speaker, or one we cannot tell apart (unattributed, or a role beside a name)."""
    if not a.speaker or not b.speaker or _surname(a.speaker) == _surname(b.speaker):
        return True
    return not (_named(a) and _named(b))  # "the Fed chair" may be Powell; Powell is not Summers


def _overlap(a: frozenset[str], b: frozenset[str]) -> tuple[int, float]:
    shared = len(a & b)
    return shared, shared / max(1, min(len(a), len(b)))


def _matches(a: frozenset[str], b: frozenset[str]) -> bool:
    if min(len(a), len(b)) < MIN_SHARED:
        return bool(a) and a == b  # a short quote matches only the same content words
    shared, share = _overlap(a, b)
    return shared >= MIN_SHARED and share >= MIN_SHARE


def same_statement(a: Quote, b: Quote) -> bool:
    """Whether two outlets' quotes are the same statement (the same or a compatible speaker)."""
    sa, sb = quote_stems(a.span.text), quote_stems(b.span.text)
    if not _matches(sa, sb):
        return False
    if compatible_speakers(a, b):
        return True
    # two people named for one quote is a disagreement worth showing only when both outlets name
    # them beside the quote; a speaker resolved from a pronoun or a neighbouring sentence may be wrong
    return a.named_here and b.named_here and _overlap(sa, sb)[1] >= SAME_WORDS


def speaker_label(quote: Quote) -> str:
    """ "Jerome Powell, Fed chair"; "unattributed" when the text names no one."""
    if not quote.speaker:
        return "unattributed"
    return f"{quote.speaker}, {quote.role}" if quote.role else quote.speaker


def _overlapping(sentences: Sequence[Sentence]) -> Callable[[Span], Sequence[Sentence]]:
    """A lookup of the sentences a span overlaps (by bisection when the sentences are in order)."""
    starts, ends = [s.start for s in sentences], [s.end for s in sentences]
    if all(a <= b for a, b in pairwise(starts)) and all(a <= b for a, b in pairwise(ends)):
        return lambda span: sentences[bisect_right(ends, span.start) : bisect_left(starts, span.end)]
    return lambda span: [s for s in sentences if s.start < span.end and s.end > span.start]


def _mentions(
    articles: Sequence[Article], extractions: Mapping[str, Extraction], outlet_of: Mapping[str, str]
) -> Iterable[QuoteMention]:
    for article in articles:
        extraction = extractions.get(article.article_id)
        if extraction is None or not extraction.quotes:
            continue
        overlapping = _overlapping(extraction.sentences)
        for quote in extraction.quotes:
            first = quote.span.sentence
            sentences = overlapping(quote.span)
            said = speaker_label(quote)
            cites = [Citation(article.article_id, article.source, s.index, s.text, said, article.published_at,
                              start=s.start, end=s.end) for s in sentences] or [
                Citation(article.article_id, article.source, first, quote.span.text, said, article.published_at,
                         start=quote.span.start, end=quote.span.end)
            ]  # fmt: skip
            yield QuoteMention(quote, outlet_of.get(article.article_id, article.source), cites[0], tuple(cites[1:]))


def _groups(mentions: Sequence[QuoteMention]) -> list[list[QuoteMention]]:
    """Mentions joined into statements, a candidate index on shared stems keeping it linear."""
    groups: list[list[QuoteMention]] = []
    stems_of: list[frozenset[str]] = []
    having: dict[str, set[int]] = defaultdict(set)  # stem -> mentions with it
    group_of: list[int] = []
    for mention in mentions:
        stems = quote_stems(mention.quote.span.text)
        candidates = sorted({i for s in stems for i in having[s]})
        target = -1
        for i in candidates:
            other = mentions[i]
            if same_statement(other.quote, mention.quote):  # a quote an outlet repeats is one too
                g = group_of[i]
                if all(same_statement(m.quote, mention.quote) or m.outlet == mention.outlet for m in groups[g][:4]):
                    target = g
                    break
        index = len(stems_of)
        stems_of.append(stems)
        for s in stems:
            having[s].add(index)
        if target < 0:
            target = len(groups)
            groups.append([])
        groups[target].append(mention)
        group_of.append(target)
    return groups


def _claim(event: Event, members: Sequence[QuoteMention]) -> Claim:
    ordered = sorted(  # each outlet's fullest wording first
        members, key=lambda m: (m.citation.published_at, m.citation.source, -len(m.quote.span.text))
    )
    outlets = {m.outlet for m in members}
    named: dict[str, Quote] = {}  # surname -> the fullest attribution (a role when one outlet gives it)
    for m in ordered:
        if _named(m.quote):
            known = named.get(_surname(m.quote.speaker))
            if known is None or (bool(m.quote.role), len(m.quote.speaker)) > (bool(known.role), len(known.speaker)):
                named[_surname(m.quote.speaker)] = m.quote
    status: ClaimStatus = "corroborated" if len(outlets) >= 2 else "single-source"
    note = ""
    if len(named) > 1 and _disputed(members):
        status = "conflicting"
        by = {m.citation.source: speaker_label(m.quote) for m in ordered if _named(m.quote)}
        note = "attributed to " + "; ".join(f"{who} by {src}" for src, who in by.items())
    speakers = [speaker_label(q) for q in named.values()] or [
        speaker_label(m.quote) for m in ordered if m.quote.speaker
    ]
    label = " / ".join(dict.fromkeys(speakers)) or "unattributed"
    values = tuple(dict.fromkeys(m.quote.span.text for m in ordered))
    unique = {(c.article_id, c.sentence): c for m in ordered for c in (m.citation, *m.later)}
    slot = "quote:" + " ".join(ordered[0].quote.words)
    return Claim(claim_id(event.event_id, slot), event.event_id, "quote", slot, label, status, values,
                 tuple(unique.values()), note)  # fmt: skip


def _name_words(speaker: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]{2,}", speaker.lower())} - {"jr", "sr", "mr", "mrs", "ms", "dr"}


def _person(speaker: str) -> bool:
    """A first and a last name ("Jerome Powell"), not an organisation ("BP", "NATO Lt", "Cameron's office")."""
    words = speaker.split()
    return len(words) >= 2 and all(w[:1].isupper() and not (len(w) > 1 and w.isupper()) for w in words)


def _disputed(members: Sequence[QuoteMention]) -> bool:
    """Two outlets name two people who share no name beside one long quote given alike, and neither
    outlet also names the other's speaker for it (when unsure, the claim names both but is no conflict)."""
    named = [m for m in members if _named(m.quote) and m.quote.named_here and _person(m.quote.speaker)]
    names: dict[str, set[str]] = defaultdict(set)
    for m in named:
        names[m.outlet] |= _name_words(m.quote.speaker)
    for i, a in enumerate(named):
        for b in named[i + 1 :]:
            wa, wb = _name_words(a.quote.speaker), _name_words(b.quote.speaker)
            if a.outlet == b.outlet or wa & wb or wa & names[b.outlet] or wb & names[a.outlet]:
                continue
            sa, sb = quote_stems(a.quote.span.text), quote_stems(b.quote.span.text)
            shared = len(sa & sb)
            if shared >= MIN_CONFLICT_WORDS and shared >= SAME_WORDS * max(len(sa), len(sb)):
                return True
    return False


def reconcile_quotes(
    event: Event,
    articles: Sequence[Article],
    extractions: Mapping[str, Extraction],
    outlet_of: Mapping[str, str],
) -> list[Claim]:
    """Quote claims of one event: one per statement, citing every outlet's wording.

    ``outlet_of`` maps a near-duplicate article to its original's outlet, so a copy never
    corroborates its original."""
    mentions = sorted(
        _mentions(articles, extractions, outlet_of),
        key=lambda m: (m.citation.published_at, m.citation.source, m.quote.span.start),
    )
    claims: list[Claim] = []
    slots: set[str] = set()
    for group in _groups(mentions):
        claim = _claim(event, group)
        if claim.slot in slots:  # the same words by two speakers who are not one: two claims
            slot = f"{claim.slot}#{sum(s.startswith(claim.slot) for s in slots)}"
            claim = replace(claim, slot=slot, claim_id=claim_id(event.event_id, slot))
        slots.add(claim.slot)
        claims.append(claim)
    return claims
