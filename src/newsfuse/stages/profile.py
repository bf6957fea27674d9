"""Article profiles for grouping: hashed counts of content words and of names.

Names are what tells two events of the same kind apart (two different
rehab stories, two different share-price stories): capitalised words inside
sentences, resolved place ids (so Albukamal and Boukamal count as one),
and numbers that are not dates.  Both vectors are bounded in size.
"""

from __future__ import annotations

import re
import zlib
from array import array
from collections import Counter
from functools import lru_cache

from newsfuse.models import Article, Extraction, Profile, SparseVector
from newsfuse.stages.extract.lexicon import STOP_WORDS, singular

DIMENSIONS = 1 << 20
MAX_WORDS = 1500
MAX_TERMS = 200
_WORD = re.compile(r"[A-Za-z][a-z’'\-]+|[A-Z]{2,}")
# a capitalised word after a space (an all-capitals word too) and a number not inside a word; each
# starts with its character class and checks what precedes it afterwards, so the scan can skip ahead
_CAPITAL = re.compile(r"[A-Z](?<=\s[A-Z])[a-zA-Z’'\-]+")
_NUMBER = re.compile(r"\d(?<![\w.,]\d)[\d,]*(?:\.\d+)?(?![\w])")
_NOT_NAMES = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "in",
        "on",
        "at",
        "but",
        "and",
        "or",
        "if",
        "as",
        "this",
        "that",
        "these",
        "those",
        "there",
        "his",
        "her",
        "their",
        "its",
        "our",
        "mr",
        "mrs",
        "ms",
        "dr",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)


def term_id(term: str) -> int:
    """Stable hashed dimension of a term."""
    return zlib.crc32(term.encode()) % DIMENSIONS


@lru_cache(maxsize=1 << 16)
def _content_term(token: str) -> str:
    """The counted form of a word token ("Strikes" -> "strike"); empty for short and stop words."""
    low = token.lower()
    return singular(low) if len(low) > 2 and low not in STOP_WORDS else ""


def _vector(counts: Counter[str]) -> SparseVector:
    merged: dict[int, int] = {}  # a dict, not a Counter: a Counter's missing key is a Python call
    for term, count in counts.most_common(MAX_TERMS):
        key = zlib.crc32(term.encode()) % DIMENSIONS  # term_id, inline: this runs for every term kept
        merged[key] = merged.get(key, 0) + count
    ids = sorted(merged)
    return SparseVector(array("I", ids), array("f", [merged[i] for i in ids]))


def profile_article(article: Article, extraction: Extraction) -> Profile:
    """Content-word and name counts of the title (twice) and the first ``MAX_WORDS`` words.

    Words are counted first and filtered once per distinct token, in order of first use
    (which keeps the tie order of the ``MAX_TERMS`` cut)."""
    head = " ".join(article.text.split(maxsplit=MAX_WORDS)[:MAX_WORDS])
    counts: dict[str, int] = {}
    for text, weight in ((article.title, 2), (head, 1)):
        for token, count in Counter(_WORD.findall(text)).items():
            if term := _content_term(token):
                counts[term] = counts.get(term, 0) + count * weight
    words = Counter(counts)
    found: list[str] = []  # every name in reading order, counted at once (the order keeps the tie order)
    timed_in: dict[int, set[str]] = {}
    for t in extraction.times:
        timed_in.setdefault(t.span.sentence, set()).add(t.span.text)
    end = len(head) + 200
    for sentence in extraction.sentences:
        if sentence.start > end:
            break
        text = sentence.text
        for token in _CAPITAL.findall(text):
            low = token.lower().strip("’'-")
            if low and low not in _NOT_NAMES:
                found.append(low)
        numbers = _NUMBER.findall(text)
        if numbers:
            timed = timed_in.get(sentence.index, ())
            found += [f"#{n.replace(',', '')}" for n in numbers if not any(n in t for t in timed)]
    for title_token in _CAPITAL.findall(" " + article.title):
        low = title_token.lower()
        if low not in _NOT_NAMES:
            found.append(low)
    found += [place.place_id for place in extraction.places]
    return Profile(_vector(words), _vector(Counter(found)))
