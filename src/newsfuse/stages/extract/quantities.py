"""Counts with what they count (``at least 19 drone and missile attacks``) and sums of money.

A count is a number (digits or words, with an optional scale), an optional
qualifier before it, the noun phrase after it up to a verb or preposition,
and a predicate from the nearby words (injured, killed, ...).  ``attacked
... 19 times`` counts attacks.  Dates, times of day, measures and durations are
not counts; a sum of money is a quantity whose ``counted`` is its currency (USD).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice

from newsfuse.models import Quantity, Sentence, Span, TimeExpression
from newsfuse.stages.extract.caseless import Scan, lowered
from newsfuse.stages.extract.lexicon import NUMBER_WORDS, SCALES, STOP_WORDS, singular

_NUMBER = (
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|"
    + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS if w != "zero"), key=len, reverse=True))
    + r"|dozens|hundreds|thousands)"
)
_QUALIFIER = (
    r"(?:(?P<qual>at least|more than|over|nearly|almost|about|around|roughly|some|approximately|up to|as many as"
    r"|a total of|an estimated|fewer than|less than)\s+)?"
)
_COUNT = Scan.compile(
    rf"(?<![\w$£€.,:/-]){_QUALIFIER}{_NUMBER}(?:\s+(?P<scale>hundred|thousand|million|billion))?(?![\w%.-]|,\d)"
)
_MONEY = re.compile(
    rf"(?<![\w.]){_QUALIFIER}(?P<cur>US\$|\$|£|€)\s?(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>million|billion|trillion|bn|m)\b)?(?![\w%])",
    re.IGNORECASE,
)
CURRENCIES = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR"}
# cheap tests that skip the sentences the two patterns above cannot match (most of them)
_DIGIT = re.compile(r"\d")
_LETTERS = re.compile(r"[a-z]+")
_NUMBER_TOKENS = frozenset(w.split()[-1] for w in NUMBER_WORDS if w != "zero") | {"dozens", "hundreds", "thousands"}
_MONEY_SCALES = {"million": 10**6, "m": 10**6, "billion": 10**9, "bn": 10**9, "trillion": 10**12}
_QUALIFIERS = {
    "at least": "at least", "more than": "more than", "over": "more than", "as many as": "up to",
    "up to": "up to", "nearly": "about", "almost": "about", "about": "about", "around": "about",
    "roughly": "about", "some": "about", "approximately": "about", "an estimated": "about",
}  # fmt: skip
_PREDICATES = {
    "injured": "injured", "injuring": "injured", "injuries": "injured", "wounded": "injured", "wounding": "injured",
    "hurt": "injured", "killed": "killed", "killing": "killed", "dead": "killed", "died": "killed",
    "deaths": "killed", "death": "killed", "die": "killed", "perished": "killed", "missing": "missing",
    "arrested": "arrested", "detained": "arrested", "displaced": "displaced", "evacuated": "evacuated",
    "rescued": "rescued", "infected": "infected", "confirmed": "confirmed", "fired": "fired",
    "launched": "launched", "destroyed": "destroyed", "damaged": "damaged",
}  # fmt: skip
_CLASSES = {
    "soldier": "soldier", "troop": "soldier", "servicemember": "soldier", "personnel": "soldier",
    "serviceman": "soldier", "marine": "soldier", "jet": "aircraft", "plane": "aircraft", "aircraft": "aircraft",
    "warplane": "aircraft", "fighter": "aircraft", "bomber": "aircraft", "person": "person",
    "individual": "person", "facility": "facility", "base": "facility", "depot": "facility",
    "site": "facility", "installation": "facility", "compound": "facility", "time": "time",
}  # fmt: skip
_NOT_COUNTS = {
    "day", "week", "month", "year", "hour", "minute", "second", "decade", "century", "percent", "per",
    "cent", "p.m", "a.m", "pm", "am", "o'clock", "dollar", "pound", "euro", "mile", "kilometre", "kilometer",
    "km", "meter", "metre", "foot", "feet", "inch", "barrel", "gallon", "ton", "tonne", "point", "%",
    "rupee", "yuan", "yen", "peso", "franc", "dinar", "riyal", "lira", "rouble", "ruble", "gmt", "bst", "edt",
    "est", "utc",
}  # fmt: skip
_ACTION_TIMES = {"attacked": "attack", "struck": "strike", "hit": "strike", "targeted": "attack", "shelled": "strike"}
_TOKEN = re.compile(r"[A-Za-z][\w’'\-]*|\d[\d,.]*|[^\s\w]")
_MODIFIERS = ("other", "more", "further")
_NOUN_ING = {"building", "buildings", "bombing", "bombings", "meeting", "meetings", "killing", "killings", "shooting"}


def _value(num: str, scale: str | None) -> int | None:
    raw = num.lower()
    if raw in NUMBER_WORDS:
        value = float(NUMBER_WORDS[raw])
    elif raw in ("dozens", "hundreds", "thousands"):
        return None
    else:
        try:
            value = float(raw.replace(",", ""))
        except ValueError:
            return None
    if scale:
        value *= SCALES[scale.lower()]
    return int(value) if value == int(value) else None


def _phrase(tokens: list[str]) -> list[str]:
    words: list[str] = []
    for position, token in enumerate(tokens[:7]):
        low = token.lower()
        if not token[0].isalpha():
            if token == "-" and words:
                continue
            break
        if low in ("and", "or") and words:
            following = tokens[position + 1] if position + 1 < len(tokens) else ""
            if not following[:1].isalpha() or following.lower() in STOP_WORDS or following.lower() in NUMBER_WORDS:
                break
            words.append(low)
            continue
        if low in _MODIFIERS and position < 2:
            words.append(token)  # "19 other children", "five more troops"
            continue
        if (low in STOP_WORDS and not token.isupper()) or low in _PREDICATES:
            break
        if "-" not in low and ((low.endswith("ing") and low not in _NOUN_ING) or (low.endswith("ed") and len(low) > 4)):
            break
        words.append(token)
    while words and words[-1].lower() in ("and", "or", *_MODIFIERS):
        words.pop()
    return words


def _predicate(before: list[str], after: list[str]) -> str:
    for token in after[:6]:
        if token in (".", ";", "?", "!") or token.lower() in ("and", "but"):
            break
        if token.lower() in _PREDICATES:
            return _PREDICATES[token.lower()]
    for token in reversed(before[-3:]):
        if token.lower() in _PREDICATES:
            return _PREDICATES[token.lower()]
    return ""


def concept(head: str) -> str:
    """The class a counted head noun belongs to (``troops`` -> ``soldier``)."""
    base = singular(head.lower())
    return _CLASSES.get(base, base)


def _may_count(text: str, low: str) -> bool:
    """Whether ``text`` (``low`` lowered) has a digit or a number word (a superset of what ``_COUNT`` matches)."""
    return bool(_DIGIT.search(text)) or not _NUMBER_TOKENS.isdisjoint(_LETTERS.findall(low))


def tag_quantities(sentences: Sequence[Sentence], times: Sequence[TimeExpression]) -> tuple[Quantity, ...]:
    """Counted quantities in ``sentences``, skipping numbers inside time expressions."""
    found: list[Quantity] = []
    timed_in: dict[int, list[tuple[int, int]]] = {}
    for t in times:
        timed_in.setdefault(t.span.sentence, []).append((t.span.start, t.span.end))
    for sentence in sentences:
        text = sentence.text
        low = lowered(text)
        if not _may_count(text, low or text.lower()):
            continue
        timed = timed_in.get(sentence.index, [])
        for m in _COUNT.finditer(text, low):
            start, end = sentence.start + m.start("num"), sentence.start + m.end()
            if any(s <= start < e for s, e in timed):
                continue
            value = _value(m.group("num"), m.group("scale"))
            if value is None or (m.group("num")[0].isdigit() and len(m.group("num")) == 4 and 1900 <= value <= 2100):
                continue
            # only the next 14 tokens and the last 3 (all of them for "times") are ever read
            after = [t.group() for t in islice(_TOKEN.finditer(text, m.end()), 16)]
            before = _TOKEN.findall(text[max(0, m.start() - 120) : m.start()])
            words = _phrase(after)
            if not words:
                continue
            head = words[-1].lower()
            counted = concept(head)
            if any(singular(w.lower()) in _NOT_COUNTS for w in (head, words[0])):
                continue  # "22 percent cut", "8 miles south": a measure, not a count
            if counted == "time":
                action = next(
                    (
                        _ACTION_TIMES[t.lower()]
                        for t in reversed(_TOKEN.findall(text[: m.start()]))
                        if t.lower() in _ACTION_TIMES
                    ),
                    "",
                )
                if not action:
                    continue
                counted = action
            qualifier = _QUALIFIERS.get((m.group("qual") or "").lower(), "")
            phrase = " ".join([m.group(0), *words])
            found.append(
                Quantity(
                    span=Span(sentence.index, sentence.start + m.start(), end, m.group(0)),
                    value=value,
                    counted=counted,
                    predicate=_predicate(before, after[len(words) :]),
                    qualifier=qualifier,  # type: ignore[arg-type]
                    phrase=phrase,
                )
            )
    found += _amounts(sentences)
    return tuple(sorted(found, key=lambda q: (q.span.start, q.span.end)))


def _amounts(sentences: Sequence[Sentence]) -> list[Quantity]:
    """Sums of money (``$5.7 billion``, ``more than £200,000``); ``counted`` is the currency code."""
    found = []
    for sentence in sentences:
        if "$" not in sentence.text and "£" not in sentence.text and "€" not in sentence.text:
            continue
        for m in _MONEY.finditer(sentence.text):
            amount = float(m.group("num").replace(",", "")) * _MONEY_SCALES.get((m.group("scale") or "").lower(), 1)
            qualifier = _QUALIFIERS.get((m.group("qual") or "").lower(), "")
            span = Span(sentence.index, sentence.start + m.start(), sentence.start + m.end(), m.group(0))
            currency = CURRENCIES[m.group("cur").lower()]
            found.append(Quantity(span, round(amount), currency, qualifier=qualifier, phrase=m.group(0)))  # type: ignore[arg-type]
    return found
