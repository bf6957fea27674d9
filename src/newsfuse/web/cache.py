"""Whole GET responses kept while the database is unchanged, so a page read again costs no queries.

An ASGI middleware, outside every other: a hit is answered before routing, with the status, headers
(security headers included) and body the page had.  The key is the full URL (host and query
included); an entry holds the database version it was made at (``Store.data_version``: any commit
by any process changes it), so a write anywhere makes every older entry a miss.  Only complete
``200`` responses of at most ``MAX_BODY`` bytes are kept, at most ``ENTRIES`` of them, least
recently used first out.  Identical requests that miss together wait for the first one instead of
each running the same queries (a burst of readers after an ingest).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Hashable, MutableMapping
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

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

    def __init__(self, app: ASGIApp, version: Callable[[], Hashable], entries: int = ENTRIES) -> None:
        self.app = app
        self._version = version
        self._entries: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()
        self._size = entries
        self._pending: dict[tuple[Any, ...], asyncio.Lock] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(UNCACHED_PREFIXES):
            await self.app(scope, receive, send)
            return
        host = next((v for k, v in scope["headers"] if k == b"host"), b"")
        key = (scope.get("scheme"), host, scope.get("root_path", ""), scope["path"], scope["query_string"])
        lock = self._pending.setdefault(key, asyncio.Lock())
        async with lock:
            version = self._version()
            entry = self._entries.get(key)
            if entry is not None and entry.version == version:
                self._entries.move_to_end(key)
                await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers})
                await send({"type": "http.response.body", "body": entry.body})
            else:
                await self._fetch(scope, receive, send, key, version)
        if not lock.locked() and self._pending.get(key) is lock:
            del self._pending[key]

    async def _fetch(self, scope: Scope, receive: Receive, send: Send, key: tuple[Any, ...], version: Hashable) -> None:
        """Run the app, passing its response on as it comes and keeping a copy when it may be kept."""
        start: MutableMapping[str, Any] = {}
        chunks: list[bytes] = []
        size = 0

        async def keep(message: Message) -> None:
            nonlocal size
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body" and size <= MAX_BODY:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
            await send(message)

        await self.app(scope, receive, keep)
        if start.get("status") == 200 and size <= MAX_BODY:
            self._entries[key] = _Entry(version, 200, list(start.get("headers", [])), b"".join(chunks))
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
