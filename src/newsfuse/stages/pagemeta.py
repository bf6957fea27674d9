"""What an HTML page says of itself: when it was first published (with the time and zone when it
states them, and where that came from), its site name, and whether it is a news article at all.

Dates come first from the page's own markup for the original publication (JSON-LD
``datePublished``, ``article:published_time`` and its kin, ``itemprop="datePublished"``), then
from htmldate in its original-date mode; a modified date is never taken when an original exists.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from htmldate import find_date

from newsfuse.stages.outlets import registered_domain
from newsfuse.stages.zones import localised

_META_DATES = (
    "article:published_time", "og:article:published_time", "og:published_time", "datePublished",
    "publish-date", "publish_date", "pubdate", "dc.date.issued", "dcterms.issued", "dc.date", "date",
    "sailthru.date", "parsely-pub-date", "cxenseparse:recs:publishtime",
)  # fmt: skip
_ARTICLE_TYPES = re.compile(
    r"(?:^|[^A-Za-z])(?:\w*NewsArticle|Article|BlogPosting|Report|LiveBlogPosting|OpinionNewsArticle)$"
)
_NON_ARTICLE_OG = {"product": "a shop page", "profile": "a profile page", "books.book": "a book page"}
_NON_ARTICLE_PATH = (
    (re.compile(r"/(?:wiki)/", re.IGNORECASE), "an encyclopedia page"),
    (
        re.compile(
            r"/(?:about(?:-us)?|ueber-uns|uber-uns|unserverein|impressum|imprint|contact|kontakt|team)(?:[./]|$)",
            re.IGNORECASE,
        ),
        "an about page",
    ),  # noqa: E501
    (re.compile(r"/(?:shop|store|product|produkt|cart|warenkorb)s?(?:[/.-]|$)", re.IGNORECASE), "a shop page"),
    (re.compile(r"/reviews?/", re.IGNORECASE), "a review page"),
)
_BYLINE = re.compile(
    r"\b(?:Written|Published|Posted|First published|Veröffentlicht|Erstellt|Publié|Publicado|Pubblicato)"
    r"(?: on| am| le| el| il)?\s*:?\s*(?P<day>\d{4}-\d{2}-\d{2})"
    r"(?P<rest>[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
# day-first dotted dates ("12.10.2015", "27.04.2020 - 18:50 Uhr"): the form of German, Dutch,
# Nordic and Slavic bylines; never month-first (US dates use slashes)
_UPDATE_WORDS = r"(?i:aktualisiert|geändert|updated|modified|mis à jour|actualizado|aggiornato)"  # never the original
_DOTTED_PART = r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d{2})"
_DOTTED = re.compile(
    rf"^(?!{_UPDATE_WORDS})(?:\w+:?\s)?{_DOTTED_PART}(?:,?\s*-?\s*(?P<H>[012]?\d):(?P<M>[0-5]\d)\s*(?:Uhr|h)?)?$"
)
_TITLE_DATE = re.compile(rf"\s[|–—-]\s*{_DOTTED_PART}(?P<H>)?$")
_DATE_ELEMENTS = (
    "((//header | //article)//*[contains(@class, 'date') or contains(@class, 'time')][not(*)][not(ancestor::a)]"
    "[not(contains(@class, 'modif') or contains(@class, 'updat'))]"
    "[string-length(normalize-space()) < 40])[position() < 20]/text()"
)
_MARKUP = ("json-ld", "meta", "itemprop")  # date sources that are metadata, not text a reader sees
_YEAR_ONLY = "-01-01"  # htmldate dates a page by a bare year (a copyright line) as its 1 January
_SITE_TYPES = frozenset({"NewsMediaOrganization", "Organization", "WebSite"})
_TITLE_PARTS = re.compile(r"\s+[|–—-]\s+|\s*\|\s*|\s+::?\s+|\s+[»·•]\s+")
_TRAILING_PARENS = re.compile(r"\(([^()]{2,60})\)$")
_LEADING_SEPARATOR = re.compile(r"^\s*(?:[|–—:·•»/-]+|[lI](?=\s))\s*")  # "l" or "I" typed for a "|"
# a subheadline right under the headline, in the headline's own group
_SUBHEADLINE = "(//hgroup/h1/following-sibling::h2[1] | //header//h1/following-sibling::*[1][self::h2 or self::p])"
_STANDFIRST_WORDS = (8, 80)  # shorter is a kicker or a byline, longer is the report itself
_STARTS_WITH = "//body//*[self::p or self::h2 or self::div][starts-with(normalize-space(), $start)]"
_DESCRIPTION_START = 40  # characters of the description an element must start with to be looked at
_SENTENCE_ENDS = (".", "!", "?", "…", '"', "”", "»")
_NON_ARTICLE_SCHEMA = {"Product": "a shop page", "AboutPage": "an about page", "ProfilePage": "a profile page"}


@dataclass(frozen=True, slots=True)
class PageMeta:
    """Page-level metadata: ``published`` as the page states it (ISO text) and where it came from."""

    published: str
    date_source: str
    site_name: str
    not_article: str  # why the page is no news article ("" when it may be one)
    site_names: tuple[str, ...] = ()  # the other names the page gives its site (publisher, organisation)
    name_hints: tuple[str, ...] = ()  # title suffixes and social handles that may name the site
    standfirst: str = ""  # the lead shown under the headline ("" when none is marked as such)
    body: str = ""  # the JSON-LD ``articleBody`` of the article, when the page has one


def _json_ld(doc: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for script in doc.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                found.append(node)
                stack.extend(v for k, v in node.items() if k == "@graph")
    return found


def _types(node: dict[str, Any]) -> list[str]:
    kind = node.get("@type", [])
    return [str(k) for k in (kind if isinstance(kind, list) else [kind])]


def _name(value: object) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or "")
    return str(value) if isinstance(value, str) else ""


def _meta(doc: Any, key: str) -> str:
    for attribute in ("property", "name", "itemprop"):
        values = doc.xpath(f"//meta[@{attribute}=$key]/@content", key=key)
        if values and str(values[0]).strip():
            return str(values[0]).strip()
    return ""


def _stated_date(doc: Any, nodes: list[dict[str, Any]]) -> tuple[str, str]:
    for node in nodes:
        if any(_ARTICLE_TYPES.search(t) for t in _types(node)) and node.get("datePublished"):
            return str(node["datePublished"]), "json-ld datePublished"
    for key in _META_DATES:
        value = _meta(doc, key)
        if value and re.search(r"\d{4}", value):
            return value, f"meta {key}"
    for value in doc.xpath('//*[@itemprop="datePublished"]/@datetime | //*[@itemprop="datePublished"]/@content'):
        if str(value).strip():
            return str(value).strip(), "itemprop datePublished"
    for node in nodes:
        if node.get("datePublished"):
            return str(node["datePublished"]), "json-ld datePublished"
    for value in doc.xpath(
        "(//article//time[@datetime] | //main//time[@datetime] | //header//time[@datetime])[1]/@datetime"
    ):
        value = str(value).strip()
        if re.match(r"\d{4}-\d{2}-\d{2}", value):
            return value, "time element of the article"
    return _byline_date(doc)


def _byline_date(doc: Any) -> tuple[str, str]:
    """A publication date in the page text: labelled ("Written: 2023-11-07 15:03:30"), else a date
    element's whole text in day-first dotted form ("12.10.2015, 19:16 Uhr"), else a date the title
    ends with ("... | DW | 10.06.2013"). A time without a zone is left without one (see ``zones``)."""
    for text in doc.xpath("//body//text()[string-length(normalize-space()) > 6][position() < 4000]"):
        match = _BYLINE.search(str(text))
        if match:
            rest = (match.group("rest") or "").strip().removeprefix("T")
            return (f"{match.group('day')}T{rest}" if rest else match.group("day")), "byline"
    for text in doc.xpath(_DATE_ELEMENTS):
        match = _DOTTED.match(" ".join(str(text).split()))
        if match:
            return _dotted_iso(match), "date element"
    for title in (str(doc.findtext(".//title") or ""), _meta(doc, "og:title")):
        match = _TITLE_DATE.search(" ".join(title.split()))
        if match:
            return _dotted_iso(match), "title"
    return "", ""


def _dotted_iso(match: re.Match[str]) -> str:
    day, month, year = int(match.group("d")), int(match.group("m")), int(match.group("y"))
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return ""
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    return f"{iso}T{int(match.group('H')):02d}:{match.group('M')}" if match.group("H") else iso


def _not_article(doc: Any, nodes: list[dict[str, Any]], url: str) -> str:
    og_type = _meta(doc, "og:type").lower()
    if og_type in _NON_ARTICLE_OG or og_type.endswith(":review"):
        return _NON_ARTICLE_OG.get(og_type, "a review page")
    kinds = {t for n in nodes for t in _types(n)}
    if not any(_ARTICLE_TYPES.search(t) for t in kinds):
        for kind, reason in _NON_ARTICLE_SCHEMA.items():
            if kind in kinds:
                return reason
    path = urlsplit(url).path if url else ""
    for pattern, reason in _NON_ARTICLE_PATH:
        if pattern.search(path):
            return reason
    return ""


def _publishers(nodes: list[dict[str, Any]]) -> tuple[str, ...]:
    """The publisher of the article first, then any organisation or web site the page describes."""
    found = [_name(n.get("publisher")) for n in nodes if any(_ARTICLE_TYPES.search(t) for t in _types(n))]
    found += [_name(n.get("publisher")) for n in nodes]
    found += [_name(n) for n in nodes if _SITE_TYPES & set(_types(n))]
    return tuple(dict.fromkeys(n for n in found if n))


def _name_hints(doc: Any) -> tuple[str, ...]:
    """What the page appends to its headline (``<title>`` beyond the ``og:title``, its last parts,
    a trailing "(name)"), then its social handles: words that may name the site."""
    hints: list[str] = []
    og_title = _meta(doc, "og:title")
    for title in (" ".join(str(doc.findtext(".//title") or "").split()), og_title):
        if og_title and title != og_title and title.startswith(og_title):
            hints.append(_LEADING_SEPARATOR.sub("", title[len(og_title) :]))
        trailing = _TRAILING_PARENS.search(title)
        if trailing:
            hints.append(trailing.group(1))
        hints += reversed(_TITLE_PARTS.split(title)[1:])
    hints += [str(v) for v in doc.xpath('//meta[@name="twitter:site" or @property="twitter:site"]/@content')]
    hints.append(_meta(doc, "application-name"))
    return tuple(dict.fromkeys(h.strip() for h in hints if h and h.strip()))


def _standfirst(doc: Any) -> str:
    """The lead under the headline: the subheadline of the headline's group, or the element whose
    text is the page's own description (an excerpt shown on the page, not only in its metadata)."""
    for node in doc.xpath(_SUBHEADLINE):
        text = " ".join(node.text_content().split())
        if _STANDFIRST_WORDS[0] <= len(text.split()) <= _STANDFIRST_WORDS[1] and text.endswith(_SENTENCE_ENDS):
            return text
    description = " ".join((_meta(doc, "og:description") or _meta(doc, "description")).split())
    if not _STANDFIRST_WORDS[0] <= len(description.split()) <= _STANDFIRST_WORDS[1]:
        return ""
    start = description[:_DESCRIPTION_START]
    for node in doc.xpath(_STARTS_WITH, start=start):
        own = " ".join((node.text or "").split())  # its own text: an unclosed tag holds the rest of the page
        if description in (own, " ".join(node.text_content().split())):
            return description
    return ""


