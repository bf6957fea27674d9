"""The read side the CLI and the web share: event and search lists, briefs, timelines, article and outlet pages."""

from __future__ import annotations

from newsfuse.errors import InvalidInput, NotFound
from newsfuse.models import (
    ArticleView,
    Brief,
    CitedSentence,
    Event,
    EventPage,
    EventSummary,
    ListFilter,
    OutletView,
    SearchPage,
    TimelineEntry,
)
from newsfuse.settings import TimelineSettings
from newsfuse.stages.brief import write_brief
from newsfuse.store import Store


def moved(wanted: str, found_id: str) -> bool:
    """Whether ``wanted`` (an id or prefix a reader gave) is an older id that now redirects to the event or
    story ``found_id`` (a regroup merged or split what it named); a prefix of ``found_id`` is not moved."""
    return not found_id.startswith(wanted.strip().lower())


def event_page(
    store: Store, where: ListFilter, limit: int, *, offset: int = 0, after: str = "", facets: bool = False
) -> EventPage:
    """One page of the events ``where`` selects (from ``offset``, or after the cursor ``after``), with
    the total, the next page's cursor and, with ``facets``, counts by status, outlet, place, language."""
    events, total = store.list_events(where, limit, offset=offset, after=after)
    position = offset if not after else -1  # a cursor page does not know its offset
    more = len(events) == limit and (position < 0 or position + limit < total)
    return EventPage(
        tuple(_summaries(store, events)),
        total,
        max(position, 0),
        events[-1].event_id if more and events else "",
        tuple(store.event_facets(where)) if facets else (),
    )


def search_page(store: Store, query: str, where: ListFilter, limit: int, *, offset: int = 0) -> SearchPage:
    """One page of full-text hits (phrases, OR, NOT and prefix* as ``Store.search_page`` takes them)."""
    hits, total = store.search_page(query, where, limit, offset=offset)
    return SearchPage(tuple(hits), total, offset)


def _summaries(store: Store, events: list[Event]) -> list[EventSummary]:
    """Each event with the outlets that covered it and how many conflicts it has (a query each for
    the page, not per event)."""
    ids = [e.event_id for e in events]
    outlets = store.outlets_of(ids)
    conflicts = store.status_counts(ids, "conflicting")
    summaries = []
    for e in events:
        names = tuple(outlets.get(e.event_id, ()))
        summaries.append(EventSummary(e, len(names), conflicts.get(e.event_id, 0), names))
    return summaries


def brief(store: Store, event_id: str) -> Brief:
    """The brief of one stored event (``NotFound`` for an unknown id)."""
    event = store.event(event_id)
    articles = store.articles(event.article_ids)
    extractions = store.extractions(event.article_ids)
    copies = store.duplicates_among(event.article_ids)
    return write_brief(event, articles, extractions, store.claims(event.event_id), copies)


def timeline(
    store: Store,
    settings: TimelineSettings,
    *,
    query: str = "",
    event_id: str = "",
    story_id: str = "",
    limit: int = 500,
) -> tuple[TimelineEntry, ...]:
    """A cited timeline of a full-text query, an event or a story (exactly one of them)."""
    from newsfuse.stages.timeline import build_timeline  # scikit-learn: only the commands that need it

    if sum(bool(x) for x in (query, event_id, story_id)) != 1:
        raise InvalidInput("give exactly one of a query, an event or a story")
    if query:
        ids = list(dict.fromkeys(h.article_id for h in store.search(query, limit)))
        keywords: tuple[str, ...] = tuple(w.lower() for w in query.split() if len(w) > 2)
    elif event_id:
        ids, keywords = list(store.event(event_id).article_ids), ()
    else:
        story = store.story(story_id)
        ids = [a for e in story.event_ids for a in store.event(e).article_ids]
        keywords = ()
    articles = store.articles(ids)
    extractions = store.extractions(ids)
    sentences = {a: x.sentences for a, x in extractions.items()}
    times = {a: x.times for a, x in extractions.items()}
    return build_timeline(articles, sentences, times, settings, keywords=keywords)


def article_view(store: Store, article_id: str) -> ArticleView:
    """One article (an id or unique prefix) with its events, copies and the sentences claims cite."""
    article = store.article(article_id)
    event_ids = sorted(set(store.events_of([article.article_id]).values()))
    events = [store.event(e) for e in event_ids]
    cited: dict[int, list[str]] = {}
    for event in events:
        for claim in store.claims(event.event_id):
            for c in claim.citations:
                if c.article_id == article.article_id and claim.label not in cited.setdefault(c.sentence, []):
                    cited[c.sentence].append(claim.label)
    extraction = store.extractions([article.article_id]).get(article.article_id)
    sentences = extraction.sentences if extraction else ()
    links = store.duplicates_of(article.article_id)
    copies = store.articles([copy for copy, original in links.items() if original == article.article_id])
    original_id = links.get(article.article_id)
    original = next(iter(store.articles([original_id])), None) if original_id else None
    return ArticleView(
        article,
        tuple(CitedSentence(s, tuple(cited.get(s.index, ()))) for s in sentences),
        tuple(events),
        tuple(copies),
        original,
    )


OUTLET_ARTICLES = 50  # newest articles an outlet page lists


def outlet_view(store: Store, name: str) -> OutletView:
    """One outlet's page (``NotFound`` for an outlet with no articles)."""
    found, _ = store.outlets(1, name=name)
    if not found:
        raise NotFound(f"no outlet {name!r}")
    articles = store.outlet_articles(name, OUTLET_ARTICLES)
    event_ids = sorted(set(store.events_of(a.article_id for a in articles).values()))
    events = sorted((store.event(e) for e in event_ids), key=lambda e: e.last_published_at, reverse=True)
    statuses = store.shared_claim_statuses(name)
    return OutletView(found[0], tuple(articles), tuple(events), tuple(sorted(statuses.items())))
