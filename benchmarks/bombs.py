"""Peak memory of ``newsfuse ingest`` on gzip bombs: small files that inflate to far more than the size limit.

    python benchmarks/bombs.py [--scale 1.0]

Each bomb is written to a temporary folder and ingested by the real command in a fresh process
(``python -m newsfuse.cli ingest BOMB --db ...``); its peak resident memory (``ru_maxrss`` of that
process) is printed next to that of ingesting one small good file, with the rejection it got.
The bombs are those of issue #18: a 1 MB ``.json.gz``, a 1 MB ``.jsonl.gz`` with one long line,
and a 261 KB ``.xml.gz`` (``--scale`` multiplies the compressed sizes).  Goal: every peak < 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

GOAL_BYTES = 1 << 30  # the goal of issue #18: < 1 GB peak RSS for each bomb
_CHUNK = b"a" * (1 << 20)


def write_bomb(path: Path, prefix: bytes, compressed_size: int) -> int:
    """Write a gzip file of about ``compressed_size`` bytes: ``prefix`` then 'a's; return the inflated size."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    inflated, written = len(prefix), 0
    with path.open("wb") as out:
        written += out.write(compressor.compress(prefix))
        while written < compressed_size:
            written += out.write(compressor.compress(_CHUNK) + compressor.flush(zlib.Z_SYNC_FLUSH))
            inflated += len(_CHUNK)
        out.write(compressor.flush())
    return inflated


def peak_rss(path: Path, db: Path) -> tuple[int, str]:
    """Peak RSS in bytes of ``newsfuse ingest path`` in a new process, and the last line it printed."""
    command = [sys.executable, "-m", "newsfuse.cli", "ingest", str(path), "--db", str(db), "--workers", "1"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    output = process.stdout.read().decode(errors="replace").strip().splitlines()
    _, _, usage = os.wait4(process.pid, 0)
    process.returncode = 0
    return usage.ru_maxrss * 1024, next((line for line in output if line.startswith("rejected")), output[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    bombs = [
        ("bomb.json.gz", b'[{"date": "2023-10-27", "text": "', 1_000_000),
        ("bomb.jsonl.gz", b'{"date": "2023-10-27", "text": "', 1_000_000),
        ("bomb.xml.gz", b"<?xml version='1.0'?><rss><channel><title>", 261_000),
    ]
    good = {"date": "2023-10-27", "text": "Rescue teams reached the flooded valley on Monday after heavy rain."}
    print("| input | compressed | inflated | peak RSS | < 1 GB | outcome |\n|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="newsfuse-bombs-") as folder:
        base = Path(folder) / "good.jsonl"
        base.write_text(json.dumps(good))
        rss, outcome = peak_rss(base, Path(folder) / "good.db")
        print(f"| good.jsonl (baseline) | {base.stat().st_size} B | - | {rss / 2**20:.0f} MiB | - | {outcome} |")
        for name, prefix, size in bombs:
            path = Path(folder) / name
            inflated = write_bomb(path, prefix, int(size * args.scale))
            rss, outcome = peak_rss(path, Path(folder) / f"{name}.db")
            ok = "yes" if rss < GOAL_BYTES else "**no**"
            print(f"| {name} | {path.stat().st_size / 1e6:.2f} MB | {inflated / 2**30:.2f} GiB | {rss / 2**20:.0f} MiB"
                  f" | {ok} | {outcome.replace(folder, '…')} |")  # fmt: skip
            path.unlink()


if __name__ == "__main__":
    main()
