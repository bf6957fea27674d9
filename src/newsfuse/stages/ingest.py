"""Turn raw input items into ``Article`` records, or say why not.

Accepted shapes (see README "Input formats"):

* sample text: ``date YYYY-MM-DD`` then the article text;
* JSON / JSONL / CSV records with ``text`` and ``date`` (or ``published``),
  optional ``source``, ``title``, ``url``, ``language``;
* HTML pages (main text and metadata by trafilatura);
* RSS / Atom feeds (feedparser), one article per entry.

The outlet comes from ``stages.outlets`` (explicit name, URL's registered domain, site or feed
title), the text is cleaned by ``stages.clean`` and its language found by ``stages.language``.
"""

from __future__ import annotations

import email.utils
import html
import json
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

import charset_normalizer
import dateparser
import feedparser
import trafilatura

from newsfuse.ids import article_id
from newsfuse.models import Article, ContentKind, RawItem, Rejected
from newsfuse.settings import IngestSettings
from newsfuse.stages.clean import clean_article
from newsfuse.stages.language import count_words, detect_language
from newsfuse.stages.outlets import identify, registered_domain, strip_site
from newsfuse.stages.pagemeta import PageMeta, read_page

_SAMPLE = re.compile(r"^\s*date\s+(\S+)\s+(.*)$", re.DOTALL | re.IGNORECASE)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
_TEXT_KEYS = ("text", "body", "content", "article")
_DATE_KEYS = (
    "date",
    "published",
    "published_at",
    "publishedAt",
    "pubDate",
    "publish_date",
    "dateTimePub",
    "datetime",
    "dateTime",
)
_SOURCE_KEYS = ("source", "outlet", "publisher", "site")
# news-API responses: the list of records inside one JSON document (NewsAPI, Event Registry)
_RECORD_LISTS = (("articles",), ("articles", "results"))
_PLACEHOLDER_WORDS = 5  # a body this short is a "Read more" link or a placeholder
TEASER_WORDS = 100  # a feed entry body shorter than this is a standfirst or lead, not the whole report
_BODY_RATIO = 3  # a JSON-LD body this many times longer than the extracted text: the page shows little of it
_HEAD_LINES = 5  # a headline repeated in the text is among its first lines
_SUFFIX_START = re.compile(r"^\s+[|–—-]\s")
_TAGS = re.compile(r"<[^>]{0,2000}>")
_DATEPARSER_SETTINGS: Any = {
    "RETURN_AS_TIMEZONE_AWARE": True,
    "TO_TIMEZONE": "UTC",
    "PREFER_DAY_OF_MONTH": "first",
    "STRICT_PARSING": False,
}
_MEDIA_DESCRIPTION = re.compile(r"<media:description[^>]*>(.*?)</media:description>", re.DOTALL)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def parse_published(value: object, *, now: datetime) -> datetime | str:
    """Parse a publish time to aware UTC, or return the reason it cannot be used."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "no date"
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            parsed: datetime | None = datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return f"unparseable date {value!r}"
    elif isinstance(value, str):
        raw = value.strip()[:100]
        parsed = None
        if _ISO.match(raw):
            try:
                parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            except ValueError:
                return f"unparseable date {raw!r}"
        if parsed is None:
            try:
                parsed = email.utils.parsedate_to_datetime(raw)
            except (TypeError, ValueError, IndexError):
                parsed = None
        if parsed is None and re.search(r"\d", raw):
            parsed = dateparser.parse(raw, settings=_DATEPARSER_SETTINGS)
        if parsed is None:
            return f"unparseable date {raw!r}"
    else:
        return f"unparseable date {value!r}"
    if parsed is None:
        return f"unparseable date {value!r}"
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    elif parsed.utcoffset() and (parsed.hour, parsed.minute, parsed.second, parsed.microsecond) == (0, 0, 0, 0):
        parsed = datetime(parsed.year, parsed.month, parsed.day, tzinfo=UTC)  # local midnight: a day, no time
    parsed = parsed.astimezone(UTC)
    if parsed.year < 1800 or parsed > now + timedelta(days=2):
        return f"implausible date {parsed.date().isoformat()}"
    return parsed


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is None or best.chaos > 0.2:
        return None
    return data.decode(best.encoding, errors="replace")


def valid_utf8(text: str) -> str:
    """``text`` with lone surrogates (legal in JSON, e.g. ``"\\ud800"``, and in undecodable file names)
    replaced by U+FFFD, so that it can be encoded and stored."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def clean_text(text: str) -> str:
    """Make valid UTF-8, normalize Unicode, drop control characters and trailing blanks."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", valid_utf8(text)))
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _title_from(text: str) -> str:
    first = text.strip().split("\n", 1)[0]
    first = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    return first if len(first) <= 120 else first[:117].rstrip() + "..."


def _build(
    origin: str,
    *,
    text: str,
    published: object,
    source: str,
    title: str,
    url: str,
    language: str,
    settings: IngestSettings,
    now: datetime,
    site_name: str = "",
    feed_title: str = "",
    site_url: str = "",
    site_names: tuple[str, ...] = (),
    name_hints: tuple[str, ...] = (),
    fallback: str = "",
    content_kind: ContentKind = "full",
    date_source: str = "",
) -> Article | Rejected:
    text = clean_text(text)
    if not text:
        return Rejected(origin, "empty text", "empty_text")
    size = len(text.encode())
    if size > settings.max_bytes:
        return Rejected(origin, f"oversized text ({size} bytes > {settings.max_bytes})", "oversized")
    cleaned = clean_article(text)
    text = cleaned.text
    words = count_words(text)
    if words < settings.min_words:
        return Rejected(origin, f"too short ({words} words < {settings.min_words})", "too_short")
    published_at = parse_published(published, now=now)
    if isinstance(published_at, str):
        return Rejected(origin, published_at, "no_date" if published_at == "no date" else "bad_date")
    outlet = identify(
        explicit=" ".join(valid_utf8(source).split()) or settings.source,
        url=site_url or url,
        site_name=site_name,
        site_names=site_names,
        hints=name_hints,
        feed_title=feed_title,
        fallback=fallback,
    )
    source = outlet.name[:200]
    title = " ".join(_TAGS.sub(" ", valid_utf8(title)).split())
    title = strip_site(title, domain=outlet.domain, site_name=site_name)[:300] or _title_from(text)
    return Article(
        article_id=article_id(source, published_at, text),
        source=source,
        title=title,
        text=text,
        published_at=published_at,
        url=valid_utf8(url).strip()[:2000],
        language=detect_language(f"{title}\n{text}", valid_utf8(language))[:16],
        origin=valid_utf8(origin),
        content_kind=content_kind,
        dateline=cleaned.dateline,
        date_source=date_source,
    )


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for key in keys:
        if lowered.get(key.lower()) not in (None, ""):
            return lowered[key.lower()]
    return None


def _from_record(origin: str, record: object, stem: str, settings: IngestSettings, now: datetime) -> Article | Rejected:
    if not isinstance(record, dict):
        return Rejected(origin, "JSON record is not an object", "not_a_record")
    text = _first(record, _TEXT_KEYS)
    if isinstance(text, list):
        text = "\n\n".join(str(part) for part in text)
    if not isinstance(text, str):
        present = [k for k in record if str(k).lower() in _TEXT_KEYS and record[k] in (None, "")]
        if present:
            return Rejected(origin, f"empty text field ({present[0]})", "empty_text")
        return Rejected(origin, "no text field (text, body or content)", "no_text")
    published = _first(record, _DATE_KEYS)
    if published is None:
        return Rejected(origin, "no date field (date or published)", "no_date")
    return _build(
        origin,
        text=text,
        published=published,
        source=_source_name(_first(record, _SOURCE_KEYS)),
        title=str(_first(record, ("title", "headline")) or ""),
        url=str(_first(record, ("url", "link")) or ""),
        language=str(_first(record, ("language", "lang")) or ""),
        settings=settings,
        now=now,
        fallback=stem,
    )


def _source_name(value: object) -> str:
    """The outlet name of a record's source field: a string, or an object's ``name``/``title``."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or value.get("uri") or ""
    return str(value) if isinstance(value, str | int | float) and not isinstance(value, bool) else ""


