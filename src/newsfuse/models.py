"""Typed records passed between pipeline stages.

Every record is a frozen dataclass.  Ids are content hashes, so re-ingesting
the same text gives the same id.  Derived records name the stage version that
made them (``produced_by``) so stale rows can be found after an upgrade.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Mapper = Callable[[Callable[[Any], Any], Iterable[Any]], Iterator[Any]]
"""Runs ``function`` on each item and yields the results in order (the builtin ``map`` is one;
``newsfuse.executor`` has a process pool's and a Dask cluster's)."""

# versions of the stages whose rows the store keeps; a row made by another version is redone
EXTRACTOR = "extract/14"
GROUPER = "group/4"
LINKER = "stories/3"
RECONCILER = "reconcile/6"

InputFormat = Literal["sample", "json", "html", "feed", "text"]
Granularity = Literal["day", "week", "month", "year"]
ClaimStatus = Literal["corroborated", "single-source", "conflicting", "updated"]
FactKind = Literal["count", "date", "place", "target", "quote"]
RejectCode = Literal[
    "no_such_path", "unreadable", "empty_file", "binary", "unknown_format", "oversized", "bad_encoding",
    "malformed_json", "too_deep", "malformed_csv", "not_a_record", "no_text", "no_date", "bad_date",
    "empty_text", "too_short", "no_html_text", "not_an_article", "not_a_feed", "empty_feed", "bad_part",
    "fetch_failed", "internal_error",
]  # fmt: skip
"""Why an input item was rejected, for programs (``Rejected.reason`` says it for people)."""
ContentKind = Literal["full", "teaser", "caption"]
"""What an article's text is: the whole report, only a standfirst or lead, or only a photo caption."""
Qualifier = Literal["", "at least", "about", "up to", "more than"]
MeasureKind = Literal["count", "money", "percent", "points"]


@dataclass(frozen=True, slots=True)
class Article:
    """One news report as ingested."""

    article_id: str
    source: str
    title: str
    text: str
    published_at: datetime
    url: str = ""
    language: str = "en"
    origin: str = ""
    content_kind: ContentKind = "full"
    dateline: str = ""  # the place of the dateline stripped from the text ("TRIPOLI"), evidence for the event place
    date_source: str = ""  # where ``published_at`` came from ("json-ld datePublished", "feed published", ...)


@dataclass(frozen=True, slots=True)
class RawItem:
    """Bytes of one input record and the format they are in."""

    origin: str
    fmt: InputFormat
    data: bytes
    stem: str


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input item that could not be ingested, and why (``code`` for programs, ``reason`` for people)."""

    origin: str
    reason: str
    code: RejectCode = "internal_error"


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article, by character offsets into ``Article.text``."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Span:
    """Where a mention sits: sentence index and character offsets in the article."""

    sentence: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity from the spaCy model."""

    span: Span
    label: str


