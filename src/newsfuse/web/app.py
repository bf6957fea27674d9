"""The web app: HTML pages and their JSON twins under ``/api``, read-only over one database.

Every page calls the same query functions as its ``/api`` twin; errors (validation errors too)
have one JSON shape, ``{"ok": false, "error": "...", "status": 404}``.  Article text is untrusted:
templates autoescape everything, and every response forbids scripts, framing and type sniffing.

With ``allow_ingest``, ``POST /api/ingest`` stores uploads.  So that no other web page the user
visits can post fabricated articles, an upload must name this server in ``Host`` (one of
``hosts``), come from no other ``Origin`` and have a content type a cross-origin form or simple
request cannot send (``application/octet-stream``, ``application/x-ndjson``, ...).  Uploads are
ingested one at a time off the event loop, so readers are served meanwhile.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsfuse import pipeline, queries
from newsfuse.errors import Forbidden, InvalidInput, NotFound, StoreError
from newsfuse.models import Brief, Event, EventSummary, SearchHit, Story, TimelineEntry
from newsfuse.settings import Settings
from newsfuse.store import Store

_TEMPLATES = Path(str(resources.files("newsfuse.web").joinpath("templates")))


_UPLOAD_SUFFIXES = (".txt", ".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".html", ".htm", ".rss", ".atom", ".xml")
_UPLOAD_WAIT = 120.0  # seconds an upload waits for another process writing to the store (then 503)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
# content types a page of another origin can send without asking first (a CORS "simple" request)
_SIMPLE_TYPES = ("", "text/plain", "multipart/form-data", "application/x-www-form-urlencoded")
_CSP = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'none';"
    " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# the OpenAPI pages (/docs, /redoc) load their scripts and styles from FastAPI's CDN
_CSP_API_DOCS = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net;"
    " style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com;"
    " font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com;"
    " object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def create_app(
    db: Path, settings: Settings | None = None, *, allow_ingest: bool = False, hosts: tuple[str, ...] = LOCAL_HOSTS
) -> FastAPI:
    """The app serving ``db``, opened read-only (``StoreError`` when it is missing or not migrated);
    with ``allow_ingest`` uploads are stored in it (created and migrated first if need be), when
    they are addressed to one of ``hosts`` (see the module's docstring)."""
    settings = settings or Settings()
    if allow_ingest:
        Store(db).close()
    Store(db, read_only=True).close()
    app = FastAPI(title="newsfuse", description="Multi-source news events, claims and timelines.", version="0.1.0")
    templates = Jinja2Templates(directory=str(_TEMPLATES))
    templates.env.filters["highlight"] = highlight

    @contextmanager
    def store() -> Iterator[Store]:
        with Store(db, read_only=True) as opened:
            yield opened

    def events_data(limit: int) -> list[EventSummary]:
        with store() as s:
            return queries.event_summaries(s, limit)

    def version() -> tuple[int, ...]:
        """Changes whenever the database file or its write-ahead log does."""
        stamps = []
        for path in (db, db.with_name(db.name + "-wal")):
            try:
                info = path.stat()
                stamps += [info.st_mtime_ns, info.st_size]
            except OSError:
                stamps += [0, 0]
        return tuple(stamps)

    @lru_cache(maxsize=256)
    def cached_brief(event_id: str, _version: tuple[int, ...]) -> Brief:
        with store() as s:
            return queries.brief(s, event_id)

    def brief_data(event_id: str) -> Brief:
        return cached_brief(event_id, version())

    def story_data(story_id: str) -> tuple[Story, list[Event]]:
        with store() as s:
            found = s.story(story_id)
            return found, [s.event(e) for e in found.event_ids]

    def stories_data(limit: int) -> list[Story]:
        with store() as s:
            return s.stories(limit)

    def search_data(q: str, limit: int) -> list[SearchHit]:
        with store() as s:
            return s.search(q, limit)

    @lru_cache(maxsize=256)
    def cached_timeline(event_id: str, _version: tuple[int, ...]) -> tuple[TimelineEntry, ...]:
        with store() as s:
            return queries.timeline(s, settings.timeline, event_id=event_id)

    def timeline_data(event_id: str) -> tuple[TimelineEntry, ...]:
        return cached_timeline(event_id, version())

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Any:
        return _error(request, templates, str(exc), 404)

    @app.exception_handler(InvalidInput)
    async def invalid(request: Request, exc: InvalidInput) -> Any:
        return _error(request, templates, str(exc), 400)

    @app.exception_handler(StoreError)
    async def busy(request: Request, exc: StoreError) -> Any:
        return _error(request, templates, str(exc), 503)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Any:
        return _error(request, templates, str(exc), 403)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        return _error(request, templates, str(exc.detail), exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Any:
        where = "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg', '')}" for e in exc.errors())
        return _error(request, templates, f"invalid request: {where}", 422)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        api_docs = request.url.path in ("/docs", "/redoc")
        response.headers["Content-Security-Policy"] = _CSP_API_DOCS if api_docs else _CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.get("/api/events", tags=["api"])
    def api_events(limit: int = Query(100, ge=1, le=10_000)) -> Any:
        return _json(events_data(limit))

    @app.get("/api/events/{event_id}", tags=["api"])
    def api_event(event_id: str) -> Any:
        return _json(brief_data(event_id))

    @app.get("/api/events/{event_id}/timeline", tags=["api"])
    def api_timeline(event_id: str) -> Any:
        return _json(list(timeline_data(event_id)))

    @app.get("/api/stories", tags=["api"])
    def api_stories(limit: int = Query(100, ge=1, le=10_000)) -> Any:
        return _json(stories_data(limit))

    @app.get("/api/stories/{story_id}", tags=["api"])
    def api_story(story_id: str) -> Any:
        found, events = story_data(story_id)
        return _json({"story": found, "events": events})

    @app.get("/api/search", tags=["api"])
    def api_search(q: str = Query(..., max_length=500), limit: int = Query(20, ge=1, le=1000)) -> Any:
        return _json(search_data(q, limit))

    if allow_ingest:
        one_upload = asyncio.Lock()

        def ingest_upload(path: Path) -> pipeline.IngestReport:
            with Store(db, writer_wait=_UPLOAD_WAIT) as s:
                return pipeline.ingest(s, [path], settings, now=datetime.now(UTC))

        @app.post("/api/ingest", tags=["api"])
        async def api_ingest(request: Request, name: str = Query("upload.jsonl", max_length=200)) -> Any:
            """Ingest one uploaded file (the raw request body, with a content type such as
            ``application/octet-stream``); ``name`` only picks the format."""
            _check_upload(request, hosts)
            suffix = next((x for x in _UPLOAD_SUFFIXES if name.lower().endswith(x)), "")
            if not suffix:
                raise InvalidInput(f"unsupported file type {name!r} (use one of {', '.join(_UPLOAD_SUFFIXES)})")
            limit = settings.ingest.max_bytes * 10
            body = bytearray()
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise InvalidInput(f"upload larger than {limit} bytes")
            with tempfile.TemporaryDirectory(prefix="newsfuse-upload-") as folder:
                path = Path(folder) / f"upload{suffix}"
                path.write_bytes(bytes(body))
                async with one_upload:  # one at a time; the store's writer lock keeps out other processes
                    report = await run_in_threadpool(ingest_upload, path)
                label = f"upload:{Path(name).name}"
                rejected = [
                    {"origin": r.origin.replace(str(path), label), "reason": r.reason, "code": r.code}
                    for r in report.rejected
                ]
            return _json({"ok": True, "added": report.added, "read": report.seen, "rejected": rejected,
                          "events": report.events})  # fmt: skip

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def events_page(request: Request, limit: int = Query(100, ge=1, le=10_000)) -> HTMLResponse:
        return page(request, "events.html", events=events_data(limit), title="Events")

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(request: Request, event_id: str) -> HTMLResponse:
        brief = brief_data(event_id)
        timeline = timeline_data(brief.event.event_id)
        every = [*brief.summary, *(c for claim in brief.claims for c in claim.citations),
                 *(c for entry in timeline for c in entry.citations)]  # fmt: skip
        cited = sorted({(c.article_id, c.sentence): c for c in every}.values(), key=lambda c: (c.source, c.sentence))
        with store() as opened:
            articles = opened.articles(brief.event.article_ids)
        return page(request, "event.html", brief=brief, timeline=timeline, cited=cited, articles=articles,
                    title=brief.event.label)  # fmt: skip

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> HTMLResponse:
        found, events = story_data(story_id)
        return page(request, "story.html", story=found, events=events, title=found.label)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = Query("", max_length=500)) -> HTMLResponse:
        hits = search_data(q, 50) if q.strip() else []
        return page(request, "search.html", hits=hits, q=q, title=f"Search: {q}")

    return app