def _record_list(record: object) -> list[Any] | None:
    """The records inside a news-API response (``articles[]``, ``articles.results[]``), else None."""
    for path in _RECORD_LISTS:
        node = record
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, list):
            return node
    return None


def _from_html(item: RawItem, text: str, settings: IngestSettings, now: datetime) -> Article | Rejected:
    page = read_page(text)
    if page.not_article:
        return Rejected(item.origin, f"not a news article ({page.not_article})", "not_an_article")
    found = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False)
    doc: dict[str, Any] = found.as_dict() if found is not None and not isinstance(found, dict) else found or {}
    if not doc.get("text"):
        return Rejected(item.origin, "no article text found in HTML", "no_html_text")
    published, date_source = (page.published, page.date_source) if page.published else (doc.get("date"), "trafilatura")
    return _build(
        item.origin,
        text=_page_text(
            str(doc["text"]), page, _headline(str(doc.get("title") or ""), str(doc.get("url") or ""), page)
        ),
        published=published,
        source="",
        title=str(doc.get("title") or ""),
        url=str(doc.get("url") or ""),
        language=str(doc.get("language") or ""),
        settings=settings,
        now=now,
        site_name=page.site_name or str(doc.get("sitename") or ""),
        site_names=page.site_names,
        name_hints=page.name_hints,
        fallback=str(doc.get("hostname") or item.stem),
        date_source=date_source,
    )


