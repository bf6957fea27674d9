"""The Dask path gives the same events as the single-process run (on BASIL's 300 real articles)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsfuse.cluster import dask_mapper
from newsfuse.pipeline import ingest
from newsfuse.settings import Settings
from newsfuse.sources.datasets import read_dataset
from newsfuse.store import Store

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


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
    partitions = []
    for name, mapper_address in (("single", ""), ("dask", "local")):
        with Store(tmp_path / f"{name}.db") as store:
            if mapper_address:
                with dask_mapper(mapper_address, workers=2) as mapper:
                    report = ingest(store, [source], Settings(), now=NOW, mapper=mapper)
            else:
                report = ingest(store, [source], Settings(), now=NOW)
            assert report.analysed == 300
            partitions.append({frozenset(e.article_ids) for e in store.events(limit=1000)})
    assert partitions[0] == partitions[1]
