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

from newsfuse.models import Granularity, Sentence, Span, TimeExpression
from newsfuse.stages.extract.lexicon import NUMBER_WORDS, nearest_trigger

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTH = (
    r"(?-i:(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?))\.?"
)
WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
YEAR = r"(?P<year>(?:1[89]|20)\d{2})"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_AHEAD = re.compile(r"\b(will|would|is due|are due|scheduled|plans? to|expected to|next)\b", re.IGNORECASE)
_LOCAL = re.compile(r"^\W{0,3}(?:[A-Z][a-z]+ time|local time|GMT|UTC|[A-Z]{2,4}T)\b")
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
    month = _month(m.group("month"))
    year = base.year if month <= base.month + (2 if ahead else 0) else base.year - 1
    return date(year, month, 1), "month"


def _year(m: re.Match[str], base: date, ahead: bool) -> tuple[date, Granularity] | None:
    return date(int(m.group("year")), 1, 1), "year"


def _weekday_rule(m: re.Match[str], base: date, ahead: bool) -> tuple[date, Granularity] | None:
    return _weekday(m.group("weekday"), base, (m.group("mod") or "").lower(), ahead), "day"


def _deictic(m: re.Match[str], base: date, ahead: bool) -> tuple[date, Granularity] | None:
    word = m.group(0).lower()
    if "yesterday" in word or "previous day" in word or "day before" in word:
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
    r"\b(?:today|tonight|yesterday|tomorrow|this (?:morning|afternoon|evening)|the (?:previous day|day before))\b"
)
_PERIOD = r"\b(?:earlier |later )?(?P<rel>this|last|past|previous|next|coming) (?P<unit>week|month|year)\b"
_AGO = (
    r"\b(?P<n>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r" (?P<unit>days?|weeks?|months?|years?) ago\b"
)
_DAY_MONTH = rf"\b(?:{WEEKDAY},?\s+)?(?:the\s+)?{DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR}\b)?"
_RULES: list[tuple[re.Pattern[str], Resolver]] = [
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), _iso),
    (re.compile(rf"\b(?:{WEEKDAY},?\s+)?{MONTH}\s+{DAY}\b(?:,?\s+{YEAR}\b)?", re.I), _explicit_day),
    (re.compile(_DAY_MONTH, re.I), _explicit_day),
    (re.compile(rf"\b{MONTH}\s+(?:of\s+)?{YEAR}\b", re.I), _month_year),
    (re.compile(rf"\b(?:in|since|until|by|during|from|early|late|mid-?)\s+{MONTH}\b(?!\s*\d)", re.I), _bare_month),
    (re.compile(_WEEKDAY_RULE, re.I), _weekday_rule),
    (re.compile(_DEICTIC, re.I), _deictic),
    (re.compile(_PERIOD, re.I), _relative_period),
    (re.compile(_AGO, re.I), _ago),
    (re.compile(rf"\b(?:in|since|until|by|during|from|of|before|after|early|late|mid-)\s+{YEAR}\b", re.I), _year),
]  # fmt: skip


_ANY = re.compile(
    r"\d|day|night|week|month|year|ago|yesterday|tomorrow|morning|afternoon|evening|"
    r"(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
    re.IGNORECASE,
)


def tag_times(sentences: tuple[Sentence, ...], published: date) -> tuple[TimeExpression, ...]:
    """Every time expression in ``sentences`` normalized against ``published``."""
    found: list[TimeExpression] = []
    for sentence in sentences:
        text = sentence.text
        if not _ANY.search(text):
            continue
        taken: list[tuple[int, int]] = []
        ahead = bool(_AHEAD.search(text))
        for pattern, resolve in _RULES:
            for m in pattern.finditer(text):
                if any(m.start() < end and start < m.end() for start, end in taken):
                    continue
                try:
                    resolved = resolve(m, published, ahead)
                except (OverflowError, ValueError):
                    resolved = None
                if resolved is None:
                    continue
                taken.append((m.start(), m.end()))
                value, granularity = resolved
                surface = m.group(0)
                span = Span(sentence.index, sentence.start + m.start(), sentence.start + m.end(), surface)
                found.append(
                    TimeExpression(
                        span=span,
                        value=value,
                        granularity=granularity,
                        local_time=bool(_LOCAL.match(text[m.end() : m.end() + 30])),
                        trigger=nearest_trigger(text, (m.start() + m.end()) // 2),
                    )
                )
    return tuple(sorted(found, key=lambda t: (t.span.start, t.span.end)))
