"""The Dask path, with or without Parquet parts, gives the same events as the single-process run
(on BASIL's 300 real articles), and the parts read back into a new store without re-analysis."""

from __future__ import annotations

import gc
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsfuse.evaluation.datasets import read_dataset
from newsfuse.executor import batch_collection, dask_mapper, pool_mapper
from newsfuse.models import EXTRACTOR
from newsfuse.pipeline import ingest
from newsfuse.settings import Settings
from newsfuse.store import Store

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _full_collection_threshold(_: object) -> int:
    return gc.get_threshold()[2]


def test_batch_collection_holds_back_full_collections_and_restores() -> None:
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    kept = [object() for _ in range(10)]
    with batch_collection():
        assert gc.get_threshold()[2] >= 1000 and gc.get_threshold()[:2] == before[:2]
        assert gc.get_freeze_count() > frozen  # what was alive on entry is out of the collector's way
        with batch_collection():  # nested: still held
            pass
        assert gc.get_threshold()[2] >= 1000
        with pool_mapper(2) as mapper:  # forked workers inherit it
            assert list(mapper(_full_collection_threshold, [1, 2])) == [gc.get_threshold()[2]] * 2
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen
    assert len(kept) == 10


@pytest.mark.skipif(not (DATA / "basil").exists(), reason="shared/data not present")
def test_cluster_dask_local_matches_single_process(tmp_path: Path) -> None:
    source = tmp_path / "basil.jsonl"
    lines = [
        json.dumps(
            {
                "text": x.article.text,
                "title": x.article.title,
                "source": x.article.source,
                "date": x.article.published_at.isoformat(),
            }
        )  # fmt: skip
        for x in read_dataset("basil", DATA)
    ]
    source.write_text("\n".join(lines))
    parts = tmp_path / "parts"
    partitions = []
    extractions = []
    claims = []
    modes = (("single", "", None), ("pool", "", None), ("dask", "local", None), ("parquet", "local", parts))
    settings = replace(Settings(), group=replace(Settings().group, block_size=100))  # grouping blocks on workers
    stories = []
    for name, mapper_address, parquet in modes:
        with Store(tmp_path / f"{name}.db") as store:
            if mapper_address:
                with dask_mapper(mapper_address, workers=2) as mapper:
                    report = ingest(store, [source], settings, now=NOW, mapper=mapper, parquet=parquet)
            else:
                report = ingest(store, [source], settings, now=NOW, workers=2 if name == "pool" else 1)
            assert report.analysed == 300
            events = store.events(limit=1000)
            partitions.append({frozenset(e.article_ids) for e in events})
            extractions.append(store.extractions(a for a, *_ in store.article_meta()))
            claims.append({(e.day, e.place, tuple(store.claims(e.event_id))) for e in events})  # reconciled on workers
            stories.append({(s.label, s.event_ids) for s in store.stories(limit=1000)})
    assert partitions[0] == partitions[1] == partitions[2] == partitions[3]
    assert extractions[0] == extractions[3]
    assert claims[0] == claims[1] == claims[2] == claims[3]
    assert stories[0] == stories[1] == stories[2] == stories[3]
    assert sum(len(c) for *_, c in claims[0]) > 300
    assert len(list(parts.glob("part-*.parquet"))) >= 2

    # the parts alone rebuild the same store: articles and analyses come back, nothing is analysed again
    with Store(tmp_path / "from-parts.db") as store:
        report = ingest(store, [parts], settings, now=NOW)
        assert (report.added, report.analysed, report.rejected) == (300, 300, [])
        assert store.pending_ids(EXTRACTOR) == []
        assert {frozenset(e.article_ids) for e in store.events(limit=1000)} == partitions[0]
        assert store.extractions(a for a, *_ in store.article_meta()) == extractions[0]
