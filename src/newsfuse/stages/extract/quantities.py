"""Counts with what they count (``at least 19 drone and missile attacks``) and sums of money.

A count is a number (digits or words, with an optional scale), an optional
qualifier before it, the noun phrase after it up to a verb or preposition,
and a predicate from the nearby words (injured, killed, ...).  ``attacked
... 19 times`` counts attacks.  Dates, times of day, measures and durations are
not counts; a sum of money is a quantity whose ``counted`` is its currency (USD).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from newsfuse.models import Quantity, Sentence, Span, TimeExpression
from newsfuse.stages.extract.caseless import Scan, lowered
from newsfuse.stages.extract.lexicon import NUMBER_WORDS, SCALES, STOP_WORDS, singular

_NUMBER = (
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|"
    + "|".join(sorted((re.escape(w) for w in NUMBER_WORDS if w != "zero"), key=len, reverse=True))
    + r"|dozens|hundreds|thousands|a couple(?: of)?)"
)
_QUALIFIER = (
    r"(?:(?P<qual>at least|more than|over|nearly|almost|about|around|roughly|some|approximately|up to|as many as"
    r"|a total of|an estimated|fewer than|less than)\s+)?"
)
_COUNT = Scan.compile(
    rf"(?<![\w$£€.,:/-]){_QUALIFIER}{_NUMBER}(?:\s+(?P<scale>hundred|thousand|million|billion|dozen))?(?![\w%.-]|,\d)"
)
_MONEY = re.compile(
    rf"(?<![\w.]){_QUALIFIER}(?P<cur>US\$|\$|£|€)\s?(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>million|billion|trillion|bn|m)\b)?(?![\w%])",
    re.IGNORECASE,
)
CURRENCIES = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR"}
# cheap tests that skip the sentences the two patterns above cannot match (most of them)
_DIGIT = re.compile(r"\d")

_NUMBER_TOKENS = frozenset(w.split()[-1] for w in NUMBER_WORDS if w != "zero") | {
    "dozens",
    "hundreds",
    "thousands",
    "couple",
}
# a number word as a whitespace-separated token, with the punctuation that may stand around it
# (splitting on spaces is several times cheaper than finding the words with a pattern)
_NUMBER_FORMS = frozenset(
    lead + word + trail
    for word in _NUMBER_TOKENS
    for lead in ("", "(", "[", '"', "'", "“", "‘", "—", "–", "-")
    for trail in ("", ",", ".", ";", ":", ")", "]", '"', "'", "”", "’", "?", "!", "—", "–", ".”", ",”", '."', ',"')
)
# plural number words read as lower bounds ("hundreds" of people is at least 200)
_LOWER_BOUNDS = {"dozens": 24, "hundreds": 200, "thousands": 2000}
_MONEY_SCALES = {"million": 10**6, "m": 10**6, "billion": 10**9, "bn": 10**9, "trillion": 10**12}
_QUALIFIERS = {
    "at least": "at least", "more than": "more than", "over": "more than", "as many as": "up to",
    "up to": "up to", "nearly": "about", "almost": "about", "about": "about", "around": "about",
    "roughly": "about", "some": "about", "approximately": "about", "an estimated": "about",
}  # fmt: skip
_PREDICATES = {
    "injured": "injured", "injuring": "injured", "injuries": "injured", "wounded": "injured", "wounding": "injured",
    "hurt": "injured", "shot": "shot", "killed": "killed", "killing": "killed", "dead": "killed", "died": "killed",
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
    "est", "utc", "block", "p", "a", "o", "basis", "bps", "myself", "yourself", "himself", "herself", "itself",
    "ourselves", "themselves", "comment", "photo", "image", "view", "like", "share", "follower",
    "subscriber", "reply", "slide", "video", "gallery", "click", "of", "degree", "grade",
    "mph", "lb", "kg", "acre", "square", "caliber", "calibre", "mm", "millimeter", "round", "shot",
}  # fmt: skip
# a number right after one of these words is a name, a position or an address, not a count
# ("Route 66", "S&P 500", "No. 3", "page 2", "Flight 370", "turned 70", "aged 23")
_NAMING = (
    "route highway interstate hwy i us sr us-route flight apollo windows chapter section article page "
    "room suite apt apartment unit no number # district ward precinct station engine ladder channel gate "
    "exit terminal pier box lot bus line platform level phase stage game round season episode volume "
    "issue item question rank ranked top p s&p ftse nasdaq dow russell fortune stoxx nikkei dax cac hang "
    "seng kospi sensex covid-19 aged age ages turn turned turns turning mile marker lane street avenue "
    "road st ave rd blvd building floor pg ch vol ep code zip model version v form act bill amendment "
    "proposition prop measure class grade"
)
_NAMING_WORDS = frozenset(_NAMING.split())
# street words after a number and a name: "3900 West Madison Street", "1200 block"
_STREET = re.compile(
    r"\s+(?:block\b|(?:(?:[NSEW]\.?|North|South|East|West)\s+)?(?:[A-Z][\w'’.-]*\s+){1,3}"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|Parkway|Pkwy"
    r"|Highway|Hwy|Circle|Cir|Terrace|Trail|Pike|Square|Plaza)\b)"
)
_CLOCK = re.compile(r"\s*(?:[ap]\.\s?m\b|[ap]m\b|o['’]clock|:\d\d)", re.IGNORECASE)
_AGE_COMMAS = re.compile(r"[A-Z][\w'’-]*,\s*$")
_ACTION_TIMES = {"attacked": "attack", "struck": "strike", "hit": "strike", "targeted": "attack", "shelled": "strike"}
_TOKEN = re.compile(r"[A-Za-z][\w’'\-]*|\d[\d,.]*|[^\s\w]")
_MODIFIERS = ("other", "more", "further")
# the 16 tokens after a number that are read lie within this many characters
_AFTER_CHARS = 240
_NOUN_ING = {"building", "buildings", "bombing", "bombings", "meeting", "meetings", "killing", "killings", "shooting"}


def _value(num: str, scale: str | None) -> int | None:
    raw = num.lower()
    if raw in NUMBER_WORDS:
        value = float(NUMBER_WORDS[raw])
    elif raw in _LOWER_BOUNDS:
        value = float(_LOWER_BOUNDS[raw])
    elif raw.startswith("a couple"):
        value = 2.0
    else:
        try:
            value = float(raw.replace(",", ""))
        except ValueError:
            return None
    if scale:
        value *= SCALES.get(scale.lower(), 12)  # or a dozen
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


def _predicate(text: str, start: int, after: list[str]) -> str:
    for position, token in enumerate(after[:6]):
        if token in (".", ";", "?", "!") or token.lower() in ("and", "but"):
            break
        if token == "," and position + 1 < len(after) and after[position + 1].lower().endswith("ing"):
            break  # "shot four people, killing one": the participle is the next figure's
        if token.lower() in _PREDICATES:
            return (
                _shot(after[max(0, position - 1) : position + 3])
                if token.lower() == "shot"
                else _PREDICATES[token.lower()]
            )
    before = _TOKEN.findall(text[max(0, start - 60) : start])[-3:]
    for position, token in reversed(list(enumerate(before))):
        if token.lower() in _PREDICATES:
            return _shot(before[max(0, position - 1) :]) if token.lower() == "shot" else _PREDICATES[token.lower()]
    return ""


def _shot(words: list[str]) -> str:
    """What "shot" says of the victims, from the words around it: "shot and killed", "shot dead" and
    "fatally shot" kill, "shot and wounded" wounds, a plain "shot" is every victim hit."""
    low = [w.lower() for w in words]
    at = low.index("shot")
    following = low[at + 1 : at + 3]
    if (
        low[at - 1 : at] == ["fatally"]
        or following[:1] == ["dead"]
        or following in (["and", "killed"], ["to", "death"])
    ):
        return "killed"
    if following in (["and", "wounded"], ["and", "injured"]):
        return "injured"
    return "shot"


def concept(head: str) -> str:
    """The class a counted head noun belongs to (``troops`` -> ``soldier``)."""
    base = singular(head.lower())
    return _CLASSES.get(base, base)


# a predicate right after a number, with no noun between ("3 dead", "two fatally shot")
_BARE_CASUALTIES = {
    "dead": "killed", "killed": "killed", "wounded": "injured", "injured": "injured", "hurt": "injured", "shot": "shot",
}  # fmt: skip


def _bare_casualty(after: list[str]) -> str:
    """The predicate of a number followed directly by a casualty word (``1 dead``), else ""."""
    if not after:
        return ""
    first = after[0].lower()
    if first == "fatally" and len(after) > 1 and after[1].lower() in ("shot", "wounded"):
        return "killed"
    return _BARE_CASUALTIES.get(first, "")


# what follows a number that is an age, a share ("one of them") or a position ("5th")
_NOT_AFTER = ("-year", " year-old", " years old", "-month-old", " of ", "th ", "st ", "nd ")


def _not_a_count(text: str, m: re.Match[str]) -> bool:
    """Numbers that name, locate or time something: addresses, routes, index names, list positions,
    ages, times of day, the "one" of "on the one hand"."""
    start, end = m.start("num"), m.end()
    raw = m.group("num")
    low = raw.lower()
    bound = low in _LOWER_BOUNDS or low.startswith("a couple")
    following = text[end : end + 24].lower()
    if not bound and following.startswith(_NOT_AFTER):
        return True
    before = text[max(0, start - 24) : start]
    split = before.split()
    previous = split[-1].lower().rstrip(".:") if split else ""
    if previous in _NAMING_WORDS or previous.endswith("&p") or before.endswith(("#", "No. ", "no. ")):
        return True
    if previous == "per":
        return True  # "3 deaths per 100,000 people": the base of a rate
    if raw[0].isdigit() and _STREET.match(text, end):
        return True  # "in the 3900 block", "1200 Main Street"
    if _CLOCK.match(text, end):
        return True  # "at about 2 p.m.", "at 10:30"
    if raw[0].isdigit() and _AGE_COMMAS.search(before) and text[end : end + 1] == ",":
        return True  # "John Smith, 23, was ..."
    return low == "one" and previous in ("the", "no")


def _may_count(text: str, low: str) -> bool:
    """Whether ``text`` (``low`` lowered) has a digit or a number word (what ``_COUNT`` can match)."""
    return bool(_DIGIT.search(text)) or not _NUMBER_FORMS.isdisjoint(low.split())


def _count_matches(text: str, low: str | None) -> Iterable[re.Match[str]]:
    """``_COUNT``'s matches, found on the lowered sentence when folding is safe (``_COUNT`` has no
    case-sensitive part, so they are the same matches; their groups read lowered, offsets unchanged)."""
    if low is not None and _COUNT.fast is not None:
        return _COUNT.fast.finditer(low)
    return _COUNT.exact.finditer(text)


def tag_quantities(sentences: Sequence[Sentence], times: Sequence[TimeExpression]) -> tuple[Quantity, ...]:
    """Counted quantities in ``sentences``, skipping numbers inside time expressions."""
    found: list[Quantity] = []
    timed_in: dict[int, list[tuple[int, int]]] = {}
    for t in times:
        timed_in.setdefault(t.span.sentence, []).append((t.span.start, t.span.end))
    singles: list[Quantity] = []
    whole = " ".join(s.text for s in sentences).lower()
    casualties = tuple(w for w in _CASUALTY if w in whole)  # a word the article lacks no sentence has
    for sentence in sentences:
        text = sentence.text
        low = lowered(text)
        folded = low or text.lower()
        if "$" in text or "£" in text or "€" in text:
            found += _amounts(sentence)
        if "%" in text or "percent" in text or "per cent" in text or "point" in text:
            found += _percents(sentence)
        if casualties and any(w in folded for w in casualties):
            singles += _singles(sentence)
            if "fatally" in folded:
                found += _shot_fatally(sentence)
        if not _may_count(text, folded):
            continue
        timed = timed_in.get(sentence.index, ())
        for m in _count_matches(text, low):
            start, end = sentence.start + m.start("num"), sentence.start + m.end()
            if (timed and any(s <= start < e for s, e in timed)) or _not_a_count(text, m):
                continue
            value = _value(m.group("num"), m.group("scale"))
            if value is None or (m.group("num")[0].isdigit() and len(m.group("num")) == 4 and 1900 <= value <= 2100):
                continue
            # only the next 14 tokens and the last 3 (all of them for "times") are ever read
            after = _TOKEN.findall(text, m.end(), m.end() + _AFTER_CHARS)[:16]
            if after[:1] == ["of"] and (m.group("num").lower() in _LOWER_BOUNDS or m.group("scale") == "dozen"):
                after = after[1:]  # "hundreds of people", "two dozen of them"
            # a headline's "3 dead, 2 wounded", "1 killed": the number is the people it counts
            bare = _bare_casualty(after)
            words = [] if bare else _phrase(after)
            if not words:
                if bare:
                    said = text[m.start() : m.end()]
                    found.append(Quantity(Span(sentence.index, sentence.start + m.start(), end, said), value,
                                          "person", bare, _QUALIFIERS.get((m.group("qual") or "").lower(), ""),  # type: ignore[arg-type]
                                          phrase=f"{said} {after[0]}"))  # fmt: skip
                continue
            head = words[-1].lower()
            if head.endswith("ly") and head not in ("family", "ally", "assembly"):
                continue  # "one fatally": an adverb, not a counted thing
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
            if m.group("num").lower() in _LOWER_BOUNDS and not qualifier:
                qualifier = "at least"
            phrase = " ".join([text[m.start() : m.end()], *words])
            found.append(
                Quantity(
                    span=Span(sentence.index, sentence.start + m.start(), end, text[m.start() : m.end()]),
                    value=value,
                    counted=counted,
                    predicate=_predicate(text, m.start(), after[len(words) :]),
                    qualifier=qualifier,  # type: ignore[arg-type]
                    phrase=phrase,
                )
            )
    taken = [(q.span.start, q.span.end) for q in found]
    for single in singles:
        if not any(s < single.span.end and single.span.start < e for s, e in taken):
            taken.append((single.span.start, single.span.end))
            found.append(single)
    return tuple(sorted(found, key=lambda q: (q.span.start, q.span.end)))


def _amounts(sentence: Sentence) -> list[Quantity]:
    """Sums of money (``$5.7 billion``, ``more than £200,000``, ``$1.69`` with its cents); ``counted``
    is the currency code."""
    found = []
    for m in _MONEY.finditer(sentence.text):
        amount = float(m.group("num").replace(",", "")) * _MONEY_SCALES.get((m.group("scale") or "").lower(), 1)
        qualifier = _QUALIFIERS.get((m.group("qual") or "").lower(), "")
        span = Span(sentence.index, sentence.start + m.start(), sentence.start + m.end(), m.group(0))
        currency = CURRENCIES[m.group("cur").lower()]
        exact = round(amount, 2)
        found.append(
            Quantity(span, round(amount), currency, qualifier=qualifier, phrase=m.group(0), measure="money",  # type: ignore[arg-type]
                     amount=None if exact == int(exact) else exact)
        )  # fmt: skip
    return found


_PERCENT = re.compile(
    rf"(?<![\w.]){_QUALIFIER}(?P<sign>[-−–])?(?P<num>\d+(?:\.\d+)?)\s?(?P<unit>%|percent\b|per cent\b"
    r"|percentage points?\b|basis points?\b|bps\b)",
    re.IGNORECASE,
)
_SUBJECT = re.compile(r"([A-Za-z][\w-]*)\W*$")
_CHANGE_VERBS = frozenset(
    [
        "fell",
        "fall",
        "falls",
        "drop",
        "dropped",
        "drops",
        "declined",
        "decline",
        "shrank",
        "contracted",
        "down",
        "rose",
        "rise",
        "rises",
        "grew",
        "grow",
        "jumped",
        "climbed",
        "surged",
        "slipped",
        "edged",
        "increased",
        "decreased",
        "gained",
        "lost",
        "was",
        "were",
        "is",
        "are",
        "by",
        "to",
        "from",
        "up",
        "about",
        "around",
    ]
)


def _percents(sentence: Sentence) -> list[Quantity]:
    """Percentages (``9.1%``, ``-0.9 percent``) and changes in points (``0.75 percentage point``,
    ``75 basis points`` = 0.75 points); ``counted`` is the nearest content word before the figure."""
    found = []
    text = sentence.text
    for m in _PERCENT.finditer(text):
        unit = m.group("unit").lower()
        number = float(m.group("num"))
        measure = "percent" if unit in ("%", "percent", "per cent") else "points"
        if unit.startswith(("basis", "bps")):
            number /= 100
        if m.group("sign"):
            number = -number
        words = [w for w in _TOKEN.findall(text[max(0, m.start() - 60) : m.start()]) if w[0].isalpha()]
        content = [w.lower() for w in words if w.lower() not in STOP_WORDS and w.lower() not in _QUALIFIERS]
        counted = next((w for w in reversed(content[-4:]) if w not in _CHANGE_VERBS and not w.endswith("ed")), "")
        qualifier = _QUALIFIERS.get((m.group("qual") or "").lower(), "")
        span = Span(sentence.index, sentence.start + m.start(), sentence.start + m.end(), m.group(0))
        found.append(
            Quantity(span, round(number), counted, qualifier=qualifier, phrase=m.group(0),  # type: ignore[arg-type]
                     measure=measure, amount=round(number, 4))  # type: ignore[arg-type]
        )  # fmt: skip
    return found


# one person named by a singular subject: "a man was shot and killed", "a 23-year-old woman was wounded";
# "no one was injured", "no injuries were reported" (zero)
_SINGLE = re.compile(
    r"\b(?:(?P<one>an?|one)\s+(?:\d+-year-old\s+|(?:young|teenage|elderly|local)\s+)?"
    r"(?P<noun>man|woman|teen|teenager|boy|girl|person|child|victim|student|toddler|infant)"
    r"|(?P<none>no one|nobody|no other (?:people|person)s?))"
    r"\s+(?:was|were|has been|had been|is)\s+(?!(?:\w+\s+)?(?:seriously|critically|badly|severely|gravely)\b)"
    r"(?:\w+\s+){0,2}?(?:shot\s+and\s+|fatally\s+)?"
    r"(?P<pred>killed|wounded|injured|hurt|shot dead|dead|slain|fatally shot|died|gunned down|shot to death)\b"
    r"|\bno (?P<nounpred>injuries|deaths|fatalities) (?:were|was|have been) reported",
    re.IGNORECASE,
)
_SINGLE_PREDICATES = {
    "shot dead": "killed",
    "slain": "killed",
    "fatally shot": "killed",
    "gunned down": "killed",
    "shot to death": "killed",
    "fatalities": "killed",
    "pronounced dead": "killed",
    "stable": "injured",
    "critical": "injured",
    "serious": "injured",
}
# the same one victim as the object of a killing, or in a stated condition ("shot and killed a 23-year-old man",
# "a woman is in critical condition")
_SINGLE_MORE = re.compile(
    r"\b(?P<pred>shot and killed|fatally shot|killed)\s+(?:an?)\s+(?:\d+-year-old\s+)?"
    r"(?P<noun>man|woman|teen|teenager|boy|girl|person|child|student|toddler)\b"
    r"|\b(?:an?)\s+(?:\d+-year-old\s+)?(?P<noun2>man|woman|teen|teenager|boy|girl|person|child|student)"
    r"\s+(?:was|is)\s+(?:(?P<dead>pronounced dead)|(?:listed\s+)?in\s+(?P<state>stable|critical|serious)\s+condition)"
    r"|\b(?:left|leaving)\s+(?:an?|one)\s+(?:\d+-year-old\s+)?(?P<noun3>man|woman|teen|teenager|boy|girl|person|child"
    r"|student)\s+dead\b",
    re.IGNORECASE,
)
# every pattern above needs one of these in the lowered sentence (substring tests are cheaper than a regex)
_CASUALTY = (
    "kill",
    "wound",
    "injur",
    "hurt",
    "dead",
    "slain",
    "died",
    "deaths",
    "fatalit",
    "condition",
    "gunned",
    "shot",
)


def _singles(sentence: Sentence) -> list[Quantity]:
    """A victim named by a singular subject counts one; "no one was injured" counts zero."""
    found = []
    for m in _SINGLE.finditer(sentence.text):
        raw = (m.group("pred") or m.group("nounpred") or "").lower()
        predicate = _SINGLE_PREDICATES.get(raw) or _PREDICATES.get(raw, "")
        if not predicate:
            continue
        value = 1 if m.group("one") else 0
        counted = concept(m.group("noun")) if m.group("noun") else "person"
        span = Span(sentence.index, sentence.start + m.start(), sentence.start + m.end(), m.group(0))
        found.append(Quantity(span, value, counted, predicate, phrase=m.group(0)))
    for m in _SINGLE_MORE.finditer(sentence.text):
        raw = (m.group("pred") or m.group("dead") or m.group("state") or "").lower()
        predicate = "killed" if m.group("pred") or m.group("noun3") else _SINGLE_PREDICATES[raw]
        span = Span(sentence.index, sentence.start + m.start(), sentence.start + m.end(), m.group(0))
        found.append(
            Quantity(
                span, 1, concept(m.group("noun") or m.group("noun2") or m.group("noun3")), predicate, phrase=m.group(0)
            )
        )
    return found


_SMALL = r"\d{1,3}|" + "|".join(w for w in NUMBER_WORDS if " " not in w and w != "zero")
# "four people were shot, one fatally": the victims split into the dead and the wounded
_SHOT_FATALLY = re.compile(
    rf"\b(?P<all>{_SMALL})\s+(?:(?:people|persons|men|women|teens|teenagers|victims|others)\s+)?"
    rf"(?:were|have been|had been)\s+shot(?:\s+and\s+wounded)?\s*,\s*(?P<dead>{_SMALL})(?:\s+of\s+them)?"
    r"\s+fatally\b",
    re.IGNORECASE,
)


def _shot_fatally(sentence: Sentence) -> list[Quantity]:
    """The killed and the injured of "N people were shot, M fatally" (M killed, N - M injured)."""
    found = []
    for m in _SHOT_FATALLY.finditer(sentence.text):
        shot, dead = _value(m.group("all"), None), _value(m.group("dead"), None)
        if shot is None or dead is None or dead > shot:
            continue
        span = Span(sentence.index, sentence.start + m.start(), sentence.start + m.end(), m.group(0))
        found.append(Quantity(span, dead, "person", "killed", phrase=m.group(0)))
        found.append(Quantity(span, shot - dead, "person", "injured", phrase=m.group(0)))
    return found
