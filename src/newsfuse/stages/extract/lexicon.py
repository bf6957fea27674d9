"""Word lists shared by the extractors: event triggers, number words, stop words."""

from __future__ import annotations

import re
from functools import lru_cache

# surface word -> canonical event trigger
TRIGGERS: dict[str, str] = {}
for _canon, _words in {
    "strike": "strike strikes struck airstrike airstrikes bombing bombings bombed bombardment raid raids shelling"
    " shelled",
    "attack": "attack attacks attacked assault assaults ambush ambushed",
    "shooting": "shooting shootings gunfire shot",
    "death": "died dead death deaths killed killing killings",
    "injury": "injured injuries wounded hurt",
    "war": "war invasion invaded offensive",
    "explosion": "explosion explosions blast blasts exploded",
    "earthquake": "earthquake quake tremor aftershock",
    "spill": "spill leak leaked spilled gushing",
    "protest": "protest protests protesters demonstration demonstrations rally rallies",
    "election": "election elections referendum",
    "arrest": "arrest arrests arrested detained",
    "announcement": "announced announcement said statement",
    "meeting": "meeting met talks summit",
    "ceasefire": "ceasefire truce",
    "resignation": "resigned resignation",
    "crash": "crash crashed",
    "outbreak": "outbreak pandemic infections infected cases",
}.items():
    for _word in _words.split():
        TRIGGERS[_word] = _canon

NUMBER_WORDS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90})
NUMBER_WORDS.update({"a dozen": 12, "dozen": 12, "a hundred": 100, "hundred": 100, "a thousand": 1000})
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "from",
        "by",
        "with",
        "for",
        "as",
        "since",
        "after",
        "before",
        "during",
        "over",
        "under",
        "about",
        "into",
        "onto",
        "than",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "why",
        "how",
        "this",
        "these",
        "those",
        "there",
        "here",
        "it",
        "its",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "could",
        "should",
        "may",
        "might",
        "can",
        "must",
        "not",
        "no",
        "nor",
        "so",
        "such",
        "very",
        "more",
        "most",
        "other",
        "some",
        "any",
        "each",
        "all",
        "both",
        "few",
        "many",
        "much",
        "own",
        "same",
        "also",
        "just",
        "only",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "his",
        "her",
        "their",
        "our",
        "your",
        "him",
        "them",
        "us",
        "me",
        "my",
        "said",
        "says",
        "say",
        "says",
        "added",
        "according",
    ]
)

WORD = re.compile(r"[A-Za-z][A-Za-z\-’']*|\d[\d,.]*")


@lru_cache(maxsize=1 << 16)
def singular(word: str) -> str:
    """Cheap English singular of a lower-case plural noun."""
    irregular = {"people": "person", "men": "man", "women": "woman", "children": "child", "aircraft": "aircraft"}
    if word in irregular:
        return irregular[word]
    if word.endswith("men") and len(word) > 5 and word not in ("specimen", "abdomen"):
        return word[:-3] + "man"  # congressmen, policemen
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "sis")) and len(word) > 3:
        return word[:-1]
    return word


_NOT_CONTENT = STOP_WORDS | frozenset(NUMBER_WORDS)


@lru_cache(maxsize=1 << 14)
def content_words(text: str) -> tuple[str, ...]:
    """Lower-case, singular content words of ``text`` in order (cached: facts of one sentence share it)."""
    tokens = WORD.findall(text.lower()) if text.isascii() else [t.lower() for t in WORD.findall(text)]
    stripped = (t.strip("’'-") for t in tokens)
    return tuple(singular(w) for w in stripped if w and w not in _NOT_CONTENT and not w[0].isdigit())


def nearest_trigger(sentence: str, position: int) -> str:
    """The canonical event trigger nearest to character ``position`` of ``sentence``."""
    best: tuple[int, str] | None = None
    for match in WORD.finditer(sentence):
        canon = TRIGGERS.get(match.group().lower())
        if canon and canon != "announcement":
            distance = min(abs(match.start() - position), abs(match.end() - position))
            if best is None or distance < best[0]:
                best = (distance, canon)
    return best[1] if best else ""