def _page_text(extracted: str, page: PageMeta, title: str) -> str:
    """trafilatura's main text, or the page's JSON-LD ``articleBody`` when that is several times
    longer (the body only in a script), without the headline repeated at its head, led by the
    page's standfirst when the text lacks it."""
    text = extracted
    if title:
        lines = text.split("\n")
        head = [line for line in lines[:_HEAD_LINES] if not _is_headline(line, title)]
        text = "\n".join(head + lines[_HEAD_LINES:]) if len(head) < len(lines[:_HEAD_LINES]) else text
    if page.body and count_words(page.body) > _BODY_RATIO * count_words(extracted):
        text = page.body
    if page.standfirst and " ".join(page.standfirst.split()) not in " ".join(text.split()):
        text = f"{page.standfirst}\n{text}"
    return text


def _headline(title: str, url: str, page: PageMeta) -> str:
    return strip_site(" ".join(title.split()), domain=registered_domain(url), site_name=page.site_name)


def _is_headline(line: str, title: str) -> bool:
    """``line`` is the headline itself, or with the site's suffix ("Title | Section | DW | 23.05.2011")."""
    line = " ".join(line.split())
    return line == title or (line.startswith(title) and bool(_SUFFIX_START.match(line[len(title) :])))


def _html_to_text(fragment: str) -> str:
    if "<" not in fragment:
        return fragment
    extracted = trafilatura.extract(f"<html><body><article>{fragment}</article></body></html>", favor_recall=True)
    return extracted or " ".join(_TAGS.sub(" ", fragment).split())


def _caption_key(text: str) -> str:
    return re.sub(r"\W+", "", html.unescape(_TAGS.sub(" ", text.replace("<![CDATA[", "").replace("]]>", ""))))[:60]


def _media_captions(data: bytes) -> frozenset[str]:
    """The photo captions of a feed (``media:description``), by the start of their words: feedparser
    files them among an entry's content, with no mark."""
    if b"media:description" not in data:
        return frozenset()
    text = data.decode("utf-8", errors="replace")
    return frozenset(filter(None, (_caption_key(html.unescape(m)) for m in _MEDIA_DESCRIPTION.findall(text))))


