"""When two figures agree, conflict or update each other (pure rules, used by ``reconcile``).

* Agreement: equal numbers; a qualifier that allows the other ("at least 19" and 23, "about 100"
  and 104); or rounding, which is explicit and conservative: a round figure of at most two
  significant digits agrees with an exact one that rounds to it at two significant digits, and only
  from ``SMALLEST_ROUNDED`` up ($1.4 billion and $1.375 billion, 1,400 and 1,432; not $100 billion
  and $130 billion, not 20 and 24); decimals agree when the finer one rounds to the coarser
  (9.1% and 9%).
* Conflict: two figures of different independent outlets that do not agree, published within
  ``CONFLICT_HOURS`` of each other, and not explained as an update. When unsure it says less
  ("several figures"): not when either outlet also states a figure that agrees with the other's
  (it reports both: an early and a later toll, or two counts), not when the sentences name
  different days or places that cannot be one (two incidents, or a country's and a region's
  total), and not when the two differ by one and a sentence counts the attacker's own death
  apart ("including the gunman", "before taking his own life").
* Update: a cumulative kind (killed, injured, arrested, missing, cases, cost) whose later figure is
  higher; the sequence is shown with its times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from newsfuse.models import ClaimStatus, Figure

CUMULATIVE = frozenset(
    {
        "killed",
        "injured",
        "shot",
        "missing",
        "arrested",
        "displaced",
        "infected",
        "confirmed",
        "evacuated",
        "rescued",
        "cost",
    }
)
# below this, figures are not rounded in news: 20 and 24 injured disagree
SMALLEST_ROUNDED = 100
# rounding never goes coarser than two significant digits ($100 billion is not $130 billion)
ROUNDING_DIGITS = 2
# "about": within this share of the figure
ABOUT_SHARE = 0.1
# figures published further apart than this are a revision, not a disagreement
CONFLICT_HOURS = 36
# days named this far apart are two incidents; a day apart is often one ("Sunday night", "early Monday")
DAYS_APART = 2
# a later figure counts as an update only if it came out at least this much later
UPDATE_GAP = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Where:
    """A place a figure's sentence names: its gazetteer id, kind and country."""

    place_id: str
    kind: str  # "city", "region", "country"
    country: str


@dataclass(frozen=True, slots=True)
class Scope:
    """What a figure's sentence says about what it counts (to tell a disagreement from two counts)."""

    days: frozenset[date] = frozenset()  # days the sentence names
    places: frozenset[Where] = frozenset()  # places the sentence names
    attacker: bool = False  # the sentence counts the attacker's own death in or apart


@dataclass(frozen=True, slots=True)
class Stated:
    """One outlet's statement of a figure: the figure, the outlet and where it was said."""

    figure: Figure
    outlet: str
    published_at: datetime
    where: tuple[str, int]  # (article id, sentence)
    scope: Scope = Scope()


def _significant(number: float) -> int:
    digits = f"{abs(number):.10g}".replace(".", "").replace("-", "").strip("0")
    return len(digits)


def _decimals(text: str) -> int:
    number = "".join(c for c in text.split()[0 if text[:1].isdigit() else -1] if c.isdigit() or c == ".")
    return len(number.split(".", 1)[1]) if "." in number else 0


def _rounds_to(rough: float, exact: float) -> bool:
    if min(abs(rough), abs(exact)) < SMALLEST_ROUNDED or _significant(rough) > ROUNDING_DIGITS:
        return False
    return float(f"{exact:.{ROUNDING_DIGITS}g}") == rough


def _same_decimal(a: Figure, b: Figure) -> bool:
    if a.number == int(a.number) and b.number == int(b.number):
        return False
    places = min(_decimal_places(a.number), _decimal_places(b.number))
    return round(a.number, places) == round(b.number, places)


def _decimal_places(number: float) -> int:
    text = f"{number:.6f}".rstrip("0")
    return len(text.split(".", 1)[1]) if "." in text else 0