def _article_body(nodes: list[dict[str, Any]]) -> str:
    for node in nodes:
        body = node.get("articleBody")
        if isinstance(body, str) and any(_ARTICLE_TYPES.search(t) for t in _types(node)):
            return body.strip()
    return ""


def read_page(html: str, url: str = "") -> PageMeta:
    """The metadata of one HTML page (``url``: its address when known, else its canonical link)."""
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return PageMeta("", "", "", "")
    if not url:
        links = doc.xpath('//link[@rel="canonical"]/@href | //meta[@property="og:url"]/@content')
        url = next((str(link) for link in links if "://" in str(link)), "")  # the first absolute one
    nodes = _json_ld(doc)
    published, source = _stated_date(doc, nodes)
    not_article = _not_article(doc, nodes, url)
    if published:
        published = localised(published, registered_domain(url), markup=source.startswith(_MARKUP))
    if not published:
        published = find_date(doc, original_date=True, extensive_search=False, url=url or None) or ""
        source = "htmldate (original date)"
    if not published:
        published = find_date(doc, original_date=True, extensive_search=True, url=url or None) or ""
        source = "htmldate (original date, extensive search)"
        if published.endswith(_YEAR_ONLY) and not not_article:  # htmldate's answer when it saw only a year
            not_article = "no publication date on the page, only a year"
    publishers = _publishers(nodes)
    site = _meta(doc, "og:site_name") or next(iter(publishers), "")
    return PageMeta(
        published,
        source if published else "",
        site,
        not_article,
        publishers,
        _name_hints(doc),
        _standfirst(doc),
        _article_body(nodes),
    )
