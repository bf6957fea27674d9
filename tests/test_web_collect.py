"""Live collection against a real HTTP server on 127.0.0.1 serving saved real feeds and pages (#21)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from newsfuse.cli import main
from newsfuse.models import RawItem, Rejected
from newsfuse.sources.web import USER_AGENT, Fetcher, Validators, fetch_all

DATA = Path(__file__).parent / "data" / "web"
MODIFIED = formatdate(1_700_000_000, usegmt=True)


@dataclass
class Site:
    """What the test server serves and what it was asked."""

    base: str = ""
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    robots: str = "User-agent: *\nDisallow: /private/\n"


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: object) -> None:
            return None

        def _send(
            self, status: int, body: bytes = b"", kind: str = "text/plain", extra: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            site.requests.append((self.path, self.headers.get("User-Agent", ""), dict(self.headers)))
            if self.path == "/robots.txt":
                return self._send(200, site.robots.encode())
            if self.path == "/slow.xml":
                time.sleep(0.6)
                return self._send(200, b"late")
            if self.path == "/broken.xml":
                return self._send(500, b"oops")
            if self.path == "/teasers.xml":
                return self._send(200, _teaser_feed(site.base).encode(), "application/rss+xml")
            if self.path == "/garbage.xml":
                return self._send(200, b"\x00\x01 not a feed at all \xff", "application/rss+xml")
            files = {"/bbc.xml": ("bbc.xml", "application/rss+xml"),
                     "/nyt.xml": ("nytimes-science.xml", "application/rss+xml"),
                     "/regen.html": ("kyffhaeuser-nachrichten.de-Regen.html", "text/html; charset=utf-8"),
                     "/private/page.html": ("kyffhaeuser-nachrichten.de-Regen.html", "text/html")}  # fmt: skip
            if self.path not in files:
                return self._send(404)
            name, kind = files[self.path]
            etag = f'"{name}-v1"'
            if self.headers.get("If-None-Match") == etag or self.headers.get("If-Modified-Since") == MODIFIED:
                return self._send(304, extra={"ETag": etag})
            body = (DATA / name).read_bytes()
            if kind == "application/rss+xml":  # the saved feeds link to their outlets: point every URL here
                body = _ANY_HOST.sub(site.base.encode(), body)
            return self._send(200, body, kind, {"ETag": etag, "Last-Modified": MODIFIED})

    return Handler


# the host part of any absolute URL: tests never reach a host outside this machine
_ANY_HOST = re.compile(rb"https?://[A-Za-z0-9.-]+(?::\d+)?")


def _teaser_feed(base: str) -> str:
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Kyffhäuser Nachrichten</title>"
        f"<link>{base}/</link><item><title>So viel Regen gab es lange nicht</title><link>{base}/regen.html</link>"
        "<description>Der Oktober war nass, sehr nass, wie lange nicht mehr im Kreis.</description>"
        "<pubDate>Tue, 31 Oct 2023 09:19:00 GMT</pubDate></item></channel></rss>"
    )


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def _fetcher(**kwargs: object) -> Fetcher:
    client = httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=0.3)
    return Fetcher(client=client, backoff=0.01, per_host=0.0, **kwargs)  # type: ignore[arg-type]


def test_fetch_conditional_get_returns_unchanged(site: Site) -> None:
    fetcher = _fetcher()
    first = fetcher.fetch(f"{site.base}/bbc.xml")
    assert isinstance(first.item, RawItem) and first.item.fmt == "feed"
    assert first.validators == Validators('"bbc.xml-v1"', MODIFIED)
    again = fetcher.fetch(f"{site.base}/bbc.xml", first.validators)
    assert again.unchanged and again.item is None
    sent = [headers for path, _, headers in site.requests if path == "/bbc.xml"][-1]
    assert sent["If-None-Match"] == '"bbc.xml-v1"' and sent["If-Modified-Since"] == MODIFIED


def test_fetch_honours_robots_and_names_itself(site: Site) -> None:
    done = _fetcher().fetch(f"{site.base}/private/page.html")
    assert isinstance(done.item, Rejected) and done.item.reason == "disallowed by robots.txt"
    assert all(agent == USER_AGENT for _, agent, _ in site.requests)
    assert [path for path, _, _ in site.requests] == ["/robots.txt"]  # the page itself was never asked for


def test_fetch_failures_are_per_url_and_retried(site: Site) -> None:
    urls = [f"{site.base}/{name}" for name in ("slow.xml", "broken.xml", "garbage.xml", "missing.xml", "regen.html")]
    results = list(fetch_all(urls, _fetcher(retries=2), {}))
    reasons = {r.url.rsplit("/", 1)[1]: r.item for r in results}
    assert isinstance(reasons["slow.xml"], Rejected) and "timed out" in reasons["slow.xml"].reason
    assert isinstance(reasons["broken.xml"], Rejected) and reasons["broken.xml"].reason == "HTTP 500 (2 tries)"
    assert isinstance(reasons["missing.xml"], Rejected) and reasons["missing.xml"].reason == "HTTP 404"
    assert isinstance(reasons["garbage.xml"], RawItem)  # served as a feed: the parser rejects it, per item
    assert isinstance(reasons["regen.html"], RawItem) and reasons["regen.html"].fmt == "html"
    assert sum(path == "/broken.xml" for path, _, _ in site.requests) == 2


def test_cli_ingest_url_end_to_end_then_unchanged(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", "--db", str(db), "--workers", "1", f"{site.base}/nyt.xml",
                                 f"{site.base}/regen.html"])  # fmt: skip
    assert first.exit_code == 0, first.output
    assert "new article(s)" in first.output and "0 URL(s) unchanged" in first.output
    again = runner.invoke(main, ["ingest", "--db", str(db), "--workers", "1", f"{site.base}/nyt.xml"])
    assert again.exit_code == 0, again.output
    assert "0 new article(s) of 0 read" in again.output and "1 URL(s) unchanged" in again.output


def test_cli_watch_survives_timeouts_errors_and_garbage(site: Site, tmp_path: Path) -> None:
    db = tmp_path / "watch.db"
    urls = [f"{site.base}/{name}" for name in ("slow.xml", "broken.xml", "garbage.xml", "bbc.xml")]
    result = CliRunner().invoke(
        main, ["watch", "--db", str(db), "--workers", "1", "--every", "0.1s", "--polls", "2", "--timeout", "0.3", *urls]
    )
    assert result.exit_code == 0, result.output
    assert "broken.xml: HTTP 500" in result.output and "garbage.xml" in result.output
    assert "slow.xml: timed out" in result.output
    assert result.output.count("new article(s)") == 2  # both polls ran to the end
    assert "1 URL(s) unchanged" in result.output  # the second poll's bbc.xml came back 304


def test_cli_ingest_feed_teaser_is_replaced_by_its_linked_page(site: Site, tmp_path: Path) -> None:
    from newsfuse.store import Store

    db = tmp_path / "teasers.db"
    result = CliRunner().invoke(main, ["ingest", "--db", str(db), "--workers", "1", f"{site.base}/teasers.xml"])
    assert result.exit_code == 0, result.output
    with Store(db, read_only=True) as store:
        [article] = store.articles(a for a, *_ in store.article_meta())
    assert "Statt herkömmlichem Herbstwetter" in article.text and article.content_kind == "full"
    assert article.source == "Kyffhäuser Nachrichten" and article.language == "de"
