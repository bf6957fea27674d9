"""The web app: HTML pages and their JSON twins under ``/api``, read-only over one database.

Every page calls the same query functions as its ``/api`` twin; errors have one JSON shape,
``{"ok": false, "error": "...", "status": 404}``.  Article text is untrusted: templates
autoescape everything.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import lru_cache, partial
from http import HTTPStatus
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import swagger_ui_bundle
from fastapi import Depends, FastAPI, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsfuse import pipeline, queries
from newsfuse.errors import InvalidInput, NotFound
from newsfuse.models import (
    ArticleView,
    Brief,
    Event,
    EventPage,
    EventStatus,
    ListFilter,
    SearchPage,
    Story,
    TimelineEntry,
)
from newsfuse.settings import Settings
from newsfuse.store import Store

_TEMPLATES = Path(str(resources.files("newsfuse.web").joinpath("templates")))


_SWAGGER_URL = "/static/swagger"
_SEARCH_PAGE = 50  # hits per search page
_UPLOAD_SUFFIXES = (".txt", ".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".html", ".htm", ".rss", ".atom", ".xml")


def create_app(db: Path, settings: Settings | None = None, *, allow_ingest: bool = False) -> FastAPI:
    """The app serving ``db``, opened read-only (``StoreError`` when it is missing or not migrated);
    with ``allow_ingest`` uploads are stored in it (created and migrated first if need be)."""
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

    @lru_cache(maxsize=256)
    def cached_timeline(event_id: str, _version: tuple[int, ...]) -> tuple[TimelineEntry, ...]:
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

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Any:
        return _error(request, templates, str(exc), 404)

    @app.exception_handler(InvalidInput)
    async def invalid(request: Request, exc: InvalidInput) -> Any:
        return _error(request, templates, str(exc), 400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        return _error(request, templates, str(exc.detail), exc.status_code)

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

    @app.get("/api/articles/{article_id}", tags=["api"])
    def api_article(article_id: str) -> Any:
        return _json(article_data(article_id))

    def search_listing(q: str, where: ListFilter, limit: int, offset: int) -> SearchPage:
        with store() as s:
            return queries.search_page(s, q, where, limit, offset=offset)

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
        response = _json(list(listing.hits))
        response.headers["X-Total-Count"] = str(listing.total)
        if offset + len(listing.hits) < listing.total:
            response.headers["Link"] = f'<{_with(request, offset=offset + limit)}>; rel="next"'
        return response

    if allow_ingest:

        @app.post("/api/ingest", tags=["api"])
        async def api_ingest(request: Request, name: str = Query("upload.jsonl", max_length=200)) -> Any:
            """Ingest one uploaded file (the raw request body); ``name`` only picks the format."""
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
                with Store(db) as s:
                    report = pipeline.ingest(s, [path], settings, now=datetime.now(UTC))
                label = f"upload:{Path(name).name}"
                rejected = [{"origin": r.origin.replace(str(path), label), "reason": r.reason} for r in report.rejected]
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
    def event_page(request: Request, event_id: str) -> HTMLResponse:
        brief = brief_data(event_id)
        timeline = timeline_data(brief.event.event_id)
        every = [*brief.summary, *(c for claim in brief.claims for c in claim.citations),
                 *(c for entry in timeline for c in entry.citations)]  # fmt: skip
        cited = sorted({(c.article_id, c.sentence): c for c in every}.values(), key=lambda c: (c.source, c.sentence))
        with store() as opened:
            articles = opened.articles(brief.event.article_ids)
        return page(request, "event.html", brief=brief, timeline=timeline, cited=cited, articles=articles,
                    title=brief.event.label, twin=f"/api/events/{brief.event.event_id}")  # fmt: skip

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, limit: int = Query(100, ge=1, le=10_000)) -> HTMLResponse:
        return page(request, "stories.html", stories=stories_data(limit), title="Stories", twin="/api/stories")

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        view = article_data(article_id)
        twin = f"/api/articles/{view.article.article_id}"
        return page(request, "article.html", view=view, title=view.article.title or view.article.source, twin=twin)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> HTMLResponse:
        found, events = story_data(story_id)
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


def _json(value: Any) -> JSONResponse:
    return JSONResponse(jsonable_encoder(value))


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


def _phrase(status: int) -> str:
    """The standard reason phrase of an HTTP status ("Not Found", "Bad Request")."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _error(request: Request, templates: Jinja2Templates, message: str, status: int) -> Any:
    if request.url.path.startswith("/api"):
        return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)
    return templates.TemplateResponse(
        request, "error.html", {"message": message, "status": status, "title": _phrase(status)}, status_code=status
    )
