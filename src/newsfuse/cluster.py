"""Run the per-article stages on a Dask cluster: batches of articles, never one future per article.

``--dask local`` starts a LocalCluster with one single-threaded worker process per core;
any other value is the address of a running scheduler (``tcp://host:8786``), whose workers
need newsfuse installed (same version) and read nothing but what they are sent.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

Mapper = Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]


@contextmanager
def dask_mapper(address: str, *, workers: int | None = None) -> Iterator[Mapper]:
    """A ``map(function, items)`` that runs on Dask and returns results in order."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    if address == "local":
        cluster = LocalCluster(
            n_workers=workers or max(1, min(2, os.cpu_count() or 1)), threads_per_worker=1, processes=True,
            dashboard_address=None, silence_logs=40,
        )  # fmt: skip
        client = Client(cluster)
    else:
        client = Client(address)

    def mapper(function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        futures = client.map(function, list(items), pure=False)
        return list(client.gather(futures))

    try:
        yield mapper
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