@dataclass(frozen=True, slots=True)
class Place:
    """A place mention resolved to a gazetteer entry."""

    span: Span
    place_id: str
    name: str
    country: str
    kind: Literal["city", "country", "region"]
    located: bool = False  # a locative word or a location label supports it ("in Lafayette")


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression normalized against the article's publish date.

    ``kind`` "date" is a point in time (``value`` at ``granularity``); durations ("two
    weeks"), references ("now", "recently") and sets ("daily") keep the publish date in
    ``value`` and say what they are in ``timeml`` (the TIMEX3 value, e.g. P2W, PRESENT_REF).
    """

    span: Span
    value: date
    granularity: Granularity
    local_time: bool = False
    trigger: str = ""
    kind: Literal["date", "duration", "reference", "set"] = "date"
    timeml: str = ""


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure: a count (``21 American soldiers were slightly injured``), a sum of money
    (``counted`` is the currency, ``amount`` keeps the cents), a percentage or a change in points."""

    span: Span
    value: int
    counted: str
    predicate: str = ""
    qualifier: Qualifier = ""
    phrase: str = ""
    measure: MeasureKind = "count"
    amount: float | None = None  # the exact number when it is not whole ($1.69, 9.1%)

    @property
    def number(self) -> float:
        return self.value if self.amount is None else self.amount


@dataclass(frozen=True, slots=True)
class Target:
    """What an action was aimed at: ``struck ammunition and weapons depots``."""

    span: Span
    action: str
    words: tuple[str, ...]
    phrase: str


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quote with its speaker (empty when unknown) and the speaker's role when the text gives it."""

    span: Span
    speaker: str
    words: tuple[str, ...]
    role: str = ""
    named_here: bool = False  # the speaker is named in the quote's own sentence, not resolved from elsewhere


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything the extract stage found in one article."""

    article_id: str
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...] = ()
    places: tuple[Place, ...] = ()
    times: tuple[TimeExpression, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    targets: tuple[Target, ...] = ()
    quotes: tuple[Quote, ...] = ()
    produced_by: str = EXTRACTOR


@dataclass(frozen=True, slots=True)
class SparseVector:
    """Hashed term counts: ``ids[i]`` occurs ``counts[i]`` times (compact arrays: a 100,000-article
    regroup holds every profile)."""

    ids: array[int] = field(default_factory=lambda: array("I"))
    counts: array[float] = field(default_factory=lambda: array("f"))


@dataclass(frozen=True, slots=True)
class Profile:
    """What an article is about, for grouping: content words and names (people, places, numbers)."""

    words: SparseVector
    names: SparseVector


@dataclass(frozen=True, slots=True)
class Analysis:
    """Per-article results of the map stages: extraction, MinHash, embedding, profile."""

    extraction: Extraction
    minhash: tuple[int, ...]
    embedding: tuple[float, ...]
    profile: Profile = field(default_factory=lambda: Profile(SparseVector(), SparseVector()))


@dataclass(frozen=True, slots=True)
class Duplicate:
    """``article_id`` is a near-copy of the earlier ``original_id``."""

    article_id: str
    original_id: str
    similarity: float


@dataclass(frozen=True, slots=True)
class Event:
    """Articles that report the same real-world event."""

    event_id: str
    label: str
    article_ids: tuple[str, ...]
    first_published_at: datetime
    last_published_at: datetime
    produced_by: str = GROUPER
    day: date | None = None
    place: str = ""
    story_id: str = ""


@dataclass(frozen=True, slots=True)
class Story:
    """Events of the same developing situation, in time order."""

    story_id: str
    label: str
    event_ids: tuple[str, ...]
    first_published_at: datetime
    last_published_at: datetime
    produced_by: str = LINKER


@dataclass(frozen=True, slots=True)
class Citation:
    """A pointer to the sentence a value came from (``local_time``: the date is given in the place's
    own time zone, e.g. "dawn on Friday, Syrian time"); ``start``/``end`` are the sentence's character
    offsets in the article's text."""

    article_id: str
    source: str
    sentence: int
    text: str
    value: str
    published_at: datetime
    local_time: bool = False
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Measure:
    """What a figure measures: its kind, the counted thing (a currency for money), the predicate
    (killed, injured, ...) and the unit (``USD``, ``%``, ``points``; empty for counts)."""

    kind: MeasureKind
    counted: str
    predicate: str = ""
    unit: str = ""


@dataclass(frozen=True, slots=True)
class Figure:
    """One value of a figure claim: the number, its qualifier, how it reads, and when it was
    first published (an update's sequence)."""

    number: float
    qualifier: Qualifier = ""
    text: str = ""
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """Facts from one or more sources merged into one statement with a status."""

    claim_id: str
    event_id: str
    kind: FactKind
    slot: str
    label: str
    status: ClaimStatus
    values: tuple[str, ...]
    citations: tuple[Citation, ...]
    note: str = ""
    produced_by: str = RECONCILER
    measure: Measure | None = None  # count claims: what is measured
    figures: tuple[Figure, ...] = ()  # count claims: the values as numbers, in time order
    day: date | None = None  # date claims: the date and its granularity
    granularity: Granularity | None = None
    place_id: str = ""  # place claims: the gazetteer entry
    revision: Literal["", "revised", "several figures"] = ""  # one outlet gave different figures


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """What happened on one date, with the sentences that say so."""

    day: date
    granularity: Granularity
    citations: tuple[Citation, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Brief:
    """The readable account of one event."""

    event: Event
    sources: tuple[str, ...]
    summary: tuple[Citation, ...]
    claims: tuple[Claim, ...]
    timeline: tuple[TimelineEntry, ...]
    place: str = ""
    day: date | None = None
    produced_by: str = "brief/1"
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One full-text search result."""

    article_id: str
    source: str
    title: str
    published_at: datetime
    snippet: str
    event_id: str


@dataclass(frozen=True, slots=True)
class EventSummary:
    """An event as the events list shows it."""

    event: Event
    sources: int  # how many outlets (len of ``outlets``)
    conflicts: int  # claims whose status is conflicting
    outlets: tuple[str, ...] = ()  # distinct outlets among its articles, copies left out


@dataclass(frozen=True, slots=True)
class CitedSentence:
    """A sentence of an article with the claims that cite it."""

    sentence: Sentence
    claims: tuple[str, ...]  # labels of the claims citing it


@dataclass(frozen=True, slots=True)
class ArticleView:
    """One article as its page shows it: its sentences (those cited by claims marked), its events,
    the copies of it and the original it copies."""

    article: Article
    sentences: tuple[CitedSentence, ...]
    events: tuple[Event, ...]
    copies: tuple[Article, ...]
    original: Article | None = None


EventStatus = Literal["", "conflicting", "updated", "contested"]  # contested: conflicting or updated


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What a list of events or search hits is narrowed to (empty fields: no condition)."""

    since: date | None = None  # events dated (or articles published) on or after this day
    until: date | None = None  # ... on or before this day
    place: str = ""  # the event's place contains this (case-insensitive)
    outlet: str = ""  # one of its articles is from this outlet
    status: EventStatus = ""  # it has a claim with this status
    language: str = ""  # one of its articles is in this language


@dataclass(frozen=True, slots=True)
class Facet:
    """How many of the listed items have one value of a field."""

    field: str
    value: str
    count: int


@dataclass(frozen=True, slots=True)
class EventPage:
    """One page of a filtered events list: ``total`` matched, these from ``offset``; ``after`` is
    the cursor of the next page (empty on the last)."""

    items: tuple[EventSummary, ...]
    total: int
    offset: int
    after: str = ""
    facets: tuple[Facet, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of full-text hits."""

    hits: tuple[SearchHit, ...]
    total: int
    offset: int


@dataclass(frozen=True, slots=True)
class OutletSummary:
    """One outlet as the outlets list shows it."""

    name: str
    articles: int
    events: int
    first_published_at: datetime
    last_published_at: datetime


@dataclass(frozen=True, slots=True)
class OutletView:
    """One outlet's page: its newest articles and how its figures fare against other outlets'."""

    outlet: OutletSummary
    articles: tuple[Article, ...]
    events: tuple[Event, ...]
    # statuses of the claims that cite this outlet and at least one other: corroborated, conflicting, updated
    shared_claims: tuple[tuple[str, int], ...]

    @property
    def disagreement(self) -> float:
        """Share of its claims shared with other outlets that conflict (0 when it shares none)."""
        counts = dict(self.shared_claims)
        shared = sum(counts.values())
        return counts.get("conflicting", 0) / shared if shared else 0.0
