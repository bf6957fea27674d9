"""Parquet parts and exports: what goes in comes back out, and bad files are rejected one by one."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsfuse.encoding import encode_analysis
from newsfuse.errors import InvalidInput
from newsfuse.models import EXTRACTOR, Analysis, Article, Extraction
from newsfuse.pipeline import ingest
from newsfuse.settings import Settings
from newsfuse.store import Store
from newsfuse.store.parquet import export_store, part_analyses, read_part, write_part


def _stored(path: Path) -> tuple[list[Article], dict[str, Extraction]]:
    with Store(path) as store:
        ids = [a for a, *_ in store.article_meta()]
        return store.articles(ids), store.extractions(ids)


def test_parquet_part_round_trips_articles_and_analyses(sample_db: Path, tmp_path: Path) -> None:
    articles, extractions = _stored(sample_db)
    with Store(sample_db) as store:
        minhashes, embeddings = store.vectors("minhash"), store.vectors("embedding")
    analyses = [
        Analysis(extractions[a.article_id], tuple(minhashes[a.article_id]), tuple(embeddings[a.article_id]))
        for a in articles
    ]
    path = write_part(tmp_path / "parts", articles, analyses)
    assert write_part(tmp_path / "parts", articles, analyses) == path  # a retried batch overwrites its part
    back, back_analyses, version = read_part(path)
    assert back == articles
    assert [a.extraction for a in back_analyses] == [extractions[a.article_id] for a in articles]
    assert [a.minhash for a in back_analyses] == [a.minhash for a in analyses]
    assert version == EXTRACTOR
    assert part_analyses(path) == [encode_analysis(a) for a in analyses]  # the store's bytes, not re-encoded
    assert not list((tmp_path / "parts").glob(".*tmp"))


def test_parquet_export_writes_every_table_with_its_rows(sample_db: Path, tmp_path: Path) -> None:
    with Store(sample_db) as store:
        counts = export_store(store, tmp_path / "export")
    assert counts["articles"] == 2 and counts["event_articles"] == 2 and counts["claims"] > 10
    for table, rows in counts.items():
        path = tmp_path / "export" / f"{table}.parquet"
        assert path.exists() == (rows > 0)
        if rows:
            assert pq.read_metadata(path).num_rows == rows
    events = pq.read_table(tmp_path / "export" / "events.parquet").to_pylist()
    assert events[0]["place"] == "Albu Kamal, Syria"


def test_parquet_bad_part_is_rejected_and_the_rest_goes_on(
    sample_db: Path, samples_dir: Path, tmp_path: Path, now: datetime
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.parquet").write_bytes(b"PAR1 not really")
    pq.write_table(pq.read_table(_export_articles(sample_db, tmp_path)), folder / "foreign.parquet")
    shutil.copy(next(samples_dir.glob("*.txt")), folder / "sample.txt")
    with Store(tmp_path / "new.db") as store:
        report = ingest(store, [folder], Settings(), now=now)
        reasons = {Path(r.origin).name: r.reason for r in report.rejected}
        assert "not a readable Parquet file" in reasons["broken.parquet"]
        assert "not a newsfuse part file" in reasons["foreign.parquet"]
        assert report.added == 1 and store.count_articles() == 1
        assert {Path(r.origin).name for r in store.rejections()} == {"broken.parquet", "foreign.parquet"}


def _export_articles(db: Path, tmp_path: Path) -> Path:
    with Store(db) as store:
        export_store(store, tmp_path / "export")
    return tmp_path / "export" / "articles.parquet"


def test_parquet_read_part_of_missing_file_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not a readable Parquet file"):
        read_part(tmp_path / "missing.parquet")
