"""Where the per-article stages run: in this process, a local process pool, or a Dask cluster.

Each is a *mapper* (``newsfuse.models.Mapper``; the builtin ``map`` runs in this process):
``mapper(function, batches)`` yields ``function(batch)`` for each batch in order, keeping only a
few batches in flight, so the caller stores finished results while the
workers compute the next ones and memory stays bounded however long the stream.  Work goes
out in batches of articles, never one future per article.

``--dask local`` starts a LocalCluster with one single-threaded worker process per core;
any other value is the address of a running scheduler (``tcp://host:8786``), whose workers
need newsfuse installed (same version) and read nothing but what they are sent.
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from typing import Any

from newsfuse.models import Mapper
from newsfuse.settings import default_workers

# full collections at most once per this many young-generation ones (the default is 10)
_FULL_COLLECTION_EVERY = 1000
_batch_depth = 0


def _hold_full_collections() -> None:
    first, second, third = gc.get_threshold()
    gc.set_threshold(first, second, max(third, _FULL_COLLECTION_EVERY))


@contextmanager
def batch_collection() -> Iterator[None]:
    """Run a long batch job with Python's cyclic collector held back (restored after; nests).

    What is alive on entry (models, the gazetteer, caches) is frozen out of the collector, and full
    collections wait for ``_FULL_COLLECTION_EVERY`` young ones: each full one scans every live object,
    about 9% of an ingest's time.  The stages make almost no reference cycles, so memory is unchanged.
    Pool workers forked inside inherit this."""
    global _batch_depth
    threshold = gc.get_threshold()
    if _batch_depth == 0:
        gc.freeze()
        _hold_full_collections()
    _batch_depth += 1
    try:
        yield
    finally:
        _batch_depth -= 1
        if _batch_depth == 0:
            gc.set_threshold(*threshold)
            gc.unfreeze()


def _bounded(
    submit: Callable[[Callable[[Any], Any], Any], Any], result: Callable[[Any], Any], in_flight: int
) -> Mapper:
    def mapper(function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        pending: deque[Any] = deque()
        for item in items:
            pending.append(submit(function, item))
            if len(pending) >= in_flight:
                yield result(pending.popleft())
        while pending:
            yield result(pending.popleft())

    return mapper


@contextmanager
def pool_mapper(workers: int) -> Iterator[Mapper]:
    """A local pool of ``workers`` forked processes (models are loaded once per process)."""
    with batch_collection(), ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:

        def result(future: Future[Any]) -> Any:
            return future.result()

        try:
            yield _bounded(pool.submit, result, 2 * workers)
        finally:
            pool.shutdown(cancel_futures=True)


@contextmanager
def dask_mapper(address: str, *, workers: int | None = None) -> Iterator[Mapper]:
    """Batches run on Dask (a LocalCluster for ``local``), results come back in order."""
    import dask
    from dask.distributed import Client, LocalCluster

    cluster = None
    if address == "local":
        # the workers' statistical profiler (for the dashboard) samples every 10 ms: a few per cent of CPU
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            cluster = LocalCluster(
                n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
                dashboard_address=":0", silence_logs=40,
            )  # fmt: skip
        client = Client(cluster)
    else:
        client = Client(address)
    try:
        if cluster is not None:  # our own workers; a shared cluster's are left as they are
            client.run(_hold_full_collections)
        cores = sum(client.nthreads().values()) or 1

        def submit(function: Callable[[Any], Any], item: Any) -> Any:
            return client.submit(function, item, pure=False)

        yield _bounded(submit, lambda future: future.result(), 2 * cores + 1)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
