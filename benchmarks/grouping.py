"""Grouping throughput on Timeline17, and how its cost grows with corpus size.

    python benchmarks/grouping.py [--data ../shared/data] [--scales 1,2,4]

The 4,650 articles are analysed once (not timed here: see benchmarks/ingest.py),
then grouped into events (and events linked into stories) at 1x, 2x and 4x the
corpus: copy k is the corpus again with every date shifted by k times its
span plus 30 days, so copies never share an event and each scale is a longer
stream of the same density.  Prints articles/second and the peak memory that
grouping allocates (tracemalloc).
"""

from __future__ import annotations

import argparse
import dataclasses
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

import numpy as np

from newsfuse.evaluation.datasets import read_t17
from newsfuse.settings import Settings
from newsfuse.stages.group import GroupInput, count_frequencies, group_into_events
from newsfuse.stages.link import link_stories
from newsfuse.work import analyse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data")
    parser.add_argument("--scales", default="1,2,4")
    args = parser.parse_args()
    settings = Settings()
    articles = [a for topic in read_t17(args.data) for a in topic.articles]
    started = time.perf_counter()
    analyses = []
    for start in range(0, len(articles), 500):
        analyses += analyse(articles[start : start + 500], settings)
    print(f"analysed {len(articles)} articles in {time.perf_counter() - started:.0f} s (setup, not the figure)")
    base = [
        GroupInput(a.article_id, a.title, a.published_at, np.asarray(x.embedding, dtype=np.float32), x.profile)
        for a, x in zip(articles, analyses, strict=True)
    ]
    span = max(i.published_at for i in base) - min(i.published_at for i in base) + timedelta(days=30)
    print("| scale | articles | events | stories | seconds | articles/s | peak MiB (tracemalloc) |")
    print("|---|---|---|---|---|---|---|")
    for scale in (int(s) for s in args.scales.split(",")):
        items = [
            dataclasses.replace(i, article_id=f"{k}:{i.article_id}", published_at=i.published_at + span * k)
            for k in range(scale)
            for i in base
        ]
        tracemalloc.start()
        started = time.perf_counter()
        frequencies = count_frequencies(i.profile for i in items)
        events = group_into_events(items, {}, settings.group, frequencies=frequencies)
        stories = link_stories(events, {i.article_id: i for i in items}, settings.group, frequencies=frequencies)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(
            f"| {scale}x | {len(items)} | {len(events)} | {len(stories)} | {seconds:.1f} | {len(items) / seconds:,.0f}"
            f" | {peak:.0f} |"
        )


if __name__ == "__main__":
    main()
