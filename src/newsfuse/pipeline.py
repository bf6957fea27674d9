"""The write side: ingest, update (incremental) and rebuild (batch regroup).

    sources -> ingest -> [split, extract, minhash, embed, profile] -> dedup -> group
            -> reconcile -> link -> store

Per-article work and per-event reconciling run on a mapper (``newsfuse.executor``: this process,
a local pool or Dask) through ``newsfuse.work``; the store is written here only.  Each save is
one transaction, so an interrupted run leaves the database as it was after the last finished
batch, and the next run picks up from there.  The read side is ``newsfuse.queries``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from itertools import chain
from pathlib import Path

from newsfuse.encoding import EncodedAnalysis, ReconciledEvent
from newsfuse.errors import InvalidInput
from newsfuse.executor import batch_collection, pool_mapper
from newsfuse.ids import article_id
from newsfuse.models import EXTRACTOR, GROUPER, LINKER, RECONCILER, Article, Event, Mapper, RawItem, Rejected, Story
from newsfuse.settings import Settings
from newsfuse.sources.files import display_name, parquet_parts, read_inputs
from newsfuse.sources.web import Fetched, Fetcher, Validators, fetch_all, is_url
from newsfuse.stages.dedup import find_duplicates
from newsfuse.stages.group import (
    Frequencies,
    GroupInput,
    assign_incrementally,
    count_frequencies,
    iter_events,
)
from newsfuse.stages.ingest import parse_item
from newsfuse.stages.label import LEAD_CHARS
from newsfuse.stages.link import link_stories
from newsfuse.stages.successors import find_successors
from newsfuse.store import Store
from newsfuse.store.parquet import part_analyses, read_part
from newsfuse.work import EventToReconcile, analyse_encoded, analyse_to_part, reconcile_events

# the derived rows a regroup writes, and the version of the stage that makes each
EVENT_STAGES = {"group": GROUPER, "reconcile": RECONCILER}
STORY_STAGES = {"link": LINKER}


def stale_stages(store: Store) -> list[str]:
    """Stages whose stored rows were made by another version than this code's (redone by ``rebuild``).

    Analyses are checked per article instead (``Store.pending_ids``)."""
    if not store.count_events():
        return []
    recorded = store.stage_versions()
    return [stage for stage, version in {**EVENT_STAGES, **STORY_STAGES}.items() if recorded.get(stage) != version]


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: int = 0
    seen: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    new_rejections: list[Rejected] = field(default_factory=list)  # those not recorded by an earlier run
    analysed: int = 0
    events: int = 0
    unchanged: int = 0  # fetched URLs the server said were not modified (HTTP 304)


Progress = Callable[[str, int], None]
_RECONCILE_BATCH = 500  # articles per batch of events sent to reconcile


def _quiet(_: str, __: int) -> None:
    return None


def import_parts(store: Store, parts: Iterable[Path], *, now: datetime) -> tuple[list[str], int]:
    """Store the articles and analyses of Parquet part files; return (ids stored with analyses, new articles).

    Articles of parts from another extractor version are stored without analyses (analysed again later)."""
    analysed: list[str] = []
    added = 0
    for path in parts:
        articles, analyses, version = read_part(path)
        added += store.add_articles(articles, [], now=now)
        if version == EXTRACTOR:
            store.save_analyses(analyses)
            analysed += [a.article_id for a in articles]
    return analysed, added


def analyse_batches(
    store: Store,
    id_batches: Iterable[Sequence[str]],
    settings: Settings,
    *,
    mapper: Mapper = map,
    progress: Progress = _quiet,
    parquet: Path | None = None,
) -> list[str]:
    """Analyse the stored articles of each batch of ids on ``mapper`` and save each finished batch
    while later ones are computed; return the ids analysed.  With ``parquet``, workers write their
    results as part files there and send back only the path (the directory must be reachable from
    every worker and from here)."""
    function: Callable[[Sequence[Article]], object] = (
        partial(analyse_to_part, settings=settings, directory=parquet)
        if parquet is not None
        else partial(analyse_encoded, settings=settings)
    )
    done: list[str] = []
    for result in mapper(function, (store.articles(ids) for ids in id_batches)):
        rows: list[EncodedAnalysis] = part_analyses(Path(result)) if parquet is not None else result
        store.save_encoded_analyses(rows)
        done += [row.article_id for row in rows]
        progress("analysed", len(rows))
    return done


def _in_batches(ids: list[str], size: int) -> Iterator[list[str]]:
    return (ids[i : i + size] for i in range(0, len(ids), size))


def _analysis_batch(settings: Settings, parallel: bool) -> int:
    return max(16, settings.ingest.batch_size // 4) if parallel else max(1, settings.ingest.batch_size)


def analyse_pending(
    store: Store,
    settings: Settings,
    *,
    workers: int = 1,
    progress: Progress = _quiet,
    mapper: Mapper | None = None,
    parquet: Path | None = None,
) -> list[str]:
    """Analyse every stored article that has no current analysis; return their ids.

    Batches go to ``mapper`` (e.g. a Dask cluster's), else to a local pool of ``workers``
    processes, else run here (see ``analyse_batches``)."""
    ids = store.pending_ids(EXTRACTOR)
    parallel = mapper is not None or (workers > 1 and len(ids) >= 64)
    size = _analysis_batch(settings, parallel)
    with ExitStack() as stack:
        stack.enter_context(batch_collection())
        if mapper is None:
            mapper = stack.enter_context(pool_mapper(workers)) if parallel else map
        return analyse_batches(
            store, _in_batches(ids, size), settings, mapper=mapper, progress=progress, parquet=parquet
        )


def _group_inputs(store: Store) -> dict[str, GroupInput]:
    embeddings = store.vectors("embedding")
    profiles = store.profiles()
    leads = store.leads(LEAD_CHARS)
    return {
        article_id: GroupInput(
            article_id, title, published_at, embeddings[article_id], profiles[article_id], leads.get(article_id, "")
        )
        for article_id, _, published_at, title in store.article_meta()
        if article_id in embeddings and article_id in profiles
    }


def _dedup(store: Store, settings: Settings) -> dict[str, str]:
    minhashes = store.vectors("minhash")
    meta = [(a, t, minhashes[a]) for a, _, t, _ in store.article_meta() if a in minhashes]
    duplicates = find_duplicates(meta, settings.dedup)
    store.replace_duplicates(duplicates)
    return {d.article_id: d.original_id for d in duplicates}


def _reconcile_batches(
    store: Store, events: Iterable[Event], copies: dict[str, str]
) -> Iterator[list[EventToReconcile]]:
    """Events with what ``reconcile_events`` needs, read from the store ``_RECONCILE_BATCH`` articles at a time."""
    batch: list[Event] = []
    size = 0
    for event in events:
        batch.append(event)
        size += len(event.article_ids)
        if size >= _RECONCILE_BATCH:
            yield _reconcile_items(store, batch, copies)
            batch, size = [], 0
    if batch:
        yield _reconcile_items(store, batch, copies)


def _reconcile_items(store: Store, events: list[Event], copies: dict[str, str]) -> list[EventToReconcile]:
    ids = [a for e in events for a in e.article_ids]
    by_id = {a.article_id: a for a in store.articles(ids, text=False)}
    raw = store.extraction_json(ids)
    return [
        EventToReconcile(
            e,
            sorted((by_id[a] for a in e.article_ids if a in by_id), key=lambda a: (a.published_at, a.article_id)),
            {a: raw[a] for a in e.article_ids if a in raw},
            {a: copies[a] for a in e.article_ids if a in copies},
        )
        for e in events
    ]


def _reconcile(
    store: Store, events: Iterable[Event], copies: dict[str, str], progress: Progress, mapper: Mapper | None
) -> Iterator[ReconciledEvent]:
    """Each event with its representative date and place, and its claims encoded (lazily, a batch at a
    time; on ``mapper``'s workers when given)."""
    for done in (mapper or map)(reconcile_events, _reconcile_batches(store, events, copies)):
        for reconciled in done:
            progress("reconciled", len(reconciled.event.article_ids))
            yield reconciled


def _link(store: Store, items: dict[str, GroupInput], settings: Settings, frequencies: Frequencies) -> None:
    events = store.events(limit=10**9)
    store.replace_stories(link_stories(events, items, settings.group, frequencies=frequencies), versions=STORY_STAGES)


def _remember_ids(store: Store, before: tuple[dict[str, list[str]], dict[str, list[str]]]) -> None:
    """Redirect the event and story ids of ``before`` (``Store.memberships``) that a regroup removed to
    the ones now holding most of their articles."""
    after = store.memberships()
    store.save_redirects("event", find_successors(before[0], after[0]))
    store.save_redirects("story", find_successors(before[1], after[1]))


def rebuild(
    store: Store, settings: Settings, *, progress: Progress = _quiet, mapper: Mapper | None = None
) -> list[Event]:
    """Recompute duplicates, events, claims and stories from the stored analyses (batch); with
    ``mapper``, its workers cluster the grouping blocks and reconcile the events.

    Events go to reconcile as grouping completes them, and stories are linked on a thread once every
    event is known, so the merging and linking here overlap the work there."""
    with store.writing(), batch_collection(), ThreadPoolExecutor(1) as linker:
        before = store.memberships()
        copies = _dedup(store, settings)
        items = _group_inputs(store)
        frequencies = count_frequencies(i.profile for i in items.values())
        grouped: list[Event] = []
        stories: Future[list[Story]] | None = None

        def events() -> Iterator[Event]:
            nonlocal stories
            for event in iter_events(
                list(items.values()), copies, settings.group, frequencies=frequencies, mapper=mapper or map
            ):
                grouped.append(event)
                yield event
            stories = linker.submit(link_stories, grouped, items, settings.group, frequencies=frequencies)

        written = store.replace_events(_reconcile(store, events(), copies, progress, mapper), versions=EVENT_STAGES)
        if stories is not None:  # every event was grouped: the thread has linked them meanwhile
            store.replace_stories(stories.result(), versions=STORY_STAGES)
        else:
            _link(store, items, settings, frequencies)
        _remember_ids(store, before)
    return written


def update(
    store: Store,
    settings: Settings,
    new_ids: Sequence[str],
    *,
    progress: Progress = _quiet,
    mapper: Mapper | None = None,
) -> list[Event]:
    """Assign new articles to open events or new ones, without regrouping the corpus; return touched events.

    A store without events, or whose events another version of a stage made, is regrouped whole.
    Analysed articles in no event (left so by an interrupted run) are assigned along with ``new_ids``."""
    with store.writing():
        if not store.count_events() or stale_stages(store):
            return rebuild(store, settings, progress=progress, mapper=mapper)
        return _update(store, settings, list(dict.fromkeys([*new_ids, *store.ungrouped_ids()])), progress, mapper)


def _update(
    store: Store, settings: Settings, new_ids: Sequence[str], progress: Progress, mapper: Mapper | None
) -> list[Event]:
    before = store.memberships()
    copies = _dedup(store, settings)
    items = _group_inputs(store)
    new_items = [items[a] for a in new_ids if a in items]
    if not new_items:
        return []
    earliest = min(i.published_at for i in new_items)
    existing = store.events_since(earliest - timedelta(days=settings.group.window_days))
    new_set = set(new_ids)
    groups = [[items[a] for a in e.article_ids if a in items and a not in new_set] for e in existing]
    frequencies = count_frequencies(i.profile for i in items.values())
    touched = assign_incrementally([g for g in groups if g], new_items, copies, settings.group, frequencies=frequencies)
    touched_articles = {a for e in touched for a in e.article_ids}
    removed = [e.event_id for e in existing if touched_articles & set(e.article_ids)]
    removed += [e.event_id for e in touched]
    touched = store.replace_events(_reconcile(store, touched, copies, progress, mapper), removed=removed)
    _link(store, items, settings, frequencies)
    _remember_ids(store, before)
    return touched


def _read_and_store(
    store: Store,
    paths: list[Path],
    settings: Settings,
    now: datetime,
    report: IngestReport,
    progress: Progress,
    size: int,
    fetched: Iterable[RawItem | Article | Rejected] = (),
) -> Iterator[list[str]]:
    """Read and store ``paths`` a chunk at a time, yielding the ids (in batches of ``size``) of the stored
    articles that need analysing, each once; rejected items are stored and counted in ``report``.
    The store's own files are never read as input."""
    articles: list[Article] = []
    rejected: list[Rejected] = []
    sent: set[str] = set()

    def flush() -> list[str]:
        added, new_rejections = store.add_batch(articles, rejected, now=now)
        report.added += added
        report.rejected += rejected
        report.new_rejections += new_rejections
        progress("read", len(articles) + len(rejected))
        pending = [
            a for a in store.pending_among(dict.fromkeys(a.article_id for a in articles), EXTRACTOR) if a not in sent
        ]
        sent.update(pending)
        articles.clear()
        rejected.clear()
        return pending

    for item in chain(read_inputs(paths, max_bytes=settings.ingest.max_bytes, exclude=store.own_files()), fetched):
        results = (
            [item] if isinstance(item, Rejected | Article) else parse_item(item, settings=settings.ingest, now=now)
        )
        for result in results:
            if isinstance(result, Rejected):
                rejected.append(result)
            else:
                report.seen += 1
                articles.append(result)
        if len(articles) + len(rejected) >= settings.ingest.batch_size:
            yield from _in_batches(flush(), size)
    yield from _in_batches(flush(), size)


def fetch_urls(store: Store, urls: Sequence[str], fetcher: Fetcher, progress: Progress = _quiet) -> list[Fetched]:
    """Fetch feed and page URLs, conditionally on what the store remembers of each."""
    cache = {url: Validators(*pair) for url, pair in store.http_validators().items()}
    return list(fetch_all(urls, fetcher, cache, progress=progress))


FULL_PAGES_PER_FEED = 50  # linked pages fetched for a feed's teaser entries per run (politeness bound)


def _full_page(entry: Article, fetched: Fetched, settings: Settings, now: datetime) -> Article | None:
    """The linked page's article in place of a teaser entry (the feed's outlet kept), or None."""
    if not isinstance(fetched.item, RawItem) or fetched.item.fmt != "html":
        return None
    parsed = parse_item(fetched.item, settings=settings.ingest, now=now)
    if len(parsed) != 1 or not isinstance(parsed[0], Article) or parsed[0].content_kind != "full":
        return None
    page = parsed[0]
    if len(page.text) <= len(entry.text):
        return None
    return replace(page, article_id=article_id(entry.source, page.published_at, page.text), source=entry.source)


def with_full_pages(
    store: Store, fetched: list[Fetched], fetcher: Fetcher, settings: Settings, now: datetime, progress: Progress
) -> tuple[list[RawItem | Article | Rejected], list[Fetched]]:
    """The fetched items, with each teaser or caption entry of a feed replaced by its linked page's
    text when that page can be fetched and read (at most ``FULL_PAGES_PER_FEED`` a feed); an entry
    whose page is unchanged since the last run was stored then and is left out.  Returns the items
    and the pages fetched (their validators are kept like the feeds')."""
    cache = {url: Validators(*pair) for url, pair in store.http_validators().items()}
    items: list[RawItem | Article | Rejected] = []
    pages: list[Fetched] = []
    for done in fetched:
        if not isinstance(done.item, RawItem) or done.item.fmt != "feed":
            if done.item is not None:
                items.append(done.item)
            continue
        budget = FULL_PAGES_PER_FEED
        for entry in parse_item(done.item, settings=settings.ingest, now=now):
            if isinstance(entry, Rejected) or entry.content_kind == "full" or not is_url(entry.url) or budget <= 0:
                items.append(entry)
                continue
            budget -= 1
            [page] = fetch_all([entry.url], fetcher, cache, progress=progress)
            pages.append(page)
            if page.unchanged:
                continue
            items.append(_full_page(entry, page, settings, now) or entry)
    return items, pages


def ingest(
    store: Store,
    paths: Iterable[Path],
    settings: Settings,
    *,
    now: datetime,
    workers: int = 1,
    progress: Progress = _quiet,
    mapper: Mapper | None = None,
    parquet: Path | None = None,
    urls: Sequence[str] = (),
    fetcher: Fetcher | None = None,
    full_pages: bool = True,
) -> IngestReport:
    """Read, store, analyse and regroup; bad items are reported, never fatal.

    Parquet part files among ``paths`` (from an earlier distributed run) are stored with their
    analyses; with ``parquet`` set, distributed workers write their results there as parts.
    ``urls`` (feeds and pages) are fetched with ``fetcher``; a URL the server reports unchanged since
    the last run is counted in ``unchanged`` and not read again; with ``full_pages``, a feed's teaser
    entries are replaced by their linked pages (``with_full_pages``).

    The run holds the store's writer lock.  It also analyses articles an earlier, interrupted run
    stored but did not analyse, and groups analysed articles that are in no event, so running the
    same command again after a crash finishes the work."""
    with store.writing():
        return _ingest(store, list(paths), settings, now, workers, progress, mapper, parquet, urls, fetcher, full_pages)


def _ingest(
    store: Store,
    paths: list[Path],
    settings: Settings,
    now: datetime,
    workers: int,
    progress: Progress,
    mapper: Mapper | None,
    parquet: Path | None,
    urls: Sequence[str],
    fetcher: Fetcher | None,
    full_pages: bool,
) -> IngestReport:
    report = IngestReport()
    fetched: list[Fetched] = []
    items: list[RawItem | Article | Rejected] = []
    if urls:
        with ExitStack() as closing:
            if fetcher is None:
                fetcher = Fetcher()
                closing.callback(fetcher.close)
            fetched = fetch_urls(store, urls, fetcher, progress)
            report.unchanged = sum(f.unchanged for f in fetched)
            items, pages = (
                with_full_pages(store, fetched, fetcher, settings, now, progress)
                if full_pages
                else ([f.item for f in fetched if f.item is not None], [])
            )
            fetched += pages
    imported: list[str] = []
    for path in parquet_parts(paths):
        try:
            done, added = import_parts(store, [path], now=now)
        except (OSError, ValueError, KeyError, TypeError) as exc:  # bad parts (InvalidInput) and Arrow's errors
            reason = str(exc) if isinstance(exc, InvalidInput) else f"cannot import part: {type(exc).__name__}: {exc}"
            bad = Rejected(
                display_name(path), reason, "bad_part" if isinstance(exc, InvalidInput) else "internal_error"
            )
            report.new_rejections += store.add_batch([], [bad], now=now)[1]
            report.rejected.append(bad)
            continue
        imported += done
        report.added += added
        report.seen += len(done)
        progress("read", len(done))
    with ExitStack() as stack:
        stack.enter_context(batch_collection())
        if mapper is None and workers > 1:
            mapper = stack.enter_context(pool_mapper(workers))
        # articles are analysed while later ones are read: each stored chunk's new articles go out at once
        size = _analysis_batch(settings, bool(mapper))
        fresh = _read_and_store(store, paths, settings, now, report, progress, size, items)
        analysed = imported + analyse_batches(
            store, fresh, settings, mapper=mapper or map, progress=progress, parquet=parquet
        )
        analysed += analyse_pending(store, settings, progress=progress, mapper=mapper, parquet=parquet)  # earlier runs'
        analysed = list(dict.fromkeys(analysed))  # an id may come back from analyse_pending too: group it once
        report.analysed = len(analysed)
        if analysed or stale_stages(store) or store.ungrouped_ids():
            update(store, settings, analysed, progress=progress, mapper=mapper)
        elif store.count_unlinked_events():  # an interrupted run stored events but not their stories
            inputs = _group_inputs(store)
            _link(store, inputs, settings, count_frequencies(i.profile for i in inputs.values()))
    validators = {
        f.url: (f.validators.etag, f.validators.last_modified) for f in fetched if isinstance(f.item, RawItem)
    }
    if validators:  # only once what they describe is stored: a crash before means a full fetch next time
        store.save_http_validators(validators, now=now)
    report.events = store.count_events()
    return report
