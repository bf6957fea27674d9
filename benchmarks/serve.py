"""Bounded load on the web UI and API over loopback: requests/second and p95 latency.

    python benchmarks/serve.py [--requests 10000] [--concurrency 8]

Builds a database from the bundled samples, starts ``newsfuse serve`` in its own process on
127.0.0.1, then sends the requests (event page and its JSON twin, alternating) from
``--concurrency`` threads and fails if any response is not 200.
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "serve.db"
        with Store(db) as store:
            ingest(
                store, [Path(str(resources.files("newsfuse").joinpath("examples")))], Settings(), now=datetime.now(UTC)
            )
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
                        response = client.get(paths[i % 2])
                        elapsed = time.perf_counter() - started
                        with lock:
                            latencies.append(elapsed)
                            if response.status_code != 200:
                                errors.append(f"{paths[i % 2]}: {response.status_code}")

            started = time.perf_counter()
            threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            seconds = time.perf_counter() - started
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
