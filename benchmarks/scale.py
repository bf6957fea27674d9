"""Scale: ingest -> group -> reconcile on 25k, 50k and 100k articles: one process, a pool, Dask.

    python benchmarks/scale.py [--data ../shared/data] [--sizes 25000,50000,100000]
                               [--modes single,pool,dask] [--profile bulk|full]

The corpus is built from every real article under ``shared/data`` that has a date (Timeline17,
BASIL, ECB+, NeuS, MEANTIME: 7,867 articles).  Copy k of it (k = 0, 1, ...) has every date moved
k x 365 weeks back (whole weeks, so "on Thursday" still names the same weekday; seven years, so a
copy never shares a grouping or dedup window with its own original) and every outlet renamed
"outlet~k", which makes a distinct article id.  A size of N takes the first N articles of
copies 0, 1, 2, ... written as JSONL.gz files of 5,000 lines.

Each (mode, size) runs in a fresh process: ``newsfuse.pipeline.ingest`` on those files into an
empty SQLite store (read, parse, store, analyse, dedup, group, reconcile, link stories).
``single`` is one process; ``pool`` is ``--workers 2`` (a local pool of 2 forked processes, the
default way to use more cores); ``dask`` is a LocalCluster of 2 single-threaded worker processes.
In ``pool`` and ``dask`` the workers also reconcile the events (the client groups them).
Peak memory is the largest sum of resident memory over this process and all its children,
sampled every 0.2 s.  ``--profile bulk`` (the default here) sets ``[extract] max_model_words = 0``:
the rule taggers and gazetteer read every sentence but no text goes through spaCy's NER, so
events carry no person/organisation entities; ``full`` is the default ``newsfuse`` settings.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil

DATA = Path(__file__).resolve().parents[2] / "shared/data"
SHIFT = timedelta(weeks=365)
PER_FILE = 5_000


def _pool(data: Path) -> list[dict[str, str]]:
    from newsfuse.evaluation.datasets import dated_articles

    return [
        {"title": a.title, "text": a.text, "source": a.source, "date": a.published_at.isoformat()}
        for a in dated_articles(data)
    ]


def _copies(pool: list[dict[str, str]], size: int) -> Iterator[dict[str, str]]:
    made = 0
    for k in range(size // len(pool) + 1):
        for row in pool:
            if made == size:
                return
            date = datetime.fromisoformat(row["date"]) - SHIFT * k
            yield {**row, "date": date.isoformat(), "source": f"{row['source']}~{k}" if k else row["source"]}
            made += 1


def build_corpus(data: Path, size: int, folder: Path) -> tuple[list[Path], int]:
    """Write ``size`` articles as JSONL.gz files in ``folder``; return the files and the pool size."""
    pool = _pool(data)
    rows = list(_copies(pool, size))
    files: list[Path] = []
    for start in range(0, len(rows), PER_FILE):
        files.append(folder / f"corpus-{start // PER_FILE:03d}.jsonl.gz")
        with gzip.open(files[-1], "wt", encoding="utf-8", compresslevel=1) as handle:
            handle.writelines(json.dumps(row) + "\n" for row in rows[start : start + PER_FILE])
    return files, len(pool)


class PeakMemory:
    """Largest total RSS of this process and its descendants, sampled in a thread."""

    def __init__(self, every: float = 0.2) -> None:
        self.peak = 0
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            self._stop.wait(self._every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_one(mode: str, files: list[Path], profile: str) -> dict[str, float]:
    """One end-to-end ingest of ``files`` into a new store; figures as a dict."""
    from newsfuse.assets import load_embedder, load_gazetteer, load_nlp
    from newsfuse.executor import dask_mapper
    from newsfuse.pipeline import ingest
    from newsfuse.settings import Settings
    from newsfuse.store import Store

    settings = Settings()
    if profile == "bulk":
        settings = dataclasses.replace(settings, extract=dataclasses.replace(settings.extract, max_model_words=0))
    load_embedder(), load_gazetteer()  # loading models is not part of the figure
    if profile == "full":
        load_nlp()  # the bulk profile never loads spaCy
    marks: dict[str, float] = {}
    peaks: dict[str, int] = {}

    def progress(stage: str, _: int) -> None:
        marks[stage] = time.perf_counter()
        peaks[stage] = memory.peak

    with tempfile.TemporaryDirectory() as tmp, PeakMemory() as memory, ExitStack() as stack:
        mapper = stack.enter_context(dask_mapper("local", workers=2)) if mode == "dask" else None
        store = stack.enter_context(Store(Path(tmp) / "scale.db"))
        started = time.perf_counter()
        workers = 2 if mode == "pool" else 1
        now = datetime.now(UTC)
        report = ingest(store, files, settings, now=now, workers=workers, mapper=mapper, progress=progress)
        finished = time.perf_counter()
        events, stories = store.count_events(), len(store.stories(limit=10**9))
        claims = store.count_claims()
    return {
        "articles": report.analysed,
        "rejected": len(report.rejected),
        "events": events,
        "stories": stories,
        "claims": claims,
        "analyse": max(marks["read"], marks["analysed"]) - started,  # reading overlaps analysis
        "group": finished - max(marks["read"], marks["analysed"]),
        "seconds": finished - started,
        "peak_mib": memory.peak / 2**20,
        "analyse_peak_mib": peaks["analysed"] / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--sizes", default="25000,50000,100000")
    parser.add_argument("--modes", default="single,pool,dask")
    parser.add_argument("--profile", choices=("bulk", "full"), default="bulk")
    parser.add_argument("--one", nargs=2, metavar=("MODE", "CORPUS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        mode, corpus = args.one
        print(json.dumps(run_one(mode, sorted(Path(corpus).glob("*.jsonl.gz")), args.profile)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        print(f"profile: {args.profile}; building {max(sizes):,} articles ...", file=sys.stderr)
        files, pool = build_corpus(args.data, max(sizes), Path(tmp))
        print(f"pool: {pool:,} real articles, repeated with dates moved 365 weeks back per copy")
        print("| mode | articles | events | stories | claims | read + analyse s | group + reconcile s |"
              " total s | articles/s | peak MiB (to the end of analysis) |")  # fmt: skip
        print("|---|---|---|---|---|---|---|---|---|---|")
        for size in sizes:
            corpus = Path(tmp) / f"n{size}"
            corpus.mkdir()
            for f in files[: -(-size // PER_FILE)]:
                (corpus / f.name).symlink_to(f)
            for mode in args.modes.split(","):
                out = subprocess.run(
                    [sys.executable, __file__, "--profile", args.profile, "--one", mode, str(corpus)],
                    check=True, capture_output=True, text=True,
                )  # fmt: skip
                r = json.loads(out.stdout.strip().splitlines()[-1])
                print(
                    f"| {mode} | {r['articles']:,} | {r['events']:,} | {r['stories']:,} | {r['claims']:,}"
                    f" | {r['analyse']:.0f} | {r['group']:.0f} | {r['seconds']:.0f}"
                    f" | {r['articles'] / r['seconds']:.0f} | {r['peak_mib']:,.0f} ({r['analyse_peak_mib']:,.0f}) |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
