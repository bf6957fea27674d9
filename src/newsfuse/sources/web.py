"""Fetch feeds and pages by URL: the only network code in newsfuse.

Politely: a User-Agent that names newsfuse, robots.txt honoured (one read per host and run), at
most one request per host every ``per_host_seconds``, timeouts, retries with backoff on timeouts,
connection errors, 429 and 5xx, and conditional GET (ETag / Last-Modified from the last fetch,
so an unchanged feed costs a 304 and is not parsed again).  Every failure comes back as a
``Rejected`` with the URL and the reason, and the other URLs go on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from newsfuse.models import InputFormat, RawItem, Rejected


def _version() -> str:
    try:
        return version("newsfuse")
    except PackageNotFoundError:
        return "dev"


USER_AGENT = f"newsfuse/{_version()} (news aggregation; +https://pypi.org/project/newsfuse/)"
TIMEOUT_SECONDS = 15.0  # a server slower than this is treated as down for this try
RETRIES = 3  # tries per URL before it is reported as failed
BACKOFF_SECONDS = 1.0  # wait before the second try; doubled for each later one
PER_HOST_SECONDS = 1.0  # at most one request per host this often
MAX_BYTES = 20 * 1024 * 1024  # a larger response is no feed or article
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_FEED_TYPES = ("rss", "atom", "rdf", "xml")
_SNIFF = 512


def is_url(text: str) -> bool:
    """Whether a command-line argument is an http(s) URL rather than a path."""
    return text.lower().startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said of a response, sent back on the next fetch (conditional GET)."""

    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True, slots=True)
class Fetched:
    """The outcome for one URL: an item to parse, ``unchanged`` (304), or a rejection."""

    url: str
    item: RawItem | Rejected | None
    validators: Validators = Validators()
    unchanged: bool = False


def _format(content_type: str, data: bytes) -> InputFormat | None:
    kind = content_type.split(";", 1)[0].strip().lower()
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:_SNIFF].lower()
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")) and b"<html" not in head:
        return "feed"
    if "html" in kind or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if any(t in kind for t in _FEED_TYPES):
        return "feed"
    return None


def _client(timeout: float = TIMEOUT_SECONDS) -> httpx.Client:
    return httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=timeout, follow_redirects=True)


@dataclass
class Fetcher:
    """A polite HTTP client for many URLs (one per run or per ``watch``; keeps robots.txt and host clocks)."""

    client: httpx.Client = field(default_factory=_client)
    retries: int = RETRIES
    backoff: float = BACKOFF_SECONDS
    per_host: float = PER_HOST_SECONDS
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _robots: dict[str, RobotFileParser | None] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)

    @classmethod
    def with_timeout(cls, seconds: float) -> Fetcher:
        """A fetcher whose requests give up after ``seconds`` (connect, read, write each)."""
        return cls(client=_client(seconds))

    def close(self) -> None:
        self.client.close()

    def _wait_turn(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            left = self.per_host - (self.clock() - last)
            if left > 0:
                self.sleep(left)
        self._last[host] = self.clock()

    def _get(self, url: str, headers: Mapping[str, str]) -> httpx.Response | str:
        """The response, or why none came after every try."""
        reason = ""
        for attempt in range(self.retries):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            self._wait_turn(urlsplit(url).netloc)
            try:
                response = self.client.get(url, headers=dict(headers))
            except httpx.TimeoutException:
                reason = f"timed out after {self.client.timeout.read or TIMEOUT_SECONDS:g} s"
                continue
            except httpx.HTTPError as exc:
                reason = f"cannot fetch: {exc.__class__.__name__}: {exc}"
                continue
            if response.status_code in _RETRY_STATUS:
                reason = f"HTTP {response.status_code}"
                continue
            return response
        return f"{reason} ({self.retries} tries)"

    def allowed(self, url: str) -> bool | str:
        """Whether robots.txt lets newsfuse fetch ``url``; a reason when robots.txt cannot be read."""
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            response = self._get(f"{root}/robots.txt", {})
            if isinstance(response, str):
                return f"robots.txt unreadable: {response}"
            parser: RobotFileParser | None = None
            if response.status_code == 200:
                parser = RobotFileParser()
                parser.parse(response.text.splitlines())
            elif response.status_code >= 500:
                return f"robots.txt unreadable: HTTP {response.status_code}"
            self._robots[root] = parser  # 4xx: no rules, everything allowed
        rules = self._robots[root]
        return rules is None or rules.can_fetch(USER_AGENT, url)

    def fetch(self, url: str, validators: Validators = Validators()) -> Fetched:
        """Fetch one URL (conditionally when ``validators`` are known)."""
        permitted = self.allowed(url)
        if permitted is not True:
            reason = permitted if isinstance(permitted, str) else "disallowed by robots.txt"
            return Fetched(url, Rejected(url, reason, "fetch_failed"))
        headers = {}
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        response = self._get(url, headers)
        if isinstance(response, str):
            return Fetched(url, Rejected(url, response, "fetch_failed"))
        if response.status_code == 304:
            return Fetched(url, None, validators, unchanged=True)
        if response.status_code != 200:
            return Fetched(url, Rejected(url, f"HTTP {response.status_code}", "fetch_failed"))
        data = response.content
        if len(data) > MAX_BYTES:
            return Fetched(url, Rejected(url, f"oversized response ({len(data)} bytes > {MAX_BYTES})", "oversized"))
        kind = _format(response.headers.get("content-type", ""), data)
        if kind is None:
            found = response.headers.get("content-type", "no content type")
            return Fetched(url, Rejected(url, f"not a feed or HTML page ({found})", "unknown_format"))
        fresh = Validators(response.headers.get("etag", ""), response.headers.get("last-modified", ""))
        return Fetched(url, RawItem(url, kind, data, urlsplit(url).hostname or url), fresh)


def fetch_all(
    urls: Iterable[str],
    fetcher: Fetcher,
    cache: Mapping[str, Validators],
    *,
    progress: Callable[[str, int], None] | None = None,
) -> Iterator[Fetched]:
    """Fetch each URL in turn; one failing never stops the others."""
    for url in urls:
        try:
            done = fetcher.fetch(url, cache.get(url, Validators()))
        except Exception as exc:  # noqa: BLE001 - a URL that breaks the client is that URL's error only
            done = Fetched(url, Rejected(url, f"cannot fetch: {exc.__class__.__name__}: {exc}", "fetch_failed"))
        if progress is not None:
            progress("fetched", 1)
        yield done
