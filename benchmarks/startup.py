"""Start-up time of the command line: wall time of ``newsfuse --help`` and ``--version``, and what
``python -X importtime`` says the CLI module costs to import (the heaviest imports listed).

    python benchmarks/startup.py [--runs 10] [--top 8]

Each command runs ``--runs`` times in a fresh process; the median and the best are printed.  The
goal is under 0.3 s for ``--help`` and ``--version``: nothing heavy (the pipeline, spaCy,
scikit-learn, pydantic) may be imported before a command needs it.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

CLI = [sys.executable, "-c", "from newsfuse.cli import run; run()"]


def wall_of(command: list[str], runs: int) -> tuple[float, float]:
    """Median and best wall time of ``command`` over ``runs`` fresh processes."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def heaviest(top: int) -> list[tuple[int, str]]:
    """(cumulative microseconds, module) of the costliest imports of ``newsfuse.cli``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import newsfuse.cli"], check=True, capture_output=True, text=True
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, newsfuse from {Path(__import__('newsfuse').__file__).parent}")
    print("| command | median s | best s |\n|---|---|---|")
    median, best = wall_of([sys.executable, "-c", "pass"], args.runs)
    print(f"| python -c pass (the interpreter alone) | {median:.3f} | {best:.3f} |")
    for command in (["--help"], ["--version"], ["events", "--help"]):
        median, best = wall_of([*CLI, *command], args.runs)
        print(f"| newsfuse {' '.join(command)} | {median:.3f} | {best:.3f} |")
    print("\nheaviest imports of newsfuse.cli (cumulative ms):")
    for micros, module in heaviest(args.top):
        print(f"  {micros / 1000:8.1f}  {module}")


if __name__ == "__main__":
    main()
