"""Run an ingest as ``newsfuse ingest`` does and kill -9 this process at a chosen point of it.

    python tests/ingest_until_killed.py CONFIG DB STAGE COUNT WORKERS PATH...

STAGE is a progress stage (``read``, ``analysed``, ``reconciled``); the process sends itself SIGKILL
as soon as COUNT items of it are done.  Used by tests/test_recovery.py."""

from __future__ import annotations

import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from newsfuse.pipeline import ingest
from newsfuse.settings import load_settings
from newsfuse.store import Store


def main() -> None:
    config, db, stage, count, workers, *paths = sys.argv[1:]
    done = 0

    def progress(name: str, n: int) -> None:
        nonlocal done
        if name == stage:
            done += n
            if done >= int(count):
                os.kill(os.getpid(), signal.SIGKILL)

    with Store(db) as store:
        ingest(
            store,
            [Path(p) for p in paths],
            load_settings(Path(config)),
            now=datetime.now(UTC),
            workers=int(workers),
            progress=progress,
        )
    sys.exit(f"ingest finished before {count} {stage}")


if __name__ == "__main__":
    main()
