"""Run the stages in order: load from the store, call a pure stage, save.

    sources -> ingest -> [split, extract, minhash, embed] -> dedup -> group
            -> reconcile -> store;  write (brief) reads the stored results.

Each save is one transaction, so an interrupted run leaves the database as
it was after the last finished batch, and the next run picks up from there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path

from newsfuse.models import Analysis, Article, Brief, Claim, Event, Rejected
from newsfuse.settings import Settings
from newsfuse.sources.files import read_inputs
from newsfuse.sources.models import load_embedder, load_gazetteer, load_nlp
from newsfuse.stages.brief import write_brief
from newsfuse.stages.dedup import find_duplicates, minhash_signature
from newsfuse.stages.embed import embed_articles
from newsfuse.stages.extract import extract_facts
from newsfuse.stages.group import GroupInput, article_keys, group_into_events
from newsfuse.stages.ingest import parse_item
from newsfuse.stages.reconcile import reconcile_claims
from newsfuse.store import Store


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


def _quiet(_: str, __: int) -> None:
    return None


def analyse(articles: Sequence[Article], settings: Settings) -> list[Analysis]:
    """The per-article map stages for one batch: split, extract, MinHash, embed."""
    extractions = extract_facts(articles, nlp=load_nlp(), gazetteer=load_gazetteer(), settings=settings.extract)
    vectors = embed_articles(articles, load_embedder())
    return [
        Analysis(extraction, minhash_signature(article.text, settings.dedup), tuple(float(x) for x in vector))
        for article, extraction, vector in zip(articles, extractions, vectors, strict=True)
    ]


def _chunks(articles: Sequence[Article], size: int) -> list[Sequence[Article]]:
    return [articles[i : i + size] for i in range(0, len(articles), size)]


def analyse_pending(store: Store, settings: Settings, *, workers: int = 1, progress: Progress = _quiet) -> int:
    """Analyse every stored article that has no analysis yet; return how many."""
    done = 0
    batch = max(settings.ingest.batch_size, 1)
    pool = None
    try:
        while articles := store.pending_articles(batch * max(workers, 1) * 2):
            if workers > 1 and len(articles) >= 64:
                if pool is None:
                    pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork"))
                size = max(16, len(articles) // (workers * 4))
                chunks = _chunks(articles, size)
                results = [a for part in pool.map(analyse, chunks, [settings] * len(chunks)) for a in part]
            else:
                results = analyse(articles, settings)
            store.save_analyses(results)
            done += len(results)
            progress("analysed", len(results))
    finally:
        if pool is not None:
            pool.shutdown()
    return done


def rebuild(store: Store, settings: Settings) -> list[Event]:
    """Recompute duplicates, events and claims from the stored analyses."""
    meta = store.article_meta()
    minhashes = store.vectors("minhash")
    duplicates = find_duplicates([(a, t, minhashes[a]) for a, _, t in meta if a in minhashes], settings.dedup)
    store.replace_duplicates(duplicates)
    copies = {d.article_id: d.original_id for d in duplicates}
    embeddings = store.vectors("embedding")
    extractions = store.extractions(a for a, _, _ in meta)
    articles = {a.article_id: a for a in store.articles(a for a, _, _ in meta)}
    items = [
        GroupInput(a, articles[a].title, t, embeddings[a], article_keys(extractions[a]))
        for a, _, t in meta
        if a in embeddings and a in extractions
    ]
    events = group_into_events(items, copies, settings.group)
    claims: list[Claim] = []
    for event in events:
        members = [articles[a] for a in event.article_ids]
        claims += reconcile_claims(event, members, extractions, copies)
    store.replace_events(events, claims)
    return events


def ingest(
    store: Store,
    paths: Iterable[Path],
    settings: Settings,
    *,
    now: datetime,
    workers: int = 1,
    progress: Progress = _quiet,
) -> IngestReport:
    """Read, store, analyse and regroup; bad items are reported, never fatal."""
    report = IngestReport()
    articles: list[Article] = []
    rejected: list[Rejected] = []

    def flush() -> None:
        report.added += store.add_articles(articles, rejected, now=now)
        report.rejected += rejected
        progress("read", len(articles) + len(rejected))
        articles.clear()
        rejected.clear()

    for item in read_inputs(paths, max_bytes=settings.ingest.max_bytes):
        results = [item] if isinstance(item, Rejected) else parse_item(item, settings=settings.ingest, now=now)
        for result in results:
            if isinstance(result, Rejected):
                rejected.append(result)
            else:
                report.seen += 1
                articles.append(result)
        if len(articles) + len(rejected) >= settings.ingest.batch_size:
            flush()
    flush()
    report.analysed = analyse_pending(store, settings, workers=workers, progress=progress)
    if report.analysed or report.added:
        report.events = len(rebuild(store, settings))
    return report


def brief(store: Store, event_id: str) -> Brief:
    """The brief of one stored event (``NotFound`` for an unknown id)."""
    event = store.event(event_id)
    articles = store.articles(event.article_ids)
    extractions = store.extractions(event.article_ids)
    copies = {k: v for k, v in store.duplicates().items() if k in set(event.article_ids)}
    return write_brief(event, articles, extractions, store.claims(event.event_id), copies)


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))
