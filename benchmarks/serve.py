"""Bounded load on the web UI and API over loopback: requests/second and p50/p95/p99 latency.

    python benchmarks/serve.py [--db STORE] [--requests 4000] [--concurrency 8,32,64] [--during-ingest PATH]

Serves ``--db`` (default: a database built from the bundled samples) with ``newsfuse serve`` in
its own process on 127.0.0.1, then, for each concurrency, sends ``--requests`` requests from that
many threads, cycling through the pages a reader uses and their JSON twins: the events list, an
event page, a search, and ``/api/...`` of each (events and queries drawn from the store with a
fixed seed).  Any response that is not 200 counts as an error; the script fails if there is one.
With ``--during-ingest``, ``newsfuse ingest PATH`` writes to the same store while the requests run
(readers must not notice); the highest concurrency goes on until the ingest has ended, so the load
covers every write (the articles, then the events, claims and stories).  For a 100,000-article
store, ingest ``benchmarks/scale.py``'s corpus.
"""

from __future__ import annotations

import argparse
import logging
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import httpx

from newsfuse.models import ListFilter
from newsfuse.pipeline import ingest
from newsfuse.settings import Settings
from newsfuse.store import Store

SEED = 8  # which events and search words the paths use
PATHS_PER_KIND = 20  # distinct events and queries cycled through
WORDS = ("police", "oil", "election", "protest", "president", "storm", "court", "minister", "attack", "market")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _paths(db: Path) -> list[str]:
    """The request paths, a mix of list, event and search pages and their JSON twins."""
    rng = random.Random(SEED)
    with Store(db, read_only=True) as store:
        events, total = store.list_events(ListFilter(), 2000)
        if not total:
            raise SystemExit(f"{db} has no events")
        chosen = [e.event_id for e in rng.sample(events, min(PATHS_PER_KIND, len(events)))]
        words = [w for w in WORDS if store.search_page(w, ListFilter(), 1)[1]] or [events[0].label.split()[0]]
    paths = ["/", "/api/events", "/?status=contested", "/api/events?offset=100"]
    for event_id in chosen:
        paths += [f"/events/{event_id}", f"/api/events/{event_id}"]
    for word in (rng.choice(words) for _ in range(PATHS_PER_KIND)):
        paths += [f"/search?q={word}", f"/api/search?q={word}"]
    rng.shuffle(paths)
    return paths


def _load(base: str, paths: list[str], requests: int, concurrency: int) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_thread = max(1, requests // concurrency)

    def worker(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            for i in range(per_thread):
                path = paths[(offset + i) % len(paths)]
                started = time.perf_counter()
                try:
                    status = client.get(path).status_code
                except httpx.HTTPError as exc:
                    status = -1
                    path += f" ({exc.__class__.__name__})"
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if status != 200:
                        errors.append(f"{path}: {status}")

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n * 7,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(latencies), errors, time.perf_counter() - started


def _serve(db: Path, runs: list[int], requests: int, during: Path | None) -> list[str]:
    port = _free_port()
    command = [sys.executable, "-m", "newsfuse.cli", "serve", "--db", str(db), "--port", str(port)]
    server = subprocess.Popen(command)
    base = f"http://127.0.0.1:{port}"
    failures: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/api/events?limit=1", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        paths = _paths(db)
        first, _, _ = _load(base, sorted(set(paths)), len(set(paths)), 1)  # each page once: nothing cached yet
        print(f"first view of each of {len(first)} pages, one client: p50 {first[len(first) // 2] * 1000:.1f} ms,"
              f" max {first[-1] * 1000:.1f} ms")  # fmt: skip
        if during is not None:
            writer = [sys.executable, "-m", "newsfuse.cli", "ingest", str(during), "--db", str(db)]
            writing = subprocess.Popen(writer, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print("| clients | requests | errors | requests/s | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|---|---|")
        for concurrency in runs:
            latencies, errors, seconds = _load(base, paths, requests, concurrency)

            def at(share: float, latencies: list[float] = latencies) -> float:
                return latencies[int(share * (len(latencies) - 1))] * 1000

            print(f"| {concurrency} | {len(latencies)} | {len(errors)} | {len(latencies) / seconds:,.0f} |"
                  f" {at(0.5):.1f} | {at(0.95):.1f} | {at(0.99):.1f} |")  # fmt: skip
            failures += errors
        while during is not None and writing.poll() is None:  # the load lasts until the ingest has written all
            latencies, errors, seconds = _load(base, paths, requests, runs[-1])
            print(f"| {runs[-1]} (until the ingest ended) | {len(latencies)} | {len(errors)} |"
                  f" {len(latencies) / seconds:,.0f} | | | |")  # fmt: skip
            failures += errors
        if during is not None:
            print(f"ingest meanwhile: exit code {writing.wait()}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    return failures


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="Serve this store (default: the bundled samples).")
    parser.add_argument("--requests", type=int, default=4000, help="Requests per concurrency level.")
    parser.add_argument("--concurrency", default="8,32,64", help="Comma-separated numbers of client threads.")
    parser.add_argument("--during-ingest", type=Path, default=None, metavar="PATH", help="Ingest PATH meanwhile.")
    args = parser.parse_args()
    runs = [int(n) for n in args.concurrency.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "serve.db"
            with Store(db) as store:
                examples = Path(str(resources.files("newsfuse").joinpath("examples")))
                ingest(store, [examples], Settings(), now=datetime.now(UTC))
        with Store(db, read_only=True) as store:
            print(f"store: {db} ({store.count_articles():,} articles, {store.count_events():,} events)")
        failures = _serve(db, runs, args.requests, args.during_ingest)
    if failures:
        raise SystemExit(f"{len(failures)} failed requests, e.g. {failures[:3]}")


if __name__ == "__main__":
    main()
