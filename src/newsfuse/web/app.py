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
import csv
import io
import re
import tempfile
import threading
from collections.abc import Awaitable, Callable, Hashable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import lru_cache, partial
from http import HTTPStatus
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import swagger_ui_bundle
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from pydantic import TypeAdapter
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsfuse import pipeline, queries
from newsfuse.errors import Forbidden, InvalidInput, NotFound, StoreError
from newsfuse.models import (
    ArticleView,
    Brief,
    Event,
    EventPage,
    EventStatus,
    ListFilter,
    OutletSummary,
    OutletView,
    SearchPage,
    Story,
    TimelineEntry,
)
from newsfuse.settings import Settings
from newsfuse.store import Store
from newsfuse.web.cache import ResponseCache

_TEMPLATES = Path(str(resources.files("newsfuse.web").joinpath("templates")))


_SWAGGER_URL = "/static/swagger"
# the HTTP status of each error the engine raises on purpose
_STATUS_OF: dict[type[Exception], int] = {NotFound: 404, InvalidInput: 400, Forbidden: 403, StoreError: 503}
_SEARCH_PAGE = 50  # hits per search page
_OUTLETS_PAGE = 100  # outlets per page
_UPLOAD_SUFFIXES = (".txt", ".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".html", ".htm", ".rss", ".atom", ".xml")
_UPLOAD_WAIT = 120.0  # seconds an upload waits for another process writing to the store (then 503)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
# content types a page of another origin can send without asking first (a CORS "simple" request)
_SIMPLE_TYPES = ("", "text/plain", "multipart/form-data", "application/x-www-form-urlencoded")
_CSP = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'none';"
    " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# the API docs page (/docs) runs Swagger UI from this server, started by one inline script
_CSP_API_DOCS = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
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
    app = FastAPI(
        title="newsfuse", description="Multi-source news events, claims and timelines.", version="0.1.0",
        docs_url=None, redoc_url=None,
    )  # fmt: skip
    # the API docs page with Swagger UI's files from the installed package: it works offline, no CDN
    app.mount(_SWAGGER_URL, StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="newsfuse API",
            swagger_js_url=f"{_SWAGGER_URL}/swagger-ui-bundle.js", swagger_css_url=f"{_SWAGGER_URL}/swagger-ui.css",
            swagger_favicon_url=f"{_SWAGGER_URL}/favicon-32x32.png",
        )  # fmt: skip

    templates = Jinja2Templates(directory=str(_TEMPLATES))
    templates.env.filters["highlight"] = highlight

    @contextmanager
    def store() -> Iterator[Store]:
        with Store(db, read_only=True) as opened:
            yield opened

    watcher, watching = Store(db, read_only=True), threading.Lock()

    def version() -> Hashable:
        """Changes whenever any process has written to the database."""
        with watching:
            return watcher.data_version()

    @lru_cache(maxsize=256)
    def cached_brief(event_id: str, _version: Hashable) -> Brief:
        with store() as s:
            return queries.brief(s, event_id)

    def brief_data(event_id: str) -> Brief:
        return cached_brief(event_id, version())

    def story_data(story_id: str) -> tuple[Story, list[Event]]:
        with store() as s:
            found = s.story(story_id)
            return found, [s.event(e) for e in found.event_ids]

    def stories_data(limit: int, offset: int = 0) -> tuple[list[Story], int]:
        with store() as s:
            return s.stories(limit, offset=offset), s.count_stories()

    @lru_cache(maxsize=256)
    def cached_timeline(event_id: str, _version: Hashable) -> tuple[TimelineEntry, ...]:
        with store() as s:
            return queries.timeline(s, settings.timeline, event_id=event_id)

    def timeline_data(event_id: str) -> tuple[TimelineEntry, ...]:
        return cached_timeline(event_id, version())

    def page(request: Request, name: str, *, twin: str = "", **context: Any) -> HTMLResponse:
        """A page; ``twin`` is the path of its JSON twin, advertised in a ``Link`` header."""
        response = templates.TemplateResponse(request, name, {**context, "twin": twin})
        if twin:
            response.headers["Link"] = f'<{twin}>; rel="alternate"; type="application/json"'
        return response

    def article_data(article_id: str) -> ArticleView:
        with store() as s:
            return queries.article_view(s, article_id)

    async def engine_error(request: Request, exc: Exception) -> Any:
        return _error(request, templates, str(exc), next(c for e, c in _STATUS_OF.items() if isinstance(exc, e)))

    for error in _STATUS_OF:
        app.add_exception_handler(error, engine_error)

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

    # outside the security headers, so a page answered from the cache carries the headers it was made with
    app.add_middleware(ResponseCache, version=version)

    def events_listing(where: ListFilter, limit: int, offset: int, after: str, facets: bool) -> EventPage:
        with store() as s:
            return queries.event_page(s, where, limit, offset=offset, after=after, facets=facets)

    @app.get("/api/events", tags=["api"])
    def api_events(
        request: Request,
        where: ListFilter = Depends(list_filter),
        limit: int = Query(100, ge=1, le=10_000),
        offset: int = Query(0, ge=0),
        after: str = Query("", max_length=64, description="cursor: the last event id of the previous page"),
    ) -> Any:
        """Events, newest first, filtered; the total is in ``X-Total-Count`` and the next page in
        ``Link: <...>; rel="next"``."""
        listing = events_listing(where, limit, offset, after, facets=False)
        response = _json(list(listing.items))
        response.headers["X-Total-Count"] = str(listing.total)
        if listing.after:
            response.headers["Link"] = f'<{_with(request, after=listing.after, offset="")}>; rel="next"'
        return response

    @app.get("/api/events/{event_id}", tags=["api"])
    def api_event(request: Request, event_id: str) -> Any:
        brief = brief_data(event_id)
        return _moved(request, event_id, brief.event.event_id, "/api/events/{}") or _json(brief)

    @app.get("/api/events/{event_id}/timeline", tags=["api"])
    def api_timeline(request: Request, event_id: str) -> Any:
        found = brief_data(event_id).event.event_id
        return _moved(request, event_id, found, "/api/events/{}/timeline") or _json(list(timeline_data(found)))

    @app.get("/api/stories", tags=["api"])
    def api_stories(request: Request, limit: int = Query(100, ge=1, le=10_000), offset: int = Query(0, ge=0)) -> Any:
        """Stories, newest first; total in ``X-Total-Count``, next page in ``Link``."""
        found, total = stories_data(limit, offset)
        return _paged(request, found, total, offset, limit)

    @app.get("/stories.csv", include_in_schema=False)
    def stories_csv() -> Any:
        found, _ = stories_data(100_000)
        rows = [(s.story_id, s.label, len(s.event_ids), s.first_published_at, s.last_published_at) for s in found]
        return _csv("stories.csv", ("story_id", "label", "events", "first_published_at", "last_published_at"), rows)

    @app.get("/outlets.csv", include_in_schema=False)
    def outlets_csv() -> Any:
        found, _ = outlets_listing(100_000, 0)
        rows = [(o.name, o.articles, o.events, o.first_published_at, o.last_published_at) for o in found]
        return _csv("outlets.csv", ("outlet", "articles", "events", "first_published_at", "last_published_at"), rows)

    @app.get("/api/stories/{story_id}", tags=["api"])
    def api_story(request: Request, story_id: str) -> Any:
        found, events = story_data(story_id)
        return _moved(request, story_id, found.story_id, "/api/stories/{}") or _json({"story": found, "events": events})

    @app.get("/api/articles/{article_id}", tags=["api"])
    def api_article(article_id: str) -> Any:
        return _json(article_data(article_id))

    def search_listing(q: str, where: ListFilter, limit: int, offset: int) -> SearchPage:
        with store() as s:
            return queries.search_page(s, q, where, limit, offset=offset)

    def outlets_listing(limit: int, offset: int) -> tuple[list[OutletSummary], int]:
        with store() as s:
            return s.outlets(limit, offset=offset)

    def outlet_data(name: str) -> OutletView:
        with store() as s:
            return queries.outlet_view(s, name)

    @app.get("/api/outlets", tags=["api"])
    def api_outlets(request: Request, limit: int = Query(100, ge=1, le=10_000), offset: int = Query(0, ge=0)) -> Any:
        """Outlets by number of articles; total in ``X-Total-Count``, next page in ``Link``."""
        found, total = outlets_listing(limit, offset)
        return _paged(request, list(found), total, offset, limit)

    @app.get("/api/outlets/{name:path}", tags=["api"])
    def api_outlet(name: str) -> Any:
        view = outlet_data(name)
        return _json({"outlet": view.outlet, "articles": view.articles, "events": view.events,
                      "shared_claims": view.shared_claims, "disagreement": view.disagreement})  # fmt: skip

    @app.get("/events.csv", include_in_schema=False)
    def events_csv(where: ListFilter = Depends(list_filter), limit: int = Query(10_000, ge=1, le=100_000)) -> Any:
        listing = events_listing(where, limit, 0, "", facets=False)
        rows = [
            (s.event.event_id, s.event.day or s.event.first_published_at.date(), s.event.label, s.event.place,
             s.sources, "; ".join(s.outlets), s.conflicts, len(s.event.article_ids), s.event.first_published_at,
             s.event.last_published_at, s.event.story_id)
            for s in listing.items
        ]  # fmt: skip
        header = ("event_id", "day", "label", "place", "sources", "outlets", "conflicts", "articles",
                  "first_published_at", "last_published_at", "story_id")  # fmt: skip
        return _csv("events.csv", header, rows)

    @app.get("/events/{event_id}/claims.csv", include_in_schema=False)
    def claims_csv(event_id: str) -> Any:
        brief = brief_data(event_id)
        rows = [
            (c.claim_id, c.kind, c.label, c.status, " | ".join(c.values),
             "; ".join(dict.fromkeys(x.source for x in c.citations)),
             "; ".join(f"{x.article_id}:{x.sentence + 1}" for x in c.citations), c.note)
            for c in brief.claims
        ]  # fmt: skip
        header = ("claim_id", "kind", "label", "status", "values", "outlets", "citations", "note")
        return _csv(f"claims-{brief.event.event_id}.csv", header, rows)

    @app.get("/search.csv", include_in_schema=False)
    def search_csv(
        q: str = Query(..., max_length=500), where: ListFilter = Depends(list_filter),
        limit: int = Query(1000, ge=1, le=10_000),
    ) -> Any:  # fmt: skip
        listing = search_listing(q, where, limit, 0)
        rows = [(h.article_id, h.source, h.published_at, h.title, h.event_id, h.snippet) for h in listing.hits]
        return _csv("search.csv", ("article_id", "source", "published_at", "title", "event_id", "snippet"), rows)

    @app.get("/api/search", tags=["api"])
    def api_search(
        request: Request,
        q: str = Query(..., max_length=500, description='words, "phrases", prefix*, OR, NOT'),
        where: ListFilter = Depends(list_filter),
        limit: int = Query(20, ge=1, le=1000),
        offset: int = Query(0, ge=0),
    ) -> Any:
        """Full-text hits, best first; total in ``X-Total-Count``, next page in ``Link``."""
        listing = search_listing(q, where, limit, offset)
        return _paged(request, list(listing.hits), listing.total, offset, limit)

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
    def events_page(
        request: Request,
        where: ListFilter = Depends(list_filter),
        limit: int = Query(100, ge=1, le=10_000),
        offset: int = Query(0, ge=0),
    ) -> HTMLResponse:
        listing = events_listing(where, limit, offset, "", facets=True)
        twin = _with(request, path="/api/events")
        return page(request, "events.html", listing=listing, where=where, limit=limit, title="Events", twin=twin,
                    link=partial(_with, request))  # fmt: skip

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(request: Request, event_id: str) -> Response:
        brief = brief_data(event_id)
        if moved := _moved(request, event_id, brief.event.event_id, "/events/{}"):
            return moved
        timeline = timeline_data(brief.event.event_id)
        every = [*brief.summary, *(c for claim in brief.claims for c in claim.citations),
                 *(c for entry in timeline for c in entry.citations)]  # fmt: skip
        cited = sorted({(c.article_id, c.sentence): c for c in every}.values(), key=lambda c: (c.source, c.sentence))
        with store() as opened:
            articles = opened.articles(brief.event.article_ids)
        return page(request, "event.html", brief=brief, timeline=timeline, cited=cited, articles=articles,
                    title=brief.event.label, twin=f"/api/events/{brief.event.event_id}")  # fmt: skip

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(
        request: Request, limit: int = Query(100, ge=1, le=10_000), offset: int = Query(0, ge=0)
    ) -> HTMLResponse:
        found, total = stories_data(limit, offset)
        return page(request, "stories.html", stories=found, total=total, offset=offset, limit=limit, title="Stories",
                    link=partial(_with, request), twin=_with(request, path="/api/stories"))  # fmt: skip

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        view = article_data(article_id)
        twin = f"/api/articles/{view.article.article_id}"
        return page(request, "article.html", view=view, title=view.article.title or view.article.source, twin=twin)

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page(request: Request, offset: int = Query(0, ge=0)) -> HTMLResponse:
        found, total = outlets_listing(_OUTLETS_PAGE, offset)
        twin = _with(request, path="/api/outlets")
        return page(request, "outlets.html", outlets=found, total=total, offset=offset, limit=_OUTLETS_PAGE,
                    link=partial(_with, request), title="Outlets", twin=twin)  # fmt: skip

    @app.get("/outlets/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def outlet_page(request: Request, name: str) -> HTMLResponse:
        view = outlet_data(name)
        return page(request, "outlet.html", view=view, title=view.outlet.name,
                    twin=f"/api/outlets/{quote(view.outlet.name, safe='')}")  # fmt: skip

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> Response:
        found, events = story_data(story_id)
        if moved := _moved(request, story_id, found.story_id, "/stories/{}"):
            return moved
        return page(request, "story.html", story=found, events=events, title=found.label,
                    twin=f"/api/stories/{found.story_id}")  # fmt: skip

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        q: str = Query("", max_length=500),
        where: ListFilter = Depends(list_filter),
        offset: int = Query(0, ge=0),
    ) -> HTMLResponse:
        listing = search_listing(q, where, _SEARCH_PAGE, offset) if q.strip() else SearchPage((), 0, 0)
        twin = _with(request, path="/api/search")
        return page(request, "search.html", listing=listing, q=q, where=where, title=f"Search: {q}",
                    limit=_SEARCH_PAGE, link=partial(_with, request), twin=twin)  # fmt: skip

    return app


def highlight(text: str, value: str) -> Markup:
    """``text`` escaped, with each whole occurrence of ``value`` wrapped in <mark> (found in the raw
    text, then each piece escaped: a value never matches inside an escaped entity such as ``&#39;``)."""
    if not value:
        return escape(text)
    left = r"(?<!\w)" if value[0].isalnum() else ""
    right = r"(?!\w)" if value[-1].isalnum() else ""
    pieces = re.split(f"{left}{re.escape(value)}{right}", text)
    return Markup(Markup("<mark>%s</mark>") % value).join(escape(piece) for piece in pieces)


_ANY = TypeAdapter(Any)  # pydantic's serializer reads the records' fields (25x faster than jsonable_encoder)


def _moved(request: Request, wanted: str, found_id: str, path: str) -> Response | None:
    """A permanent redirect (308) to ``path`` filled with ``found_id`` when ``wanted`` is an older event or
    story id that now redirects there; None when it names ``found_id`` itself (or a prefix of it)."""
    if not queries.moved(wanted, found_id):
        return None
    query = f"?{request.url.query}" if request.url.query else ""
    return Response(status_code=HTTPStatus.PERMANENT_REDIRECT, headers={"Location": path.format(found_id) + query})


def _json(value: Any, status_code: int = 200) -> Response:
    """A JSON response of records (dates and times in ISO 8601, as the CLI's ``--json`` writes them)."""
    return Response(_ANY.dump_json(value), status_code=status_code, media_type="application/json")


def list_filter(
    since: str = Query("", max_length=10, description="from this day (YYYY-MM-DD)"),
    until: str = Query("", max_length=10, description="up to and including this day (YYYY-MM-DD)"),
    place: str = Query("", max_length=200, description="the event's place contains this"),
    outlet: str = Query("", max_length=200, description="an article from this outlet"),
    status: EventStatus = Query("", description="a claim with this status (contested: conflicting or updated)"),
    language: str = Query("", max_length=20, description="an article in this language"),
) -> ListFilter:
    """The list filter of a request's query parameters (the same for pages and API; an empty field,
    as a filter form sends it, is no condition)."""
    return ListFilter(_day(since), _day(until), place.strip(), outlet.strip(), status, language.strip())


def _day(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidInput(f"not a day (YYYY-MM-DD): {text!r}") from exc


def _with(request: Request, path: str = "", **changes: object) -> str:
    """This request's path (or ``path``) and query with some parameters changed (empty: removed)."""
    params = {k: v for k, v in request.query_params.items() if k not in changes}
    params.update({k: str(v) for k, v in changes.items() if v not in ("", None)})
    query = urlencode(sorted(params.items()))
    return (path or request.url.path) + (f"?{query}" if query else "")


def _paged(request: Request, items: list[Any], total: int, offset: int, limit: int) -> Response:
    """A list response: the items, the total in ``X-Total-Count`` and the next page in ``Link``."""
    response = _json(items)
    response.headers["X-Total-Count"] = str(total)
    if offset + len(items) < total:
        response.headers["Link"] = f'<{_with(request, offset=offset + limit)}>; rel="next"'
    return response


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run a cell starting so


def _csv(name: str, header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> Response:
    """A CSV download; untrusted text that a spreadsheet would take for a formula is prefixed with '."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([f"'{v}" if isinstance(v, str) and v.startswith(_FORMULA_START) else v for v in row])
    return Response(
        out.getvalue(), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip


def _phrase(status: int) -> str:
    """The standard reason phrase of an HTTP status ("Not Found", "Bad Request")."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


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


def _error(request: Request, templates: Jinja2Templates, message: str, status: int) -> Any:
    if request.url.path.startswith("/api"):
        return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)
    return templates.TemplateResponse(
        request, "error.html", {"message": message, "status": status, "title": _phrase(status)}, status_code=status
    )
