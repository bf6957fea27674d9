"""The read side the CLI and the web share: event summaries, briefs and timelines from the store."""

from __future__ import annotations

from newsfuse.errors import InvalidInput
from newsfuse.models import Brief, EventSummary, TimelineEntry
from newsfuse.settings import TimelineSettings
from newsfuse.stages.brief import write_brief
from newsfuse.stages.timeline import build_timeline
from newsfuse.store import Store


def event_summaries(store: Store, limit: int) -> list[EventSummary]:
    """The newest ``limit`` events with how many outlets covered each and how many conflicts it has."""
    events = store.events(limit)
    ids = [e.event_id for e in events]
    sources = store.source_counts(ids)
    conflicts = store.status_counts(ids, "conflicting")
    return [EventSummary(e, sources.get(e.event_id, 0), conflicts.get(e.event_id, 0)) for e in events]


def brief(store: Store, event_id: str) -> Brief:
    """The brief of one stored event (``NotFound`` for an unknown id)."""
    event = store.event(event_id)
    articles = store.articles(event.article_ids)
    extractions = store.extractions(event.article_ids)
    copies = {k: v for k, v in store.duplicates().items() if k in set(event.article_ids)}
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
