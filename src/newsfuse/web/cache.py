"""Whole GET responses kept while the database is unchanged, so a page read again costs no queries.

The key is the full URL (host and query included); an entry holds the database version it was made
at (``Store.data_version``: any commit by any process changes it), so a write anywhere makes every
older entry a miss.  Only complete ``200`` responses of at most ``MAX_BODY`` bytes are kept, at most
``ENTRIES`` of them, least recently used first out.  Identical requests that miss together wait for
the first one instead of each running the same queries (a burst of readers after an ingest).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

ENTRIES = 512  # pages kept; the events list, its filters and the events people open
MAX_BODY = 2 * 1024 * 1024  # bytes; a bigger page (a large CSV export) is sent but not kept
UNCACHED_PREFIXES = ("/static", "/api/ingest")  # served by their own handlers / writes


@dataclass(frozen=True, slots=True)
class _Entry:
    version: Hashable
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache:
    """An LRU of responses valid at one database version; ``version`` says the current one."""

    def __init__(self, version: Callable[[], Hashable], entries: int = ENTRIES) -> None:
        self._version = version
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._size = entries
        self._pending: dict[str, asyncio.Lock] = {}
        self.hits = self.misses = 0

    async def __call__(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """Middleware: answer from the cache or fetch, keep and answer."""
        if request.method != "GET" or request.url.path.startswith(UNCACHED_PREFIXES):
            return await call_next(request)
        key = str(request.url)
        lock = self._pending.setdefault(key, asyncio.Lock())
        async with lock:
            version = self._version()
            entry = self._entries.get(key)
            if entry is not None and entry.version == version:
                self._entries.move_to_end(key)
                self.hits += 1
                return _response(entry)
            self.misses += 1
            response = await call_next(request)
            body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
            entry = _Entry(version, response.status_code, list(response.raw_headers), body)
            if response.status_code == 200 and len(body) <= MAX_BODY:
                self._entries[key] = entry
                self._entries.move_to_end(key)
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
        if not lock.locked() and self._pending.get(key) is lock:
            del self._pending[key]
        return _response(entry)


def _response(entry: _Entry) -> Response:
    response = Response(content=entry.body, status_code=entry.status)
    response.raw_headers = list(entry.headers)
    return response
