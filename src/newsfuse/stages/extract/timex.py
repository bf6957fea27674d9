"""Time expressions, normalized against the publish date, with granularity.

Rules follow news usage: a bare weekday ("on Thursday") is the most recent
such day up to the publish date unless the sentence looks ahead ("will",
"next"); a month and day without a year is the nearest such date, preferring
the past.  "dawn on Friday, Syrian time" is flagged ``local_time``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache

from newsfuse.models import Granularity, Sentence, Span, TimeExpression
from newsfuse.stages.extract.caseless import Scan, lowered
from newsfuse.stages.extract.lexicon import NUMBER_WORDS, nearest_trigger

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH_NAMES = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
MONTH = rf"(?-i:(?P<month>{_MONTH_NAMES}))\.?"  # capitalised: "may" and "march" are words too
_FOLDED_MONTH = rf"(?P<month>{_MONTH_NAMES.lower()})\.?"
WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
YEAR = r"(?P<year>(?:1[89]|20)\d{2})"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_AHEAD = Scan.compile(r"\b(will|would|is due|are due|scheduled|plans? to|expected to|next)\b")
_LOCAL = re.compile(r"^\W{0,3}(?:[A-Z][a-z]+ time|local time|GMT|UTC|[A-Z]{2,4}T)\b")
_PREPOSITION = re.compile(r"(?:on|in|since|until|by|during|from|of|before|after|at)\s+", re.IGNORECASE)
_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30, "year": 365, "years": 365}


def _month(name: str) -> int:
    return _MONTHS[name.lower()[:3]]


def _nearest_year(month: int, day: int, base: date) -> date | None:
    try:
        candidate = date(base.year, month, day)
    except ValueError:
        return None
    if candidate > base + timedelta(days=60):
        candidate = candidate.replace(year=base.year - 1) if not (month == 2 and day == 29) else candidate
    elif candidate < base - timedelta(days=305):
        candidate = candidate.replace(year=base.year + 1) if not (month == 2 and day == 29) else candidate
    return candidate


def _weekday(name: str, base: date, modifier: str, ahead: bool) -> date:
    target = _WEEKDAYS.index(name.lower())
    back = (base.weekday() - target) % 7
    forward = (target - base.weekday()) % 7
    if modifier == "next" or (ahead and modifier != "last"):
        return base + timedelta(days=forward or 7)
    if modifier == "last" and back == 0:
        return base - timedelta(days=7)
    return base - timedelta(days=back)


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _shift_month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


Resolver = Callable[[re.Match[str], date, bool], tuple[date, Granularity] | None]


def _explicit_day(m: re.Match[str], base: date, ahead: bool) -> tuple[date, Granularity] | None:
    day, month = int(m.group("day")), _month(m.group("month"))
    if m.group("year"):
        try:
            return date(int(m.group("year")), month, day), "day"
        except ValueError:
            return None
    found = _nearest_year(month, day, base)
    return (found, "day") if found else None


def _iso(m: re.Match[str], base: date, ahead: bool) -> tuple[date, Granularity] | None:
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), "day"
    except ValueError:
        return None


def _month_year(m: re.Match[str], base: date, ahead: bool) -> tuple[date, Granularity] | None:
    return date(int(m.group("year")), _month(m.group("month")), 1), "month"


def _bare_month(m: re.Match[str], base: date, ahead: bool) -> tuple[date, Granularity] | None:
    month, modifier = _month(m.group("month")), (m.group("mod") or "").lower()
    if modifier == "last":
        year = base.year if month < base.month else base.year - 1
    elif modifier == "next":
        year = base.year if month > base.month else base.year + 1
    elif modifier == "this":
        year = base.year
    else:
        year = base.year if month <= base.month + (2 if ahead else 0) else base.year - 1
    return date(year, month, 1), "month"


def _year(m: re.Match[str], base: date, ahead: bool) -> tuple[date, Granularity] | None:
    return date(int(m.group("year")), 1, 1), "year"


_SAID_BEFORE = re.compile(
    r"\b(?:said|says|announced|told|reported|predicted|added|declared|confirmed|\w+ed)\s+(?:on\s+)?$", re.I
)


def _weekday_rule(m: re.Match[str], base: date, ahead: bool) -> tuple[date, Granularity] | None:
    """A weekday is the nearest such day: today when it is today's, ahead when the sentence looks
    ahead ("will leave on Thursday") unless "said" comes just before it ("said Monday they will")."""
    modifier = (m.group("mod") or "").lower()
    before = m.string[max(0, m.start() - 50) : m.start()]
    ahead = ahead and not _SAID_BEFORE.search(before)
    if modifier not in ("last", "next") and _WEEKDAYS.index(m.group("weekday").lower()) == base.weekday():
        return base, "day"
    return _weekday(m.group("weekday"), base, modifier, ahead), "day"


def _deictic(m: re.Match[str], base: date, ahead: bool) -> tuple[date, Granularity] | None:
    word = m.group(0).lower()
    if "yesterday" in word or "previous day" in word or "day before" in word or word == "last night":
        return base - timedelta(days=1), "day"
    if "tomorrow" in word:
        return base + timedelta(days=1), "day"
    return base, "day"


def _relative_period(m: re.Match[str], base: date, ahead: bool) -> tuple[date, Granularity] | None:
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(m.group("rel").lower(), 0)
    unit = m.group("unit").lower()
    if unit == "week":
        return _week_start(base) + timedelta(days=7 * step), "week"
    if unit == "month":
        return _shift_month(base, step), "month"
    return date(base.year + step, 1, 1), "year"


def _ago(m: re.Match[str], base: date, ahead: bool) -> tuple[date, Granularity] | None:
    raw = m.group("n").lower()
    count = NUMBER_WORDS.get(raw, 1) if not raw.isdigit() else int(raw)
    unit = m.group("unit").lower()
    when = base - timedelta(days=count * _UNITS[unit])
    granularity: Granularity = {1: "day", 7: "week", 30: "month", 365: "year"}[_UNITS[unit]]  # type: ignore[assignment]
    if granularity == "week":
        when = _week_start(when)
    elif granularity == "month":
        when = when.replace(day=1)
    elif granularity == "year":
        when = date(when.year, 1, 1)
    return when, granularity


_WEEKDAY_RULE = (
    r"\b(?:(?P<mod>last|next|this|on|late|early)\s+)?" + WEEKDAY + r"(?:\s+(?:morning|afternoon|evening|night))?\b"
)
_DEICTIC = (
    r"\b(?:today|tonight|last night|yesterday|tomorrow|this (?:morning|afternoon|evening)"
    r"|the (?:previous day|day before))\b"
)
_PERIOD = r"\b(?:earlier |later )?(?P<rel>this|last|past|previous|next|coming) (?P<unit>week|month|year)\b"
_AGO = (
    r"\b(?P<n>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r" (?P<unit>days?|weeks?|months?|years?) ago\b"
)
_MONTH_DAY = rf"\b(?:{WEEKDAY},?\s+)?{MONTH}\s+{DAY}\b(?:,?\s+{YEAR}\b)?"
_BARE_MONTH = (
    rf"\b(?:(?:in|since|until|by|during|from|early|late|mid|(?P<mod>last|this|next))\s+|mid-\s*){MONTH}\b(?!\s*\d)"
)
_BARE_YEAR = r"(?<![\w$#£€.,/-])(?P<year>(?:1[89]|20)\d{2})(?![\w%-]|[.,]\d)"
_IN_YEAR = rf"\b(?:in|since|until|by|during|from|of|before|after|early|late|mid-)\s+{YEAR}\b"
_DAY_MONTH = rf"\b(?:{WEEKDAY},?\s+)?(?:the\s+)?{DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR}\b)?"
# Cheap necessary conditions for each rule below, so most rules skip most sentences: every group
# must have one of its strings in the lowercased sentence (<digit>: any digit; <month>: a month name).
Gate = tuple[frozenset[str], ...]
_DIGIT_GATE = frozenset({"<digit>"})
_MONTH_GATE = frozenset({"<month>"})
_HAS_DIGIT = re.compile(r"\d")
_HAS_MONTH = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")


def _gate(*groups: str | frozenset[str]) -> Gate:
    return tuple(frozenset(g.split()) if isinstance(g, str) else g for g in groups)


def _month_scan(source: str) -> Scan:
    """A rule with a capitalised month, scanned fast with the month folded and each candidate checked."""
    return Scan.compile(source, folded=source.replace(MONTH, _FOLDED_MONTH))


def _present(text: str, low: str, words: frozenset[str]) -> frozenset[str]:
    """The gate strings found in ``text`` (``low`` is it lowered)."""
    found = {w for w in words if w in low}
    if _HAS_DIGIT.search(text):
        found.add("<digit>")
    if _HAS_MONTH.search(text):
        found.add("<month>")
    return frozenset(found)


_RULES: list[tuple[Gate, Scan, Resolver]] = [
    (_gate("-", _DIGIT_GATE), Scan.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b", ignore_case=False), _iso),
    (_gate(_MONTH_GATE, _DIGIT_GATE), _month_scan(_MONTH_DAY), _explicit_day),
    (_gate(_MONTH_GATE, _DIGIT_GATE), _month_scan(_DAY_MONTH), _explicit_day),
    (_gate(_MONTH_GATE, _DIGIT_GATE), _month_scan(rf"\b{MONTH}\s+(?:of\s+)?{YEAR}\b"), _month_year),
    (_gate(_MONTH_GATE), _month_scan(_BARE_MONTH), _bare_month),
    (_gate("day"), Scan.compile(_WEEKDAY_RULE), _weekday_rule),
    (_gate("day tonight tomorrow this night"), Scan.compile(_DEICTIC), _deictic),
    (_gate("week month year"), Scan.compile(_PERIOD), _relative_period),
    (_gate("ago"), Scan.compile(_AGO), _ago),
    (_gate(_DIGIT_GATE), Scan.compile(_IN_YEAR), _year),
    (_gate(_DIGIT_GATE), Scan.compile(_BARE_YEAR, ignore_case=False), _year),
]  # fmt: skip


_COUNT = r"(?P<n>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|many)"
_UNIT_CODES = {"day": "D", "week": "W", "month": "M", "year": "Y", "decade": "DE", "hour": "H", "minute": "MI"}
Other = Callable[[re.Match[str], date], tuple[str, str] | None]


def _duration(m: re.Match[str], base: date) -> tuple[str, str] | None:
    raw = (m.groupdict().get("n") or "x").lower()
    count = (
        "X"
        if raw in ("several", "few", "many", "x", "recent")
        else str(int(raw) if raw.isdigit() else NUMBER_WORDS.get(raw, 1))
    )
    code = _UNIT_CODES[m.group("unit").lower().rstrip("s")]
    if code == "DE":
        return "duration", f"P{int(count) * 10}Y" if count != "X" else "PXDE"
    if code in ("H", "MI"):
        return "duration", f"PT{count}{code[0]}"
    return "duration", f"P{count}{code}"


def _reference(m: re.Match[str], base: date) -> tuple[str, str] | None:
    word = m.group(0).lower()
    if any(w in word for w in ("now", "current", "present", "nowadays")):
        return "reference", "PRESENT_REF"
    if any(w in word for w in ("future", "soon")):
        return "reference", "FUTURE_REF"
    return "reference", "PAST_REF"


def _quarter(m: re.Match[str], base: date) -> tuple[str, str] | None:
    number = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
    quarter = number[m.group("q").lower()]
    year = int(m.group("year")) if m.group("year") else base.year - (1 if quarter > (base.month - 1) // 3 + 1 else 0)
    return "date", f"{year}-Q{quarter}"


def _set(m: re.Match[str], base: date) -> tuple[str, str] | None:
    word = m.group(0).lower()
    for unit, period in (("week", "P1W"), ("month", "P1M"), ("year", "P1Y"), ("annual", "P1Y")):
        if unit in word:
            return "set", period
    return "set", "P1D"


_DURATION = (
    rf"\b(?:(?:the|its|first|last|past|next|previous|coming)\s+){{0,2}}{_COUNT}[- ]"
    r"(?P<unit>days?|weeks?|months?|years?|decades?|hours?|minutes?)\b(?!\s+(?:ago|earlier|later|before|after)|-old)"
)
_VAGUE_DURATION = r"\b(?:the\s+)?(?:past|recent)\s+(?P<unit>days|weeks|months|years|decades)\b"
_QUARTER = (
    r"\b(?:(?:the|its)\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter"
    r"(?:\s+of\s+(?P<year>(?:19|20)\d{2}))?\b"
)
_REFERENCE = r"\b(?:now|currently|at present|nowadays|recently|(?:in\s+)?the\s+(?:past|future))\b"
_SET = r"\b(?:daily|weekly|monthly|annually|yearly|(?:every|each)\s+(?:day|week|month|year))\b"
_OTHER_RULES: list[tuple[Gate, Scan, Other]] = [
    (_gate("day week month year decade hour minute"), Scan.compile(_DURATION), _duration),
    (_gate("past recent"), Scan.compile(_VAGUE_DURATION), _duration),
    (_gate("quarter"), Scan.compile(_QUARTER), _quarter),
    (
        _gate("now current present recent previous formerly soon past future"),
        Scan.compile(_REFERENCE),
        _reference,
    ),
    (_gate("daily weekly monthly annually yearly every each"), Scan.compile(_SET), _set),
]


def timeml_value(expression: TimeExpression) -> str:
    """The TimeML/TIMEX3 value of an expression: 2013-03-22, 2013-W11, 2013-03, 2013, P2W, PRESENT_REF..."""
    if expression.timeml:
        return expression.timeml
    value = expression.value
    if expression.granularity == "week":
        year, week, _ = value.isocalendar()
        return f"{year}-W{week:02d}"
    if expression.granularity == "month":
        return value.isoformat()[:7]
    if expression.granularity == "year":
        return str(value.year)
    return value.isoformat()


def _span(sentence: Sentence, m: re.Match[str]) -> Span:
    """The match as a span of the article, without a leading preposition ("on Thursday" -> "Thursday")."""
    lead = _PREPOSITION.match(m.group(0))
    begin = m.start() + (lead.end() if lead else 0)
    return Span(sentence.index, sentence.start + begin, sentence.start + m.end(), sentence.text[begin : m.end()])


def _last_quarter(base: date) -> tuple[int, int]:
    """The last quarter that has ended by ``base`` (year, quarter): what "the quarter" means in results news."""
    quarter = (base.month - 1) // 3
    return (base.year, quarter) if quarter else (base.year - 1, 4)


def _quarter_value(year: int, quarter: int) -> tuple[date, Granularity, str]:
    return date(year, 3 * quarter - 2, 1), "month", f"{year}-Q{quarter}"


Contextual = Callable[[re.Match[str], date, bool], tuple[date, Granularity, str] | None]


def _the_quarter(m: re.Match[str], base: date, quarterly: bool) -> tuple[date, Granularity, str] | None:
    if (m.group("which") or "").lower() == "current":
        return _quarter_value(base.year, (base.month - 1) // 3 + 1)
    return _quarter_value(*_last_quarter(base))


def _year_ago(m: re.Match[str], base: date, quarterly: bool) -> tuple[date, Granularity, str] | None:
    """ "a year earlier" is the same quarter a year back in an article about quarterly results, else last year."""
    if quarterly:
        year, quarter = _last_quarter(base)
        return _quarter_value(year - 1, quarter)
    return date(base.year - 1, 1, 1), "year", ""


def _weekend(m: re.Match[str], base: date, quarterly: bool) -> tuple[date, Granularity, str] | None:
    upcoming = (m.group("mod") or "").lower() in ("next", "coming") or "ahead" in m.group(0).lower()
    saturday = (
        base + timedelta(days=(5 - base.weekday()) % 7) if upcoming else base - timedelta(days=(base.weekday() - 5) % 7)
    )
    year, week, _ = saturday.isocalendar()
    return saturday, "week", f"{year}-W{week:02d}-WE"


_SEASONS = {"spring": ("SP", 3, 5), "summer": ("SU", 6, 8), "fall": ("FA", 9, 11), "autumn": ("FA", 9, 11),
            "winter": ("WI", 12, 2)}  # fmt: skip


def _season(m: re.Match[str], base: date, quarterly: bool) -> tuple[date, Granularity, str] | None:
    """ "last fall" is the most recent fall that has ended, "this summer" the one of this year."""
    code, first, last = _SEASONS[m.group("season").lower()]
    modifier = " ".join((m.group("mod") or "").lower().split())
    year = base.year
    if modifier in ("last", "this past"):
        year = base.year if last < base.month and code != "WI" else base.year - 1
    elif modifier == "next":
        year = base.year if first > base.month else base.year + 1
    return date(year, first, 1), "month", f"{year}-{code}"


_CONTEXT_RULES: list[tuple[Gate, Scan, Contextual]] = [
    (
        _gate("quarter"),
        Scan.compile(r"\bthe\s+(?:(?P<which>latest|most recent|recent|current|past)\s+)?(?:fiscal\s+)?quarter\b"),
        _the_quarter,
    ),
    (
        _gate("year"),
        Scan.compile(
            r"\b(?:a\s+year\s+(?:ago|earlier|before)|(?:the\s+)?year-(?:earlier|ago)(?:\s+(?:quarter|period))?)\b"
        ),
        _year_ago,
    ),
    (
        _gate("spring summer fall autumn winter"),
        Scan.compile(
            r"\b(?:(?P<mod>this\s+past|this|last|next)|the(?:\s+(?:early|late))?)\s+"
            r"(?P<season>spring|summer|fall|autumn|winter)\b"
        ),
        _season,
    ),
    (
        _gate("weekend"),
        Scan.compile(r"\b(?:ahead of\s+)?(?:the|this|last|(?P<mod>next|coming))\s+weekend\b"),
        _weekend,
    ),
]


_GATE_WORDS = frozenset(
    w for gate, *_ in (*_RULES, *_OTHER_RULES, *_CONTEXT_RULES) for group in gate for w in group if w[0] != "<"
)


_Open = tuple[list[tuple[Scan, Contextual]], list[tuple[Scan, Resolver]], list[tuple[Scan, Other]]]


@lru_cache(maxsize=4096)
def _open_rules(present: frozenset[str]) -> _Open:
    """The (contextual, date, other) rules whose gates ``present`` opens; few distinct sets recur."""
    return (
        [(p, r) for gate, p, r in _CONTEXT_RULES if all(present & group for group in gate)],
        [(p, r) for gate, p, r in _RULES if all(present & group for group in gate)],
        [(p, o) for gate, p, o in _OTHER_RULES if all(present & group for group in gate)],
    )


def tag_times(sentences: tuple[Sentence, ...], published: date) -> tuple[TimeExpression, ...]:
    """Every time expression in ``sentences`` normalized against ``published``."""
    found: list[TimeExpression] = []
    quarterly = any("quarter" in s.text for s in sentences)
    whole = " ".join(s.text for s in sentences).lower()
    gate_words = frozenset(w for w in _GATE_WORDS if w in whole)  # a word the article lacks no sentence has
    for sentence in sentences:
        text = sentence.text
        low = lowered(text)
        contextual, rules, others = _open_rules(_present(text, low or text.lower(), gate_words))
        if not rules and not others and not contextual:
            continue
        taken: list[tuple[int, int]] = []
        for pattern, contextual_rule in contextual:
            for m in pattern.finditer(text, low):
                if any(m.start() < end and start < m.end() for start, end in taken) or not (
                    context_value := contextual_rule(m, published, quarterly)
                ):
                    continue
                taken.append((m.start(), m.end()))
                value, granularity, timeml = context_value
                found.append(TimeExpression(_span(sentence, m), value, granularity, timeml=timeml))
        ahead: bool | None = None  # whether the sentence looks ahead, found at its first date
        for pattern, resolve in rules:
            for m in pattern.finditer(text, low):
                if any(m.start() < end and start < m.end() for start, end in taken):
                    continue
                if ahead is None:
                    ahead = _AHEAD.search(text, low)
                try:
                    resolved = resolve(m, published, ahead)
                except (OverflowError, ValueError):
                    resolved = None
                if resolved is None:
                    continue
                taken.append((m.start(), m.end()))
                value, granularity = resolved
                span = _span(sentence, m)
                found.append(
                    TimeExpression(
                        span=span,
                        value=value,
                        granularity=granularity,
                        local_time=bool(_LOCAL.match(text[m.end() : m.end() + 30])),
                        trigger=nearest_trigger(text, (m.start() + m.end()) // 2),
                    )
                )
        for pattern, other in others:
            for m in pattern.finditer(text, low):
                if any(m.start() < end and start < m.end() for start, end in taken):
                    continue
                result = other(m, published)
                if result is None:
                    continue
                taken.append((m.start(), m.end()))
                kind, timeml = result
                span = _span(sentence, m)
                value, granularity = published, "day"
                if kind == "date":  # a quarter: its first month stands for it
                    year, quarter = timeml.split("-Q")
                    value, granularity = date(int(year), 3 * int(quarter) - 2, 1), "month"
                found.append(
                    TimeExpression(span, value, granularity, kind=kind, timeml=timeml)  # type: ignore[arg-type]
                )
    return tuple(sorted(found, key=lambda t: (t.span.start, t.span.end)))
