"""What a worker runs: analyse a batch of articles, reconcile a batch of events.

These functions run in this process, in a pool's worker processes or on Dask workers
(``newsfuse.executor``).  They take plain records and return encoded ones
(``newsfuse.encoding``): bytes and JSON text pickle at a fraction of the cost of the records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from newsfuse.assets import load_embedder, load_gazetteer, load_nlp
from newsfuse.encoding import EncodedAnalysis, ReconciledEvent, decode_extraction, encode_analysis, encode_claim
from newsfuse.models import Analysis, Article, Event
from newsfuse.settings import Settings
from newsfuse.stages.brief import representative_day, representative_place
from newsfuse.stages.dedup import minhash_signature
from newsfuse.stages.embed import embed_articles
from newsfuse.stages.extract import extract_facts
from newsfuse.stages.profile import profile_article
from newsfuse.stages.reconcile import reconcile_claims
from newsfuse.store.parquet import write_part


def analyse(articles: Sequence[Article], settings: Settings) -> list[Analysis]:
    """The per-article map stages for one batch: split, extract, MinHash, embed, profile."""
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


def analyse_encoded(articles: Sequence[Article], settings: Settings) -> list[EncodedAnalysis]:
    """Analyse a batch and encode it for the store."""
    return [encode_analysis(a) for a in analyse(articles, settings)]


def analyse_to_part(articles: Sequence[Article], settings: Settings, directory: Path) -> str:
    """Analyse a batch and write it as a Parquet part in ``directory``; return the path."""
    return str(write_part(directory, articles, analyse(articles, settings)))


@dataclass(frozen=True, slots=True)
class EventToReconcile:
    """An event and what reconciling it needs: its member articles (oldest first, text left out),
    their stored extraction JSON and their duplicate links (copy id -> original id)."""

    event: Event
    members: list[Article]
    extractions: dict[str, str]
    copies: dict[str, str]


def reconcile_events(items: Sequence[EventToReconcile]) -> list[ReconciledEvent]:
    """Claims, representative day and place of each event of a batch."""
    done: list[ReconciledEvent] = []
    for item in items:
        extractions = {article_id: decode_extraction(text) for article_id, text in item.extractions.items()}
        found = reconcile_claims(item.event, item.members, extractions, item.copies)
        event = replace(item.event, day=representative_day(item.event, found), place=representative_place(found))
        done.append(ReconciledEvent(event, [encode_claim(c) for c in found]))
    return done