def highlight(text: str, value: str) -> Markup:
    """``text`` escaped, with ``value`` (escaped too) wrapped in <mark>."""
    escaped = escape(text)
    if not value:
        return escaped
    needle = escape(value)
    return Markup(str(escaped).replace(str(needle), f"<mark>{needle}</mark>"))


def _check_upload(request: Request, hosts: tuple[str, ...]) -> None:
    """Refuse an upload another web page could have made the browser send (``Forbidden``)."""
    host = request.headers.get("host", "")
    hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if hostname.strip("[]") not in hosts:
        raise Forbidden(f"uploads must be addressed to this server ({', '.join(hosts)}), not {host!r}")
    origin = request.headers.get("origin")
    if origin is not None and origin not in (f"http://{host}", f"https://{host}"):
        raise Forbidden(f"uploads from another origin ({origin!r}) are not accepted")
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        raise Forbidden("uploads from another site are not accepted")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in _SIMPLE_TYPES:
        raise Forbidden(
            f"upload with content type {content_type or 'none'!r}: send the file as application/octet-stream"
        )


def _json(value: Any) -> JSONResponse:
    return JSONResponse(jsonable_encoder(value))


def _error(request: Request, templates: Jinja2Templates, message: str, status: int) -> Any:
    if request.url.path.startswith("/api"):
        return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)
    return templates.TemplateResponse(
        request, "error.html", {"message": message, "status": status, "title": "Not found"}, status_code=status
    )