def _feed_body(entry: Any, captions: frozenset[str]) -> tuple[str, ContentKind]:
    """The entry's text and what it is: the longest of its content and description, never a media
    caption unless it is all there is."""
    bodies: list[str] = []
    found: list[str] = []
    for part in [*(entry.get("content") or []), {"value": entry.get("summary", "")}]:
        value = str(part.get("value", ""))
        (found if captions and _caption_key(value) in captions else bodies).append(_html_to_text(value))
    best = max(bodies, key=count_words, default="")
    if count_words(best) >= 2 * _PLACEHOLDER_WORDS or not found:
        return best, "full" if count_words(best) >= TEASER_WORDS else "teaser"
    return max(found, key=count_words), "caption"


def _from_feed(item: RawItem, settings: IngestSettings, now: datetime) -> list[Article | Rejected]:
    feed = feedparser.parse(item.data)
    if not feed.entries:
        if feed.get("bozo"):
            return [Rejected(item.origin, f"not a feed: {feed.bozo_exception}", "not_a_feed")]
        return [Rejected(item.origin, "feed has no entries", "empty_feed")]
    title = str(feed.feed.get("title") or "")
    captions = _media_captions(item.data)
    results: list[Article | Rejected] = []
    for number, entry in enumerate(feed.entries, start=1):
        body, kind = _feed_body(entry, captions)
        stated = "published" if entry.get("published") else "updated"
        results.append(
            _build(
                f"{item.origin}#entry{number}",
                text=body,
                published=entry.get(stated),
                source="",
                title=str(entry.get("title", "")),
                url=str(entry.get("link", "") or feed.feed.get("link", "")),
                language=str(feed.feed.get("language") or ""),
                settings=settings,
                now=now,
                feed_title=title,
                site_url=str(feed.feed.get("link", "")),
                fallback=title or item.stem,
                content_kind=kind,
                date_source=f"feed {stated}",
            )
        )
    return results


def parse_item(item: RawItem, *, settings: IngestSettings, now: datetime) -> list[Article | Rejected]:
    """Parse one raw item into articles; every failure comes back as ``Rejected``, an unexpected
    error too (code ``internal_error``), so that one bad item never stops a run."""
    try:
        return _parse(item, settings, now)
    except Exception as exc:  # noqa: BLE001 - the item is untrusted input; the error is reported as its rejection
        return [Rejected(item.origin, f"unexpected error: {type(exc).__name__}: {str(exc)[:200]}", "internal_error")]


def _parse(item: RawItem, settings: IngestSettings, now: datetime) -> list[Article | Rejected]:
    if item.fmt == "feed":
        return _from_feed(item, settings, now)
    text = _decode(item.data)
    if text is None:
        return [Rejected(item.origin, "cannot decode text (not UTF-8 and no charset detected)", "bad_encoding")]
    if item.fmt == "json":
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            return [Rejected(item.origin, f"malformed JSON: {exc.msg} at column {exc.colno}", "malformed_json")]
        except RecursionError:
            return [Rejected(item.origin, "JSON nested too deeply", "too_deep")]
        inner = _record_list(record)
        listed = isinstance(record, list) or inner is not None
        records = record if isinstance(record, list) else inner if inner is not None else [record]
        origins = [f"{item.origin}[{i}]" for i in range(len(records))] if listed else [item.origin]
        return [_from_record(o, r, item.stem, settings, now) for o, r in zip(origins, records, strict=True)]
    if item.fmt == "html":
        return [_from_html(item, text, settings, now)]
    match = _SAMPLE.match(text)
    if match is None:
        return [Rejected(item.origin, "no date: text files must start with 'date YYYY-MM-DD'", "no_date")]
    return [
        _build(
            item.origin,
            text=match.group(2),
            published=match.group(1),
            source="",
            title="",
            url="",
            language="",
            fallback=item.stem,
            settings=settings,
            now=now,
        )
    ]