def compatible(a: Figure, b: Figure) -> bool:
    """Whether two figures of the same thing can both be true (see the module docstring)."""
    if a.number == b.number or _rounds_to(a.number, b.number) or _rounds_to(b.number, a.number):
        return a.qualifier == b.qualifier or a.number == b.number or "" in (a.qualifier, b.qualifier)
    if _same_decimal(a, b):
        return True
    low, high = (a, b) if a.number < b.number else (b, a)
    if low.qualifier in ("at least", "more than") or high.qualifier == "up to":
        return True
    return "about" in (a.qualifier, b.qualifier) and high.number - low.number <= ABOUT_SHARE * max(low.number, 1)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The status of one figure's statements and how one outlet's several figures read."""

    status: ClaimStatus
    revision: str  # "", "revised", "several figures"
    note: str


def _explained_by_update(earlier: Stated, later: Stated, cumulative: bool) -> bool:
    return (
        cumulative
        and later.figure.number > earlier.figure.number
        and (later.published_at - earlier.published_at >= UPDATE_GAP)
    )


def _same_place(a: Where, b: Where) -> bool:
    """Whether two named places can be one (a city may lie in a region of its country)."""
    return a.country == b.country and (a.place_id == b.place_id or a.kind != b.kind)


def _other_scope(a: Scope, b: Scope) -> bool:
    """The two sentences name days, or places, that cannot be the same."""
    if a.days and b.days and all(abs((x - y).days) >= DAYS_APART for x in a.days for y in b.days):
        return True
    return bool(a.places and b.places) and not any(_same_place(x, y) for x in a.places for y in b.places)


def _attacker_apart(a: Stated, b: Stated) -> bool:
    """One more or fewer dead, where a sentence counts the attacker in or apart: both can be true."""
    return abs(a.figure.number - b.figure.number) == 1 and (a.scope.attacker or b.scope.attacker)


def _gives(figures: Sequence[Figure], figure: Figure) -> bool:
    """One of ``figures`` states ``figure`` (a bound such as "at least 8" states no one number)."""
    return any(f.qualifier in ("", "about") and compatible(f, figure) for f in figures)


def _disagree(a: Stated, b: Stated, by_outlet: dict[str, list[Figure]]) -> bool:
    """Two outlets' figures that cannot both be true of one thing (see the module docstring)."""
    if a.outlet == b.outlet or compatible(a.figure, b.figure) or _attacker_apart(a, b):
        return False
    if not a.figure.number or not b.figure.number:
        return False  # "no one was hurt" is nearly always of a part ("inside", "seriously", "else")
    if _gives(by_outlet[b.outlet], a.figure) or _gives(by_outlet[a.outlet], b.figure):
        return False  # one outlet reports both figures: an early and a later toll, or two counts
    return not _other_scope(a.scope, b.scope)


def _sequence(statements: Sequence[Stated]) -> str:
    steps: list[str] = []
    for s in sorted(statements, key=lambda s: s.published_at):
        text = f"{s.figure.text} ({s.outlet}, {s.published_at:%Y-%m-%d %H:%M})"
        if not steps or not steps[-1].startswith(s.figure.text + " "):
            steps.append(text)
    return " → ".join(steps)


def judge(statements: Sequence[Stated], cumulative: bool) -> Verdict:
    """Corroborated, single-source, conflicting or updated, for statements of one figure."""
    outlets = {s.outlet for s in statements}
    ordered = sorted(statements, key=lambda s: s.published_at)
    rises = cumulative and any(
        _explained_by_update(a, b, True) for i, a in enumerate(ordered) for b in ordered[i + 1 :]
    )
    by_outlet: dict[str, list[Figure]] = {}
    for s in statements:
        by_outlet.setdefault(s.outlet, []).append(s.figure)
    conflict = False
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.published_at - a.published_at > timedelta(hours=CONFLICT_HOURS):
                break  # ordered by time: every later one is further apart
            if _disagree(a, b, by_outlet) and not _explained_by_update(a, b, cumulative):
                conflict = True
                break
        if conflict:
            break
    agreeing = all(compatible(a.figure, b.figure) for a in statements for b in statements)
    several = any(a.outlet == b.outlet and not compatible(a.figure, b.figure) for a in statements for b in statements)
    revision = ("revised" if rises else "several figures") if several else ""
    if conflict:
        return Verdict("conflicting", revision, "")
    monotone = all(
        b.figure.number >= a.figure.number or compatible(a.figure, b.figure)
        for a, b in zip(ordered, ordered[1:], strict=False)
    )
    if rises and monotone and len({s.figure.number for s in statements}) > 1:
        return Verdict("updated", revision, "later reports give higher figures: " + _sequence(statements))
    single: ClaimStatus = "corroborated" if len(outlets) >= 2 else "single-source"
    if agreeing:
        distinct = {s.figure.number for s in statements}
        return Verdict(single, "", "" if len(distinct) == 1 else "values differ only within their qualifiers")
    return Verdict("single-source" if not _corroborated(statements) else "corroborated", revision or "several figures",
                   "figures differ between reports: " + _sequence(statements))  # fmt: skip


def _corroborated(statements: Sequence[Stated]) -> bool:
    """Two outlets state the latest figure alike."""
    latest = max(statements, key=lambda s: s.published_at).figure
    return len({s.outlet for s in statements if compatible(s.figure, latest)}) >= 2
