"""Who published an article: a canonical outlet from the URL's registered domain and the names
the page or feed gives itself.

The identity is the registered domain (``www.``, ``m.``, ``amp.`` and every other subdomain,
and web-archive prefixes, stripped), so "NYT > World News" and "NYT > Science" are one outlet.
The name shown is, in order: an explicit name (``--source``, a record's field), the part of the
site or feed title that names the domain ("BBC" of "BBC News - Home", "NYT" of "NYT > Science"),
a one-part title that is no generic feed label, else the domain itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from tld import get_tld

from newsfuse.stages.outlet_names import KNOWN_OUTLETS

_ARCHIVE = re.compile(
    r"^https?://(?:web\.archive\.org/web/[^/]+/|archive\.(?:is|ph|today|org)/[^/]+/|webcache\.googleusercontent\.com/search\?q=cache:)",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s+(?:[-–—|»>:•·]|//|--)\s+|:\s+|\s*--\s*")
_GENERIC = frozenset(
    ["feed", "rss", "mrss", "atom", "xml", "channel", "home", "homepage", "portada", "inicio", "startseite", "accueil"]
)
_ABBREVIATION_MAX = 5  # an all-capitals word this short may abbreviate the domain ("NYT" for nytimes)
_HOSTS_CACHED = 65_536  # hosts whose registered domain is remembered (the public-suffix lookup is slow)
_MAX_NAME = 120  # longer "titles" are sentences, not outlet names
_SHORT_TITLE_WORDS = 3  # a one-part feed title this short that starts with the domain is the name itself
_ON_PLATFORM = re.compile(r"^(?:(?:stories|posts|articles) by\s+)?(?P<name>.+?)\s+on\s+(?P<platform>\S+)$", re.I)
_MIN_INITIALS = 2  # "Frankfurter Rundschau" names fr.de; one initial names nothing
_WORD = re.compile(r"[^\W\d_]+")
_HANDLE_SPLIT = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|_+")


@dataclass(frozen=True, slots=True)
class Outlet:
    """An outlet as identified for one article: ``domain`` is its identity, ``name`` what readers see."""

    name: str
    domain: str


def unarchived(url: str) -> str:
    """The original URL of a web-archive copy (``web.archive.org/web/<time>/<url>``), else ``url``."""
    stripped = _ARCHIVE.sub("", url.strip())
    if stripped != url.strip() and not stripped.lower().startswith(("http://", "https://")):
        stripped = "https://" + stripped
    return stripped


def registered_domain(url: str) -> str:
    """The registered domain of ``url`` ("www.bbc.co.uk/news" -> "bbc.co.uk"), "" when it has none."""
    if "archive" in url or "webcache" in url:
        url = unarchived(url)
    if not url:
        return ""
    if "://" not in url:
        url = "https://" + url
    return _host_domain((urlsplit(url).hostname or "").lower().rstrip("."))


@lru_cache(maxsize=_HOSTS_CACHED)
def _host_domain(host: str) -> str:
    if not re.fullmatch(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+", host) or re.fullmatch(r"[\d.]+", host):
        return ""
    found = get_tld(f"https://{host}", fail_silently=True, as_object=True)
    if found is None or isinstance(found, str):
        return ""
    return str(found.fld)


@lru_cache(maxsize=_HOSTS_CACHED)
def _letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[\W_]+", "", "".join(c for c in decomposed if not unicodedata.combining(c)).casefold())


def _abbreviates(word: str, label: str) -> bool:
    """An all-capitals short word whose letters appear in order in the domain label, from its start."""
    if not (2 <= len(word) <= _ABBREVIATION_MAX and word.isupper() and word.isalpha()):
        return False
    letters = word.lower()
    if not label.startswith(letters[0]):
        return False
    rest = iter(label)
    return all(ch in rest for ch in letters)


def _initials(words: list[str]) -> str:
    return "".join(w[0] for part in words for w in _WORD.findall(part)).casefold()


def _naming_part(segment: str, label: str, whole: str) -> str:
    """The leading words of ``segment`` that name the domain ("Rhein-Neckar-Zeitung" or "RNZ" for
    rnz.de, "La Stampa" for lastampa.it), or ""."""
    if _letters(segment) in (label, whole):
        return segment
    words = segment.split()
    for end in range(1, len(words) + 1):
        if _letters(" ".join(words[:end])) in (label, whole):
            return " ".join(words[:end])
    for end in range(len(words), 0, -1):
        if len(_initials(words[:end])) >= _MIN_INITIALS and _initials(words[:end]) == label:
            return " ".join(words[:end])
    if words and _abbreviates(words[0], label):
        return words[0]
    return ""


def name_from_title(title: str, domain: str, *, site_name: bool = False) -> str:
    """The outlet name in a feed title (or, with ``site_name``, a page's own site name: kept whole
    when it has one part), for the outlet at ``domain``; "" when the title names none."""
    title = " ".join(title.split())
    if not title or len(title) > _MAX_NAME or "://" in title:
        return ""
    segments = [s.strip() for s in _SEPARATORS.split(title) if s.strip()]
    if len(segments) == 1 and (site_name or _letters(title) in _domain_forms(domain)):
        return title if not (_GENERIC & set(_letters_words(title))) else ""
    if domain:
        label = _letters(domain.split(".", 1)[0])
        whole = _letters(domain)
        hosted = _ON_PLATFORM.match(title)
        if hosted and _naming_part(hosted.group("platform"), label, whole):
            return hosted.group("name")  # "Stories by Hodl Hodl on Medium": the publication, not the platform
        for segment in segments:
            part = _naming_part(segment, label, whole)
            if part and len(segments) == 1 and len(segment.split()) <= _SHORT_TITLE_WORDS:
                return segment  # "Scripting News" for scripting.com: the whole short title is the name
            if part:
                return part
    if len(segments) == 1 and not (_GENERIC & set(_letters_words(title))):
        return title
    return ""


def _domain_forms(domain: str) -> tuple[str, ...]:
    return (_letters(domain.split(".", 1)[0]), _letters(domain)) if domain else ()


_TITLE_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s*\|\s*|\s+:\s+")
_MAYBE_SUFFIXED = re.compile(r"[|–—:)]|\s-\s")
_DATE_PART = re.compile(r"^[\d.,:/ ]*\d[\d.,:/ ]*(?:Uhr|h)?$")


def _names_outlet(part: str, domain: str, site: str) -> bool:
    letters = _letters(part)
    if not letters or _DATE_PART.match(part.strip()):
        return True
    if site and letters == _letters(site):
        return True
    label, whole = _domain_forms(domain) or ("", "")
    return bool(domain) and (
        letters in (label, whole)
        or letters.removeprefix("the") in (label, whole)
        or bool(_naming_part(part, label, whole))
    )


def strip_site(title: str, *, domain: str, site_name: str = "") -> str:
    """A headline without the outlet name or date a page appends or prepends to it ("... | DW | 23.05.2011",
    "... - La Stampa", "... (neues deutschland)"); the headline itself is never emptied."""
    title = " ".join(title.split())
    if not _MAYBE_SUFFIXED.search(title):  # most headlines: nothing appended
        return title
    trailing = re.match(r"^(.*\S)\s*\(([^()]+)\)$", title)
    if trailing and _names_outlet(trailing.group(2), domain, site_name):
        title = trailing.group(1)
    parts = _TITLE_SEPARATORS.split(title)
    while len(parts) > 1 and _names_outlet(parts[-1], domain, site_name):
        parts.pop()
    while len(parts) > 1 and _names_outlet(parts[0], domain, site_name):
        parts.pop(0)
    if len(parts) == len(_TITLE_SEPARATORS.split(title)):
        return title
    # rejoin with the separators the kept parts had between them
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end] if start >= 0 and end > start else title


def _letters_words(text: str) -> list[str]:
    return [_letters(w) for w in text.split()]


def handle_name(handle: str) -> str:
    """A social-media handle as words ("@LaStampa" -> "La Stampa", "@handelsblatt_de" ->
    "Handelsblatt de"), "" when ``handle`` is no handle."""
    handle = handle.strip().removeprefix("@")
    if not handle or not re.fullmatch(r"\w{2,30}", handle):
        return ""
    words = [w for w in _HANDLE_SPLIT.split(handle) if w]
    return " ".join(w.capitalize() if w.islower() else w for w in words)


def _is_address(name: str, domain: str) -> bool:
    """``name`` is a URL or the bare domain itself ("lastampa.it"), not a name ("Süddeutsche.de")."""
    name = name.strip()
    return "://" in name or (bool(domain) and registered_domain(name) == domain and " " not in name)


def site_name_of(names: Sequence[str], hints: Sequence[str], domain: str) -> str:
    """The site's name among the names a page gives itself (``names``: site name, publisher, in order
    of trust; ``hints``: title suffixes, social handles, used only when they name the domain): the
    first that names the domain, else the first of ``names`` that is not a bare domain or URL."""
    usable = [" ".join(n.split()) for n in names if n.strip() and not _is_address(n, domain)]
    if domain:
        label, whole = _domain_forms(domain)
        for name in usable:
            if _naming_part(name, label, whole):
                return name_from_title(name, domain, site_name=True) or name
        for hint in hints:
            hint = handle_name(hint) if hint.startswith("@") else " ".join(hint.split())
            if hint and not _is_address(hint, domain) and len(hint) <= _MAX_NAME:
                part = _naming_part(hint, label, whole)
                if part:
                    return part
    return name_from_title(usable[0], domain, site_name=True) if usable else ""


def identify(
    *,
    explicit: str = "",
    url: str = "",
    site_name: str = "",
    feed_title: str = "",
    fallback: str = "",
    site_names: Sequence[str] = (),
    hints: Sequence[str] = (),
) -> Outlet:
    """The outlet of an article from what the input says of it (see the module docstring); ``url`` is
    the site's address when known (a feed's link: entry links may go through a redirector);
    ``site_names`` and ``hints`` as for ``site_name_of`` (``site_name`` leads ``site_names``)."""
    domain = registered_domain(url)
    name = " ".join(explicit.split())
    if not name and (site_name or site_names or hints):
        name = site_name_of([site_name, *site_names], hints, domain)
    if not name and feed_title:
        name = name_from_title(feed_title, domain)
    if not name or name == domain:
        name = KNOWN_OUTLETS.get(domain, name)
    return Outlet(name=name or domain or " ".join(fallback.split()) or "unknown", domain=domain)
