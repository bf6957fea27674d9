"""Parquet files: analysed articles written by distributed workers, and exports of a whole store.

A *part* file holds one batch of analysed articles, a row each: the article's fields and its
analysis as the same bytes SQLite keeps (extraction JSON, MinHash, embedding, profile).  Workers
write parts to a directory every machine can reach; ``newsfuse ingest DIR`` reads parts back
into a SQLite store without analysing them again (when the extractor version matches).

``export_store`` writes every table of a store as ``DIR/<table>.parquet`` for pandas, DuckDB or
Spark.  Files are written to a temporary name and renamed, so a crashed writer leaves no half file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsfuse.encoding import ANALYSIS_COLUMNS, EncodedAnalysis, decode_analysis, encode_analysis
from newsfuse.errors import InvalidInput
from newsfuse.ids import part_id
from newsfuse.models import Analysis, Article
from newsfuse.store.store import EXPORT_TABLES, Store

PART_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("source", pa.string()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("published_at", pa.string()),  # ISO 8601 with offset, as in SQLite
        ("url", pa.string()),
        ("language", pa.string()),
        ("origin", pa.string()),
        ("produced_by", pa.string()),
        ("extraction", pa.string()),
        ("minhash", pa.binary()),
        ("embedding", pa.binary()),
        ("profile", pa.binary()),
    ]
)


def part_name(articles: Sequence[Article]) -> str:
    """A name fixed by the batch's article ids, so a retried task overwrites its own part."""
    return f"part-{part_id(a.article_id for a in articles)}.parquet"


def _write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, partial, compression="zstd")
    partial.replace(path)


def write_part(directory: Path, articles: Sequence[Article], analyses: Sequence[Analysis]) -> Path:
    """Write one batch of analysed articles as a part file in ``directory``; return its path."""
    by_id = {a.extraction.article_id: a for a in analyses}
    rows: dict[str, list[object]] = {name: [] for name in PART_SCHEMA.names}
    for article in articles:
        values = (
            article.article_id, article.source, article.title, article.text, article.published_at.isoformat(),
            article.url, article.language, article.origin, *encode_analysis(by_id[article.article_id])[1:],
        )  # fmt: skip
        for name, value in zip(PART_SCHEMA.names, values, strict=True):
            rows[name].append(value)
    path = Path(directory) / part_name(articles)
    _write(pa.table(rows, schema=PART_SCHEMA), path)
    return path


def _part_table(path: Path) -> pa.Table:
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowInvalid) as exc:
        raise InvalidInput(f"{path}: not a readable Parquet file ({exc})") from exc
    if not set(PART_SCHEMA.names) <= set(table.column_names):
        missing = sorted(set(PART_SCHEMA.names) - set(table.column_names))
        raise InvalidInput(f"{path}: not a newsfuse part file (missing {', '.join(missing)})")
    return table


def part_analyses(path: Path) -> list[EncodedAnalysis]:
    """The analyses of a part file, bytes as written (for parts this run's workers wrote)."""
    columns = _part_table(path).select(list(ANALYSIS_COLUMNS)).to_pydict()
    return [EncodedAnalysis(*values) for values in zip(*(columns[name] for name in ANALYSIS_COLUMNS), strict=True)]


def read_part(path: Path) -> tuple[list[Article], list[Analysis], str]:
    """Articles and analyses of a part file, and the extractor version that produced them (decoded, so a
    damaged part is rejected)."""
    table = _part_table(path)
    articles: list[Article] = []
    analyses: list[Analysis] = []
    versions = set()
    for row in table.to_pylist():
        articles.append(
            Article(
                row["article_id"], row["source"], row["title"], row["text"],
                datetime.fromisoformat(row["published_at"]), row["url"], row["language"], row["origin"],
            )
        )  # fmt: skip
        analyses.append(decode_analysis(EncodedAnalysis(*(row[name] for name in ANALYSIS_COLUMNS))))
        versions.add(row["produced_by"])
    return articles, analyses, ",".join(sorted(versions))


def export_store(store: Store, directory: Path) -> dict[str, int]:
    """Write every table of ``store`` as ``directory/<table>.parquet``; return rows per table."""
    counts: dict[str, int] = {}
    directory.mkdir(parents=True, exist_ok=True)
    for table in EXPORT_TABLES:
        path = directory / f"{table}.parquet"
        partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        writer: pq.ParquetWriter | None = None
        counts[table] = 0
        try:
            for columns, rows in store.table_batches(table):
                batch = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})
                if writer is None:
                    writer = pq.ParquetWriter(partial, batch.schema, compression="zstd")
                writer.write_table(batch.cast(writer.schema))
                counts[table] += len(rows)
        finally:
            if writer is not None:
                writer.close()
        if writer is None:  # an empty table: no file, and no stale one from an earlier export
            path.unlink(missing_ok=True)
            continue
        partial.replace(path)
    return counts


__all__ = ["PART_SCHEMA", "export_store", "part_name", "read_part", "write_part"]
