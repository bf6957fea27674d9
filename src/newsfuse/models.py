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
EXTRACTOR = "extract/8"
GROUPER = "group/2"
LINKER = "stories/1"
RECONCILER = "reconcile/3"

InputFormat = Literal["sample", "json", "html", "feed", "text"]
Granularity = Literal["day", "week", "month", "year"]
ClaimStatus = Literal["corroborated", "single-source", "conflicting", "updated"]
FactKind = Literal["count", "date", "place", "target", "quote"]


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


@dataclass(frozen=True, slots=True)
class RawItem:
    """Bytes of one input record and the format they are in."""

    origin: str
    fmt: InputFormat
    data: bytes
    stem: str


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input item that could not be ingested, and why."""

    origin: str
    reason: str


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
    """A count of something: ``21 American soldiers were slightly injured``."""

    span: Span
    value: int
    counted: str
    predicate: str = ""
    qualifier: Literal["", "at least", "about", "up to", "more than"] = ""
    phrase: str = ""


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
    """A pointer to the sentence a value came from."""

    article_id: str
    source: str
    sentence: int
    text: str
    value: str
    published_at: datetime


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
    sources: int  # distinct outlets among its articles
    conflicts: int  # claims whose status is conflicting
