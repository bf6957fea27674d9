"""Run the stages in order: load from the store, call a pure stage, save.

    sources -> ingest -> [split, extract, minhash, embed] -> dedup -> group
            -> reconcile -> store;  write (brief) reads the stored results.

Each save is one transaction, so an interrupted run leaves the database as
it was after the last finished batch, and the next run picks up from there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from newsfuse.cluster import Mapper, batch_collection, pool_mapper, serial_mapper
from newsfuse.errors import InvalidInput
from newsfuse.models import EXTRACTOR, Analysis, Article, Brief, Event, Rejected, Story, TimelineEntry
from newsfuse.settings import Settings, TimelineSettings
from newsfuse.sources.files import parquet_parts, read_inputs
from newsfuse.sources.models import load_embedder, load_gazetteer, load_nlp
from newsfuse.stages.brief import representative_day, representative_place, write_brief
from newsfuse.stages.dedup import find_duplicates, minhash_signature
from newsfuse.stages.embed import embed_articles
from newsfuse.stages.extract import extract_facts
from newsfuse.stages.group import (
    Frequencies,
    GroupInput,
    assign_incrementally,
    count_frequencies,
    iter_events,
)
from newsfuse.stages.ingest import parse_item
from newsfuse.stages.link import link_stories
from newsfuse.stages.profile import profile_article
from newsfuse.stages.reconcile import reconcile_claims
from newsfuse.stages.timeline import build_timeline
from newsfuse.store import Store
from newsfuse.store.parquet import part_rows, read_part, write_part
from newsfuse.store.store import AnalysisRow, ClaimRow, analysis_row, claim_row, decode_extraction


@dataclass(frozen=True, slots=True)
class Stage:
    """A stage and the tables it reads and writes."""

    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]


STAGES = (
    Stage("ingest", ("files",), ("articles", "articles_fts", "rejections")),
    Stage("analyse", ("articles",), ("analyses",)),
    Stage("dedup", ("analyses",), ("duplicates",)),
    Stage("group", ("analyses", "duplicates"), ("events", "event_articles")),
    Stage("reconcile", ("analyses", "duplicates", "events"), ("claims",)),
    Stage("link", ("analyses", "events"), ("stories",)),
    Stage("brief", ("events", "claims", "analyses"), ()),
)


def check() -> list[str]:
    """Tables a stage reads that no earlier stage writes (empty when the order is sound)."""
    written = {"files"}
    problems = []
    for stage in STAGES:
        problems += [f"{stage.name} reads {t} before anything writes it" for t in stage.reads if t not in written]
        written |= set(stage.writes)
    return problems


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: int = 0
    seen: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    analysed: int = 0
    events: int = 0


Progress = Callable[[str, int], None]
_RECONCILE_BATCH = 500  # articles per batch of events sent to reconcile


def _quiet(_: str, __: int) -> None:
    return None


def analyse(articles: Sequence[Article], settings: Settings) -> list[Analysis]:
    """The per-article map stages for one batch: split, extract, MinHash, embed."""
    nlp = load_nlp() if settings.extract.max_model_words > 0 else None
    extractions = extract_facts(articles, nlp=nlp, gazetteer=load_gazetteer(), settings=settings.extract)
    vectors = embed_articles(articles, load_embedder())
    return [
        Analysis(
            extraction,
            minhash_signature(article.text, settings.dedup),
            tuple(vector.tolist()),
            profile_article(article, extraction),
        )
        for article, extraction, vector in zip(articles, extractions, vectors, strict=True)
    ]


def analyse_rows(articles: Sequence[Article], settings: Settings) -> list[AnalysisRow]:
    """Analyse a batch and encode it for the store (run on a worker: encoded rows cost a fraction of
    pickling the records on the way back)."""
    return [analysis_row(a) for a in analyse(articles, settings)]


def analyse_to_part(articles: Sequence[Article], settings: Settings, directory: Path) -> str:
    """Analyse a batch and write it as a Parquet part in ``directory`` (run on a worker); return the path."""
    return str(write_part(directory, articles, analyse(articles, settings)))


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
    mapper: Mapper = serial_mapper,
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
        else partial(analyse_rows, settings=settings)
    )
    done: list[str] = []
    for result in mapper(function, (store.articles(ids) for ids in id_batches)):
        rows: list[AnalysisRow] = part_rows(Path(result)) if parquet is not None else result
        store.save_analysis_rows(rows)
        done += [row[0] for row in rows]
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
            mapper = stack.enter_context(pool_mapper(workers)) if parallel else serial_mapper
        return analyse_batches(
            store, _in_batches(ids, size), settings, mapper=mapper, progress=progress, parquet=parquet
        )


def _group_inputs(store: Store) -> dict[str, GroupInput]:
    embeddings = store.vectors("embedding")
    profiles = store.profiles()
    return {
        article_id: GroupInput(article_id, title, published_at, embeddings[article_id], profiles[article_id])
        for article_id, _, published_at, title in store.article_meta()
        if article_id in embeddings and article_id in profiles
    }


def _dedup(store: Store, settings: Settings) -> dict[str, str]:
    minhashes = store.vectors("minhash")
    meta = [(a, t, minhashes[a]) for a, _, t, _ in store.article_meta() if a in minhashes]
    duplicates = find_duplicates(meta, settings.dedup)
    store.replace_duplicates(duplicates)
    return {d.article_id: d.original_id for d in duplicates}


ReconcileItem = tuple[Event, list[Article], dict[str, str], dict[str, str]]


def reconcile_events(items: Sequence[ReconcileItem]) -> list[tuple[Event, list[ClaimRow]]]:
    """Claims, representative day and place of a batch of events, each given with its member articles,
    their stored extraction JSON and their duplicate links (runs on a worker when there is one:
    extractions travel as JSON and claims come back as store rows, both far cheaper to pickle)."""
    done: list[tuple[Event, list[ClaimRow]]] = []
    for event, members, raw, copies in items:
        extractions = {article_id: decode_extraction(text) for article_id, text in raw.items()}
        found = reconcile_claims(event, members, extractions, copies)
        day, place = representative_day(event, found), representative_place(found)
        done.append((replace(event, day=day, place=place), [claim_row(c) for c in found]))
    return done


def _reconcile_batches(store: Store, events: Iterable[Event], copies: dict[str, str]) -> Iterator[list[ReconcileItem]]:
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


def _reconcile_items(store: Store, events: list[Event], copies: dict[str, str]) -> list[ReconcileItem]:
    ids = [a for e in events for a in e.article_ids]
    by_id = {a.article_id: a for a in store.articles(ids, text=False)}
    raw = store.extraction_json(ids)
    return [
        (
            e,
            sorted((by_id[a] for a in e.article_ids if a in by_id), key=lambda a: (a.published_at, a.article_id)),
            {a: raw[a] for a in e.article_ids if a in raw},
            {a: copies[a] for a in e.article_ids if a in copies},
        )
        for e in events
    ]


def _reconcile(
    store: Store, events: Iterable[Event], copies: dict[str, str], progress: Progress, mapper: Mapper | None
) -> Iterator[tuple[Event, list[ClaimRow]]]:
    """Each event with its representative date and place, and its claims as rows (lazily, a batch at a time;
    on ``mapper``'s workers when given)."""
    for done in (mapper or serial_mapper)(reconcile_events, _reconcile_batches(store, events, copies)):
        for event, rows in done:
            progress("reconciled", len(event.article_ids))
            yield event, rows


def _link(store: Store, items: dict[str, GroupInput], settings: Settings, frequencies: Frequencies) -> None:
    events = store.events(limit=10**9)
    store.replace_stories(link_stories(events, items, settings.group, frequencies=frequencies))


def rebuild(
    store: Store, settings: Settings, *, progress: Progress = _quiet, mapper: Mapper | None = None
) -> list[Event]:
    """Recompute duplicates, events, claims and stories from the stored analyses (batch); with
    ``mapper``, its workers cluster the grouping blocks and reconcile the events.

    Events go to reconcile as grouping completes them, and stories are linked on a thread once every
    event is known, so the merging and linking here overlap the work there."""
    with batch_collection(), ThreadPoolExecutor(1) as linker:
        copies = _dedup(store, settings)
        items = _group_inputs(store)
        frequencies = count_frequencies(i.profile for i in items.values())
        grouped: list[Event] = []
        stories: Future[list[Story]] | None = None

        def events() -> Iterator[Event]:
            nonlocal stories
            for event in iter_events(
                list(items.values()), copies, settings.group, frequencies=frequencies, mapper=mapper or serial_mapper
            ):
                grouped.append(event)
                yield event
            stories = linker.submit(link_stories, grouped, items, settings.group, frequencies=frequencies)

        written = store.replace_events(_reconcile(store, events(), copies, progress, mapper))
        assert stories is not None  # replace_events read every event
        store.replace_stories(stories.result())
    return written


def update(
    store: Store,
    settings: Settings,
    new_ids: Sequence[str],
    *,
    progress: Progress = _quiet,
    mapper: Mapper | None = None,
) -> list[Event]:
    """Assign new articles to open events or new ones, without regrouping the corpus; return touched events."""
    if not store.count_events():
        return rebuild(store, settings, progress=progress, mapper=mapper)
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
    return touched


def _read_and_store(
    store: Store,
    paths: list[Path],
    settings: Settings,
    now: datetime,
    report: IngestReport,
    progress: Progress,
    size: int,
) -> Iterator[list[str]]:
    """Read and store ``paths`` a chunk at a time, yielding the ids (in batches of ``size``) of the stored
    articles that need analysing; rejected items are stored and counted in ``report``."""
    articles: list[Article] = []
    rejected: list[Rejected] = []

    def flush() -> list[str]:
        report.added += store.add_articles(articles, rejected, now=now)
        report.rejected += rejected
        progress("read", len(articles) + len(rejected))
        pending = store.pending_among(dict.fromkeys(a.article_id for a in articles), EXTRACTOR)
        articles.clear()
        rejected.clear()
        return pending

    for item in read_inputs(paths, max_bytes=settings.ingest.max_bytes):
        results = [item] if isinstance(item, Rejected) else parse_item(item, settings=settings.ingest, now=now)
        for result in results:
            if isinstance(result, Rejected):
                rejected.append(result)
            else:
                report.seen += 1
                articles.append(result)
        if len(articles) + len(rejected) >= settings.ingest.batch_size:
            yield from _in_batches(flush(), size)
    yield from _in_batches(flush(), size)


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
) -> IngestReport:
    """Read, store, analyse and regroup; bad items are reported, never fatal.

    Parquet part files among ``paths`` (from an earlier distributed run) are stored with their
    analyses; with ``parquet`` set, distributed workers write their results there as parts."""
    report = IngestReport()
    paths = list(paths)
    imported: list[str] = []
    for path in parquet_parts(paths):
        try:
            done, added = import_parts(store, [path], now=now)
        except InvalidInput as exc:
            bad = Rejected(str(path), str(exc))
            store.add_articles([], [bad], now=now)
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
        fresh = _read_and_store(store, paths, settings, now, report, progress, _analysis_batch(settings, bool(mapper)))
        analysed = imported + analyse_batches(
            store, fresh, settings, mapper=mapper or serial_mapper, progress=progress, parquet=parquet
        )
        analysed += analyse_pending(store, settings, progress=progress, mapper=mapper, parquet=parquet)  # earlier runs'
        report.analysed = len(analysed)
        if analysed:
            update(store, settings, analysed, progress=progress, mapper=mapper)
    report.events = store.count_events()
    return report


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
