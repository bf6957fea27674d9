"""Bounded load on the web UI and API over loopback: requests/second and p95 latency.

    python benchmarks/serve.py [--requests 10000] [--concurrency 8] [--db DB] [--during-ingest PATH]

Builds a database from the bundled samples (or serves ``--db``, e.g. one of all Timeline17
articles), starts ``newsfuse serve`` in its own process on 127.0.0.1, then sends the requests
(event page and its JSON twin, alternating) from ``--concurrency`` threads and fails if any
response is not 200 or any request fails.  With ``--during-ingest``, ``newsfuse ingest PATH``
writes to the same database while the requests run (readers must not notice).
"""

from __future__ import annotations

import argparse
import logging
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

from newsfuse.pipeline import ingest
from newsfuse.settings import Settings
from newsfuse.store import Store


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--db", type=Path, default=None, help="serve this database (default: one of the samples)")
    parser.add_argument("--during-ingest", type=Path, default=None, metavar="PATH", help="ingest PATH meanwhile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "serve.db"
        with Store(db) as store:
            if args.db is None:
                examples = Path(str(resources.files("newsfuse").joinpath("examples")))
                ingest(store, [examples], Settings(), now=datetime.now(UTC))
            event_id = store.events()[0].event_id
        port = _free_port()
        command = [sys.executable, "-m", "newsfuse.cli", "serve", "--db", str(db), "--port", str(port)]
        server = subprocess.Popen(command)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    if httpx.get(base + "/api/events", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            paths = [f"/events/{event_id}", f"/api/events/{event_id}"]
            latencies: list[float] = []
            errors: list[str] = []
            lock = threading.Lock()
            per_thread = args.requests // args.concurrency

            def worker() -> None:
                with httpx.Client(base_url=base, timeout=30) as client:
                    for i in range(per_thread):
                        started = time.perf_counter()
                        try:
                            status = client.get(paths[i % 2]).status_code
                        except httpx.HTTPError as exc:
                            status = type(exc).__name__
                        elapsed = time.perf_counter() - started
                        with lock:
                            latencies.append(elapsed)
                            if status != 200:
                                errors.append(f"{paths[i % 2]}: {status}")

            writer = None
            if args.during_ingest is not None:
                ingest_command = [
                    sys.executable,
                    "-m",
                    "newsfuse.cli",
                    "ingest",
                    str(args.during_ingest),
                    "--db",
                    str(db),
                ]
                writer = subprocess.Popen(ingest_command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            started = time.perf_counter()
            threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - started
            if writer is not None:
                print(f"ingest meanwhile: {'still running' if writer.poll() is None else f'exit {writer.returncode}'}")
                writer.wait()
        finally:
            server.terminate()
            server.wait(timeout=10)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000
    print(f"requests: {len(latencies)}, concurrency {args.concurrency}, errors: {len(errors)}")
    print(f"throughput: {len(latencies) / seconds:,.0f} requests/s; p50 {latencies[len(latencies) // 2] * 1000:.1f} ms;"
          f" p95 {p95:.1f} ms")  # fmt: skip
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[:3]}")


if __name__ == "__main__":
    main()
