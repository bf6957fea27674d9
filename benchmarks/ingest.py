"""Ingest + extract throughput on Timeline17 (4,650 articles), printed as articles/second.

    python benchmarks/ingest.py [--data ../shared/data/t17] [--workers 2] [--limit N]

Phases are timed separately: read+parse+store, analyse (split, spaCy NER on a
bounded part of each article, rule taggers, MinHash, embedding) and rebuild
(dedup, grouping, reconciliation).  Peak memory is the largest RSS of this
process and its workers.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from newsfuse.models import Rejected
from newsfuse.pipeline import analyse_pending, rebuild
from newsfuse.settings import Settings
from newsfuse.sources.files import read_inputs
from newsfuse.stages.ingest import parse_item
from newsfuse.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/t17")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="stop after this many articles (0 = all)")
    args = parser.parse_args()
    settings = Settings()
    now = datetime.now(UTC)
    files = sorted(args.data.glob("*/articles.jsonl.gz"))
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        start = time.perf_counter()
        articles, rejected = [], []
        for item in read_inputs(files, max_bytes=settings.ingest.max_bytes):
            for result in [item] if isinstance(item, Rejected) else parse_item(item, settings=settings.ingest, now=now):
                (rejected if isinstance(result, Rejected) else articles).append(result)
            if args.limit and len(articles) >= args.limit:
                break
        for i in range(0, len(articles), 1000):
            store.add_articles(articles[i : i + 1000], rejected if i == 0 else [], now=now)
        stored = time.perf_counter()
        analysed = len(analyse_pending(store, settings, workers=args.workers))
        extracted = time.perf_counter()
        events = rebuild(store, settings)
        done = time.perf_counter()
    words = sum(len(a.text.split()) for a in articles)
    peak = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )
    print(f"articles: {len(articles)} parsed, {len(rejected)} rejected, {analysed} analysed, {words:,} words")
    print(f"workers: {args.workers}")
    print(f"read+parse+store: {stored - start:.1f} s ({len(articles) / (stored - start):.0f} articles/s)")
    print(
        f"analyse (extract+minhash+embed): {extracted - stored:.1f} s"
        f" ({analysed / (extracted - stored):.1f} articles/s)"
    )
    print(f"ingest+extract end to end: {extracted - start:.1f} s = {analysed / (extracted - start):.1f} articles/s")
    print(f"rebuild (dedup+group+reconcile): {done - extracted:.1f} s, {len(events)} events")
    print(f"everything: {done - start:.1f} s = {analysed / (done - start):.1f} articles/s")
    print(f"peak RSS (largest process): {peak / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
